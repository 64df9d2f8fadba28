package httpheader

import (
	"net/http"
	"slices"
	"strings"
)

// Lines returns a fresh slice holding every header line (value) in h whose
// name is a byte-case-insensitive match for name.
//
// corsim's header maps keep names as written, so one name may be stored under
// several keys ("X-Foo" and "x-foo"). An http.Header cannot record how lines
// under differently spelled keys were interleaved on the wire; corsim orders
// such keys by their bytes ("X-Foo" before "x-foo") and keeps each key's values
// in order, so results are deterministic.
func Lines(h http.Header, name string) []string {
	return slices.Clone(lines(h, name))
}

// lines is Lines without the copy: the result may alias h's storage and must
// be treated as read-only and never handed to callers.
func lines(h http.Header, name string) []string {
	// A map lookup for the exact or canonical key could not prove that no other
	// spelling exists, so the keys are scanned; the scan does not allocate.
	var (
		only     []string
		firstKey string
		keys     []string
		n        int
	)
	for k, vs := range h {
		if !EqualFoldASCII(k, name) {
			continue
		}
		n++
		switch n {
		case 1:
			firstKey, only = k, vs
		case 2:
			keys = append(keys, firstKey, k)
		default:
			keys = append(keys, k)
		}
	}
	if n <= 1 {
		return only
	}
	slices.Sort(keys)
	var out []string
	for _, k := range keys {
		out = append(out, h[k]...)
	}
	return out
}

// Get implements the header list "get" algorithm
// (https://fetch.spec.whatwg.org/#concept-header-list-get): the values of all
// header lines named name (byte-case-insensitively), in order (see [Lines] for
// the order across differently spelled keys), separated by 0x2C 0x20 (", ").
// ok is false when h holds no such line; a key whose value slice is empty
// holds no line.
//
// When exactly one line matches, its value is returned without allocating.
func Get(h http.Header, name string) (value string, ok bool) {
	vs := lines(h, name)
	switch len(vs) {
	case 0:
		// Fetch: get, step 1 ("does not contain" → null).
		return "", false
	case 1:
		return vs[0], true
	}
	// Fetch: get, step 2.
	return strings.Join(vs, ", "), true
}

// GetDecodeSplit implements "get, decode, and split"
// (https://fetch.spec.whatwg.org/#concept-header-list-get-decode-split):
// the combined value of the lines named name split on commas outside HTTP
// quoted strings, each element trimmed of HTTP tab or space. ok is false when
// no line named name exists.
func GetDecodeSplit(h http.Header, name string) (values []string, ok bool) {
	// Fetch: get, decode, and split (header list), steps 1-2.
	value, ok := Get(h, name)
	if !ok {
		return nil, false
	}
	// Fetch: get, decode, and split (header list), step 3.
	return DecodeSplit(value), true
}

// DecodeSplit implements "get, decode, and split" for a single header value
// (https://fetch.spec.whatwg.org/#header-value-get-decode-and-split).
// Isomorphic decoding maps each byte to one code point, so the Go string's
// bytes are used as they are. The result always has at least one element;
// every element is a substring of value.
func DecodeSplit(value string) []string {
	var values []string
	pos, start := 0, 0
	for {
		// Fetch: get, decode, and split (header value), step 5.1: collect
		// code points that are not '"' or ','.
		for pos < len(value) && value[pos] != '"' && value[pos] != ',' {
			pos++
		}
		// Step 5.2: a quoted string is appended whole, quotes and escapes
		// included (extract-value is false), so the element stays a substring.
		if pos < len(value) && value[pos] == '"' {
			pos = skipQuotedString(value, pos)
			if pos < len(value) {
				continue
			}
		}
		// Steps 5.3-5.4: trim HTTP tab or space and append.
		values = append(values, TrimHTTPTabOrSpace(value[start:pos]))
		// Step 5.6: past the end → done.
		if pos >= len(value) {
			return values
		}
		// Steps 5.7-5.8: value[pos] is ','; skip it.
		pos++
		start = pos
	}
}

// skipQuotedString advances past the HTTP quoted string starting at value[pos]
// (which must be '"'), following "collect an HTTP quoted string"
// (https://fetch.spec.whatwg.org/#collect-an-http-quoted-string), and returns
// the new position. An unterminated string runs to the end of value.
func skipQuotedString(value string, pos int) int {
	// Collect an HTTP quoted string, steps 3-4: skip the opening quote.
	pos++
	for {
		// Step 5.1: collect code points that are not '"' or '\'.
		for pos < len(value) && value[pos] != '"' && value[pos] != '\\' {
			pos++
		}
		// Step 5.2.
		if pos >= len(value) {
			return pos
		}
		// Steps 5.3-5.4.
		quoteOrBackslash := value[pos]
		pos++
		if quoteOrBackslash == '\\' {
			// Step 5.5: an escape takes the next code point, if any.
			if pos >= len(value) {
				return pos
			}
			pos++
			continue
		}
		// Step 5.6: closing quote.
		return pos
	}
}

// GetPair is Get for two names that differ byte-case-insensitively, found
// in one pass over h: a check that reads two headers of a response pays for
// one walk of its keys. It does not allocate when each name has one line.
func GetPair(h http.Header, a, b string) (va string, oka bool, vb string, okb bool) {
	var (
		keyA, keyB string
		nA, nB     int
	)
	for k := range h {
		switch {
		case EqualFoldASCII(k, a):
			keyA = k
			nA++
		case EqualFoldASCII(k, b):
			keyB = k
			nB++
		}
	}
	va, oka = oneKeyGet(h, a, keyA, nA)
	vb, okb = oneKeyGet(h, b, keyB, nB)
	return va, oka, vb, okb
}

// oneKeyGet is Get(h, name) when n keys spell name and key is one of them:
// the common single key is read directly, several keys go the long way.
func oneKeyGet(h http.Header, name, key string, n int) (string, bool) {
	if n != 1 {
		if n == 0 {
			return "", false
		}
		return Get(h, name)
	}
	switch vs := h[key]; len(vs) {
	case 0:
		return "", false
	case 1:
		return vs[0], true
	default:
		return strings.Join(vs, ", "), true
	}
}

// LineCount returns how many header lines in h are named name
// (byte-case-insensitively), without allocating.
func LineCount(h http.Header, name string) int {
	n := 0
	for k, vs := range h {
		if EqualFoldASCII(k, name) {
			n += len(vs)
		}
	}
	return n
}
