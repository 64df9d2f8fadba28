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
		for k, vs := range h {
			// A key without values is no header line: nothing to read.
			if len(vs) > 0 && !safelist.IsForbiddenResponseHeaderName(k) {
				names = append(names, httpheader.LowerASCII(k))
			}
		}
	case TaintCORS:
		exposed := CORSExposedHeaderNameList(h, includeCredentials)
		match := newNameMatcher(exposed)
		for k, vs := range h {
			if len(vs) > 0 && match.safelisted(k) {
				names = append(names, httpheader.LowerASCII(k))
			}
		}
	}
	sort.Strings(names)
	return uniq(names)
}

// smallExposedList is the length up to which a CORS-exposed header-name list
// is scanned item by item; longer lists are looked up in a set, so that
// filtering stays linear in the number of header names however long the
// server makes Access-Control-Expose-Headers (or `*` makes it).
const smallExposedList = 8

// nameMatcher answers safelist.IsCORSSafelistedResponseHeaderName for many
// names against one exposed list in time linear in both.
type nameMatcher struct {
	exposed []string
	set     map[string]struct{} // lower-cased exposed items, for long lists
}

func newNameMatcher(exposed []string) nameMatcher {
	m := nameMatcher{exposed: exposed}
	if len(exposed) > smallExposedList {
		m.set = make(map[string]struct{}, len(exposed))
		for _, e := range exposed {
			m.set[httpheader.LowerASCII(e)] = struct{}{}
		}
	}
	return m
}

// safelisted is safelist.IsCORSSafelistedResponseHeaderName(name, m.exposed).
func (m nameMatcher) safelisted(name string) bool {
	if m.set == nil {
		return safelist.IsCORSSafelistedResponseHeaderName(name, m.exposed)
	}
	if safelist.IsCORSSafelistedResponseHeaderName(name, nil) {
		return true
	}
	if safelist.IsForbiddenResponseHeaderName(name) {
		return false
	}
	_, ok := m.set[httpheader.LowerASCII(name)]
	return ok
}

// CORSExposedHeaderNameList computes a response's CORS-exposed header-name
// list (main fetch, step 14.1): the Access-Control-Expose-Headers items, or
// every header name of the response when the list contains `*` and
// credentials are not included. A list that does not parse exposes nothing,
// as in Chromium (cors.cc ExtractCorsExposedHeaderNamesList). A key of h
// with no values is no header and is not listed.
func CORSExposedHeaderNameList(h http.Header, includeCredentials bool) []string {
	list, _, err := httpheader.ExtractHeaderListValues(h, headerExposeHeaders)
	if err != nil {
		return nil
	}
	if !includeCredentials && slices.Contains(list, "*") {
		all := make([]string, 0, len(h))
		for k, vs := range h {
			if len(vs) > 0 {
				all = append(all, k)
			}
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
