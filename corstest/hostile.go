package corstest

import (
	"net/netip"
	"strings"

	"github.com/corsim/corsim/origin"
)

// HostileKind names how a hostile origin is derived from an allowed one:
// each is an origin an attacker can obtain that a careless origin check
// mistakes for the allowed one.
type HostileKind string

const (
	// HostileNull is the opaque origin, serialized "null": sandboxed
	// iframes, data: and file: documents, and redirect-tainted requests
	// send it.
	HostileNull HostileKind = "null"
	// HostileScheme is the allowed host under the other HTTP scheme
	// (http for https): anyone on the network path can inject script into
	// an http page.
	HostileScheme HostileKind = "other-scheme"
	// HostilePort is the allowed host on another port: another service on
	// the same host, possibly less trusted.
	HostilePort HostileKind = "other-port"
	// HostileSuffix ends with the allowed host ("evilapp.example" for
	// "app.example"): a check with strings.HasSuffix lets it through.
	HostileSuffix HostileKind = "suffix"
	// HostilePrefix begins with the allowed origin ("https://app.example.
	// attacker.test"): a check with strings.HasPrefix lets it through.
	HostilePrefix HostileKind = "prefix"
	// HostileUnescapedDot replaces a dot of the allowed host with a letter
	// ("appxexample.com" for "app.example.com"): a regular expression with
	// an unescaped "." lets it through.
	HostileUnescapedDot HostileKind = "unescaped-dot"
	// HostileSibling is another subdomain of the allowed host's parent
	// ("attacker.example.com" for "app.example.com").
	HostileSibling HostileKind = "sibling-subdomain"
	// HostileChild is a subdomain of the allowed host
	// ("attacker.app.example.com").
	HostileChild HostileKind = "child-subdomain"
)

// Case variants ("https://APP.example") are deliberately absent: a
// browser's URL parser lower-cases the scheme and host before serializing
// an origin (URL Standard, host parsing, domain to ASCII), so no page can
// send one. A case mismatch hurts only the other way round, an origin
// configured with upper case that never matches, and Policy.Validate
// rejects that.

// Hostile is one hostile origin derived from an allowed one.
type Hostile struct {
	Kind   HostileKind
	From   string        // the allowed origin it imitates
	Origin origin.Origin // the hostile origin (opaque for HostileNull)
}

// maxUnescapedDots bounds the unescaped-dot variants per origin: one per
// dot of the host, at most this many.
const maxUnescapedDots = 4

// Labels used to build hostile hosts. They are valid DNS labels that an
// attacker could register or create under a parent they control.
const (
	attackerLabel = "corsim-attacker"
	attackerSite  = "attacker.test"
)

// HostileOrigins derives hostile origins from the allowed ones, one set per
// allowed origin, in a fixed order. It never returns an origin in allowed
// (two allowed origins can be each other's variants), nor the same origin
// twice. Origins that do not parse are skipped; Policy.Validate reports
// them.
func HostileOrigins(allowed []string) []Hostile {
	isAllowed := make(map[string]bool, len(allowed))
	for _, a := range allowed {
		isAllowed[a] = true
	}
	seen := map[string]bool{}
	var out []Hostile
	add := func(kind HostileKind, from string, o origin.Origin, err error) {
		if err != nil || !o.IsValid() {
			return
		}
		key := o.String()
		if o.IsOpaque() {
			key = "null"
		}
		if isAllowed[key] || seen[key] {
			return
		}
		seen[key] = true
		out = append(out, Hostile{Kind: kind, From: from, Origin: o})
	}
	addTuple := func(kind HostileKind, from, scheme, host string, port int) {
		o, err := origin.Tuple(scheme, host, port)
		add(kind, from, o, err)
	}
	for i, a := range allowed {
		o, err := origin.Parse(a)
		if err != nil || o.IsOpaque() {
			continue
		}
		if i == 0 {
			// One opaque origin stands for them all.
			add(HostileNull, a, origin.OpaqueFromID(1), nil)
		}
		scheme, host := o.Scheme(), o.Host()
		port := -1 // the scheme's default
		if p, ok := o.Port(); ok {
			port = int(p)
		}
		if other, ok := map[string]string{"https": "http", "http": "https"}[scheme]; ok {
			addTuple(HostileScheme, a, other, host, port)
		}
		addTuple(HostilePort, a, scheme, host, otherPort(port, scheme))
		if isIP(host) {
			continue // the other kinds rename the host
		}
		addTuple(HostileSuffix, a, scheme, "evil"+host, port)
		// The same for each parent domain of two labels or more:
		// "evilexample.com" for "app.example.com" passes a check for the
		// suffix "example.com".
		for rest := host; ; {
			k := strings.IndexByte(rest, '.')
			if k < 0 {
				break
			}
			rest = rest[k+1:]
			if strings.IndexByte(rest, '.') < 0 {
				break
			}
			addTuple(HostileSuffix, a, scheme, "evil"+rest, port)
		}
		addTuple(HostilePrefix, a, scheme, host+"."+attackerSite, port)
		dots := 0
		for j := 0; j < len(host) && dots < maxUnescapedDots; j++ {
			if host[j] == '.' {
				dots++
				addTuple(HostileUnescapedDot, a, scheme, host[:j]+"x"+host[j+1:], port)
			}
		}
		if k := strings.IndexByte(host, '.'); k > 0 {
			addTuple(HostileSibling, a, scheme, attackerLabel+host[k:], port)
		}
		addTuple(HostileChild, a, scheme, attackerLabel+"."+host, port)
	}
	return out
}

func otherPort(port int, scheme string) int {
	switch {
	case port < 0 && scheme == "https":
		return 8443
	case port < 0:
		return 8080
	case port < 65535:
		return port + 1
	}
	return port - 1
}

func isIP(host string) bool {
	_, err := netip.ParseAddr(strings.Trim(host, "[]"))
	return err == nil
}
