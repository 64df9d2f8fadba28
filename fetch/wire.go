package fetch

import (
	"net/http"
	"strings"

	"github.com/corsim/corsim/cookie"
	"github.com/corsim/corsim/enforce"
	"github.com/corsim/corsim/origin"
)

// addBrowserHeaders adds the request headers a browser sets on its own to h
// (the request on the wire for the current URL), leaving those script set:
// `User-Agent`, `Accept` (Fetch §4.1 fetch, step 12: `*/*` for the empty
// destination), `Accept-Language` (HTTP-network-or-cache fetch, step 8.x),
// `Referer` (step 8.x: the request's referrer, serialized) and the fetch
// metadata headers. mode is the Sec-Fetch-Mode value. A non-empty origin
// is the `Origin` header's value, set first.
func (f *fetchState) addBrowserHeaders(h http.Header, mode, origin string) {
	hdr := f.c.profile.Headers
	// One backing array for every value added: one allocation, and each
	// value is its own one-element slice (capacity 1, so an append by the
	// caller cannot reach the next).
	backing := make([]string, 0, 8)
	put := func(k, v string) {
		backing = append(backing, v)
		i := len(backing) - 1
		h[k] = backing[i : i+1 : i+1]
	}
	if origin != "" {
		put("Origin", origin)
	}
	if _, ok := h["User-Agent"]; !ok {
		ua := hdr.UserAgent
		if f.c.userAgent != nil {
			ua = *f.c.userAgent
		}
		// Present even when empty: net/http then sends no User-Agent
		// rather than its own "Go-http-client/1.1".
		put("User-Agent", ua)
	}
	if _, ok := h["Accept"]; !ok {
		put("Accept", "*/*")
	}
	if _, ok := h["Accept-Language"]; !ok {
		al := hdr.AcceptLanguage
		if f.c.acceptLang != nil {
			al = *f.c.acceptLang
		}
		if al != "" {
			put("Accept-Language", al)
		}
	}
	if f.referrer.url != "" {
		put("Referer", f.referrer.url)
	}
	// Fetch Metadata §5.1 "set the Fetch metadata headers for a request":
	// only for a potentially trustworthy URL.
	if hdr.FetchMetadata && f.curOrigin.IsPotentiallyTrustworthy() &&
		!(hdr.CORSRedirectDropsFetchMetadata && f.mode == ModeCORS && f.crossOriginRedirected()) {
		put("Sec-Fetch-Dest", "empty")
		put("Sec-Fetch-Mode", mode)
		put("Sec-Fetch-Site", f.fetchSite())
	}
}

// crossOriginRedirected reports whether a redirect so far went to a URL
// whose origin differs from the previous URL's.
func (f *fetchState) crossOriginRedirected() bool {
	for i := 1; i < len(f.urls); i++ {
		if !f.urls[i-1].Origin().SameOrigin(f.urls[i].Origin()) {
			return true
		}
	}
	return false
}

// fetchSite is `Sec-Fetch-Site` (Fetch Metadata §5.4): same-origin,
// same-site or cross-site, the worst over the request's URL list.
func (f *fetchState) fetchSite() string {
	doc := f.c.origin
	site := "same-origin"
	for i, u := range f.urls {
		o := f.curOrigin
		if i < len(f.urls)-1 {
			o = u.Origin()
		}
		if doc.SameOrigin(o) {
			continue
		}
		site = "same-site"
		if doc.SameSite(o) {
			continue
		}
		return "cross-site"
	}
	return site
}

// originHeaderValue is the `Origin` value of "append a request `Origin`
// header" (https://fetch.spec.whatwg.org/#append-a-request-origin-header):
// cors tainting sends the serialized origin; otherwise (a non-GET/HEAD
// request outside mode cors) step 4 applies the referrer policy.
func (f *fetchState) originHeaderValue() string {
	o := f.serializedOrigin()
	if f.tainting == enforce.TaintCORS || f.mode == ModeCORS || !f.c.profile.Headers.OriginFollowsReferrerPolicy {
		return o
	}
	doc, cur := f.c.origin, f.curOrigin
	switch f.referrerPolicy {
	case ReferrerNoReferrer:
		return "null"
	case ReferrerNoReferrerWhenDowngrade, ReferrerStrictOrigin, ReferrerStrictOriginWhenCrossOrigin:
		if !doc.IsOpaque() && doc.Scheme() == "https" && cur.Scheme() != "https" {
			return "null"
		}
	case ReferrerSameOrigin:
		if !doc.SameOrigin(cur) {
			return "null"
		}
	}
	return o
}

// credentialsIncluded is HTTP-network-or-cache fetch's includeCredentials
// for the current hop: credentials mode include, or same-origin while the
// response tainting is basic.
func (f *fetchState) credentialsIncluded() bool {
	return f.credentials == CredentialsInclude ||
		f.credentials == CredentialsSameOrigin && f.tainting == enforce.TaintBasic
}

// cookieRequest is the cookie context of the current hop.
func (f *fetchState) cookieRequest() cookie.Request {
	chain := make([]origin.Origin, len(f.urls))
	for i, u := range f.urls {
		chain[i] = u.Origin()
	}
	return cookie.Request{TopLevel: f.c.origin, Chain: chain}
}

// attachCookies sets `Cookie` from the jar (HTTP-network-or-cache fetch,
// step 8.x "append a request `Cookie` header"), when the client has one.
func (f *fetchState) attachCookies(h http.Header) {
	if f.c.jar == nil {
		return
	}
	cs := f.c.jar.Send(f.c.profile.Cookies, f.cookieRequest(), f.current().StdURL())
	if len(cs) == 0 {
		return
	}
	var b strings.Builder
	for i, c := range cs {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(c.Name)
		b.WriteByte('=')
		b.WriteString(c.Value)
	}
	h["Cookie"] = []string{b.String()}
	if f.tr != nil {
		f.tr.add(secNetwork, "concept-http-network-or-cache-fetch", "credentials are included: the jar's cookies are attached", in("Cookie", b.String()))
	}
}

// storeCookies stores a response's `Set-Cookie` lines in the jar when the
// hop's credentials are included.
func (f *fetchState) storeCookies(h http.Header) error {
	lines := h["Set-Cookie"]
	if f.c.jar == nil || len(lines) == 0 || !f.credentialsIncluded() {
		return nil
	}
	if err := f.c.jar.Receive(f.c.profile.Cookies, f.cookieRequest(), f.current().StdURL(), lines, f.c.now()); err != nil {
		return &Error{Kind: LimitExceeded, URL: f.current().StringWithoutFragment(), Message: err.Error(), Cause: err}
	}
	return nil
}
