package safelist

import (
	"math"
	"strconv"
	"strings"

	"github.com/corsim/corsim/internal/httpheader"
	"github.com/corsim/corsim/internal/mime"
)

// MaxSafelistedValueLength is the longest value, in bytes, a CORS-safelisted
// request-header may have (https://fetch.spec.whatwg.org/#cors-safelisted-request-header, step 1).
const MaxSafelistedValueLength = 128

// corsUnsafeByteTable implements "CORS-unsafe request-header byte"
// (https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte):
//
//	byte < 0x20 and byte != 0x09 (HT), or
//	byte is 0x22 ("), 0x28 ((), 0x29 ()), 0x3A (:), 0x3C (<), 0x3E (>),
//	        0x3F (?), 0x40 (@), 0x5B ([), 0x5C (\), 0x5D (]), 0x7B ({),
//	        0x7D (}) or 0x7F (DEL).
//
// It is never written after initialisation.
var corsUnsafeByteTable = func() (t [256]bool) {
	for b := 0; b < 0x20; b++ {
		t[b] = b != 0x09
	}
	for _, b := range []byte{0x22, 0x28, 0x29, 0x3A, 0x3C, 0x3E, 0x3F, 0x40, 0x5B, 0x5C, 0x5D, 0x7B, 0x7D, 0x7F} {
		t[b] = true
	}
	return t
}()

// languageByteTable holds the bytes Fetch allows in `Accept-Language` and
// `Content-Language` values (CORS-safelisted request-header, step 2):
//
//	0x30 (0) to 0x39 (9), 0x41 (A) to 0x5A (Z), 0x61 (a) to 0x7A (z),
//	0x20 (SP), 0x2A (*), 0x2C (,), 0x2D (-), 0x2E (.), 0x3B (;), 0x3D (=)
//
// It is never written after initialisation.
var languageByteTable = func() (t [256]bool) {
	for b := '0'; b <= '9'; b++ {
		t[b] = true
	}
	for b := 'A'; b <= 'Z'; b++ {
		t[b] = true
		t[b+'a'-'A'] = true
	}
	for _, b := range []byte{0x20, 0x2A, 0x2C, 0x2D, 0x2E, 0x3B, 0x3D} {
		t[b] = true
	}
	return t
}()

// IsCORSUnsafeRequestHeaderByte reports whether b is a CORS-unsafe
// request-header byte (https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte).
func IsCORSUnsafeRequestHeaderByte(b byte) bool { return corsUnsafeByteTable[b] }

func containsCORSUnsafeByte(value string) bool {
	for i := 0; i < len(value); i++ {
		if corsUnsafeByteTable[value[i]] {
			return true
		}
	}
	return false
}

func onlyLanguageBytes(value string) bool {
	for i := 0; i < len(value); i++ {
		if !languageByteTable[value[i]] {
			return false
		}
	}
	return true
}

// IsCORSSafelistedRequestHeader reports whether (name, value) is a
// CORS-safelisted request-header per Fetch; it is Rules{}.IsCORSSafelistedRequestHeader.
func IsCORSSafelistedRequestHeader(name, value string) bool {
	return Rules{}.IsCORSSafelistedRequestHeader(name, value)
}

// IsCORSSafelistedRequestHeader implements "CORS-safelisted request-header"
// (https://fetch.spec.whatwg.org/#cors-safelisted-request-header), plus the
// browser deviations r selects. value is the header's bytes as sent; it is not
// trimmed. It does not allocate.
func (r Rules) IsCORSSafelistedRequestHeader(name, value string) bool {
	// Fetch: CORS-safelisted request-header, step 1.
	if len(value) > MaxSafelistedValueLength {
		return false
	}
	// Step 2: switch on the byte-lowercased name.
	switch {
	case httpheader.EqualFoldASCII(name, "accept"):
		// WebKitValueLimits: WebKit's isValidAcceptHeaderValue accepts the
		// same bytes (see Rules), so both paths are this check.
		return !containsCORSUnsafeByte(value)
	case httpheader.EqualFoldASCII(name, "accept-language"),
		httpheader.EqualFoldASCII(name, "content-language"):
		// WebKitValueLimits: isValidLanguageHeaderValue allows the same bytes.
		return onlyLanguageBytes(value)
	case httpheader.EqualFoldASCII(name, "content-type"):
		return isSafelistedContentType(value)
	case httpheader.EqualFoldASCII(name, "range"):
		// Range steps 1-3: parse without whitespace; start must be non-null.
		switch r.Range {
		case RangeWebKit:
			return isWebKitSafeRange(value)
		case RangeBelowMaxInt64:
			rng, ok := ParseSingleRangeHeaderValue(value, false)
			return ok && rng.HasStart && rng.Start != math.MaxInt64 && (!rng.HasEnd || rng.End != math.MaxInt64)
		case RangeUint64:
			start, end, ok := parseSingleRange(value, false)
			return ok && start != "" && fitsUint64(start) && (end == "" || fitsUint64(end))
		}
		start, _, ok := parseSingleRange(value, false)
		return ok && start != ""
	}
	if r.ChromiumClientHints {
		// Chromium deviation: extra safelisted names (cors.cc IsCorsSafelistedHeader).
		return isChromiumExtraSafelistedHeader(name, value)
	}
	// Step 2, "Otherwise".
	return false
}

// isSafelistedContentType implements the `content-type` branch of
// "CORS-safelisted request-header", step 2. Chromium instead extracts the
// essence with net::ExtractMimeTypeFromMediaType (cors.cc
// IsCorsSafelistedLowerCaseContentType); that parser is not modelled here.
func isSafelistedContentType(value string) bool {
	// Content-type step 1.
	if containsCORSUnsafeByte(value) {
		return false
	}
	// Steps 2-3: parse a MIME type; only the essence matters, and parameters
	// can never make parsing fail.
	essence, ok := mime.RawEssence(value)
	if !ok {
		return false
	}
	// Step 4.
	return httpheader.EqualFoldASCII(essence, "application/x-www-form-urlencoded") ||
		httpheader.EqualFoldASCII(essence, "multipart/form-data") ||
		httpheader.EqualFoldASCII(essence, "text/plain")
}

// IsCORSNonWildcardRequestHeaderName reports whether name is a CORS
// non-wildcard request-header name
// (https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name):
// `Authorization`, byte-case-insensitively. Such a header is never covered by
// `Access-Control-Allow-Headers: *`.
func IsCORSNonWildcardRequestHeaderName(name string) bool {
	return httpheader.EqualFoldASCII(name, "authorization")
}

// IsPrivilegedNoCORSRequestHeaderName reports whether name is a privileged
// no-CORS request-header name
// (https://fetch.spec.whatwg.org/#privileged-no-cors-request-header-name):
// `Range`, byte-case-insensitively.
func IsPrivilegedNoCORSRequestHeaderName(name string) bool {
	return httpheader.EqualFoldASCII(name, "range")
}

// IsNoCORSSafelistedRequestHeaderName reports whether name is a
// no-CORS-safelisted request-header name
// (https://fetch.spec.whatwg.org/#no-cors-safelisted-request-header-name):
// `Accept`, `Accept-Language`, `Content-Language` or `Content-Type`.
func IsNoCORSSafelistedRequestHeaderName(name string) bool {
	return httpheader.EqualFoldASCII(name, "accept") ||
		httpheader.EqualFoldASCII(name, "accept-language") ||
		httpheader.EqualFoldASCII(name, "content-language") ||
		httpheader.EqualFoldASCII(name, "content-type")
}

// IsNoCORSSafelistedRequestHeader implements "no-CORS-safelisted
// request-header" (https://fetch.spec.whatwg.org/#no-cors-safelisted-request-header).
func IsNoCORSSafelistedRequestHeader(name, value string) bool {
	// Fetch: no-CORS-safelisted request-header, step 1.
	if !IsNoCORSSafelistedRequestHeaderName(name) {
		return false
	}
	// Step 2.
	return IsCORSSafelistedRequestHeader(name, value)
}

// forbiddenRequestHeaderNames is the list in step 1 of "forbidden
// request-header", byte-lowercased.
var forbiddenRequestHeaderNames = [...]string{
	"accept-charset",
	"accept-encoding",
	"access-control-request-headers",
	"access-control-request-method",
	"connection",
	"content-length",
	"cookie",
	"cookie2",
	"date",
	"dnt",
	"expect",
	"host",
	"keep-alive",
	"origin",
	"referer",
	"set-cookie",
	"te",
	"trailer",
	"transfer-encoding",
	"upgrade",
	"via",
}

// IsForbiddenRequestHeader reports whether (name, value) is a forbidden
// request-header per Fetch; it is Rules{}.IsForbiddenRequestHeader.
func IsForbiddenRequestHeader(name, value string) bool {
	return Rules{}.IsForbiddenRequestHeader(name, value)
}

// IsForbiddenRequestHeader implements "forbidden request-header"
// (https://fetch.spec.whatwg.org/#forbidden-request-header), plus the browser
// deviations r selects. Such headers are under the user agent's control and
// cannot be set by script.
func (r Rules) IsForbiddenRequestHeader(name, value string) bool {
	// Fetch: forbidden request-header, step 1.
	for _, f := range forbiddenRequestHeaderNames {
		if httpheader.EqualFoldASCII(name, f) {
			return true
		}
	}
	if r.ForbidUserAgent && httpheader.EqualFoldASCII(name, "user-agent") {
		// Chromium deviation: net/http/http_util.cc kForbiddenHeaderFields
		// still lists "user-agent" (crbug.com/571722).
		return true
	}
	// Step 2.
	if httpheader.HasPrefixFoldASCII(name, "proxy-") || httpheader.HasPrefixFoldASCII(name, "sec-") {
		return true
	}
	// Step 3.
	if httpheader.EqualFoldASCII(name, "x-http-method") ||
		httpheader.EqualFoldASCII(name, "x-http-method-override") ||
		httpheader.EqualFoldASCII(name, "x-method-override") {
		// Steps 3.1-3.2: isomorphic encoding maps each code point back to its
		// byte, so each split value is checked as it is.
		for _, method := range httpheader.DecodeSplit(value) {
			if IsForbiddenMethod(method) {
				return true
			}
		}
	}
	// Step 4.
	return false
}

// isWebKitSafeRange is Rules.WebKitRange: WebKit's parseRange without
// whitespace, with a first position.
func isWebKitSafeRange(value string) bool {
	if len(value) < len("bytes=") || !httpheader.EqualFoldASCII(value[:len("bytes")], "bytes") || value[len("bytes")] != '=' {
		return false
	}
	first, last, ok := strings.Cut(value[len("bytes="):], "-")
	if !ok || first == "" {
		return false
	}
	// first holds no "-" (Cut split at the first one).
	num := strings.TrimPrefix(first, "+")
	start, err := strconv.ParseInt(num, 10, 64)
	if err != nil || num == "" || num[0] == '+' {
		return false
	}
	if last == "" {
		return true
	}
	digits := strings.TrimPrefix(last, "+")
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return false
	}
	// The last position may exceed int64 (recorded); compare as decimal
	// numbers of any size.
	return compareDecimal(digits, strconv.FormatInt(start, 10)) >= 0
}

// fitsUint64 reports whether a run of decimal digits is at most 2^64-1.
func fitsUint64(digits string) bool {
	return compareDecimal(digits, "18446744073709551615") <= 0
}
