package safelist

import (
	"net/http"
	"strings"

	"github.com/corsim/corsim/internal/httpheader"
)

// MaxSafelistedValueTotal is the largest total size, in bytes, of the values
// of a request's CORS-safelisted request-headers before all of them count as
// CORS-unsafe (https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names, step 5).
const MaxSafelistedValueTotal = 1024

// CORSUnsafeRequestHeaderNames returns the CORS-unsafe request-header names of
// h per Fetch; it is Rules{}.CORSUnsafeRequestHeaderNames.
func CORSUnsafeRequestHeaderNames(h http.Header) []string {
	return Rules{}.CORSUnsafeRequestHeaderNames(h)
}

// CORSUnsafeRequestHeaderNames implements "CORS-unsafe request-header names"
// (https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names): the
// byte-lowercased names of the headers in h that are not CORS-safelisted
// request-headers, plus every safelisted name when the safelisted values total
// more than MaxSafelistedValueTotal bytes, as a sorted set (ascending by
// bytes, no duplicates). It returns nil when there are none, and a fresh slice
// otherwise.
//
// Fetch walks the header list entry by entry. corsim judges each name once,
// on its combined "get" value (lines joined with ", "), because that is the
// header the network layer checks in Chromium: Blink's
// ResourceRequestHead::AddHttpHeaderField
// (third_party/blink/renderer/platform/loader/fetch/resource_request.cc)
// folds a repeated name into one header before CorsURLLoader runs this
// algorithm. With r.ReplaceSingletonRequestHeaders each header line is judged
// on its own instead, as Firefox does (see Rules).
//
// Forbidden request-headers are included, as in the spec; see
// CORSUnsafeNotForbiddenRequestHeaderNames for the list Chromium sends.
func (r Rules) CORSUnsafeRequestHeaderNames(h http.Header) []string {
	return r.unsafeNames(h, false)
}

// CORSUnsafeNotForbiddenRequestHeaderNames is CORSUnsafeRequestHeaderNames
// after dropping forbidden request-headers (under r's rules) before anything
// else, so they neither appear nor count towards the 1024-byte total. This is
// Chromium's CorsUnsafeNotForbiddenRequestHeaderNames
// (services/network/public/cpp/cors/cors.cc), which builds
// Access-Control-Request-Headers and decides whether a preflight is needed:
// forbidden headers there were added by the user agent, since script cannot
// set them. Chromium also skips If-Modified-Since, If-None-Match and
// Cache-Control on revalidation requests; that is not modelled.
func (r Rules) CORSUnsafeNotForbiddenRequestHeaderNames(h http.Header) []string {
	return r.unsafeNames(h, true)
}

func (r Rules) unsafeNames(h http.Header, skipForbidden bool) []string {
	serialized := r.serializedUnsafeNames(h, skipForbidden)
	if serialized == "" {
		return nil
	}
	// Header names are tokens, which hold no comma.
	return strings.Split(serialized, ",")
}

// RequestHeadersNames returns the names Access-Control-Request-Headers
// lists for a request with headers h whose CORS-unsafe request-header names
// (r.CORSUnsafeRequestHeaderNames or its not-forbidden variant) are unsafe:
// unsafe itself, unless r.ListNamePerUnsafeLine repeats each name once per
// header line that counts (see Rules).
func (r Rules) RequestHeadersNames(h http.Header, unsafe []string) []string {
	if !r.ListNamePerUnsafeLine || len(unsafe) == 0 {
		return unsafe
	}
	total := 0
	for k, vs := range h {
		for _, v := range vs {
			if r.IsCORSSafelistedRequestHeader(k, v) {
				total += len(v)
			}
		}
	}
	overTotal := total > MaxSafelistedValueTotal && !r.NoSafelistedValueTotal
	out := make([]string, 0, len(unsafe))
	for _, name := range unsafe {
		n := 0
		for _, v := range httpheader.Lines(h, name) {
			if overTotal || !r.IsCORSSafelistedRequestHeader(name, v) {
				n++
			}
		}
		for range max(n, 1) {
			out = append(out, name)
		}
	}
	return out
}

// SerializeNames joins names with "," and no space, the form of
// `Access-Control-Request-Headers` (https://fetch.spec.whatwg.org/#cors-preflight-fetch-0,
// step 5.1; the spec notes the missing space after the comma is deliberate). Pass the result of
// CORSUnsafeRequestHeaderNames; an empty list gives "", and Fetch then omits
// the header.
func SerializeNames(names []string) string {
	return strings.Join(names, ",")
}

// CombineRequestHeader returns the value sent for the request header name in
// h per Fetch; it is Rules{}.CombineRequestHeader.
func CombineRequestHeader(h http.Header, name string) string {
	return Rules{}.CombineRequestHeader(h, name)
}

// firefoxSingletonHeaders are the request header names necko never merges
// (nsHttpHeaderArray::IsSingletonHeader, netwerk/protocol/http/nsHttpHeaderArray.h).
// Sec-GPC is the header of necko's GlobalPrivacyControl atom; like the other
// "sec-" names it is forbidden to scripts.
var firefoxSingletonHeaders = [...]string{
	"content-type",
	"content-disposition",
	"content-length",
	"user-agent",
	"referer",
	"host",
	"authorization",
	"proxy-authorization",
	"if-modified-since",
	"if-unmodified-since",
	"from",
	"location",
	"max-forwards",
	"sec-gpc",
}

// CombineRequestHeader returns the single wire value of the request header
// name in h, or "" when h has no line named name (byte-case-insensitively).
// Under the spec this is the header list "get" value
// (https://fetch.spec.whatwg.org/#concept-header-list-get): all lines joined
// with ", ". With r.ReplaceSingletonRequestHeaders, a Firefox singleton header
// (see Rules) takes its last line instead, and Strict-Transport-Security its
// first, as nsHttpHeaderArray::SetHeader does.
func (r Rules) CombineRequestHeader(h http.Header, name string) string {
	if r.ReplaceSingletonRequestHeaders {
		if httpheader.EqualFoldASCII(name, "strict-transport-security") {
			// Firefox deviation: IsIgnoreMultipleHeader keeps the first value.
			if ls := httpheader.Lines(h, name); len(ls) > 0 {
				return ls[0]
			}
			return ""
		}
		for _, s := range firefoxSingletonHeaders {
			if httpheader.EqualFoldASCII(name, s) {
				// Firefox deviation: a later value replaces the earlier one.
				if ls := httpheader.Lines(h, name); len(ls) > 0 {
					return ls[len(ls)-1]
				}
				return ""
			}
		}
	}
	v, _ := httpheader.Get(h, name)
	return v
}
