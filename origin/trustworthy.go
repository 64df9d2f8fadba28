package origin

import "strings"

// IsPotentiallyTrustworthy reports whether o is a potentially trustworthy
// origin, the test behind secure contexts:
// https://w3c.github.io/webappsec-secure-contexts/#is-origin-trustworthy
//
// Opaque and invalid origins are not. Tuple origins are when their scheme is
// https, wss or file, when their host is in 127.0.0.0/8 or is ::1, or when
// their host is "localhost" or ends in ".localhost" (each optionally with a
// trailing dot). User-agent specific schemes and allowlists (steps 7-8) are
// not modelled.
func (o Origin) IsPotentiallyTrustworthy() bool {
	// Secure Contexts: is origin potentially trustworthy, step 1.
	if o.kind != kindTuple {
		return false
	}
	scheme, host := o.Scheme(), o.Host()
	// Step 3.
	if scheme == "https" || scheme == "wss" {
		return true
	}
	// Step 4. A canonical IPv4 host is dotted-decimal, so 127.0.0.0/8 is
	// exactly the IPv4 hosts whose first part is "127".
	if o.hostKind == hostIPv4 && strings.HasPrefix(host, "127.") {
		return true
	}
	if o.hostKind == hostIPv6 && host == "[::1]" {
		return true
	}
	// Step 5. Chromium, Firefox and WebKit all follow "let localhost be
	// localhost".
	if host == "localhost" || host == "localhost." ||
		strings.HasSuffix(host, ".localhost") || strings.HasSuffix(host, ".localhost.") {
		return true
	}
	// Step 6.
	return scheme == "file"
}
