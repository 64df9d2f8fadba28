package fetch_test

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/corsim/corsim/fetch"
	"github.com/corsim/corsim/profile"
)

// This file checks a whole Fetch against a fuzzed server answer with an
// independent, literal transcription of the standard's checks written here
// (nothing shared with the engine but the header maps).

func lit2Lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 0x20
		}
	}
	return string(b)
}

// lit2Header parses "name:value" lines separated by "\n".
func lit2Header(lines string) http.Header {
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

func lit2Lines(h http.Header, name string) []string {
	var keys []string
	for k := range h {
		if lit2Lower(k) == lit2Lower(name) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []string
	for _, k := range keys {
		out = append(out, h[k]...)
	}
	return out
}

func lit2Get(h http.Header, name string) (string, bool) {
	ls := lit2Lines(h, name)
	return strings.Join(ls, ", "), len(ls) > 0
}

// lit2List is "extract header list values" for a #token list; ok false on
// failure.
func lit2List(h http.Header, name string) (vs []string, ok bool) {
	for _, l := range lit2Lines(h, name) {
		for _, e := range strings.Split(l, ",") {
			e = strings.Trim(e, " \t")
			if e == "" {
				continue
			}
			for i := 0; i < len(e); i++ {
				c := e[i]
				if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
					return nil, false
				}
			}
			vs = append(vs, e)
		}
	}
	return vs, true
}

// lit2CORSCheck is https://fetch.spec.whatwg.org/#concept-cors-check.
func lit2CORSCheck(h http.Header, origin string, cred bool) bool {
	allow, ok := lit2Get(h, "Access-Control-Allow-Origin")
	if !ok {
		return false
	}
	if !cred && allow == "*" {
		return true
	}
	if allow != origin {
		return false
	}
	if !cred {
		return true
	}
	v, _ := lit2Get(h, "Access-Control-Allow-Credentials")
	return v == "true"
}

// lit2Preflight is CORS-preflight fetch step 7. wildcardCoversAuthorization
// is the browsers' deliberate difference: Chromium, Firefox and WebKit let
// `Access-Control-Allow-Headers: *` cover `Authorization`; the standard
// (and the spec profile) do not.
func lit2Preflight(method string, unsafe []string, cred bool, status int, h http.Header, wildcardCoversAuthorization bool) bool {
	if !lit2CORSCheck(h, "http://a.test", cred) || status < 200 || status > 299 {
		return false
	}
	methods, ok := lit2List(h, "Access-Control-Allow-Methods")
	if !ok {
		return false
	}
	names, ok := lit2List(h, "Access-Control-Allow-Headers")
	if !ok {
		return false
	}
	if !slices.Contains(methods, method) && method != "GET" && method != "HEAD" && method != "POST" && (cred || !slices.Contains(methods, "*")) {
		return false
	}
	wildcard := !cred && slices.Contains(names, "*")
	for _, u := range unsafe {
		listed := slices.ContainsFunc(names, func(n string) bool { return lit2Lower(n) == u })
		if listed {
			continue
		}
		if u == "authorization" && !(wildcard && wildcardCoversAuthorization) {
			return false
		}
		if !wildcard {
			return false
		}
	}
	return true
}

// lit2Readable is the set of names script may read: for a basic response
// every name but the forbidden response-header names; for a CORS response
// the CORS-safelisted response-header names given the exposed list (every
// name when it holds `*` and credentials are not included).
func lit2Readable(h http.Header, cors, cred bool) map[string]bool {
	out := map[string]bool{}
	exposed, ok := lit2List(h, "Access-Control-Expose-Headers")
	if !ok {
		exposed = nil
	}
	wildcard := !cred && slices.Contains(exposed, "*")
	for k, vs := range h {
		n := lit2Lower(k)
		if len(vs) == 0 || n == "set-cookie" || n == "set-cookie2" {
			continue
		}
		switch {
		case !cors, wildcard:
			out[n] = true
		case slices.Contains([]string{"cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma"}, n):
			out[n] = true
		case slices.ContainsFunc(exposed, func(e string) bool { return lit2Lower(e) == n }):
			out[n] = true
		}
	}
	return out
}

var (
	fuzzFetchMethods = []string{"GET", "POST", "PUT", "DELETE"}
	fuzzFetchHeaders = []struct {
		name, value, unsafe string
	}{{"", "", ""}, {"X-Foo", "1", "x-foo"}, {"Content-Type", "application/json", "content-type"}, {"Authorization", "Bearer t", "authorization"}}
	fuzzCreds = []fetch.Credentials{fetch.CredentialsOmit, fetch.CredentialsSameOrigin, fetch.CredentialsInclude}
)

// fuzzStatus maps any number to a status that is not a redirect status, so
// that one answer ends the fetch.
func fuzzStatus(n uint16) int {
	s := 200 + int(n)%400
	switch s {
	case 301, 302, 303, 307, 308:
		return 300
	}
	return s
}

func FuzzFetchAgainstTheStandard(f *testing.F) {
	f.Add(uint8(0), uint8(2), uint8(1), uint8(0), false, uint16(4), "Access-Control-Allow-Origin:http://a.test\nAccess-Control-Allow-Methods:PUT\nAccess-Control-Allow-Headers:x-foo", uint16(0), "Access-Control-Allow-Origin:http://a.test\nX-Secret:1\nSet-Cookie:a=1")
	f.Add(uint8(3), uint8(2), uint8(3), uint8(0), false, uint16(4), "Access-Control-Allow-Origin:*\nAccess-Control-Allow-Methods:*\nAccess-Control-Allow-Headers:*", uint16(0), "Access-Control-Allow-Origin:*\nAccess-Control-Expose-Headers:*\nX-A:1\nSet-Cookie:a=1")
	f.Add(uint8(1), uint8(0), uint8(0), uint8(2), false, uint16(0), "", uint16(0), "Access-Control-Allow-Origin:http://a.test\nAccess-Control-Allow-Credentials:true\nAccess-Control-Expose-Headers:*, x-b\nX-B:2\nX-C:3")
	f.Add(uint8(2), uint8(0), uint8(0), uint8(1), true, uint16(0), "", uint16(0), "X-A:1\nSet-Cookie2:b\nset-cookie:c")
	f.Add(uint8(0), uint8(1), uint8(2), uint8(2), false, uint16(4), "Access-Control-Allow-Origin:http://a.test\nAccess-Control-Allow-Credentials:true\nAccess-Control-Allow-Headers:*", uint16(0), "Access-Control-Allow-Origin:http://a.test\nAccess-Control-Allow-Credentials:true")
	f.Fuzz(func(t *testing.T, pi, mi, hi, ci uint8, sameOrigin bool, pStatus uint16, pLines string, aStatus uint16, aLines string) {
		profiles := allProfiles()
		p := profiles[int(pi)%len(profiles)]
		method := fuzzFetchMethods[int(mi)%len(fuzzFetchMethods)]
		hdr := fuzzFetchHeaders[int(hi)%len(fuzzFetchHeaders)]
		credMode := fuzzCreds[int(ci)%len(fuzzCreds)]
		preflightStatus, actualStatus := fuzzStatus(pStatus), fuzzStatus(aStatus)
		preflightHeader, actualHeader := lit2Header(pLines), lit2Header(aLines)
		url := "http://b.test/r"
		if sameOrigin {
			url = "http://a.test/r"
		}
		req := &fetch.Request{URL: url, Method: method}
		if hdr.name != "" {
			req.Header = http.Header{hdr.name: {hdr.value}}
		}
		req.Credentials = credMode
		if method == "POST" || method == "PUT" {
			req.Body = []byte("x")
		}
		rt := rtFunc(func(r *http.Request) (*http.Response, error) {
			status, h := actualStatus, actualHeader
			if r.Method == http.MethodOptions {
				status, h = preflightStatus, preflightHeader
			}
			return &http.Response{StatusCode: status, Header: h.Clone(), Body: io.NopCloser(strings.NewReader("b")), Request: r}, nil
		})
		resp, err := hardClient(t, rt, p).Fetch(context.Background(), req)
		if err != nil {
			return // refusing is never a security bug; see the spec check below
		}
		cred := credMode == fetch.CredentialsInclude
		if !sameOrigin {
			// The transcription: a preflight when the method is not
			// safelisted or a header is unsafe, which must pass; then
			// the CORS check of the response.
			var unsafe []string
			if hdr.unsafe != "" {
				unsafe = []string{hdr.unsafe}
			}
			needPreflight := method != "GET" && method != "HEAD" && method != "POST" || len(unsafe) > 0
			wildcardAuth := p.Name != "spec"
			if needPreflight && !lit2Preflight(method, unsafe, cred, preflightStatus, preflightHeader, wildcardAuth) {
				t.Fatalf("%s: %s %s with %q (credentials %s) is exposed though the standard's preflight fails: preflight %d %q",
					p.Name, method, url, hdr.name, credMode, preflightStatus, preflightHeader)
			}
			if !lit2CORSCheck(actualHeader, "http://a.test", cred) {
				t.Fatalf("%s: the response is exposed though the standard's CORS check fails: %q (credentials %s)", p.Name, actualHeader, credMode)
			}
			if resp.Type != fetch.TypeCORS {
				t.Fatalf("%s: a cross-origin response of type %s", p.Name, resp.Type)
			}
		}
		readable := lit2Readable(actualHeader, !sameOrigin, cred)
		for _, n := range resp.HeaderNames() {
			if !readable[n] {
				t.Fatalf("%s: script reads %q; the standard lets it read %v (response %q, credentials %s)", p.Name, n, readable, actualHeader, credMode)
			}
			if n == "set-cookie" || n == "set-cookie2" {
				t.Fatalf("%s: script reads %q", p.Name, n)
			}
		}
		if len(resp.HeaderNames()) > len(readable) {
			t.Fatalf("%s: more names than safelisted plus exposed: %q vs %v", p.Name, resp.HeaderNames(), readable)
		}
		// Values are passed through unchanged.
		for k, vs := range resp.Header {
			if want := lit2Lines(actualHeader, k); !slices.Equal(vs, want) {
				t.Fatalf("%s: %s values %q, the server sent %q", p.Name, k, vs, want)
			}
		}
	})
}

// allProfilesNames keeps the profile list of the fuzz target in one place.
var _ = profile.Names
