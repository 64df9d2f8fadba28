package safelist

// Slow, literal transcriptions of the Fetch definitions this package
// implements, for differential tests and fuzzing. They follow the spec text
// step by step (byte-lowercasing names, switching on the result, big numbers
// for ranges) and share no helpers with the fast code except the MIME parser
// and "get, decode, and split", which have their own literal tests.

import (
	"math/big"
	"slices"
	"strings"

	"github.com/corsim/corsim/internal/httpheader"
	"github.com/corsim/corsim/internal/mime"
)

func litByteLowercase(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 0x41 <= c && c <= 0x5A {
			b[i] = c + 0x20
		}
	}
	return string(b)
}

func litIsCORSUnsafeRequestHeaderByte(b byte) bool {
	if b < 0x20 && b != 0x09 {
		return true
	}
	switch b {
	case 0x22, 0x28, 0x29, 0x3A, 0x3C, 0x3E, 0x3F, 0x40, 0x5B, 0x5C, 0x5D, 0x7B, 0x7D, 0x7F:
		return true
	}
	return false
}

// litRange is the result of "parse a single range header value" with
// unbounded numbers; nil means null.
type litRange struct{ start, end *big.Int }

func litParseSingleRange(value string, allowWhitespace bool) (litRange, bool) {
	data := []byte(value) // 1. isomorphic decoding: one code point per byte
	// 2.
	if !strings.HasPrefix(string(data), "bytes") {
		return litRange{}, false
	}
	position := 5 // 3. "the 5th code point", counting from 0
	collect := func(pred func(byte) bool) string {
		start := position
		for position < len(data) && pred(data[position]) {
			position++
		}
		return string(data[start:position])
	}
	tabOrSpace := func(c byte) bool { return c == 0x09 || c == 0x20 }
	digit := func(c byte) bool { return 0x30 <= c && c <= 0x39 }
	if allowWhitespace { // 4.
		collect(tabOrSpace)
	}
	if position >= len(data) || data[position] != '=' { // 5.
		return litRange{}, false
	}
	position++           // 6.
	if allowWhitespace { // 7.
		collect(tabOrSpace)
	}
	rangeStart := collect(digit) // 8.
	var r litRange
	if rangeStart != "" { // 9.
		r.start, _ = new(big.Int).SetString(rangeStart, 10)
	}
	if allowWhitespace { // 10.
		collect(tabOrSpace)
	}
	if position >= len(data) || data[position] != '-' { // 11.
		return litRange{}, false
	}
	position++           // 12.
	if allowWhitespace { // 13.
		collect(tabOrSpace)
	}
	rangeEnd := collect(digit) // 14.
	if rangeEnd != "" {        // 15.
		r.end, _ = new(big.Int).SetString(rangeEnd, 10)
	}
	if position < len(data) { // 16.
		return litRange{}, false
	}
	if r.start == nil && r.end == nil { // 17.
		return litRange{}, false
	}
	if r.start != nil && r.end != nil && r.start.Cmp(r.end) > 0 { // 18.
		return litRange{}, false
	}
	return r, true // 19.
}

// litIsCORSSafelistedRequestHeader transcribes "CORS-safelisted
// request-header" for the spec (no browser rules).
func litIsCORSSafelistedRequestHeader(name, value string) bool {
	// 1.
	if len(value) > 128 {
		return false
	}
	// 2.
	switch litByteLowercase(name) {
	case "accept":
		for i := 0; i < len(value); i++ {
			if litIsCORSUnsafeRequestHeaderByte(value[i]) {
				return false
			}
		}
	case "accept-language", "content-language":
		for i := 0; i < len(value); i++ {
			c := value[i]
			if !(0x30 <= c && c <= 0x39) && !(0x41 <= c && c <= 0x5A) && !(0x61 <= c && c <= 0x7A) &&
				!slices.Contains([]byte{0x20, 0x2A, 0x2C, 0x2D, 0x2E, 0x3B, 0x3D}, c) {
				return false
			}
		}
	case "content-type":
		for i := 0; i < len(value); i++ {
			if litIsCORSUnsafeRequestHeaderByte(value[i]) {
				return false
			}
		}
		mimeType, ok := mime.Parse(value)
		if !ok {
			return false
		}
		switch mimeType.Essence() {
		case "application/x-www-form-urlencoded", "multipart/form-data", "text/plain":
		default:
			return false
		}
	case "range":
		rangeValue, ok := litParseSingleRange(value, false)
		if !ok {
			return false
		}
		if rangeValue.start == nil {
			return false
		}
	default:
		return false
	}
	// 3.
	return true
}

// litIsForbiddenRequestHeader transcribes "forbidden request-header".
func litIsForbiddenRequestHeader(name, value string) bool {
	lower := litByteLowercase(name)
	// 1.
	switch lower {
	case "accept-charset", "accept-encoding", "access-control-request-headers",
		"access-control-request-method", "connection", "content-length", "cookie",
		"cookie2", "date", "dnt", "expect", "host", "keep-alive", "origin",
		"referer", "set-cookie", "te", "trailer", "transfer-encoding", "upgrade", "via":
		return true
	}
	// 2.
	if strings.HasPrefix(lower, "proxy-") || strings.HasPrefix(lower, "sec-") {
		return true
	}
	// 3.
	switch lower {
	case "x-http-method", "x-http-method-override", "x-method-override":
		for _, method := range httpheader.DecodeSplit(value) {
			switch litByteLowercase(method) {
			case "connect", "trace", "track":
				return true
			}
		}
	}
	// 4.
	return false
}

// litCORSUnsafeRequestHeaderNames transcribes "CORS-unsafe request-header
// names" over an ordered header list.
func litCORSUnsafeRequestHeaderNames(headers [][2]string) []string {
	var unsafeNames []string            // 1.
	var potentiallyUnsafeNames []string // 2.
	safelistValueSize := 0              // 3.
	for _, header := range headers {    // 4.
		if !litIsCORSSafelistedRequestHeader(header[0], header[1]) {
			unsafeNames = append(unsafeNames, header[0])
		} else {
			potentiallyUnsafeNames = append(potentiallyUnsafeNames, header[0])
			safelistValueSize += len(header[1])
		}
	}
	if safelistValueSize > 1024 { // 5.
		unsafeNames = append(unsafeNames, potentiallyUnsafeNames...)
	}
	return litSortedLowercaseSet(unsafeNames) // 6.
}

// litSortedLowercaseSet transcribes "convert header names to a
// sorted-lowercase set".
func litSortedLowercaseSet(headerNames []string) []string {
	var set []string
	for _, name := range headerNames {
		l := litByteLowercase(name)
		if !slices.Contains(set, l) {
			set = append(set, l)
		}
	}
	slices.Sort(set)
	return set
}

// litSortAndCombine transcribes "sort and combine" (without the set-cookie
// special case, which no request carries): one header per lowercased name,
// valued with "get".
func litSortAndCombine(list [][2]string) [][2]string {
	var names []string
	for _, h := range list {
		names = append(names, h[0])
	}
	var out [][2]string
	for _, name := range litSortedLowercaseSet(names) {
		var vals []string
		for _, h := range list {
			if litByteLowercase(h[0]) == name {
				vals = append(vals, h[1])
			}
		}
		out = append(out, [2]string{name, strings.Join(vals, ", ")})
	}
	return out
}
