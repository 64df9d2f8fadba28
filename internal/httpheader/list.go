package httpheader

import (
	"net/http"
	"strconv"
	"strings"
)

// ListError reports a `#token` list header with an element that is not a
// token. Header is the header name as passed by the caller, Line the header
// line holding the element and Element the offending element, trimmed of HTTP
// tab or space.
type ListError struct {
	Header  string
	Line    string
	Element string
}

func (e *ListError) Error() string {
	return "httpheader: " + e.Header + " element " + strconv.Quote(e.Element) +
		" in " + strconv.Quote(e.Line) + " is not a token"
}

// ExtractHeaderListValues implements "extract header list values"
// (https://fetch.spec.whatwg.org/#extract-header-list-values) for the
// comma-separated `#token` lists (RFC 9110, section 5.6.1) used by
// Access-Control-Allow-Methods, Access-Control-Allow-Headers and
// Access-Control-Expose-Headers.
//
// It returns (nil, false, nil) when h has no line named name. Each line is
// parsed on its own; elements are trimmed of HTTP tab or space and empty
// elements ("a,,b", a trailing comma, a blank line) are skipped, as RFC 9110
// section 5.6.1.2 asks of recipients and as Chromium's HttpUtil::ValuesIterator
// does with ignore_empty_values (net/http/http_util.h). Any other element that
// is not a token makes the whole extraction fail with a *ListError, and values
// is nil. Values keep their case and order, duplicates included; when the
// header is present but holds only empty elements, values is empty and
// present is true.
//
// Chromium's iterator treats quoted strings as single elements; a quote is
// never a token byte, so every list that holds one fails either way and the
// results agree.
func ExtractHeaderListValues(h http.Header, name string) (values []string, present bool, err error) {
	ls := lines(h, name)
	// Fetch: extract header list values, step 1.
	if len(ls) == 0 {
		return nil, false, nil
	}
	// Step 2 does not apply: these ABNFs are lists, not single values.
	// Step 3.
	values = []string{}
	// Step 4: each header line is parsed per the ABNF.
	for _, line := range ls {
		rest := line
		for {
			elem, tail, more := strings.Cut(rest, ",")
			elem = TrimHTTPTabOrSpace(elem)
			if elem != "" {
				if !IsToken(elem) {
					// Step 4.2: failure.
					return nil, true, &ListError{Header: name, Line: line, Element: elem}
				}
				// Step 4.3.
				values = append(values, elem)
			}
			if !more {
				break
			}
			rest = tail
		}
	}
	return values, true, nil
}

// List is one `#token` list header of a header map read in place: the
// elements ExtractHeaderListValues would return, walked without building
// the list. It aliases the map's values and must not outlive a change to
// the map.
type List struct{ lines []string }

// ListOf returns h's header named name as a List. It allocates only when
// the name is stored under several spellings (see Lines).
func ListOf(h http.Header, name string) List { return List{lines(h, name)} }

// Present reports whether the header has a line.
func (l List) Present() bool { return len(l.lines) > 0 }

// Validate returns the number of elements and the *ListError that
// ExtractHeaderListValues would return, without allocating unless there is
// an error.
func (l List) Validate(name string) (n int, err error) {
	for _, line := range l.lines {
		for elem := range listElements(line) {
			if !IsToken(elem) {
				return 0, &ListError{Header: name, Line: line, Element: elem}
			}
			n++
		}
	}
	return n, nil
}

// Elements yields each element in order, as ExtractHeaderListValues lists
// them when Validate reports no error.
func (l List) Elements(yield func(string) bool) {
	for _, line := range l.lines {
		for elem := range listElements(line) {
			if !yield(elem) {
				return
			}
		}
	}
}

// listElements yields the non-empty elements of one line, trimmed of HTTP
// tab or space: the loop of ExtractHeaderListValues, step 4.
func listElements(line string) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		rest := line
		for {
			elem, tail, more := strings.Cut(rest, ",")
			if elem = TrimHTTPTabOrSpace(elem); elem != "" && !yield(elem) {
				return
			}
			if !more {
				return
			}
			rest = tail
		}
	}
}
