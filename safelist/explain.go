package safelist

import (
	"fmt"

	"github.com/corsim/corsim/internal/httpheader"
	"github.com/corsim/corsim/internal/mime"
)

// ExplainRequestHeader says, in one sentence, why (name, value) is not a
// CORS-safelisted request-header under r, naming the rule of
// https://fetch.spec.whatwg.org/#cors-safelisted-request-header it breaks.
// It returns "" when the header is safelisted. It is for people (traces,
// error messages), not for decisions: IsCORSSafelistedRequestHeader decides.
func (r Rules) ExplainRequestHeader(name, value string) string {
	if r.IsCORSSafelistedRequestHeader(name, value) {
		return ""
	}
	if len(value) > MaxSafelistedValueLength {
		return fmt.Sprintf("its value is %d bytes long; a safelisted value is at most %d", len(value), MaxSafelistedValueLength)
	}
	switch {
	case httpheader.EqualFoldASCII(name, "accept"):
		return fmt.Sprintf("its value contains %s, a CORS-unsafe request-header byte", firstUnsafeByte(value))
	case httpheader.EqualFoldASCII(name, "accept-language"), httpheader.EqualFoldASCII(name, "content-language"):
		for i := 0; i < len(value); i++ {
			if !languageByteTable[value[i]] {
				return fmt.Sprintf("its value contains %q; %s allows only 0-9, A-Z, a-z, space and * , - . ; =", value[i], name)
			}
		}
	case httpheader.EqualFoldASCII(name, "content-type"):
		if containsCORSUnsafeByte(value) {
			return fmt.Sprintf("its value contains %s, a CORS-unsafe request-header byte", firstUnsafeByte(value))
		}
		essence, ok := mime.Essence(value)
		if !ok {
			return fmt.Sprintf("%q does not parse as a MIME type", value)
		}
		return fmt.Sprintf("its essence %q is not application/x-www-form-urlencoded, multipart/form-data or text/plain", essence)
	case httpheader.EqualFoldASCII(name, "range"):
		return fmt.Sprintf("%q is not a single byte range of the form bytes=N- or bytes=N-M", value)
	}
	return fmt.Sprintf("%s is not a CORS-safelisted request-header name", name)
}

func firstUnsafeByte(value string) string {
	for i := 0; i < len(value); i++ {
		if corsUnsafeByteTable[value[i]] {
			return fmt.Sprintf("%q", value[i])
		}
	}
	return "a byte"
}
