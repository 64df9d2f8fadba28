package enforce

import (
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/corsim/corsim/safelist"
)

// This file holds fuzz targets whose properties compare the package with a
// literal transcription of the Fetch standard written here, step by step,
// with nothing shared with the code under test but the header map.

// fuzzHeader builds a header map from "name:value" lines separated by "\n",
// keeping names as written (as corsim's maps from non-network transports
// may hold them).
func fuzzHeader(lines string) http.Header {
	h := http.Header{}
	if lines == "" {
		return h
	}
	for _, l := range strings.Split(lines, "\n") {
		name, value, _ := strings.Cut(l, ":")
		h[name] = append(h[name], value)
	}
	return h
}

// litLower is byte-lowercase (https://infra.spec.whatwg.org/#byte-lowercase).
func litLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 0x20
		}
	}
	return string(b)
}

// litLines returns the values of the lines named name (byte-case-
// insensitively), keys in byte order.
func litLines(h http.Header, name string) []string {
	var keys []string
	for k := range h {
		if litLower(k) == litLower(name) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		out = append(out, h[k]...)
	}
	return out
}

// litGet is https://fetch.spec.whatwg.org/#concept-header-list-get.
func litGet(h http.Header, name string) (string, bool) {
	ls := litLines(h, name)
	if len(ls) == 0 {
		return "", false
	}
	return strings.Join(ls, ", "), true
}

func litIsTokenChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// litTokenList extracts header list values for a #token list: each line
// split on commas, elements trimmed of tab and space, empty ones skipped,
// any other non-token element a failure. ok is false on failure; present
// false when there is no line.
func litTokenList(h http.Header, name string) (values []string, present, ok bool) {
	ls := litLines(h, name)
	if len(ls) == 0 {
		return nil, false, true
	}
	for _, l := range ls {
		for _, e := range strings.Split(l, ",") {
			e = strings.Trim(e, " \t")
			if e == "" {
				continue
			}
			for i := 0; i < len(e); i++ {
				if !litIsTokenChar(e[i]) {
					return nil, true, false
				}
			}
			values = append(values, e)
		}
	}
	return values, true, true
}

// litCORSCheck is https://fetch.spec.whatwg.org/#concept-cors-check.
func litCORSCheck(h http.Header, origin string, includeCredentials bool) bool {
	// 1. Let origin be the result of getting `Access-Control-Allow-Origin`.
	allow, ok := litGet(h, "Access-Control-Allow-Origin")
	// 2. If origin is null, return failure.
	if !ok {
		return false
	}
	// 3. If credentials mode is not "include" and origin is `*`, success.
	if !includeCredentials && allow == "*" {
		return true
	}
	// 4. If the byte-serialized request origin is not origin, failure.
	if allow != origin {
		return false
	}
	// 5. If credentials mode is not "include", success.
	if !includeCredentials {
		return true
	}
	// 6-7. `Access-Control-Allow-Credentials` must be `true`.
	cred, _ := litGet(h, "Access-Control-Allow-Credentials")
	return cred == "true"
}

var fuzzOrigins = []string{"http://a.test", "https://a.test", "http://a.test:8080", "null", "http://xn--bcher-kva.test"}

var fuzzBrowsers = []Browser{Spec, Chromium, Firefox, WebKit}

func FuzzCORSCheck(f *testing.F) {
	f.Add(uint8(0), uint8(0), "Access-Control-Allow-Origin:http://a.test", false)
	f.Add(uint8(1), uint8(0), "Access-Control-Allow-Origin:*\nAccess-Control-Allow-Credentials:true", true)
	f.Add(uint8(2), uint8(3), "access-control-allow-origin:null\nAccess-Control-Allow-Origin:null", false)
	f.Add(uint8(3), uint8(0), "Access-Control-Allow-Origin:http://a.test\nAccess-Control-Allow-Credentials:TRUE", true)
	f.Add(uint8(1), uint8(0), "Access-Control-Allow-Origin: http://a.test", false)
	f.Fuzz(func(t *testing.T, b, o uint8, lines string, cred bool) {
		browser := fuzzBrowsers[int(b)%len(fuzzBrowsers)]
		origin := fuzzOrigins[int(o)%len(fuzzOrigins)]
		h := fuzzHeader(lines)
		got := CORSCheck(browser, h, origin, cred, 200)
		want := litCORSCheck(h, origin, cred)
		switch {
		case got == nil && !want:
			// Never more permissive than the standard.
			t.Fatalf("%s: CORSCheck passes where the standard fails: origin %q cred %v header %q", browser, origin, cred, h)
		case got != nil && want:
			// The one deliberate difference: Firefox fails several
			// Access-Control-Allow-Origin lines before comparing
			// (nsCORSListenerProxy CheckRequestApproved); a joined
			// value can only equal `*` or an origin if one line is
			// empty.
			if browser == Firefox && len(litLines(h, "Access-Control-Allow-Origin")) > 1 && got.Reason == MultipleAllowOriginValues {
				return
			}
			t.Fatalf("%s: CORSCheck fails (%s) where the standard passes: origin %q cred %v header %q", browser, got.Reason, origin, cred, h)
		}
		if got != nil && (got.Reason == "" || got.Sentence() == "") {
			t.Fatalf("a failure without a reason or sentence: %+v", got)
		}
	})
}

// litPreflight is CORS-preflight fetch step 7 on a response
// (https://fetch.spec.whatwg.org/#cors-preflight-fetch-0), with one switch
// for the browsers' deliberate difference: wildcardCoversAuthorization lets
// `Access-Control-Allow-Headers: *` cover `Authorization`, which the
// standard forbids (a CORS non-wildcard request-header name) and Chromium,
// Firefox and WebKit allow (see PreflightPolicy.WildcardCoversAuthorization).
func litPreflight(req PreflightRequest, status int, h http.Header, wildcardCoversAuthorization bool) bool {
	// 7. A CORS check of the response succeeds and its status is ok.
	if !litCORSCheck(h, req.Origin, req.IncludeCredentials) || status < 200 || status > 299 {
		return false
	}
	// 7.1-7.3. Extract the lists; failure is a network error.
	methods, _, ok := litTokenList(h, "Access-Control-Allow-Methods")
	if !ok {
		return false
	}
	headerNames, _, ok := litTokenList(h, "Access-Control-Allow-Headers")
	if !ok {
		return false
	}
	// 7.5. The method: listed (byte for byte), safelisted, or `*` without
	// credentials.
	safelistedMethod := req.Method == "GET" || req.Method == "HEAD" || req.Method == "POST"
	if !slices.Contains(methods, req.Method) && !safelistedMethod && (req.IncludeCredentials || !slices.Contains(methods, "*")) {
		return false
	}
	listed := func(name string) bool {
		for _, n := range headerNames {
			if litLower(n) == litLower(name) {
				return true
			}
		}
		return false
	}
	wildcard := !req.IncludeCredentials && slices.Contains(headerNames, "*")
	for _, name := range req.UnsafeHeaderNames {
		// 7.6. A CORS non-wildcard request-header name must be listed.
		if litLower(name) == "authorization" && !listed(name) && !(wildcard && wildcardCoversAuthorization) {
			return false
		}
		// 7.7. Others must be listed, or covered by `*` without
		// credentials.
		if !listed(name) && !wildcard {
			return false
		}
	}
	return true
}

var fuzzMethods = []string{"GET", "POST", "HEAD", "PUT", "DELETE", "PATCH", "put", "OPTIONS", "X-CUSTOM"}

var fuzzUnsafeHeaders = [][]string{nil, {"x-foo"}, {"authorization"}, {"content-type", "x-foo"}, {"authorization", "x-bar"}}

func FuzzCheckPreflight(f *testing.F) {
	f.Add(uint8(1), uint8(3), uint8(1), uint16(204), false, "Access-Control-Allow-Origin:http://a.test\nAccess-Control-Allow-Methods:PUT\nAccess-Control-Allow-Headers:X-Foo")
	f.Add(uint8(0), uint8(3), uint8(2), uint16(200), false, "Access-Control-Allow-Origin:*\nAccess-Control-Allow-Methods:*\nAccess-Control-Allow-Headers:*")
	f.Add(uint8(2), uint8(4), uint8(3), uint16(200), true, "Access-Control-Allow-Origin:http://a.test\nAccess-Control-Allow-Credentials:true\nAccess-Control-Allow-Methods:GET\nAccess-Control-Allow-Methods:DELETE\nAccess-Control-Allow-Headers:content-type\naccess-control-allow-headers:X-FOO")
	f.Add(uint8(3), uint8(3), uint8(1), uint16(404), false, "Access-Control-Allow-Origin:http://a.test\nAccess-Control-Allow-Methods:PUT,,\nAccess-Control-Allow-Headers:x-foo, \"bad\"")
	f.Fuzz(func(t *testing.T, b, m, uh uint8, status uint16, cred bool, lines string) {
		browser := fuzzBrowsers[int(b)%len(fuzzBrowsers)]
		p := PreflightPolicy{Browser: browser, WildcardCoversAuthorization: browser != Spec, StatusBeforeCORSCheck: browser == WebKit,
			CacheBeforeMethodAndHeaderChecks: browser == WebKit}
		req := PreflightRequest{Method: fuzzMethods[int(m)%len(fuzzMethods)], UnsafeHeaderNames: fuzzUnsafeHeaders[int(uh)%len(fuzzUnsafeHeaders)],
			IncludeCredentials: cred, Origin: "http://a.test"}
		if browser == Chromium {
			p.DisallowedHeaderOrder = BlinkHeaderMapOrder
			req.HeaderNames = append([]string{"Accept"}, req.UnsafeHeaderNames...)
			req.FirstURLTrustworthy = status%2 == 0
		}
		h := fuzzHeader(lines)
		allow, err := CheckPreflight(p, req, PreflightResponse{Status: int(status), Header: h})
		want := litPreflight(req, int(status), h, p.WildcardCoversAuthorization)
		if err == nil && !want {
			t.Fatalf("%s: CheckPreflight allows %+v where the standard (WildcardCoversAuthorization %v) blocks; header %q", browser, req, p.WildcardCoversAuthorization, h)
		}
		if err != nil && want {
			if browser == Firefox && len(litLines(h, "Access-Control-Allow-Origin")) > 1 {
				return // Firefox's own rule, as in FuzzCORSCheck.
			}
			t.Fatalf("%s: CheckPreflight blocks (%s %q) %+v where the standard allows; header %q", browser, err.Reason, err.Param, req, h)
		}
		if err != nil && err.Reason == HeaderDisallowedByPreflightResponse && !slices.Contains(req.UnsafeHeaderNames, err.Param) {
			t.Fatalf("%s: names %q, not one of the unsafe names %q", browser, err.Param, req.UnsafeHeaderNames)
		}
		if err != nil && (allow.Parsed || allow.Methods != nil || allow.Headers != nil || allow.MaxAge != nil) {
			// Only WebKit's policy hands lists beside a failure, and
			// then exactly the lists the response holds.
			methods, _, _ := litTokenList(h, "Access-Control-Allow-Methods")
			headers, _, _ := litTokenList(h, "Access-Control-Allow-Headers")
			if !p.CacheBeforeMethodAndHeaderChecks || !allow.Parsed || !slices.Equal(allow.Methods, methods) || !slices.Equal(allow.Headers, headers) {
				t.Fatalf("%s: allowance %+v beside %s; lists %q %q", browser, allow, err.Reason, methods, headers)
			}
		}
		if err == nil {
			// What is cached is what the lists hold.
			methods, _, _ := litTokenList(h, "Access-Control-Allow-Methods")
			headers, _, _ := litTokenList(h, "Access-Control-Allow-Headers")
			if !slices.Equal(allow.Methods, methods) || !slices.Equal(allow.Headers, headers) {
				t.Fatalf("allowance %+v, lists %q %q", allow, methods, headers)
			}
		}
		// A redirect answer is never allowed.
		if _, rerr := CheckPreflight(p, req, PreflightResponse{Status: 302, Header: h, Redirect: true}); rerr == nil {
			t.Fatalf("a redirected preflight was allowed")
		}
	})
}

// litExposed is main fetch step 14.1 and the CORS filtered response: the
// names script can read, lower-case, for a response with header h.
func litExposed(t Tainting, h http.Header, includeCredentials bool) map[string]bool {
	out := map[string]bool{}
	if t == TaintOpaque {
		return out
	}
	forbidden := func(n string) bool { n = litLower(n); return n == "set-cookie" || n == "set-cookie2" }
	list, _, ok := litTokenList(h, "Access-Control-Expose-Headers")
	if !ok {
		list = nil
	}
	wildcard := !includeCredentials && slices.Contains(list, "*")
	for k, vs := range h {
		if len(vs) == 0 || forbidden(k) {
			continue
		}
		name := litLower(k)
		switch {
		case t == TaintBasic:
			out[name] = true
		case slices.Contains([]string{"cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma"}, name):
			out[name] = true
		case wildcard:
			out[name] = true
		default:
			for _, e := range list {
				if litLower(e) == name {
					out[name] = true
				}
			}
		}
	}
	return out
}

func FuzzExposedHeaderNames(f *testing.F) {
	f.Add(uint8(1), false, "Access-Control-Expose-Headers:X-A, x-b\nX-A:1\nx-b:2\nX-C:3\nSet-Cookie:a=1")
	f.Add(uint8(1), false, "Access-Control-Expose-Headers:*\nX-A:1\nSet-Cookie2:a\nContent-Type:text/plain")
	f.Add(uint8(1), true, "Access-Control-Expose-Headers:*\nX-A:1\n*:star")
	f.Add(uint8(0), false, "X-A:1\nset-cookie:a")
	f.Add(uint8(1), false, "Access-Control-Expose-Headers:x-a,\"q\"\nX-A:1")
	f.Fuzz(func(t *testing.T, taint uint8, cred bool, lines string) {
		tainting := Tainting(taint % 3)
		h := fuzzHeader(lines)
		if len(lines)%7 == 0 {
			h["X-Empty"] = []string{} // a key with no line
		}
		got := ExposedHeaderNames(tainting, h, cred)
		if !sort.StringsAreSorted(got) {
			t.Fatalf("not sorted: %q", got)
		}
		want := litExposed(tainting, h, cred)
		if len(got) != len(want) {
			t.Fatalf("%s cred %v: got %q, want %v (header %q)", tainting, cred, got, want, h)
		}
		for i, n := range got {
			if i > 0 && got[i-1] == n {
				t.Fatalf("duplicate %q in %q", n, got)
			}
			if !want[n] {
				t.Fatalf("%s cred %v: %q exposed; the standard exposes %v (header %q)", tainting, cred, n, want, h)
			}
			if n == "set-cookie" || n == "set-cookie2" {
				t.Fatalf("%q exposed", n)
			}
		}
		// Every exposed CORS name is safelisted given the exposed list.
		if tainting == TaintCORS {
			exposed := CORSExposedHeaderNameList(h, cred)
			for _, n := range got {
				if !safelist.IsCORSSafelistedResponseHeaderName(n, exposed) {
					t.Fatalf("%q exposed but not CORS-safelisted given %q", n, exposed)
				}
			}
		}
	})
}
