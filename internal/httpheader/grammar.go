// Package httpheader implements the HTTP header-value grammar shared by corsim's packages.
package httpheader

// The byte tables below are never written after package initialisation.

// tokenTable implements tchar from RFC 9110, section 5.6.2
// (https://www.rfc-editor.org/rfc/rfc9110#section-5.6.2):
//
//	token = 1*tchar
//	tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*"
//	      / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
//	      / DIGIT / ALPHA
//
// The same set is MIME Sniffing's "HTTP token code point"
// (https://mimesniff.spec.whatwg.org/#http-token-code-point).
var tokenTable = [256]bool{
	'!': true, '#': true, '$': true, '%': true, '&': true, '\'': true, '*': true,
	'+': true, '-': true, '.': true, '^': true, '_': true, '`': true, '|': true, '~': true,
	'0': true, '1': true, '2': true, '3': true, '4': true,
	'5': true, '6': true, '7': true, '8': true, '9': true,
	'A': true, 'B': true, 'C': true, 'D': true, 'E': true, 'F': true, 'G': true,
	'H': true, 'I': true, 'J': true, 'K': true, 'L': true, 'M': true, 'N': true,
	'O': true, 'P': true, 'Q': true, 'R': true, 'S': true, 'T': true, 'U': true,
	'V': true, 'W': true, 'X': true, 'Y': true, 'Z': true,
	'a': true, 'b': true, 'c': true, 'd': true, 'e': true, 'f': true, 'g': true,
	'h': true, 'i': true, 'j': true, 'k': true, 'l': true, 'm': true, 'n': true,
	'o': true, 'p': true, 'q': true, 'r': true, 's': true, 't': true, 'u': true,
	'v': true, 'w': true, 'x': true, 'y': true, 'z': true,
}

// whitespaceTable implements Fetch's "HTTP whitespace byte"
// (https://fetch.spec.whatwg.org/#http-whitespace-byte):
//
//	HTTP newline byte      = 0x0A (LF) / 0x0D (CR)
//	HTTP tab or space byte = 0x09 (HT) / 0x20 (SP)
//	HTTP whitespace byte   = HTTP newline byte / HTTP tab or space byte
var whitespaceTable = [256]bool{'\n': true, '\r': true, '\t': true, ' ': true}

// tabOrSpaceTable implements Fetch's "HTTP tab or space byte"
// (https://fetch.spec.whatwg.org/#http-tab-or-space-byte): 0x09 (HT) / 0x20 (SP).
var tabOrSpaceTable = [256]bool{'\t': true, ' ': true}

// IsTokenByte reports whether b is an RFC 9110 tchar.
func IsTokenByte(b byte) bool { return tokenTable[b] }

// IsToken reports whether s is an RFC 9110 token: one or more tchar.
func IsToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tokenTable[s[i]] {
			return false
		}
	}
	return true
}

// IsHTTPWhitespaceByte reports whether b is an HTTP whitespace byte
// (https://fetch.spec.whatwg.org/#http-whitespace-byte): LF, CR, HT or SP.
func IsHTTPWhitespaceByte(b byte) bool { return whitespaceTable[b] }

// IsHTTPTabOrSpace reports whether b is an HTTP tab or space byte
// (https://fetch.spec.whatwg.org/#http-tab-or-space-byte): HT or SP.
func IsHTTPTabOrSpace(b byte) bool { return tabOrSpaceTable[b] }

// TrimHTTPWhitespace removes leading and trailing HTTP whitespace bytes from s,
// as Fetch's "normalize" does for header values
// (https://fetch.spec.whatwg.org/#concept-header-value-normalize).
// The result is a substring of s; nothing is allocated.
func TrimHTTPWhitespace(s string) string {
	return trimTable(s, &whitespaceTable)
}

// TrimHTTPTabOrSpace removes leading and trailing HTTP tab or space bytes from
// s. The result is a substring of s; nothing is allocated.
func TrimHTTPTabOrSpace(s string) string {
	return trimTable(s, &tabOrSpaceTable)
}

func trimTable(s string, t *[256]bool) string {
	start, end := 0, len(s)
	for start < end && t[s[start]] {
		start++
	}
	for end > start && t[s[end-1]] {
		end--
	}
	return s[start:end]
}

// EqualFoldASCII reports whether a and b are a byte-case-insensitive match
// (https://infra.spec.whatwg.org/#byte-case-insensitive): equal after mapping
// bytes 'A'-'Z' to 'a'-'z'. Bytes outside ASCII letters must be identical, so
// unlike strings.EqualFold no Unicode folding happens. It does not allocate.
func EqualFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	if a == b {
		// Names usually arrive spelled as the caller spells them
		// (canonical keys from net/http); memequal beats folding.
		return true
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		// Unequal bytes match only as the two cases of one ASCII letter,
		// which differ in bit 0x20 alone.
		if l := x | 0x20; l != y|0x20 || l < 'a' || l > 'z' {
			return false
		}
	}
	return true
}

// HasPrefixFoldASCII reports whether s starts with prefix, compared
// byte-case-insensitively. It does not allocate.
func HasPrefixFoldASCII(s, prefix string) bool {
	return len(s) >= len(prefix) && EqualFoldASCII(s[:len(prefix)], prefix)
}

// LowerASCII byte-lowercases s (https://infra.spec.whatwg.org/#byte-lowercase).
// When s has no byte in 'A'-'Z' it returns s itself without allocating.
func LowerASCII(s string) string {
	i := 0
	for i < len(s) && !isUpper(s[i]) {
		i++
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, len(s))
	copy(b, s[:i])
	for ; i < len(s); i++ {
		b[i] = lowerByte(s[i])
	}
	return string(b)
}

// UpperASCII byte-uppercases s (https://infra.spec.whatwg.org/#byte-uppercase).
// When s has no byte in 'a'-'z' it returns s itself without allocating.
func UpperASCII(s string) string {
	i := 0
	for i < len(s) && !isLower(s[i]) {
		i++
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, len(s))
	copy(b, s[:i])
	for ; i < len(s); i++ {
		c := s[i]
		if isLower(c) {
			c -= 'a' - 'A'
		}
		b[i] = c
	}
	return string(b)
}

func isUpper(b byte) bool { return 'A' <= b && b <= 'Z' }

func isLower(b byte) bool { return 'a' <= b && b <= 'z' }

func lowerByte(b byte) byte {
	if isUpper(b) {
		return b + ('a' - 'A')
	}
	return b
}

// ContainsFold reports whether list holds an item that is a byte-case-
// insensitive match for s, without allocating.
func ContainsFold(list []string, s string) bool {
	for _, v := range list {
		if EqualFoldASCII(v, s) {
			return true
		}
	}
	return false
}
