package safelist

import (
	"strconv"
	"strings"

	"github.com/corsim/corsim/internal/httpheader"
)

// Range is the result of parsing a single range header value: the first and
// last byte positions, each present only when its Has flag is set
// (`bytes=0-` has no End, `bytes=-500` has no Start). Range is comparable.
type Range struct {
	Start, End       int64
	HasStart, HasEnd bool
}

// ParseSingleRangeHeaderValue implements "parse a single range header value"
// (https://fetch.spec.whatwg.org/#simple-range-header-value). ok is false
// where the algorithm returns failure.
//
// Fetch interprets the digit runs as unbounded decimal numbers. A position
// that does not fit in an int64 cannot be represented in a Range, so this
// function returns false for it; [IsCORSSafelistedRequestHeader] compares the
// digits themselves and follows the spec exactly even then.
func ParseSingleRangeHeaderValue(value string, allowWhitespace bool) (r Range, ok bool) {
	start, end, ok := parseSingleRange(value, allowWhitespace)
	if !ok {
		return Range{}, false
	}
	if start != "" {
		n, err := strconv.ParseInt(start, 10, 64)
		if err != nil {
			return Range{}, false
		}
		r.Start, r.HasStart = n, true
	}
	if end != "" {
		n, err := strconv.ParseInt(end, 10, 64)
		if err != nil {
			return Range{}, false
		}
		r.End, r.HasEnd = n, true
	}
	return r, true
}

// parseSingleRange runs "parse a single range header value" and returns the
// start and end digit runs ("" for null) instead of numbers, so that values of
// any length are judged exactly. It does not allocate.
func parseSingleRange(value string, allowWhitespace bool) (start, end string, ok bool) {
	// Fetch: parse a single range header value, step 1: isomorphic decoding
	// maps each byte to one code point, so data is value itself.
	data := value
	// Step 2.
	if !strings.HasPrefix(data, "bytes") {
		return "", "", false
	}
	// Step 3: position points at the code point after "bytes".
	position := len("bytes")
	// Step 4.
	if allowWhitespace {
		position = skipTabOrSpace(data, position)
	}
	// Steps 5-6.
	if position >= len(data) || data[position] != '=' {
		return "", "", false
	}
	position++
	// Step 7.
	if allowWhitespace {
		position = skipTabOrSpace(data, position)
	}
	// Steps 8-9: rangeStart; null when empty.
	startAt := position
	position = skipDigits(data, position)
	start = data[startAt:position]
	// Step 10.
	if allowWhitespace {
		position = skipTabOrSpace(data, position)
	}
	// Steps 11-12.
	if position >= len(data) || data[position] != '-' {
		return "", "", false
	}
	position++
	// Step 13.
	if allowWhitespace {
		position = skipTabOrSpace(data, position)
	}
	// Steps 14-15: rangeEnd; null when empty.
	endAt := position
	position = skipDigits(data, position)
	end = data[endAt:position]
	// Step 16.
	if position < len(data) {
		return "", "", false
	}
	// Step 17.
	if start == "" && end == "" {
		return "", "", false
	}
	// Step 18.
	if start != "" && end != "" && compareDecimal(start, end) > 0 {
		return "", "", false
	}
	// Step 19.
	return start, end, true
}

func skipTabOrSpace(s string, i int) int {
	for i < len(s) && httpheader.IsHTTPTabOrSpace(s[i]) {
		i++
	}
	return i
}

func skipDigits(s string, i int) int {
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i
}

// compareDecimal compares two non-empty runs of ASCII digits as numbers of
// any size, returning -1, 0 or +1.
func compareDecimal(a, b string) int {
	a = strings.TrimLeft(a, "0")
	b = strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}
