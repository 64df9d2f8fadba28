package origin

import (
	"strconv"
	"strings"
)

// ParseError reports why a string is not an origin, a host, a scheme or a
// port this package accepts. Input is the offending value and Reason says
// what is wrong with it ("trailing slash", "upper-case host", ...).
type ParseError struct {
	Input  string
	Reason string
}

func (e *ParseError) Error() string {
	return "origin: cannot parse " + quote(e.Input) + ": " + e.Reason
}

// maxQuoted caps how much of the input an error message repeats.
const maxQuoted = 100

func quote(s string) string {
	if len(s) > maxQuoted {
		return strconv.Quote(s[:maxQuoted]) + "..."
	}
	return strconv.Quote(s)
}

func quoteByte(c byte) string { return strconv.Quote(string([]byte{c})) }

func tooLong(s string) *ParseError {
	return &ParseError{Input: s, Reason: "longer than " + strconv.Itoa(MaxLength) + " bytes"}
}

// Parse parses s as the serialization of an origin, as found in an Origin
// request header or an Access-Control-Allow-Origin response header. It is
// strict: it succeeds exactly when s is already the serialization a browser
// produces, so that for every o it returns, o.String() == s.
//
//   - "null" is an opaque origin: Parse returns OpaqueFromID(0).
//   - Anything else must be scheme "://" host [":" port], with no userinfo,
//     path (not even a trailing "/"), query or fragment; the scheme and host
//     in lower case; the host in canonical form (punycode for IDNs,
//     dotted-decimal IPv4, compressed IPv6 in brackets, see
//     [CanonicalHost]); and the port, if any, in shortest decimal form and
//     not the scheme's default port.
//
// Errors are *[ParseError] naming the input and the first problem found.
// Input longer than [MaxLength] is rejected before any other work. Parse
// does not allocate for valid ASCII origins.
// https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin
func Parse(s string) (Origin, error) {
	o, reason := parse(s)
	if reason != "" {
		if len(s) > MaxLength {
			s = s[:MaxLength]
		}
		return Origin{}, &ParseError{Input: s, Reason: reason}
	}
	return o, nil
}

// MustParse calls [Parse] and panics if it fails. It is intended for
// constants in tests and package initialization.
func MustParse(s string) Origin {
	o, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return o
}

// parse does the work of Parse, returning a non-empty reason on failure so
// that the valid path allocates nothing.
func parse(s string) (Origin, string) {
	if len(s) > MaxLength {
		return Origin{}, "longer than " + strconv.Itoa(MaxLength) + " bytes"
	}
	switch {
	case s == "null":
		return OpaqueFromID(0), ""
	case s == "":
		return Origin{}, "empty string"
	case s == "*":
		return Origin{}, "the wildcard \"*\" is not an origin"
	case strings.EqualFold(s, "null"):
		return Origin{}, "an opaque origin serializes as lower-case \"null\""
	case isSpaceOrControl(s[0]) || isSpaceOrControl(s[len(s)-1]):
		return Origin{}, "leading or trailing whitespace"
	}
	schemeEnd := strings.Index(s, "://")
	if schemeEnd < 0 {
		if i := strings.IndexByte(s, ':'); i > 0 && checkScheme(s[:i]) == "" {
			return Origin{}, "missing \"//\" after the scheme"
		}
		return Origin{}, "missing scheme (an origin looks like \"https://example.com\")"
	}
	scheme := s[:schemeEnd]
	if reason := checkScheme(scheme); reason != "" {
		return Origin{}, reason
	}
	if asciiLower(scheme) != scheme {
		return Origin{}, "upper-case scheme"
	}
	rest := s[schemeEnd+3:]
	if strings.Contains(rest, "://") || strings.Contains(rest, ", ") {
		return Origin{}, "more than one origin (a list is not an origin)"
	}
	// The authority ends at the first "/", "?" or "#".
	authority := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority = rest[:i]
		switch tail := rest[i:]; {
		case tail == "/":
			return Origin{}, "trailing slash"
		case tail[0] == '/':
			return Origin{}, "path not allowed"
		case tail[0] == '?':
			return Origin{}, "query not allowed"
		default:
			return Origin{}, "fragment not allowed"
		}
	}
	if strings.IndexByte(authority, '@') >= 0 {
		return Origin{}, "userinfo not allowed"
	}
	host, portStr, hasPort := splitHostPort(authority)
	if host == "" {
		return Origin{}, "empty host"
	}
	var port uint16
	if hasPort {
		p, reason := parsePort(portStr)
		if reason != "" {
			return Origin{}, reason
		}
		if d, ok := defaultPort(scheme); ok && p == d {
			return Origin{}, "default port must be omitted"
		}
		port = p
	}
	kind, reason := checkCanonicalHost(host)
	if reason != "" {
		return Origin{}, reason
	}
	return Origin{
		ser:       s,
		schemeEnd: uint16(schemeEnd),
		hostEnd:   uint16(schemeEnd + 3 + len(host)),
		port:      port,
		hasPort:   hasPort,
		kind:      kindTuple,
		hostKind:  kind,
	}, ""
}

func isSpaceOrControl(c byte) bool { return c <= ' ' || c == 0x7f }

// splitHostPort splits an authority into host and port. An IPv6 host keeps
// its brackets.
func splitHostPort(authority string) (host, port string, hasPort bool) {
	if strings.HasPrefix(authority, "[") {
		end := strings.IndexByte(authority, ']')
		if end < 0 {
			return authority, "", false
		}
		host, rest := authority[:end+1], authority[end+1:]
		if rest == "" {
			return host, "", false
		}
		if rest[0] != ':' {
			// Leave the junk in the host for the host check to reject.
			return authority, "", false
		}
		return host, rest[1:], true
	}
	if i := strings.LastIndexByte(authority, ':'); i >= 0 {
		return authority[:i], authority[i+1:], true
	}
	return authority, "", false
}

// parsePort parses the port of a serialized origin: shortest decimal form,
// in range.
func parsePort(s string) (uint16, string) {
	if s == "" {
		return 0, "empty port (omit the \":\" when there is no port)"
	}
	if !allDigits(s) {
		return 0, "port is not a decimal number"
	}
	if len(s) > 1 && s[0] == '0' {
		return 0, "port has leading zeros"
	}
	if len(s) > 5 {
		return 0, "port out of range 0-65535"
	}
	n, _ := strconv.Atoi(s)
	if n > 65535 {
		return 0, "port out of range 0-65535"
	}
	return uint16(n), ""
}

// checkCanonicalHost reports whether host is exactly what CanonicalHost
// returns for it, and which kind of host it is. Plain lower-case ASCII
// domains, IPv4 and IPv6 addresses are checked without allocating.
func checkCanonicalHost(host string) (hostKind, string) {
	if k, ok := isCanonicalASCIIHost(host); ok {
		return k, ""
	}
	canon, reason := hostParse(host)
	switch {
	case reason != "":
		return 0, "invalid host: " + reason
	case canon == host:
		return kindOfCanonicalHost(host), ""
	case asciiLower(host) == canon:
		return 0, "upper-case host"
	case !isASCII(host):
		return 0, "host is not in canonical form: IDNs must be punycode-encoded (want " + quote(canon) + ")"
	}
	return 0, "host is not in canonical form (want " + quote(canon) + ")"
}

// isCanonicalASCIIHost is the allocation-free fast path of
// checkCanonicalHost. It reports ok only when it can prove host canonical.
func isCanonicalASCIIHost(host string) (hostKind, bool) {
	if host[0] == '[' {
		if host[len(host)-1] != ']' {
			return 0, false
		}
		addr, reason := parseIPv6(host[1 : len(host)-1])
		if reason != "" {
			return 0, false
		}
		var buf [maxIPv6Len]byte
		return hostIPv6, string(appendIPv6Host(buf[:0], addr)) == host
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if c >= 0x80 || forbiddenDomain[c] || ('A' <= c && c <= 'Z') {
			return 0, false
		}
	}
	if hasACELabel(host) {
		// Punycode labels need IDNA validation.
		return 0, false
	}
	if endsInANumber(host) {
		v4, reason := parseIPv4(host)
		if reason != "" {
			return 0, false
		}
		var buf [maxIPv4Len]byte
		return hostIPv4, string(appendIPv4(buf[:0], v4)) == host
	}
	return hostDomain, true
}
