// Package profile describes where real browsers differ from each other and
// from the Fetch standard's text, as small values the engine consults.
//
// Four profiles are built in: Chromium (the default), Firefox, WebKit and
// Spec. Every field cites where its value comes from: a browser's source,
// its tests, or a behaviour recorded from the real browser in testdata/.
package profile

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/corsim/corsim/badport"
	"github.com/corsim/corsim/cookie"
	"github.com/corsim/corsim/enforce"
	"github.com/corsim/corsim/preflightcache"
	"github.com/corsim/corsim/redirect"
	"github.com/corsim/corsim/safelist"
	"github.com/corsim/corsim/wire"
)

// Profile is one browser's behaviour.
type Profile struct {
	// Name is the profile's name: "chromium", "firefox", "webkit" or "spec".
	Name string
	// Browser selects failure classification and console text.
	Browser enforce.Browser
	// Safelist holds the request-header classification rules.
	Safelist safelist.Rules
	// Preflight holds the preflight-response check differences.
	Preflight enforce.PreflightPolicy
	// Cache is the preflight cache's policy.
	Cache preflightcache.Policy
	// Redirect holds the redirect-handling differences (see
	// redirect.Policy, which cites each browser's source).
	Redirect redirect.Policy
	// Ports is the port-blocking policy (Fetch §2.9 port blocking, main
	// fetch step 7). Chromium 156 blocks the standard's table except 4190
	// and 6679 (net/base/port_util.cc kRestrictedPorts; recorded:
	// bad-port/get-to-port-4190 and -6679 resolve, bad-port/get-to-port-25
	// fails with net::ERR_UNSAFE_PORT). Firefox and WebKit take the
	// standard's table until recordings say otherwise.
	Ports badport.Policy
	// Wire is how the network stack reads a response's bytes before Fetch
	// sees them: interim 1xx responses, status codes of any length, folded
	// and malformed header lines, NUL bytes, conflicting duplicates
	// (package wire cites each rule). Chromium's and Firefox's are
	// recorded (testdata/*/status, invalid-response, preflight-status);
	// WebKit reads as libsoup does (wire.WebKit; recorded:
	// testdata/webkit/invalid-response and status).
	Wire wire.Policy
	// CacheKeyTaintedOrigin keys cache entries of a redirect-tainted request
	// on "null", as the standard's byte-serialized origin does. Chromium
	// keys them on the initiator's origin (preflight_controller.cc
	// AppendToCache uses request_initiator).
	CacheKeyTaintedOrigin bool
	// RemoveAuthorizationOnCrossOriginRedirect deletes a script-set
	// Authorization header when a redirect crosses origins
	// (HTTP-redirect fetch step 13; whatwg/fetch#1544). Firefox 111+
	// (bug 1802086); Chromium ships it (crbug 1393520).
	RemoveAuthorizationOnCrossOriginRedirect bool
	// OriginKeptAfterMethodRewrite keeps sending `Origin` on the GET that a
	// 301/302/303 redirect turns a POST into, when that redirect stays
	// within one origin. WebKit does (recorded: webkit/redirect/same-
	// origin-post-redirected-303-…, webkit/modes-redirect/no-cors-post-a-
	// a-redirected-302): the header stays on the request it rewrites, and
	// a redirect to another origin clears it (NetworkDataTaskSoup::
	// continueHTTPRedirection: isCrossOrigin → clearHTTPOrigin; recorded:
	// …/no-cors-post-a-b-redirected-302 and -b-a- send no Origin), while a
	// GET gets no new one;
	// Chromium removes it with the body headers (net/url_request/
	// redirect_util.cc) and the standard only appends it for cors tainting
	// or a non-GET/HEAD method.
	OriginKeptAfterMethodRewrite bool
	// CredentialedRedirectAlwaysFails fails a redirect to a location with
	// a username or password in every mode, even when it stays same-origin
	// (the standard only fails cross-origin CORS ones, HTTP-redirect fetch
	// step 9). Chromium does, reporting no CORS error and printing nothing
	// (recorded: redirect/same-origin-get-redirected-302-to-a-same-origin-
	// url-with-userinfo, redirect-rules/cross-origin-no-cors-get-
	// redirected-302-to-http-u-c-test-r).
	CredentialedRedirectAlwaysFails bool
	// Schemes holds how fetch() treats URLs that are not HTTP(S) (Fetch
	// §4.2 scheme fetch).
	Schemes SchemePolicy
	// Cookies is the cookie policy: which cookies a request from a page
	// carries and which Set-Cookie lines are stored. "Recorded" in its
	// fields and in Headers' means with tools/cookieprobe (its README has
	// the commands and the table of results), as scenario files cannot
	// hold cookies yet.
	Cookies cookie.Policy
	// Headers holds the request headers the browser adds on its own.
	Headers RequestHeaders
	// HTTPCache holds what the browser's HTTP cache changes in a response
	// on its way from the network to Fetch (Fetch §4.6
	// HTTP-network-or-cache fetch).
	HTTPCache HTTPCachePolicy
}

// HTTPCachePolicy is where a browser's HTTP cache rewrites a response that
// Fetch then sees.
type HTTPCachePolicy struct {
	// PartialContentRewrite: a 206 answering a GET whose Range header holds
	// one range, with a Content-Range that matches that range and gives
	// the resource's length, reaches Fetch with Content-Range and
	// Content-Length written anew for the range (so Content-Length, a
	// CORS-safelisted response-header name, becomes readable). Chromium's
	// HTTP cache does (net/http/partial_data.cc ResponseHeadersOK, then
	// FixResponseHeaders → HttpResponseHeaders::UpdateWithNewRange; recorded:
	// testdata/chromium/range/get-with-range-bytes-0-1-answered-206 and
	// …-206-for-bytes-2-3, which does not match and stays as sent). The
	// standard hands the network's response on unchanged; Firefox does
	// (recorded: testdata/firefox/range/get-with-range-bytes-0-1-answered-206).
	PartialContentRewrite bool
}

// SchemePolicy is where a browser's scheme fetch
// (https://fetch.spec.whatwg.org/#scheme-fetch) differs.
type SchemePolicy struct {
	// AboutBlankFails makes fetch("about:blank") a network error. Chromium
	// does, printing 'URL scheme "about" is not supported.' (Blink
	// FetchManager; recorded: typeerror/cors-fetch-of-the-url-about-
	// blank); so does WebKit, in mode no-cors too, sending nothing
	// (recorded: webkit/typeerror/no-cors-fetch-of-the-url-about-blank);
	// the standard returns an empty text/html response (Fetch §4.2 scheme
	// fetch, "about").
	AboutBlankFails bool
	// RedirectTargets is how a redirect to a URL that is not HTTP(S)
	// fails and what it prints. The standard makes each a network error
	// (HTTP-redirect fetch, step 6); the browsers differ in where they
	// refuse it and in their console lines.
	RedirectTargets RedirectTargetRule
	// DataURLContentLength adds `Content-Length` (the body's size) to the
	// response of a data: URL, whose header list the standard makes
	// Content-Type alone (scheme fetch, "data"). Firefox's data channel
	// reports its length (recorded: firefox/typeerror/cors-fetch-of-the-
	// url-data-hello exposes content-length and content-type).
	DataURLContentLength bool
}

// RedirectTargetRule says how a browser refuses a redirect to a URL whose
// scheme is not HTTP(S).
type RedirectTargetRule uint8

const (
	// RedirectTargetsChromium: Chromium refuses local schemes in its
	// network service (net::ERR_UNSAFE_REDIRECT), javascript: and other
	// schemes of a CORS request in its CORS loader (CorsDisabledScheme),
	// and the rest in its network stack (net::ERR_UNKNOWN_URL_SCHEME);
	// recorded under chromium/redirect-rules. WebKit and the spec profile
	// use it until recorded.
	RedirectTargetsChromium RedirectTargetRule = iota
	// RedirectTargetsFirefox: Firefox refuses a file: target in its script
	// security manager ("may not load or link to", naming the redirecting
	// URL in mode cors and the document's URL otherwise), a blob: target
	// of another origin than the redirecting URL likewise ("may not load
	// data from"); it cannot open a channel for data:, javascript:, ws: or
	// wss:, so the redirecting request fails (the CORS listener's "did not
	// succeed" line when it went cross-origin); any other scheme opens a
	// channel that a CORS request refuses as "CORS request not http",
	// naming the target (nsCORSListenerProxy.cpp UpdateChannel →
	// CheckPreflightNeeded). Recorded: firefox/redirect-rules/.
	//
	// A mailto: target of a no-cors request whose redirecting response
	// came from another origin than the document's is tried twice: the
	// request fails, then Firefox makes the whole fetch again from its
	// first URL, with its first method, headers and body, sending
	// `Origin: null` on every hop, and that second run fails as a network
	// error (recorded: firefox/redirect-rules/cross-origin-no-cors-get-
	// redirected-302-to-mailto-x-c-test and the no-cors-*-to-mailto-*
	// recordings beside it, which show every redirect status, GET and
	// POST, chains that start same-origin, and that a same-origin
	// redirecting URL or another external scheme (tel:, sms:, irc:, …)
	// is not tried again).
	// The source of the second run was not found in Gecko; the standard
	// makes the first failure final (HTTP-redirect fetch, step 6).
	RedirectTargetsFirefox
)

// RequestHeaders is what a browser puts on the wire besides script's
// headers (Fetch §4.6 HTTP-network-or-cache fetch, steps 8.x; Fetch
// Metadata Request Headers).
type RequestHeaders struct {
	// UserAgent is the default `User-Agent` (a crawler sets its own with
	// fetch.WithUserAgent). Recorded from the Debian builds (Chromium's
	// headless mode says "HeadlessChrome" where the browser says
	// "Chrome").
	UserAgent string
	// AcceptLanguage is the default `Accept-Language` for an en-US locale.
	// Recorded for Chromium and Firefox; WebKit derives it from the process
	// locale (it sends "C" under LANG=C.UTF-8, recording-notes.md), "en-US"
	// is its value for that locale.
	AcceptLanguage string
	// ReferrerPolicy is the default referrer policy of a document that sets
	// none: strict-origin-when-cross-origin in every engine (HTML's
	// default; Chromium 85, Firefox 87, Safari 15).
	ReferrerPolicy string
	// FetchMetadata sends `Sec-Fetch-Site`, `Sec-Fetch-Mode` and
	// `Sec-Fetch-Dest` to potentially trustworthy URLs
	// (https://w3c.github.io/webappsec-fetch-metadata/). Recorded in all
	// three, on preflights too (Sec-Fetch-Mode: cors), with `Referer`,
	// `User-Agent` and `Accept-Language`.
	FetchMetadata bool
	// CORSRedirectDropsFetchMetadata leaves the fetch metadata headers off
	// every request of a mode-cors fetch after a redirect to another
	// origin. WebKit does (recorded: testdata/webkit/metadata/*redirect*,
	// where a same-origin redirect and a no-cors cross-origin one keep
	// them): its loader cleans a request redirected across origins for
	// the CORS check (CrossOriginAccessControl.cpp,
	// cleanHTTPRequestHeadersForAccessControl) and does not add them again.
	CORSRedirectDropsFetchMetadata bool
	// OriginFollowsReferrerPolicy sends `Origin: null` on a non-GET/HEAD
	// request outside mode cors when the referrer policy withholds the
	// origin ("append a request `Origin` header", step 4). Firefox and
	// WebKit do (recorded: a no-cors POST with referrerPolicy
	// "no-referrer" carries Origin: null); Chromium sends the origin
	// (recorded).
	OriginFollowsReferrerPolicy bool
}

// Chromium is Chromium 156's behaviour, corsim's default.
func Chromium() Profile {
	return Profile{
		Name:    "chromium",
		Browser: enforce.Chromium,
		Safelist: safelist.Rules{
			ForbidUserAgent:     true,
			ChromiumClientHints: true,
			Range:               safelist.RangeBelowMaxInt64,
		},
		Preflight: enforce.PreflightPolicy{
			Browser:                     enforce.Chromium,
			WildcardCoversAuthorization: true,
			DisallowedHeaderOrder:       enforce.BlinkHeaderMapOrder,
			StatusBeforeCORSCheck:       false,
		},
		Cache: preflightcache.ChromiumPolicy(),
		Ports: badport.Policy{Unblocked: [4]uint16{4190, 6679}},
		Wire:  wire.Chromium(),
		Redirect: redirect.Policy{
			DuplicateLocation:                redirect.DuplicateLocationDistinctFails,
			NullOriginAfterCrossOriginHop:    true,
			TargetCheckedBeforeRedirectMode:  true,
			LocationParsedBeforeRedirectMode: true,
			EmptyLocation:                    redirect.EmptyLocationIsNoRedirect,
		},
		Schemes:                                  SchemePolicy{AboutBlankFails: true},
		HTTPCache:                                HTTPCachePolicy{PartialContentRewrite: true},
		CacheKeyTaintedOrigin:                    false,
		RemoveAuthorizationOnCrossOriginRedirect: true,
		CredentialedRedirectAlwaysFails:          true,
		Cookies: cookie.Policy{
			// "Lax by default" since Chrome 80/84 (net/cookies/
			// canonical_cookie.cc GetEffectiveSameSite: UNSPECIFIED is
			// enforced as LAX_MODE; the two-minute "Lax+POST" exception
			// only concerns top-level navigations).
			DefaultSameSite: http.SameSiteLaxMode,
			// kCookiesWithoutSameSiteMustBeSecure, on since Chrome 80
			// (EXCLUDE_SAMESITE_NONE_INSECURE).
			NoneRequiresSecure: true,
			// Schemeful Same-Site, on since Chrome 89 (net::features::
			// kSchemefulSameSite).
			Schemeful: true,
			// kCookieSameSiteConsidersRedirectChain is off by default: a
			// cross-site redirect chain only raises a DevTools warning
			// (WarnCrossSiteRedirectDowngradeChangesInclusion). Recorded
			// (testdata/chromium/cookies/get-with-credentials-include-
			// redirected-same-site-to-cross-site-to-same-site-*): the last
			// hop carries its Lax and Strict cookies.
			RedirectChainCounts: false,
			// Recorded (Debian Chromium 156, headless, default profile): a
			// page at http://a.test fetching http://localhost with
			// credentials include neither stores a "SameSite=None; Secure"
			// cookie nor sends one the site set first-party, while the same
			// cookies work same-site. The branded Chrome keeps third-party
			// cookies on by default; this build blocks them.
			ThirdParty: cookie.ThirdPartyBlock,
			// Recorded: a Secure cookie is set from and sent to
			// http://localhost (CookieAccessScheme kTrustworthy).
			TrustworthyIsSecure: true,
		},
		Headers: RequestHeaders{
			UserAgent:                   "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
			AcceptLanguage:              "en-US,en;q=0.9",
			ReferrerPolicy:              "strict-origin-when-cross-origin",
			FetchMetadata:               true,
			OriginFollowsReferrerPolicy: false,
		},
	}
}

// Firefox is Firefox ESR's behaviour.
func Firefox() Profile {
	return Profile{
		Name:    "firefox",
		Browser: enforce.Firefox,
		Safelist: safelist.Rules{
			ReplaceSingletonRequestHeaders: true,
			ListNamePerUnsafeLine:          true,
			NoSafelistedValueTotal:         true,
			Range:                          safelist.RangeUint64,
		},
		Preflight: enforce.PreflightPolicy{
			Browser:                     enforce.Firefox,
			WildcardCoversAuthorization: true,
			StatusBeforeCORSCheck:       false,
			InitiatorOriginAfterTaint:   true,
			UnsafeHeadersFixedAtStart:   true,
			PreflightStaysRequired:      true,
		},
		Cache:    preflightcache.FirefoxPolicy(),
		Schemes:  SchemePolicy{RedirectTargets: RedirectTargetsFirefox, DataURLContentLength: true},
		Redirect: redirect.Policy{DuplicateLocation: redirect.DuplicateLocationDistinctFails},
		// A 407 reaches the CORS check (recorded: firefox/status/get-
		// answered-407-… resolves with status 407); wire.Firefox cites
		// the rest.
		Wire:                                     wire.Firefox(),
		CacheKeyTaintedOrigin:                    false,
		RemoveAuthorizationOnCrossOriginRedirect: true,
		Cookies: cookie.Policy{
			// network.cookie.sameSite.laxByDefault is false in release
			// builds (bug 1617611 reverted the change): a cookie without
			// SameSite is sent cross-site.
			DefaultSameSite: http.SameSiteNoneMode,
			// network.cookie.sameSite.noneRequiresSecure: recorded, a
			// "SameSite=None" cookie without Secure is not stored.
			NoneRequiresSecure: true,
			// network.cookie.sameSite.schemeful (not recorded; Nightly only
			// in StaticPrefList.yaml, false in ESR).
			Schemeful: false,
			// CookieCommons / ThirdPartyUtil: a load whose redirect chain
			// went through a foreign site is foreign (recorded: testdata/
			// firefox/cookies/get-with-credentials-include-redirected-same-
			// site-to-cross-site-to-same-site-*, the last hop carries the
			// None and default cookies, not Lax or Strict).
			RedirectChainCounts: true,
			// network.cookie.cookieBehavior = 5 (Total Cookie Protection,
			// recording-notes.md). Recorded: from a page at http://a.test,
			// http://localhost's first-party cookies are not sent, and the
			// cookies it sets (SameSite=None or unset) are stored and sent
			// back from that page only.
			ThirdParty: cookie.ThirdPartyPartition,
			// Recorded: a Secure cookie is set from and sent to
			// http://localhost.
			TrustworthyIsSecure: true,
		},
		Headers: RequestHeaders{
			UserAgent:                   "Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0",
			AcceptLanguage:              "en-US,en;q=0.9",
			ReferrerPolicy:              "strict-origin-when-cross-origin",
			FetchMetadata:               true,
			OriginFollowsReferrerPolicy: true,
		},
	}
}

// WebKit is WebKitGTK 2.50's behaviour.
func WebKit() Profile {
	return Profile{
		Name:    "webkit",
		Browser: enforce.WebKit,
		Safelist: safelist.Rules{
			WebKitValueLimits: true,
			Range:             safelist.RangeWebKit,
		},
		Preflight: enforce.PreflightPolicy{
			Browser:                          enforce.WebKit,
			WildcardCoversAuthorization:      true,
			StatusBeforeCORSCheck:            true,
			CacheBeforeMethodAndHeaderChecks: true,
			OriginalHeadersAfterRedirect:     true,
			PreflightStaysRequired:           true,
		},
		Cache: preflightcache.WebKitPolicy(),
		Redirect: redirect.Policy{
			DuplicateLocation:                redirect.DuplicateLocationCombined,
			CheckUsesFirstURLCredentials:     true,
			ManualSkipsLocation:              true,
			FTPTargetFails:                   true,
			LocationParsedBeforeRedirectMode: true,
			CrossOriginDeleteBecomesGet:      true,
			EmptyLocation:                    redirect.EmptyLocationFails,
		},
		Schemes:                                  SchemePolicy{AboutBlankFails: true},
		Wire:                                     wire.WebKit(),
		CacheKeyTaintedOrigin:                    false,
		RemoveAuthorizationOnCrossOriginRedirect: true,
		OriginKeptAfterMethodRewrite:             true,
		Cookies: cookie.Policy{
			// WebKit never shipped "Lax by default"; libsoup treats a
			// missing SameSite as None (soup-cookie-jar.c).
			DefaultSameSite: http.SameSiteNoneMode,
			// Recorded: a "SameSite=None" cookie without Secure is stored
			// and sent cross-site.
			NoneRequiresSecure: false,
			// libsoup compares the site for cookies by host/base domain,
			// without the scheme (not recorded).
			Schemeful: false,
			// Recorded (testdata/webkit/cookies/get-with-credentials-
			// include-redirected-same-site-to-cross-site-to-same-site-*):
			// after a hop through a cross-site host, the same-site target
			// gets its SameSite=None and default cookies but not its Lax or
			// Strict ones: the chain counts, as RFC 6265bis §5.2.1 says
			// (Chromium, recorded, sends them all).
			RedirectChainCounts: true,
			// WebKitGTK's default cookie accept policy is
			// WEBKIT_COOKIE_POLICY_ACCEPT_NO_THIRD_PARTY: libsoup refuses
			// to store a third-party Set-Cookie but sends the cookies a
			// site already has (SOUP_COOKIE_JAR_ACCEPT_NO_THIRD_PARTY).
			// libsoup finds no base domain for .test names and falls back
			// to the host (recording-notes.md); corsim uses the public
			// suffix list's registrable domain, which agrees for distinct
			// hosts such as a.test and b.test.
			// Recorded: from a page at http://a.test, http://localhost's
			// first-party cookies (SameSite=None or unset) are sent, and the
			// cookies it sets are not stored.
			ThirdParty: cookie.ThirdPartyBlockStore,
			// Recorded (testdata/webkit/cookies/same-site-response-*): a
			// Set-Cookie from https://api.a.test answering a page at
			// https://a.test is not stored, while a.test's cookies are
			// sent there: libsoup's third-party check has no base domain
			// for .test and compares hosts (recording-notes.md).
			ThirdPartyByHostWithoutSuffix: true,
			// Recorded: a Secure cookie from http://localhost is not stored
			// (libsoup: Secure means https).
			TrustworthyIsSecure: false,
			// Recorded (testdata/webkit/cookies/cookie-host-*): a "__Host-"
			// cookie without Secure, or with a Domain, is stored and sent;
			// the prefixes of RFC 6265bis §4.1.3 are not enforced by this
			// build's cookie store (libsoup's jar).
			IgnorePrefixes: true,
		},
		Headers: RequestHeaders{
			UserAgent:                      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/60.5 Safari/605.1.15",
			AcceptLanguage:                 "en-US",
			ReferrerPolicy:                 "strict-origin-when-cross-origin",
			FetchMetadata:                  true,
			CORSRedirectDropsFetchMetadata: true,
			OriginFollowsReferrerPolicy:    true,
		},
	}
}

// Spec is the Fetch standard's text, with Chromium's vocabulary for
// failure reasons and console lines.
func Spec() Profile {
	return Profile{
		Name:    "spec",
		Browser: enforce.Spec,
		Preflight: enforce.PreflightPolicy{
			Browser: enforce.Spec,
		},
		Cache:                                    preflightcache.SpecPolicy(),
		Redirect:                                 redirect.Policy{DuplicateLocation: redirect.DuplicateLocationFailsRedirect},
		CacheKeyTaintedOrigin:                    true,
		RemoveAuthorizationOnCrossOriginRedirect: true,
		// RFC 6265bis as written: Lax by default (§5.7 step 15 "Default"
		// enforcement is Lax), None needs Secure, schemeful same-site,
		// the redirect chain counts (§5.2.1), third-party cookies are a
		// user-agent decision (allowed here).
		Cookies: cookie.Policy{
			DefaultSameSite:     http.SameSiteLaxMode,
			NoneRequiresSecure:  true,
			Schemeful:           true,
			RedirectChainCounts: true,
			ThirdParty:          cookie.ThirdPartyAllow,
			TrustworthyIsSecure: true,
		},
		Headers: RequestHeaders{
			UserAgent:                   "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
			AcceptLanguage:              "en-US,en;q=0.9",
			ReferrerPolicy:              "strict-origin-when-cross-origin",
			FetchMetadata:               true,
			OriginFollowsReferrerPolicy: true,
		},
	}
}

// Names lists the built-in profiles.
func Names() []string { return []string{"chromium", "firefox", "webkit", "spec"} }

// ByName returns the built-in profile called name.
func ByName(name string) (Profile, error) {
	switch name {
	case "chromium":
		return Chromium(), nil
	case "firefox":
		return Firefox(), nil
	case "webkit":
		return WebKit(), nil
	case "spec":
		return Spec(), nil
	}
	return Profile{}, fmt.Errorf("profile: unknown browser %q (want one of %s)", name, strings.Join(Names(), ", "))
}

// ForBrowser selects the profile for a scenario's `browser` field: its first
// word names it ("chromium 156.0.8078.79" → chromium); empty means chromium.
func ForBrowser(field string) (Profile, error) {
	word, _, _ := strings.Cut(strings.TrimSpace(field), " ")
	if word == "" {
		return Chromium(), nil
	}
	return ByName(word)
}
