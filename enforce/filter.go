package enforce

import (
	"net/http"
	"slices"
	"sort"

	"github.com/corsim/corsim/internal/httpheader"
	"github.com/corsim/corsim/safelist"
)

// Tainting is a request's response tainting
// (https://fetch.spec.whatwg.org/#concept-request-response-tainting).
type Tainting uint8

const (
	TaintBasic Tainting = iota
	TaintCORS
	TaintOpaque
)

func (t Tainting) String() string {
	switch t {
	case TaintCORS:
		return "cors"
	case TaintOpaque:
		return "opaque"
	}
	return "basic"
}

// ExposedHeaderNames returns the names of the response headers script can
// read through the filtered response of the given tainting: lower-case,
// sorted, unique.
//
//   - basic (https://fetch.spec.whatwg.org/#concept-filtered-response-basic):
//     every name except the forbidden response-header names;
//   - cors (https://fetch.spec.whatwg.org/#concept-filtered-response-cors):
//     the CORS-safelisted response-header names given the
//     Access-Control-Expose-Headers list (main fetch, step 14.1);
//   - opaque: none.
func ExposedHeaderNames(t Tainting, h http.Header, includeCredentials bool) []string {
	names := make([]string, 0, len(h))
	switch t {
	case TaintOpaque:
		return names
	case TaintBasic:
		for k := range h {
			if !safelist.IsForbiddenResponseHeaderName(k) {
				names = append(names, httpheader.LowerASCII(k))
			}
		}
	case TaintCORS:
		exposed := CORSExposedHeaderNameList(h, includeCredentials)
		for k := range h {
			if safelist.IsCORSSafelistedResponseHeaderName(k, exposed) {
				names = append(names, httpheader.LowerASCII(k))
			}
		}
	}
	sort.Strings(names)
	return uniq(names)
}

// CORSExposedHeaderNameList computes a response's CORS-exposed header-name
// list (main fetch, step 14.1): the Access-Control-Expose-Headers items, or
// every header name of the response when the list contains `*` and
// credentials are not included. A list that does not parse exposes nothing,
// as in Chromium (cors.cc ExtractCorsExposedHeaderNamesList).
func CORSExposedHeaderNameList(h http.Header, includeCredentials bool) []string {
	list, _, err := httpheader.ExtractHeaderListValues(h, headerExposeHeaders)
	if err != nil {
		return nil
	}
	if !includeCredentials && slices.Contains(list, "*") {
		all := make([]string, 0, len(h))
		for k := range h {
			all = append(all, k)
		}
		return all
	}
	return list
}

func uniq(sorted []string) []string {
	out := sorted[:0]
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}
