package mime

import (
	"strings"

	"github.com/corsim/corsim/internal/httpheader"
)

// Essence returns the essence ("type/subtype", lower-cased) of the MIME type
// Parse(s) would return, and false where Parse fails. Parameters can never
// make "parse a MIME type" fail, so only the type and subtype are examined.
// When the essence is already lower case in s, the result is a substring of s
// and nothing is allocated.
func Essence(s string) (string, bool) {
	raw, ok := RawEssence(s)
	if !ok {
		return "", false
	}
	return httpheader.LowerASCII(raw), true
}

// RawEssence is Essence without lower-casing: it returns the "type/subtype"
// bytes exactly as they appear in s. Callers compare it with
// httpheader.EqualFoldASCII to test an essence without allocating.
func RawEssence(s string) (string, bool) {
	// Parse a MIME type, steps 1-9 (see Parse).
	input := httpheader.TrimHTTPWhitespace(s)
	slash := strings.IndexByte(input, '/')
	if slash < 0 || !httpheader.IsToken(input[:slash]) {
		return "", false
	}
	end := strings.IndexByte(input[slash+1:], ';')
	if end < 0 {
		end = len(input)
	} else {
		end += slash + 1
	}
	subtype := trimTrailingWhitespace(input[slash+1 : end])
	if !httpheader.IsToken(subtype) {
		return "", false
	}
	return input[:slash+1+len(subtype)], true
}
