// Package profile describes where real browsers differ from each other and
// from the Fetch standard's text, as small values the engine consults.
//
// Four profiles are built in: Chromium (the default), Firefox, WebKit and
// Spec. Every field cites where its value comes from: a browser's source,
// its tests, or a behaviour recorded from the real browser in testdata/.
package profile

import (
	"fmt"
	"strings"

	"github.com/corsim/corsim/enforce"
	"github.com/corsim/corsim/preflightcache"
	"github.com/corsim/corsim/safelist"
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
	// ClearCacheOnFailure clears the cache entries for the request's origin
	// and URL when a preflighted request ends in a network error (Fetch main
	// fetch, step 12, "clear cache entries"). Firefox does it
	// (nsCORSListenerProxy.cpp OnStartRequest → RemoveEntries). Chromium
	// does not (recorded: cache/preflight-passes-but-the-actual-request-
	// fails-the-cors-check-…: the second PUT is sent without a preflight).
	ClearCacheOnFailure bool
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
	// 301/302/303 redirect turns a POST into, even same-origin. WebKit does
	// (recorded: webkit/redirect/same-origin-post-redirected-303-…);
	// Chromium removes it with the body headers (net/url_request/
	// redirect_util.cc) and the standard only appends it for cors tainting
	// or a non-GET/HEAD method.
	OriginKeptAfterMethodRewrite bool
	// EmptyLocationIsNoRedirect returns a redirect status with an empty
	// `Location` to script as it is. The standard parses "" against the
	// response URL, so the request redirects to itself until the redirect
	// limit fails it; Chromium's net stack does not count a response with
	// an empty Location as a redirect (net::HttpResponseHeaders::IsRedirect;
	// recorded: redirect/cross-origin-get-redirected-302-with-an-empty-location).
	EmptyLocationIsNoRedirect bool
	// CredentialedRedirectAlwaysFails fails a cors-mode redirect to a
	// location with a username or password even when it stays same-origin
	// (the standard only fails cross-origin ones, HTTP-redirect fetch step
	// 9). Chromium does, reporting no CORS error and printing nothing
	// (recorded: redirect/same-origin-get-redirected-302-to-a-same-origin-
	// url-with-userinfo).
	CredentialedRedirectAlwaysFails bool
	// Redirect holds the differences in HTTP-redirect fetch.
	Redirect RedirectPolicy
}

// RedirectPolicy is how a browser departs from HTTP-redirect fetch
// (https://fetch.spec.whatwg.org/#concept-http-redirect-fetch).
type RedirectPolicy struct {
	// CheckUsesFirstURLCredentials runs the CORS check of a redirect
	// response that is followed with the credentials the fetch had for its
	// first URL: credentials mode "include", or "same-origin" when the
	// first URL was same-origin with the request origin. The standard
	// checks with "include" only (CORS check step 5; HTTP fetch step 4.4).
	// WebKit does (Source/WebCore/loader/SubresourceLoader.cpp
	// checkRedirectionCrossOriginAccessControl passes
	// options().storedCredentialsPolicy, fixed when the load started, to
	// passesAccessControlCheck, while the final response uses include
	// only; recorded: webkit/https/https-page-get-to-https-a-test-
	// redirected-302-to-https-b-test-then-back-…: the 302 from b.test
	// with a matching ACAO but no ACAC fails).
	CheckUsesFirstURLCredentials bool
}

// Chromium is Chromium 156's behaviour, corsim's default.
func Chromium() Profile {
	return Profile{
		Name:    "chromium",
		Browser: enforce.Chromium,
		Safelist: safelist.Rules{
			ForbidUserAgent:     true,
			ChromiumClientHints: true,
			RangeFitsInt64:      true,
		},
		Preflight: enforce.PreflightPolicy{
			Browser:                     enforce.Chromium,
			WildcardCoversAuthorization: true,
			StatusBeforeCORSCheck:       false,
		},
		Cache:                                    preflightcache.ChromiumPolicy(),
		ClearCacheOnFailure:                      false,
		CacheKeyTaintedOrigin:                    false,
		RemoveAuthorizationOnCrossOriginRedirect: true,
		EmptyLocationIsNoRedirect:                true,
		CredentialedRedirectAlwaysFails:          true,
	}
}

// Firefox is Firefox ESR's behaviour.
func Firefox() Profile {
	return Profile{
		Name:    "firefox",
		Browser: enforce.Firefox,
		Safelist: safelist.Rules{
			ReplaceSingletonRequestHeaders: true,
		},
		Preflight: enforce.PreflightPolicy{
			Browser:                     enforce.Firefox,
			WildcardCoversAuthorization: true,
			StatusBeforeCORSCheck:       false,
		},
		Cache:                                    preflightcache.FirefoxPolicy(),
		ClearCacheOnFailure:                      true,
		CacheKeyTaintedOrigin:                    false,
		RemoveAuthorizationOnCrossOriginRedirect: true,
	}
}

// WebKit is WebKitGTK 2.50's behaviour.
func WebKit() Profile {
	return Profile{
		Name:    "webkit",
		Browser: enforce.WebKit,
		Safelist: safelist.Rules{
			WebKitValueLimits: true,
		},
		Preflight: enforce.PreflightPolicy{
			Browser:                     enforce.WebKit,
			WildcardCoversAuthorization: true,
			StatusBeforeCORSCheck:       true,
		},
		Cache:                                    preflightcache.WebKitPolicy(),
		ClearCacheOnFailure:                      false,
		CacheKeyTaintedOrigin:                    false,
		RemoveAuthorizationOnCrossOriginRedirect: true,
		OriginKeptAfterMethodRewrite:             true,
		Redirect:                                 RedirectPolicy{CheckUsesFirstURLCredentials: true},
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
		ClearCacheOnFailure:                      true,
		CacheKeyTaintedOrigin:                    true,
		RemoveAuthorizationOnCrossOriginRedirect: true,
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
