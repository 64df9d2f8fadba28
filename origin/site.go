package origin

import (
	"strings"

	"golang.org/x/net/publicsuffix"
)

// SameSite reports whether o and p are same site: two opaque origins that
// are same origin, or two tuple origins with the same scheme that are
// schemelessly same site. It reports false if either is the zero Origin.
// https://html.spec.whatwg.org/multipage/browsers.html#same-site
func (o Origin) SameSite(p Origin) bool {
	switch {
	case o.IsOpaque() && p.IsOpaque():
		// HTML: same site, step 1.
		return o.SameOrigin(p)
	case o.kind == kindTuple && p.kind == kindTuple:
		// HTML: same site, step 2.
		return o.Scheme() == p.Scheme() && o.SchemelesslySameSite(p)
	}
	// HTML: same site, step 3.
	return false
}

// SchemelesslySameSite reports whether o and p are schemelessly same site:
// two opaque origins that are same origin, or two tuple origins whose hosts
// have the same registrable domain, or are equal when they have none (IP
// addresses, public suffixes such as "github.io", single-label hosts such as
// "localhost"). The registrable domain comes from the Public Suffix List in
// golang.org/x/net/publicsuffix, private domains included, as in browsers.
// https://html.spec.whatwg.org/multipage/browsers.html#schemelessly-same-site
func (o Origin) SchemelesslySameSite(p Origin) bool {
	switch {
	case o.IsOpaque() && p.IsOpaque():
		// HTML: schemelessly same site, step 1.
		return o.SameOrigin(p)
	case o.kind == kindTuple && p.kind == kindTuple:
		// HTML: schemelessly same site, step 2.
		hostA, hostB := o.Host(), p.Host()
		regA, okA := o.registrableDomain()
		if hostA == hostB && !okA {
			return true
		}
		regB, okB := p.registrableDomain()
		return okA && okB && regA == regB
	}
	// HTML: schemelessly same site, step 3.
	return false
}

// registrableDomain returns the registrable domain of a tuple origin's host,
// or false when it is null.
// https://url.spec.whatwg.org/#host-registrable-domain
func (o Origin) registrableDomain() (string, bool) {
	if o.hostKind != hostDomain {
		// URL: public suffix, step 1: only domains have one.
		return "", false
	}
	host := o.Host()
	// URL: registrable domain, step 2: a trailing dot is kept.
	trailingDot := ""
	if strings.HasSuffix(host, ".") {
		trailingDot = "."
		host = host[:len(host)-1]
	}
	// URL: registrable domain, steps 1 and 3. EffectiveTLDPlusOne fails
	// when the host is itself a public suffix (so its registrable domain is
	// null) and on empty labels, for which the PSL algorithm defines none.
	reg, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return "", false
	}
	return reg + trailingDot, true
}
