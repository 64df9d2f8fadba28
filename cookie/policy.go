// Package cookie decides which cookies a browser sends with a request a
// page makes, and which Set-Cookie lines it stores, the way each browser
// does: SameSite and its default, Secure, cookie prefixes, what same-site
// means (with or without the scheme) and the third-party cookie policy.
//
// Cookies live in an http.CookieJar the user provides (net/http/cookiejar
// with golang.org/x/net/publicsuffix works); [Jar] wraps it and keeps the
// attributes the jar interface does not give back (SameSite), because
// http.CookieJar.Cookies returns only names and values.
//
// The rules are those of RFC 6265bis
// (https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html),
// as the browsers ship them; where a browser differs, [Policy] says so.
package cookie

import (
	"net"
	"net/http"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/corsim/corsim/origin"
)

// ThirdParty is what a browser does with the cookies of a request whose
// URL is not same-site with the top-level document ("third-party" or
// "foreign" cookies).
type ThirdParty uint8

const (
	// ThirdPartyAllow sends and stores third-party cookies as first-party
	// ones (SameSite still applies).
	ThirdPartyAllow ThirdParty = iota
	// ThirdPartyPartition keeps third-party cookies in a separate jar per
	// top-level site: cookies set by a first-party visit are not sent from
	// another site's page, and cookies set in a third-party context are sent
	// only from pages of the same top-level site (Firefox's Total Cookie
	// Protection, network.cookie.cookieBehavior = 5).
	ThirdPartyPartition
	// ThirdPartyBlockStore sends the cookies a site already has but stores
	// none from a third-party response (libsoup's
	// SOUP_COOKIE_JAR_ACCEPT_NO_THIRD_PARTY, WebKitGTK's default).
	ThirdPartyBlockStore
	// ThirdPartyBlock neither sends nor stores third-party cookies.
	ThirdPartyBlock
)

func (t ThirdParty) String() string {
	switch t {
	case ThirdPartyAllow:
		return "allow"
	case ThirdPartyPartition:
		return "partition"
	case ThirdPartyBlockStore:
		return "block-store"
	case ThirdPartyBlock:
		return "block"
	}
	return "invalid"
}

// Policy is one browser's cookie rules for requests a page makes
// (subresource requests; navigations are out of scope). Each field's value
// per browser is documented, with its source, in package profile.
type Policy struct {
	// DefaultSameSite is the SameSite a cookie set without the attribute
	// (or with an unknown value) is enforced with: http.SameSiteLaxMode
	// ("Lax by default") or http.SameSiteNoneMode.
	DefaultSameSite http.SameSite
	// NoneRequiresSecure ignores a Set-Cookie with SameSite=None and no
	// Secure attribute (RFC 6265bis §5.7, step 21 in later drafts).
	NoneRequiresSecure bool
	// Schemeful makes "same-site" compare the scheme as well as the
	// registrable domain (http://a.example and https://a.example are then
	// cross-site). Without it, same-site is schemeless.
	Schemeful bool
	// RedirectChainCounts makes a request cross-site when any URL in its
	// redirect chain so far was cross-site with the top-level document
	// (RFC 6265bis §5.2.1: "the request's current url and every url in its
	// redirect chain").
	RedirectChainCounts bool
	// ThirdParty is the third-party cookie policy.
	ThirdParty ThirdParty
	// TrustworthyIsSecure counts a potentially trustworthy http URL
	// (http://localhost, http://127.0.0.1) as secure for cookies: a Secure
	// cookie can be set from it and is sent to it. Otherwise only https is.
	TrustworthyIsSecure bool
	// IgnorePrefixes stores a cookie whose name starts with "__Secure-" or
	// "__Host-" without checking the prefix's requirements (RFC 6265bis
	// §4.1.3). Otherwise a cookie that breaks them is ignored.
	IgnorePrefixes bool
	// ThirdPartyByHostWithoutSuffix decides the third-party check by host
	// equality when a host's top-level domain is not in the public suffix
	// list (such as .test): libsoup finds no base domain there
	// (soup_tld_get_base_domain) and compares the hosts, so api.a.test is
	// third-party to a page at a.test. Otherwise the registrable domains
	// are compared, the public suffix list's default rule making the last
	// label a suffix.
	ThirdPartyByHostWithoutSuffix bool
}

// Request is the context a cookie decision is made in: the page and the
// request's URL list.
type Request struct {
	// TopLevel is the origin of the top-level document that fetches (its
	// "site for cookies"). An opaque origin makes every request cross-site.
	TopLevel origin.Origin
	// Chain is the origin of every URL in the request's URL list so far,
	// the last being the one the cookies are for. It must not be empty.
	Chain []origin.Origin
}

// target is the origin the cookies are for.
func (r Request) target() origin.Origin { return r.Chain[len(r.Chain)-1] }

// sameSite compares two origins the way the policy defines same-site.
func (p Policy) sameSite(a, b origin.Origin) bool {
	if p.Schemeful {
		return a.SameSite(b)
	}
	return a.SchemelesslySameSite(b)
}

// IsSameSite reports whether r is a same-site request for cookies
// (RFC 6265bis §5.2.1 "Same-site and Cross-site Requests", for a
// non-navigation request whose client is the top-level document).
func (p Policy) IsSameSite(r Request) bool {
	if len(r.Chain) == 0 {
		return false
	}
	if !p.RedirectChainCounts {
		return p.sameSite(r.TopLevel, r.target())
	}
	for _, o := range r.Chain {
		if !p.sameSite(r.TopLevel, o) {
			return false
		}
	}
	return true
}

// IsThirdParty reports whether the request's URL is third-party to the
// top-level document for the third-party cookie policy, which every
// browser decides on the registrable domain without the scheme.
func (p Policy) IsThirdParty(r Request) bool {
	if len(r.Chain) == 0 {
		return true
	}
	target := r.target()
	if p.ThirdPartyByHostWithoutSuffix && !r.TopLevel.IsOpaque() && !target.IsOpaque() &&
		(unlistedSuffix(r.TopLevel.Host()) || unlistedSuffix(target.Host())) {
		return !strings.EqualFold(r.TopLevel.Host(), target.Host())
	}
	return !r.TopLevel.SchemelesslySameSite(target)
}

// unlistedSuffix reports a domain name whose top-level domain the public
// suffix list does not have (the list's default rule "*" applied). An IP
// address is not a domain name.
func unlistedSuffix(host string) bool {
	if host == "" || strings.HasPrefix(host, "[") || net.ParseIP(host) != nil {
		return false
	}
	suffix, icann := publicsuffix.PublicSuffix(host)
	return !icann && !strings.Contains(suffix, ".")
}

// effectiveSameSite is the SameSite the policy enforces for a cookie
// stored with ss.
func (p Policy) effectiveSameSite(ss http.SameSite) http.SameSite {
	switch ss {
	case http.SameSiteLaxMode, http.SameSiteStrictMode, http.SameSiteNoneMode:
		return ss
	}
	if p.DefaultSameSite == http.SameSiteLaxMode {
		return http.SameSiteLaxMode
	}
	return http.SameSiteNoneMode
}

// MaxNameValueBytes is the longest name plus value a browser stores
// (RFC 6265bis §5.7, step 4: 4096 octets; Chromium
// ParsedCookie::kMaxCookieNamePlusValueSize). A longer Set-Cookie is
// ignored, as browsers ignore it.
const MaxNameValueBytes = 4096

// prefixOK applies the cookie name prefixes (RFC 6265bis §4.1.3, checked
// case-insensitively as §5.7 steps 22-23 say): "__Secure-" needs Secure,
// "__Host-" needs Secure, no Domain and Path "/".
func prefixOK(c *http.Cookie) bool {
	if hasPrefixFold(c.Name, "__Secure-") && !c.Secure {
		return false
	}
	if hasPrefixFold(c.Name, "__Host-") && (!c.Secure || c.Domain != "" || c.Path != "/") {
		return false
	}
	return true
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
