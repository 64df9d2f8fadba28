package enforce

import (
	"net/http"
	"slices"
	"unsafe"

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
//
// It allocates once: the result, and with it the bytes of the names it
// lower-cases into new strings when some are, for up to 16 names whose
// lowered bytes fit in 256 (beyond that, a second allocation;
// TestExposedHeaderNamesAllocations).
func ExposedHeaderNames(t Tainting, h http.Header, includeCredentials bool) []string {
	if t == TaintOpaque {
		return []string{}
	}
	// Gathered on the stack, then copied into the one allocation that
	// fits them.
	var stack [16]string
	names := stack[:0]
	switch t {
	case TaintBasic:
		for k, vs := range h {
			// A key without values is no header line: nothing to read.
			if len(vs) > 0 && !safelist.IsForbiddenResponseHeaderName(k) {
				names = append(names, lowerWithoutCopy(k, ""))
			}
		}
	case TaintCORS:
		match := newNameMatcher(h, includeCredentials)
		for k, vs := range h {
			if len(vs) == 0 {
				continue
			}
			if ok, item := match.safelisted(k); ok {
				names = append(names, lowerWithoutCopy(k, item))
			}
		}
	}
	return sortedLowerCopy(names)
}

// sortedLowerCopy returns names byte-lowercased, sorted and unique, in a
// new slice sized to them. The names still upper-case share one new
// string, in the same allocation as the slice when it fits a nameBlock.
func sortedLowerCopy(names []string) []string {
	size := 0
	for _, n := range names {
		if hasUpperASCII(n) {
			size += len(n)
		}
	}
	var out []string
	var spare []byte
	switch n := len(names); {
	case size == 0:
		out = make([]string, n)
	case n <= 8 && size <= 128:
		b := new(nameBlock8)
		out, spare = b.names[:n:n], b.lower[:0]
	case n <= 16 && size <= 256:
		b := new(nameBlock16)
		out, spare = b.names[:n:n], b.lower[:0]
	default:
		out = make([]string, n)
	}
	copy(out, names)
	lowerRest(out, spare)
	slices.Sort(out)
	return uniq(out)
}

// nameBlock8 and nameBlock16 hold ExposedHeaderNames' result and the bytes
// of the names it lower-cases in one allocation: the strings point into
// lower, which is never written after they are made.
type (
	nameBlock8 struct {
		names [8]string
		lower [128]byte
	}
	nameBlock16 struct {
		names [16]string
		lower [256]byte
	}
)

// lowerWithoutCopy returns name byte-lowercased when that needs no new
// string: name itself when it has no upper-case byte, one of the
// CORS-safelisted response-header names, or item, the exposed list's
// element that matched name, when item is lower-case. Otherwise it returns
// name as it is, for lowerRest.
func lowerWithoutCopy(name, item string) string {
	if !hasUpperASCII(name) {
		return name
	}
	for _, n := range safelistedResponseHeaderNames {
		if httpheader.EqualFoldASCII(name, n) {
			return n
		}
	}
	if item != "" && !hasUpperASCII(item) {
		return item
	}
	return name
}

// safelistedResponseHeaderNames are the CORS-safelisted response-header
// names (https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name),
// lower-case.
var safelistedResponseHeaderNames = [...]string{
	"cache-control", "content-language", "content-length", "content-type",
	"expires", "last-modified", "pragma",
}

// lowerRest byte-lowercases, in place, the names that still have an
// upper-case byte, into one new string for all of them, made in spare when
// it has room.
func lowerRest(names []string, spare []byte) {
	size := 0
	for _, n := range names {
		if hasUpperASCII(n) {
			size += len(n)
		}
	}
	if size == 0 {
		return
	}
	b := spare[:0]
	if cap(b) < size {
		b = make([]byte, 0, size)
	}
	for _, n := range names {
		if hasUpperASCII(n) {
			for i := 0; i < len(n); i++ {
				c := n[i]
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				b = append(b, c)
			}
		}
	}
	// b is never written again: the string shares its bytes, as
	// strings.Builder.String does.
	all := unsafe.String(unsafe.SliceData(b), len(b))
	for i, n := range names {
		if hasUpperASCII(n) {
			names[i], all = all[:len(n)], all[len(n):]
		}
	}
}

func hasUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

// smallExposedList is the length up to which a CORS-exposed header-name list
// is scanned item by item; longer lists are looked up in a set, so that
// filtering stays linear in the number of header names however long the
// server makes Access-Control-Expose-Headers (or `*` makes it).
const smallExposedList = 8

// nameMatcher answers safelist.IsCORSSafelistedResponseHeaderName for many
// names against a response's CORS-exposed header-name list
// (CORSExposedHeaderNameList) in time linear in both, reading the
// Access-Control-Expose-Headers lines in place.
type nameMatcher struct {
	// all: the list held `*` without credentials, so it is every header
	// name of the response.
	all     bool
	exposed httpheader.List   // a valid list of at most smallExposedList items
	set     map[string]string // lower-cased items of a longer list, to themselves
}

func newNameMatcher(h http.Header, includeCredentials bool) nameMatcher {
	l := httpheader.ListOf(h, headerExposeHeaders)
	n, err := l.Validate(headerExposeHeaders)
	if err != nil || n == 0 {
		// A list that does not parse exposes nothing (see
		// CORSExposedHeaderNameList).
		return nameMatcher{}
	}
	if !includeCredentials {
		for item := range l.Elements {
			if item == "*" {
				return nameMatcher{all: true}
			}
		}
	}
	if n <= smallExposedList {
		return nameMatcher{exposed: l}
	}
	m := nameMatcher{set: make(map[string]string, n)}
	for item := range l.Elements {
		low := httpheader.LowerASCII(item)
		m.set[low] = low
	}
	return m
}

// safelisted is safelist.IsCORSSafelistedResponseHeaderName(name, exposed)
// for name, a key of the response with at least one value. item is the
// exposed list's element that matched, or "" when none did or the match
// needs none.
func (m nameMatcher) safelisted(name string) (ok bool, item string) {
	if safelist.IsCORSSafelistedResponseHeaderName(name, nil) {
		return true, ""
	}
	if safelist.IsForbiddenResponseHeaderName(name) {
		return false, ""
	}
	if m.all {
		// Every header name of the response is in the list, name too.
		return true, ""
	}
	if m.set != nil {
		item, ok = m.set[httpheader.LowerASCII(name)]
		return ok, item
	}
	for item := range m.exposed.Elements {
		if httpheader.EqualFoldASCII(name, item) {
			return true, item
		}
	}
	return false, ""
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
