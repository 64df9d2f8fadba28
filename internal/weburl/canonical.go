package weburl

import (
	"strconv"
	"strings"

	"github.com/corsim/corsim/origin"
)

// parseCanonical returns the URL raw parses to when raw is an http or https
// URL already written as the URL serializer writes it, in a shape where the
// basic URL parser would change nothing: a lower-case ASCII host name
// (letters, digits, hyphens, non-empty labels, the last starting with a
// letter so that it is no IPv4 address, no "xn--" label) or a dotted-quad
// IPv4 address, no credentials,
// a non-default port without leading zeros, a path of at least "/" with no
// dot segment, and a path and query of bytes that neither the parser nor
// the serializer encode or drop; no fragment. It returns nil for anything
// else, which parse then runs through the state machine. The URL's fields
// are substrings of raw: one allocation, where the state machine makes a
// dozen. TestParseCanonicalAgreesWithTheParser checks it against the
// state machine.
func parseCanonical(raw string) *URL {
	var scheme string
	switch {
	case len(raw) > len("https://") && raw[:len("https://")] == "https://":
		scheme = "https"
	case len(raw) > len("http://") && raw[:len("http://")] == "http://":
		scheme = "http"
	default:
		return nil
	}
	i := len(scheme) + len("://")
	// The host: labels of [a-z0-9-], separated by single dots.
	hostStart, labelStart := i, i
	for ; i < len(raw) && raw[i] != ':' && raw[i] != '/'; i++ {
		switch c := raw[i]; {
		case c == '.':
			if !canonicalLabel(raw[labelStart:i], false) {
				return nil
			}
			labelStart = i + 1
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-':
		default:
			return nil
		}
	}
	host := raw[hostStart:i]
	if !canonicalLabel(raw[labelStart:i], true) && !isCanonicalIPv4(host) || len(host) > origin.MaxLength {
		return nil
	}
	port := -1
	if i < len(raw) && raw[i] == ':' {
		start := i + 1
		for i = start; i < len(raw) && '0' <= raw[i] && raw[i] <= '9'; i++ {
		}
		digits := raw[start:i]
		if digits == "" || digits[0] == '0' || len(digits) > 5 {
			return nil
		}
		port, _ = strconv.Atoi(digits)
		if def, _ := defaultPort(scheme); port > 65535 || port == def {
			return nil
		}
	}
	if i == len(raw) || raw[i] != '/' {
		// No path: the serializer would write "/".
		return nil
	}
	pathStart := i
	for ; i < len(raw) && raw[i] != '?'; i++ {
		if !canonicalByte(raw, i, false) {
			return nil
		}
		if raw[i] == '/' && i > pathStart && isDotSegmentEnd(raw, i) {
			return nil
		}
	}
	if isDotSegmentEnd(raw, i) {
		return nil
	}
	for j := i + 1; j < len(raw); j++ {
		if !canonicalByte(raw, j, true) {
			return nil
		}
	}
	u := &URL{href: raw, fragStart: len(raw), scheme: scheme, host: host, hasHost: true,
		port: port, path: raw[pathStart:i]}
	if i < len(raw) {
		u.hasQuery, u.query = true, raw[i+1:]
	}
	return u
}

// canonicalLabel reports whether label, of bytes [a-z0-9-], is one the host
// parser keeps as it is: not empty, not an "xn--" label (which IDNA
// validates), and, when it is the last, not starting with a digit (a host
// ending in a number is an IPv4 address).
func canonicalLabel(label string, last bool) bool {
	if label == "" || len(label) >= 4 && label[:4] == "xn--" {
		return false
	}
	return !last || 'a' <= label[0] && label[0] <= 'z'
}

// isCanonicalIPv4 reports whether host is an IPv4 address as the host
// serializer writes it: four decimal numbers up to 255, without leading
// zeros, separated by dots.
func isCanonicalIPv4(host string) bool {
	parts := 0
	for part := range strings.SplitSeq(host, ".") {
		if part == "" || len(part) > 3 || len(part) > 1 && part[0] == '0' {
			return false
		}
		n := 0
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return false
			}
			n = n*10 + int(part[i]-'0')
		}
		if n > 255 {
			return false
		}
		parts++
	}
	return parts == 4
}

// canonicalByte reports whether raw[i] is a byte the parser copies into a
// path (or, with query, a query) of a special URL unchanged: letters,
// digits, "-._~!$&()*+,;=:@/", "?" in a query, and "%" followed by two hex
// digits. The rest (controls, space, non-ASCII, `"#<>\^{}|` and backquote,
// "'" in a query, "\" which is "/" in special URLs) goes to the state
// machine.
func canonicalByte(raw string, i int, query bool) bool {
	switch c := raw[i]; {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	case c == '%':
		return i+2 < len(raw) && isHexDigit(raw[i+1]) && isHexDigit(raw[i+2]) &&
			// "%2e" is a dot in a dot segment: leave it to the parser.
			!(raw[i+1] == '2' && raw[i+2]|0x20 == 'e')
	case c == '?':
		return query
	}
	switch raw[i] {
	case '-', '.', '_', '~', '!', '$', '&', '(', ')', '*', '+', ',', ';', '=', ':', '@', '/':
		return true
	}
	return false
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// isDotSegmentEnd reports whether the path segment ending at end (a "/",
// "?" or the end of raw) is "." or "..".
func isDotSegmentEnd(raw string, end int) bool {
	seg := raw[:end]
	if i := lastSlash(seg); i >= 0 {
		seg = seg[i+1:]
	}
	return seg == "." || seg == ".."
}

func lastSlash(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '/' {
			return i
		}
	}
	return -1
}
