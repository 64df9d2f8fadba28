package origin

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// MaxLength caps, in bytes, every string this package parses: the input to
// [Parse], the host given to [CanonicalHost] and [Tuple], and the
// serialization [Tuple] builds. Longer input is rejected before any other
// work. The standards set no limit; no real origin comes close (a DNS name is
// at most 253 bytes), so the cap only guards against hostile input.
const MaxLength = 2048

// hostKind records which kind of host (https://url.spec.whatwg.org/#concept-host)
// a canonical host string is.
type hostKind uint8

const (
	hostDomain hostKind = iota
	hostIPv4
	hostIPv6
)

// forbiddenHost reports whether a byte is a forbidden host code point:
// https://url.spec.whatwg.org/#forbidden-host-code-point
//
//	U+0000 NULL, U+0009 TAB, U+000A LF, U+000D CR, U+0020 SPACE, U+0023 (#),
//	U+002F (/), U+003A (:), U+003C (<), U+003E (>), U+003F (?), U+0040 (@),
//	U+005B ([), U+005C (\), U+005D (]), U+005E (^), or U+007C (|).
var forbiddenHost = func() (t [256]bool) {
	for _, c := range "\x00\t\n\r #/:<>?@[\\]^|" {
		t[c] = true
	}
	return t
}()

// forbiddenDomain reports whether a byte is a forbidden domain code point:
// https://url.spec.whatwg.org/#forbidden-domain-code-point
//
//	a forbidden host code point, a C0 control, U+0025 (%), or U+007F DELETE.
var forbiddenDomain = func() (t [256]bool) {
	t = forbiddenHost
	for c := 0; c <= 0x1f; c++ {
		t[c] = true
	}
	t['%'] = true
	t[0x7f] = true
	return t
}()

// idnaProfile is UTS #46 ToASCII with the options the URL standard's
// "domain to ASCII" uses when beStrict is false:
// CheckHyphens=false, CheckBidi=true, CheckJoiners=true,
// UseSTD3ASCIIRules=false, Transitional_Processing=false,
// VerifyDnsLength=false. A Profile is immutable once built.
// Later options override those MapForLookup sets.
var idnaProfile = idna.New(
	idna.MapForLookup(),
	idna.BidiRule(),
	idna.Transitional(false),
	idna.StrictDomainName(false),
	idna.CheckHyphens(false),
	idna.CheckJoiners(true),
	idna.VerifyDNSLength(false),
)

// CanonicalHost returns the canonical serialization of host as the URL
// standard's host parser and host serializer produce it for a special URL
// (http, https, ws, wss, ftp): https://url.spec.whatwg.org/#concept-host-parser
//
//   - "[...]" is parsed as an IPv6 address and serialized compressed, in
//     lower case: "[0:0::1]" → "[::1]".
//   - Anything else is percent-decoded, mapped to ASCII by UTS #46 (IDNA)
//     processing, which also lower-cases it ("münchen.DE" →
//     "xn--mnchen-3ya.de"), and checked for forbidden domain code points.
//   - A domain that ends in a number is parsed as an IPv4 address in any of
//     the forms the URL standard accepts and serialized dotted-decimal:
//     "0x7f.1" → "127.0.0.1", "2130706433" → "127.0.0.1".
//
// Failures are reported as a *[ParseError] naming host. CanonicalHost is
// idempotent: a canonical host is its own canonical form.
func CanonicalHost(host string) (string, error) {
	if len(host) > MaxLength {
		return "", tooLong(host)
	}
	canon, reason := hostParse(host)
	if reason != "" {
		return "", &ParseError{Input: host, Reason: reason}
	}
	return canon, nil
}

// hostParse is the host parser (isOpaque false) followed by the host
// serializer. It returns the canonical host or a non-empty failure reason.
// https://url.spec.whatwg.org/#concept-host-parser
func hostParse(input string) (string, string) {
	if input == "" {
		// URL: host parser, step 3 asserts a non-empty input; the URL
		// parser never passes one, but CanonicalHost's callers can.
		return "", "empty host"
	}
	// URL: host parser, step 1.
	if input[0] == '[' {
		if len(input) < 2 || input[len(input)-1] != ']' {
			return "", "IPv6 address is missing its closing \"]\""
		}
		addr, reason := parseIPv6(input[1 : len(input)-1])
		if reason != "" {
			return "", reason
		}
		var buf [maxIPv6Len]byte
		return string(appendIPv6Host(buf[:0], addr)), ""
	}
	// URL: host parser, step 4: UTF-8 decode without BOM of the
	// percent-decoding of input.
	domain := percentDecode(input)
	if !utf8.ValidString(domain) {
		// The spec decodes with replacement; domain to ASCII then fails
		// on U+FFFD (see the note under step 4), so failing here is the
		// same outcome.
		return "", "percent-decoded host is not valid UTF-8"
	}
	// URL: host parser, steps 5-6.
	asciiDomain, reason := domainToASCII(domain)
	if reason != "" {
		return "", reason
	}
	// URL: host parser, step 7.
	if endsInANumber(asciiDomain) {
		v4, reason := parseIPv4(asciiDomain)
		if reason != "" {
			return "", reason
		}
		var buf [maxIPv4Len]byte
		if canon := appendIPv4(buf[:0], v4); string(canon) != asciiDomain {
			return string(canon), ""
		}
		// Already canonical (a URL's host, parsed before): no copy.
		return asciiDomain, ""
	}
	// URL: host parser, step 8.
	return asciiDomain, ""
}

// domainToASCII implements "domain to ASCII" with beStrict false.
// https://url.spec.whatwg.org/#concept-domain-to-ascii
func domainToASCII(domain string) (string, string) {
	var result string
	if isASCII(domain) && !hasACELabel(domain) {
		// URL: domain to ASCII, step 1, note: for an ASCII domain without
		// an "xn--" label this step is equivalent to ASCII lower-casing.
		result = asciiLower(domain)
	} else {
		// URL: domain to ASCII, steps 1-2.
		r, err := idnaProfile.ToASCII(domain)
		if err != nil {
			return "", "IDNA processing failed: " + err.Error()
		}
		// UTS #46 fails a label that is exactly "xn--"; x/net/idna
		// decodes it to an empty label instead.
		if hasEmptyACELabel(domain) {
			return "", "IDNA processing failed: empty punycode label \"xn--\""
		}
		result = r
	}
	// URL: domain to ASCII, step 3.1.
	if result == "" {
		return "", "host is empty after IDNA processing"
	}
	// URL: domain to ASCII, step 3.2.
	for i := 0; i < len(result); i++ {
		if forbiddenDomain[result[i]] {
			return "", "forbidden domain code point " + quoteByte(result[i])
		}
	}
	return result, ""
}

// hasACELabel reports whether some label of s starts with an ASCII
// case-insensitive match for "xn--".
func hasACELabel(s string) bool {
	for i := 0; i < len(s); i++ {
		if (i == 0 || s[i-1] == '.') && len(s)-i >= 4 &&
			s[i]|0x20 == 'x' && s[i+1]|0x20 == 'n' && s[i+2] == '-' && s[i+3] == '-' {
			return true
		}
	}
	return false
}

// hasEmptyACELabel reports whether some label of domain is an ASCII
// case-insensitive match for "xn--". Labels are split on the four code points
// UTS #46 maps to ".". (A label spelled "xn--" with full-width letters is not
// caught; UTS #46 would reject it too.)
func hasEmptyACELabel(domain string) bool {
	for label := range strings.FieldsFuncSeq(domain, isLabelSeparator) {
		if strings.EqualFold(label, "xn--") {
			return true
		}
	}
	// FieldsFuncSeq drops empty fields, which cannot be "xn--" anyway.
	return false
}

func isLabelSeparator(r rune) bool {
	return r == '.' || r == '\u3002' || r == '\uff0e' || r == '\uff61'
}

// endsInANumber implements the ends in a number checker.
// https://url.spec.whatwg.org/#ends-in-a-number-checker
func endsInANumber(input string) bool {
	// Ends in a number, steps 1-2: take the last label, ignoring one
	// trailing empty label.
	last := input
	if strings.HasSuffix(last, ".") {
		// The last part is empty and there is more than one part.
		last = last[:len(last)-1]
	}
	if i := strings.LastIndexByte(last, '.'); i >= 0 {
		last = last[i+1:]
	}
	// Ends in a number, step 4.
	if last != "" && allDigits(last) {
		return true
	}
	// Ends in a number, step 5.
	_, _, ok := parseIPv4Number(last)
	return ok
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ipv4Overflow is a value above every limit the IPv4 parser checks; parts
// larger than it saturate to it so arbitrarily long digit strings cannot
// overflow.
const ipv4Overflow = 1 << 33

// parseIPv4Number implements the IPv4 number parser. It returns the value
// (saturated at ipv4Overflow), whether a validation error occurred, and
// false on failure.
// https://url.spec.whatwg.org/#ipv4-number-parser
func parseIPv4Number(input string) (n uint64, validationError bool, ok bool) {
	// IPv4 number parser, step 1.
	if input == "" {
		return 0, false, false
	}
	// IPv4 number parser, steps 3-5.
	r := uint64(10)
	if len(input) >= 2 && input[0] == '0' && input[1]|0x20 == 'x' {
		validationError = true
		input = input[2:]
		r = 16
	} else if len(input) >= 2 && input[0] == '0' {
		validationError = true
		input = input[1:]
		r = 8
	}
	// IPv4 number parser, step 6.
	if input == "" {
		return 0, true, true
	}
	// IPv4 number parser, steps 7-8.
	for i := 0; i < len(input); i++ {
		d, isHex := hexValue(input[i])
		if !isHex || uint64(d) >= r {
			return 0, false, false
		}
		if n < ipv4Overflow {
			n = n*r + uint64(d)
		}
	}
	if n > ipv4Overflow {
		n = ipv4Overflow
	}
	return n, validationError, true
}

// parseIPv4 implements the IPv4 parser. It returns the address or a
// non-empty failure reason.
// https://url.spec.whatwg.org/#concept-ipv4-parser
func parseIPv4(input string) (uint32, string) {
	// IPv4 parser, steps 1-2: a single trailing empty part is ignored.
	if strings.HasSuffix(input, ".") {
		input = input[:len(input)-1]
	}
	var numbers [4]uint64
	size := 0
	for rest := input; ; {
		part := rest
		i := strings.IndexByte(rest, '.')
		if i >= 0 {
			part = rest[:i]
		}
		// IPv4 parser, step 3.
		if size == 4 {
			return 0, "IPv4 address has more than four parts"
		}
		// IPv4 parser, step 5.
		n, _, ok := parseIPv4Number(part)
		if !ok {
			return 0, "IPv4 address has a non-numeric part " + quote(part)
		}
		numbers[size] = n
		size++
		if i < 0 {
			break
		}
		rest = rest[i+1:]
	}
	// IPv4 parser, step 7.
	for _, n := range numbers[:size-1] {
		if n > 255 {
			return 0, "IPv4 address part out of range"
		}
	}
	// IPv4 parser, step 8.
	last := numbers[size-1]
	if last >= 1<<(8*(5-size)) {
		return 0, "IPv4 address part out of range"
	}
	// IPv4 parser, steps 9-13.
	ipv4 := last
	for counter, n := range numbers[:size-1] {
		ipv4 += n << (8 * (3 - counter))
	}
	return uint32(ipv4), ""
}

const (
	maxIPv4Len = len("255.255.255.255")
	maxIPv6Len = len("[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]")
)

// appendIPv4 implements the IPv4 serializer.
// https://url.spec.whatwg.org/#concept-ipv4-serializer
func appendIPv4(b []byte, addr uint32) []byte {
	for i := 3; i >= 0; i-- {
		b = appendDecimal(b, uint64(addr>>(8*i))&0xff)
		if i != 0 {
			b = append(b, '.')
		}
	}
	return b
}

func appendDecimal(b []byte, n uint64) []byte {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return append(b, buf[i:]...)
}

// parseIPv6 implements the IPv6 parser. It returns the address or a
// non-empty failure reason.
// https://url.spec.whatwg.org/#concept-ipv6-parser
func parseIPv6(input string) ([8]uint16, string) {
	// IPv6 parser, steps 1-4.
	var address [8]uint16
	pieceIndex := 0
	compress := -1
	pointer := 0
	c := func() int {
		if pointer < len(input) {
			return int(input[pointer])
		}
		return eof
	}
	// IPv6 parser, step 5.
	if c() == ':' {
		if !strings.HasPrefix(input[pointer+1:], ":") {
			return address, "IPv6 address starts with a single \":\""
		}
		pointer += 2
		pieceIndex++
		compress = pieceIndex
	}
	// IPv6 parser, step 6.
	for c() != eof {
		// Step 6.1.
		if pieceIndex == 8 {
			return address, "IPv6 address has too many pieces"
		}
		// Step 6.2.
		if c() == ':' {
			if compress != -1 {
				return address, "IPv6 address has more than one \"::\""
			}
			pointer++
			pieceIndex++
			compress = pieceIndex
			continue
		}
		// Steps 6.3-6.4.
		value, length := 0, 0
		for length < 4 {
			d, ok := hexValue(byte(c()))
			if c() == eof || !ok {
				break
			}
			value = value*0x10 + int(d)
			pointer++
			length++
		}
		// Step 6.5: an embedded IPv4 address.
		if c() == '.' {
			if length == 0 {
				return address, "IPv6 address has an invalid IPv4 part"
			}
			pointer -= length
			if pieceIndex > 6 {
				return address, "IPv6 address has too many pieces before its IPv4 part"
			}
			numbersSeen := 0
			for c() != eof {
				ipv4Piece := -1
				if numbersSeen > 0 {
					if c() == '.' && numbersSeen < 4 {
						pointer++
					} else {
						return address, "IPv6 address has an invalid IPv4 part"
					}
				}
				if c() == eof || c() < '0' || c() > '9' {
					return address, "IPv6 address has an invalid IPv4 part"
				}
				for c() != eof && c() >= '0' && c() <= '9' {
					number := c() - '0'
					switch ipv4Piece {
					case -1:
						ipv4Piece = number
					case 0:
						return address, "IPv6 address has an IPv4 part with a leading zero"
					default:
						ipv4Piece = ipv4Piece*10 + number
					}
					if ipv4Piece > 255 {
						return address, "IPv6 address has an IPv4 part out of range"
					}
					pointer++
				}
				address[pieceIndex] = address[pieceIndex]*0x100 + uint16(ipv4Piece)
				numbersSeen++
				if numbersSeen == 2 || numbersSeen == 4 {
					pieceIndex++
				}
			}
			if numbersSeen != 4 {
				return address, "IPv6 address has an IPv4 part with too few numbers"
			}
			break
		}
		// Step 6.6.
		if c() == ':' {
			pointer++
			if c() == eof {
				return address, "IPv6 address ends with a single \":\""
			}
		} else if c() != eof {
			// Step 6.7.
			return address, "IPv6 address has an invalid code point " + quoteByte(byte(c()))
		}
		// Steps 6.8-6.9.
		address[pieceIndex] = uint16(value)
		pieceIndex++
	}
	// IPv6 parser, step 7.
	if compress != -1 {
		swaps := pieceIndex - compress
		pieceIndex = 7
		for pieceIndex != 0 && swaps > 0 {
			address[pieceIndex], address[compress+swaps-1] = address[compress+swaps-1], address[pieceIndex]
			pieceIndex--
			swaps--
		}
	} else if pieceIndex != 8 {
		// IPv6 parser, step 8.
		return address, "IPv6 address has too few pieces"
	}
	return address, ""
}

const eof = -1

// appendIPv6Host implements the host serializer for an IPv6 address:
// "[", the IPv6 serializer's output, "]".
// https://url.spec.whatwg.org/#concept-ipv6-serializer
func appendIPv6Host(b []byte, address [8]uint16) []byte {
	b = append(b, '[')
	// IPv6 serializer, steps 2-3.
	compress := ipv6CompressedPieceIndex(address)
	ignore0 := false
	// IPv6 serializer, step 4.
	for pieceIndex, piece := range address {
		if ignore0 && piece == 0 {
			continue
		}
		ignore0 = false
		if compress == pieceIndex {
			if pieceIndex == 0 {
				b = append(b, "::"...)
			} else {
				b = append(b, ':')
			}
			ignore0 = true
			continue
		}
		b = appendHex(b, piece)
		if pieceIndex != 7 {
			b = append(b, ':')
		}
	}
	return append(b, ']')
}

// ipv6CompressedPieceIndex implements "find the IPv6 address compressed
// piece index": the first longest run of two or more zero pieces, or -1.
// https://url.spec.whatwg.org/#find-the-ipv6-address-compressed-piece-index
func ipv6CompressedPieceIndex(address [8]uint16) int {
	longestIndex, longestSize := -1, 1
	foundIndex, foundSize := -1, 0
	for pieceIndex, piece := range address {
		if piece != 0 {
			if foundSize > longestSize {
				longestIndex, longestSize = foundIndex, foundSize
			}
			foundIndex, foundSize = -1, 0
			continue
		}
		if foundIndex == -1 {
			foundIndex = pieceIndex
		}
		foundSize++
	}
	if foundSize > longestSize {
		return foundIndex
	}
	return longestIndex
}

const lowerHex = "0123456789abcdef"

func appendHex(b []byte, v uint16) []byte {
	started := false
	for shift := 12; shift >= 0; shift -= 4 {
		d := (v >> shift) & 0xf
		if d != 0 || started || shift == 0 {
			b = append(b, lowerHex[d])
			started = true
		}
	}
	return b
}

// hexValue returns the value of an ASCII hex digit.
func hexValue(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// percentDecode implements percent-decode: "%" followed by two ASCII hex
// digits becomes that byte; every other byte, including a lone "%", is kept.
// https://url.spec.whatwg.org/#percent-decode
func percentDecode(s string) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			hi, ok1 := hexValue(s[i+1])
			lo, ok2 := hexValue(s[i+2])
			if ok1 && ok2 {
				b = append(b, hi<<4|lo)
				i += 2
				continue
			}
		}
		b = append(b, s[i])
	}
	return string(b)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// asciiLower lower-cases ASCII letters, allocating only if s has any upper
// case letter.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// kindOfCanonicalHost classifies a host that CanonicalHost returned. A
// canonical domain never ends in a number: the host parser would have parsed
// it as IPv4.
func kindOfCanonicalHost(host string) hostKind {
	switch {
	case strings.HasPrefix(host, "["):
		return hostIPv6
	case endsInANumber(host):
		return hostIPv4
	}
	return hostDomain
}
