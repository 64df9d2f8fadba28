package weburl

import "unicode/utf8"

// Percent-encode sets of the URL standard as byte tables. A byte at or above
// 0x80 is in every set (they all include the C0 control percent-encode set,
// which contains every code point above U+007E).
// https://url.spec.whatwg.org/#percent-encoded-bytes

type encodeSet [256]bool

// c0ControlSet is the C0 control percent-encode set: the C0 controls and all
// code points greater than U+007E (~).
var c0ControlSet = func() (s encodeSet) {
	for c := range 256 {
		s[c] = c < 0x20 || c > 0x7e
	}
	return s
}()

// fragmentSet is the fragment percent-encode set: the C0 control
// percent-encode set and U+0020 SPACE, U+0022 ("), U+003C (<), U+003E (>),
// and U+0060 (`).
var fragmentSet = c0ControlSet.with(" \"<>`")

// querySet is the query percent-encode set: the C0 control percent-encode
// set and U+0020 SPACE, U+0022 ("), U+0023 (#), U+003C (<), and U+003E (>).
var querySet = c0ControlSet.with(" \"#<>")

// specialQuerySet is the special-query percent-encode set: the query
// percent-encode set and U+0027 (').
var specialQuerySet = querySet.with("'")

// pathSet is the path percent-encode set: the query percent-encode set and
// U+003F (?), U+005E (^), U+0060 (`), U+007B ({), and U+007D (}).
var pathSet = querySet.with("?^`{}")

// userinfoSet is the userinfo percent-encode set: the path percent-encode
// set and U+002F (/), U+003A (:), U+003B (;), U+003D (=), U+0040 (@),
// U+005B ([) to U+005D (]), inclusive, and U+007C (|).
var userinfoSet = pathSet.with("/:;=@[\\]|")

// with returns a copy of s that also contains the given ASCII bytes.
func (s encodeSet) with(chars string) encodeSet {
	for i := 0; i < len(chars); i++ {
		s[chars[i]] = true
	}
	return s
}

const upperHex = "0123456789ABCDEF"

// appendPercentEncoded appends c to b, UTF-8 percent-encoded using set.
// https://url.spec.whatwg.org/#code-point-percent-encode
func appendPercentEncoded(b []byte, c rune, set *encodeSet) []byte {
	if c < 0x80 && !set[c] {
		return append(b, byte(c))
	}
	var buf [4]byte
	n := utf8.EncodeRune(buf[:], c)
	for _, x := range buf[:n] {
		if set[x] {
			b = append(b, '%', upperHex[x>>4], upperHex[x&0xf])
		} else {
			b = append(b, x)
		}
	}
	return b
}

// percentDecode implements percent-decode: "%" and two ASCII hex digits
// become that byte; anything else, a lone "%" included, is kept.
// https://url.spec.whatwg.org/#percent-decode
func percentDecode(s string) string {
	i := 0
	for i < len(s) && s[i] != '%' {
		i++
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(rune(s[i+1])) && isHex(rune(s[i+2])) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
