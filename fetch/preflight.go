package fetch

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/corsim/corsim/enforce"
	"github.com/corsim/corsim/internal/httpheader"
	"github.com/corsim/corsim/preflightcache"
	"github.com/corsim/corsim/redirect"
	"github.com/corsim/corsim/safelist"
)

// preflight consults the CORS-preflight cache and, on a miss, performs a
// CORS-preflight fetch (https://fetch.spec.whatwg.org/#cors-preflight-fetch-0)
// and stores what it allows.
func (f *fetchState) preflight() error {
	u := f.current()
	unsafe := f.unsafeNames // main fetch computed them for this hop
	key := f.cacheKey()
	creq := preflightcache.Request{
		Method:            f.method,
		UnsafeHeaderNames: unsafe,
		Credentials:       f.includeCredentials(),
		OpaqueOrigin:      f.c.origin.IsOpaque(),
	}
	now := f.c.now()
	// HTTP fetch, step 4.1: no preflight when the cache holds a match for
	// the method and for every unsafe header name.
	m := f.c.cache.Lookup(key, creq, now)
	if m.Hit {
		if f.tr != nil {
			f.tr.add(secCache, "concept-cache-match", "cache hit: the method and every unsafe header are allowed by a cached preflight; no preflight is sent",
				in("origin", key.Origin), in("URL", key.URL), in("method", f.method), in("unsafe headers", strings.Join(unsafe, ",")))
		}
		return nil
	}
	if f.tr != nil {
		reason := m.Reason
		if reason == "" {
			reason = "no usable entry"
		}
		f.tr.add(secCache, "concept-cache-match", "cache miss ("+reason+"): a preflight is sent",
			in("origin", key.Origin), in("URL", key.URL), in("method", f.method))
	}
	// Steps 1-5: the preflight request. Its origin is the request's,
	// "null" once redirect-tainted (step 1 clones the URL list). Firefox
	// departs from step 1: its preflight channel starts from the
	// document's principal (nsCORSListenerProxy.cpp StartCORSPreflight;
	// recorded: firefox/preflight-after-redirect/), so it sends and checks
	// the document's origin (PreflightPolicy.InitiatorOriginAfterTaint).
	origin := f.serializedOrigin()
	if f.c.profile.Preflight.InitiatorOriginAfterTaint {
		origin = f.c.origin.String()
	}
	preq, err := http.NewRequestWithContext(f.ctx, http.MethodOptions, u.StringWithoutFragment(), nil)
	if err != nil {
		return f.netError("the preflight cannot be built: "+err.Error(), "")
	}
	preq.Header = http.Header{}
	preq.Header.Set("Origin", origin)
	preq.Header.Set("Accept", "*/*")
	preq.Header.Set("Access-Control-Request-Method", f.method)
	// Step 5: the CORS-unsafe request-header names, a set; Firefox lists a
	// name per unsafe header line (safelist.Rules.ListNamePerUnsafeLine).
	if len(unsafe) > 0 {
		preq.Header.Set("Access-Control-Request-Headers", safelist.SerializeNames(f.rules().RequestHeadersNames(f.header, unsafe)))
	}
	// The headers the browser adds itself, with the request's referrer
	// (step 3: "referrer is request's referrer"); Sec-Fetch-Mode is cors.
	f.addBrowserHeaders(preq.Header, "cors", "")
	// Step 6: HTTP-network-or-cache fetch, without credentials: no
	// cookies go out and none are stored. The body is not read.
	status, header, body, _, err := f.roundTrip(preq, true)
	if err != nil {
		return err
	}
	body.Close()
	f.tr.add(secPreflight, "cors-preflight-fetch-0", "the preflight was sent",
		in("request", "OPTIONS "+u.StringWithoutFragment()),
		in("Origin", origin),
		in("Access-Control-Request-Method", f.method),
		in("Access-Control-Request-Headers", safelist.SerializeNames(unsafe)),
		in("response status", strconv.Itoa(status)))
	loc, _ := httpheader.Get(header, "Location")
	resp := enforce.PreflightResponse{Status: status, Header: header, Redirect: redirect.IsRedirectStatus(status) && loc != ""}
	preqInfo := enforce.PreflightRequest{
		Method:              f.method,
		UnsafeHeaderNames:   unsafe,
		IncludeCredentials:  f.includeCredentials(),
		Origin:              origin,
		HeaderNames:         f.namesAsMade(),
		OverLimitNames:      f.overLimitNames(unsafe),
		FirstURLTrustworthy: f.firstURLTrustworthy(),
	}
	allow, cerr := enforce.CheckPreflight(f.c.profile.Preflight, preqInfo, resp)
	inputs := []Input{
		in("status", strconv.Itoa(status)),
		in("Access-Control-Allow-Origin", headerOrAbsent(header, "Access-Control-Allow-Origin")),
		in("Access-Control-Allow-Credentials", headerOrAbsent(header, "Access-Control-Allow-Credentials")),
		in("Access-Control-Allow-Methods", headerOrAbsent(header, "Access-Control-Allow-Methods")),
		in("Access-Control-Allow-Headers", headerOrAbsent(header, "Access-Control-Allow-Headers")),
	}
	if cerr != nil {
		f.tr.block(secPreflight, "cors-preflight-fetch-0", "blocked: "+cerr.Sentence(), inputs...)
		if allow.Parsed {
			// WebKit caches what the response allows before the method and
			// header checks (enforce.PreflightPolicy.
			// CacheBeforeMethodAndHeaderChecks); the standard does not.
			f.cachePreflight(key, creq, now, allow, header)
		}
		return f.corsError(cerr)
	}
	f.tr.add(secPreflight, "cors-preflight-fetch-0", "the preflight response allows the request: "+allowedBecause(f.method, unsafe, allow), inputs...)
	// Step 7.8-7.10: cache what the preflight allows.
	f.cachePreflight(key, creq, now, allow, header)
	return nil
}

// cachePreflight stores what a preflight response allows under its
// Access-Control-Max-Age: CORS-preflight fetch, steps 7.8-7.10.
func (f *fetchState) cachePreflight(key preflightcache.Key, creq preflightcache.Request, now time.Time, allow enforce.Allowance, header http.Header) {
	age, cacheable := preflightcache.ParseMaxAge(f.c.profile.Cache.MaxAge, allow.MaxAge)
	if cacheable {
		stored := f.c.cache.Store(key, preflightcache.Result{
			Methods:     allow.Methods,
			Headers:     allow.Headers,
			Credentials: f.includeCredentials(),
			MaxAge:      age,
		}, creq, now)
		what := "the preflight result is cached for " + age.String()
		if !stored {
			// preflightcache.Cache.Store lists the policies' reasons (an
			// opaque origin, a long URL, Firefox's first result for a key).
			what = "the preflight result is not kept: the profile's cache policy declines it"
		}
		f.tr.add(secCache, "concept-cache-create-entry", what,
			in("Access-Control-Max-Age", headerOrAbsent(header, "Access-Control-Max-Age")))
	} else {
		f.tr.add(secCache, "concept-cache-create-entry", "the preflight result is not cached",
			in("Access-Control-Max-Age", headerOrAbsent(header, "Access-Control-Max-Age")))
	}
}

// allowedBecause says why a preflight response admits the request.
func allowedBecause(method string, unsafe []string, allow enforce.Allowance) string {
	var parts []string
	switch {
	case safelist.IsCORSSafelistedMethod(method):
		parts = append(parts, "method "+method+" is CORS-safelisted")
	case slices.Contains(allow.Methods, method):
		parts = append(parts, "method "+method+" is listed in Access-Control-Allow-Methods")
	default:
		parts = append(parts, "method "+method+" is covered by Access-Control-Allow-Methods: *")
	}
	for _, h := range unsafe {
		if httpheader.ContainsFold(allow.Headers, h) {
			parts = append(parts, "header "+h+" is listed in Access-Control-Allow-Headers")
		} else {
			parts = append(parts, "header "+h+" is covered by Access-Control-Allow-Headers: *")
		}
	}
	return strings.Join(parts, "; ")
}

// overLimitNames returns the names of unsafe that are CORS-unsafe only
// because the safelisted values of the header list total more than 1024
// bytes, when the profile's DisallowedHeaderOrder needs them
// (enforce.PreflightRequest.OverLimitNames), else nil.
func (f *fetchState) overLimitNames(unsafe []string) []string {
	if f.c.profile.Preflight.DisallowedHeaderOrder == enforce.SortedHeaderOrder || len(unsafe) < 2 {
		return nil // the order of one name, or the sorted order, needs none
	}
	rules := f.rules()
	rules.NoSafelistedValueTotal = true // leaves the names unsafe on their own
	own := rules.CORSUnsafeRequestHeaderNames(f.header)
	if len(own) == len(unsafe) {
		return nil
	}
	var over []string
	for _, name := range unsafe {
		if !slices.Contains(own, name) {
			over = append(over, name)
		}
	}
	return over
}

// namesAsMade returns the request's header names as the request was first
// made, when the profile's DisallowedHeaderOrder needs them
// (enforce.PreflightRequest.HeaderNames), else nil: the list kept before
// the first redirect changed the headers, or, before any, the current one.
func (f *fetchState) namesAsMade() []string {
	switch {
	case f.c.profile.Preflight.DisallowedHeaderOrder == enforce.SortedHeaderOrder:
		return nil
	case f.firstNames != nil:
		return f.firstNames
	}
	return sortedKeys(f.header)
}

// firstURLTrustworthy reports whether the first URL is http(s) with a
// potentially trustworthy origin (enforce.PreflightRequest.FirstURLTrustworthy).
func (f *fetchState) firstURLTrustworthy() bool {
	u := f.urls[0]
	return (u.Scheme() == "http" || u.Scheme() == "https") && u.Origin().IsPotentiallyTrustworthy()
}
