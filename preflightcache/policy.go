package preflightcache

import (
	"errors"
	"fmt"
	"strings"
)

// Limits the built-in policies use. Tests refer to them by name.
const (
	// ChromiumMaxEntries is kMaxCacheEntries in Chromium's preflight_cache.cc.
	ChromiumMaxEntries = 1024
	// FirefoxMaxEntries is PREFLIGHT_CACHE_SIZE in nsCORSListenerProxy.cpp.
	FirefoxMaxEntries = 100
	// ChromiumMaxURLLength is kMaxKeyLength in Chromium's preflight_cache.cc:
	// a URL whose serialization is this long or longer is never cached.
	ChromiumMaxURLLength = 1024
	// PurgeUnit is kPurgeUnit in Chromium's preflight_cache.cc: how many
	// entries one purge erases under EvictPurgeRun.
	PurgeUnit = 10
	// WebKitMaxEntries bounds WebKitPolicy's cache. WebKit sets no bound:
	// CrossOriginPreflightResultCache::appendEntry is a HashMap::set, and
	// an entry goes only when canSkipPreflight finds it stale or
	// insufficient, so a page making a million distinct preflights holds a
	// million entries. A simulator that a crawler runs for days cannot do
	// that; corsim keeps Chromium's kMaxCacheEntries, evicting expired
	// entries first (which WebKit would never reuse anyway), then the
	// oldest. Only a page with more than this many live preflights can
	// tell the difference, by a preflight WebKit would have skipped.
	WebKitMaxEntries = ChromiumMaxEntries
	// SpecMaxEntries bounds SpecPolicy's cache. The Fetch standard sets
	// no bound and lets the user agent remove entries early ("may be
	// removed before that moment arrives"); corsim uses Chromium's
	// kMaxCacheEntries, evicting expired entries first, then the oldest.
	SpecMaxEntries = ChromiumMaxEntries
)

// EvictionRule says which entries make room when a bounded cache is full and
// a preflight for a new key is stored.
type EvictionRule uint8

const (
	// EvictOldestInserted first drops every entry that can no longer hit
	// (the Fetch standard says expired entries "must be removed"), then the
	// entries whose key was stored first. Fetch leaves eviction to the user
	// agent ("may be removed before that moment arrives"); this is the
	// choice SpecPolicy makes when given a bound.
	EvictOldestInserted EvictionRule = iota
	// EvictLRU is Firefox's nsPreflightCache::GetEntry: when the table is
	// full, purge expired tokens from every entry and drop entries left
	// empty; if none was dropped, drop the least recently used entry. Both
	// Lookup and Store of a key count as a use.
	EvictLRU
	// EvictPurgeRun is Chromium's PreflightCache::MayPurge: when the cache
	// holds MaxEntries entries, erase a contiguous run of PurgeUnit entries
	// (fewer if the cache holds fewer) in key order, starting at a position
	// drawn from the random source (see WithRand). Chromium's std::map
	// orders keys by (url::Origin, URL, NetworkIsolationKey, address
	// space); this package orders by the byte-serialized origin, then URL,
	// then partition, which agrees except where url::Origin's field-wise
	// order differs from its serialization (e.g. ports 80 and 8080).
	EvictPurgeRun
	numEvictionRules
)

// MergeRule says what storing a new preflight result does to an existing
// entry for the same key.
type MergeRule uint8

const (
	// MergeReplace replaces the key's whole entry: methods, headers,
	// credentials and expiry. Chromium (PreflightCache::AppendEntry,
	// `cache_[key] = std::move(preflight_result)`) and WebKit
	// (CrossOriginPreflightResultCache::appendEntry, HashMap::set).
	MergeReplace MergeRule = iota
	// MergeSpec keeps one cache entry per method and per header name, each
	// with its own credentials flag and max-age, as the Fetch standard does
	// (CORS-preflight fetch, steps 7.12-7.15): a stored name that already
	// has a method or header-name cache entry match (including through a
	// `*` entry) refreshes the matching entries; other names get new
	// entries.
	MergeSpec
	// MergeFirefox keeps per-token expiry like the standard, but refreshes
	// only a token that is byte-for-byte equal to the stored one (header
	// names compared case-sensitively, no `*` matching), as Firefox's
	// nsCORSPreflightListener::AddResultToCache does.
	MergeFirefox
	numMergeRules
)

// WildcardRule says when a cached `*` in Access-Control-Allow-Methods or
// Access-Control-Allow-Headers covers a request on a cache hit.
type WildcardRule uint8

const (
	// WildcardAlways: a cached `*` covers any method and any header name
	// other than a CORS non-wildcard request-header name, whatever the
	// credentials. This is the Fetch text ("method cache entry match",
	// "header-name cache entry match"): only the cache entry match checks
	// credentials, so a `*` entry stored by a credentialed preflight (one
	// whose response also listed the method explicitly) covers later
	// credentialed requests.
	WildcardAlways WildcardRule = iota
	// WildcardUncredentialedEntry: `*` counts only in an entry stored
	// without credentials. Chromium's PreflightResult
	// (`!credentials_ && methods_.find("*")`, same for headers).
	WildcardUncredentialedEntry
	// WildcardUncredentialedRequest: `*` counts only when the request
	// being checked is not credentialed. WebKit's
	// CrossOriginPreflightResultCacheItem::allowsCrossOriginMethod and
	// validateCrossOriginHeaders test the request's
	// StoredCredentialsPolicy, not the entry's.
	WildcardUncredentialedRequest
	// WildcardNever: `*` is cached as a literal token and never acts as a
	// wildcard on a hit. Firefox's nsPreflightCache::CacheEntry::CheckRequest
	// compares tokens with Equals; the wildcard is honoured only while
	// checking a fresh preflight response.
	WildcardNever
	numWildcardRules
)

// ClearRule says which failed requests clear the cache entries for their
// origin and URL (https://fetch.spec.whatwg.org/#concept-cache-clear), with
// and without credentials. The cache does not know requests; the fetch
// engine reads the rule and calls Cache.Clear.
type ClearRule uint8

const (
	// ClearNever: a failure leaves the cache as it is. Chromium (recorded:
	// testdata/chromium/cache/preflight-passes-but-the-actual-request-
	// fails-the-cors-check-…: the next PUT is sent without a preflight)
	// and WebKit.
	ClearNever ClearRule = iota
	// ClearAfterPreflightPathFailure: a network error of a request that
	// took the preflight path (a CORS-unsafe method or header), whether
	// the preflight, the network or the CORS check of the response failed.
	// Fetch main fetch, step 12 ("use-CORS-preflight flag … If
	// corsWithPreflightResponse is a network error, then clear cache
	// entries using request").
	ClearAfterPreflightPathFailure
	// ClearAfterCORSFailure: every failure of a cross-origin cors-mode
	// request, preflighted or not, once it is on the wire or its
	// preflight is: Firefox attaches nsCORSListenerProxy to every such
	// channel, and its OnStartRequest calls
	// nsPreflightCache::RemoveEntries(final URI, requesting principal)
	// whenever CheckRequestApproved fails, which includes a channel whose
	// status is already a failure (a failed preflight cancels the
	// channel); AsyncOnChannelRedirect does the same for a redirect that
	// fails the CORS check (netwerk/protocol/http/nsCORSListenerProxy.cpp).
	// Recordings in testdata/firefox/cache agree (a PUT cached for 10 s is
	// preflighted again after a DELETE's preflight or a GET to the URL
	// failed), though they cannot tell this rule from Firefox not reusing
	// the first entry stored for a key (see FirefoxPolicy).
	ClearAfterCORSFailure
	numClearRules
)

// MethodSet is a small set of the CORS-safelisted methods GET, HEAD and POST,
// optionally compared ASCII case-insensitively.
type MethodSet uint8

const (
	MethodGET MethodSet = 1 << iota
	MethodHEAD
	MethodPOST
	// MethodsIgnoreCase is a flag, not a method: Contains compares ASCII
	// case-insensitively, as Chromium's IsCorsSafelistedMethod does
	// (base::ToUpperASCII before comparing).
	MethodsIgnoreCase

	methodSetAll = MethodGET | MethodHEAD | MethodPOST | MethodsIgnoreCase
)

// CORSSafelistedMethods is https://fetch.spec.whatwg.org/#cors-safelisted-method:
// `GET`, `HEAD` or `POST`, compared byte for byte.
const CORSSafelistedMethods = MethodGET | MethodHEAD | MethodPOST

// Contains reports whether method is in s. The comparison is byte for byte
// unless s has MethodsIgnoreCase.
func (s MethodSet) Contains(method string) bool {
	fold := s&MethodsIgnoreCase != 0
	match := func(name string) bool {
		if fold {
			return equalFoldASCII(method, name)
		}
		return method == name
	}
	return s&MethodGET != 0 && match("GET") ||
		s&MethodHEAD != 0 && match("HEAD") ||
		s&MethodPOST != 0 && match("POST")
}

// String lists the methods in s separated by spaces, followed by
// "(ignoring case)" when s has MethodsIgnoreCase.
func (s MethodSet) String() string {
	var names []string
	if s&MethodGET != 0 {
		names = append(names, "GET")
	}
	if s&MethodHEAD != 0 {
		names = append(names, "HEAD")
	}
	if s&MethodPOST != 0 {
		names = append(names, "POST")
	}
	if s&^methodSetAll != 0 {
		names = append(names, fmt.Sprintf("MethodSet(%#x)", uint8(s&^methodSetAll)))
	}
	out := strings.Join(names, " ")
	if s&MethodsIgnoreCase != 0 {
		if out != "" {
			out += " "
		}
		out += "(ignoring case)"
	}
	return out
}

// Policy configures a Cache. It is a small comparable value; the zero value
// is valid (spec parsing, unbounded, per-key replacement, nothing exempt,
// nothing cleared on failure) but
// matches no browser: start from one of the ready policies.
type Policy struct {
	// MaxAge is how Access-Control-Max-Age is read (see ParseMaxAge). Under
	// MaxAgeFirefox, Store also ignores a result whose age is zero:
	// Firefox's AddResultToCache returns before touching the cache.
	MaxAge MaxAgeRule
	// MaxEntries bounds the number of entries (keys); 0 means unbounded,
	// which no ready policy is: memory must stay bounded when servers
	// control what is stored. Chromium 1024 (kMaxCacheEntries), Firefox
	// 100 (PREFLIGHT_CACHE_SIZE); WebKit and the spec set no limit, and
	// corsim chooses WebKitMaxEntries and SpecMaxEntries.
	MaxEntries int
	// Eviction chooses what makes room when MaxEntries is reached.
	Eviction EvictionRule
	// Merge says how a new preflight result combines with the key's entry.
	Merge MergeRule
	// CredentialsInKey makes the credentials mode part of the key: an entry
	// stored by a credentialed preflight serves only credentialed requests
	// and vice versa. Firefox (GetPrefLightCacheKey(uri, withCredentials,
	// …)). Otherwise, as in the spec ("cache entry match"), Chromium
	// (PreflightResult::EnsureAllowedRequest) and WebKit (allowsRequest),
	// an entry stored with credentials serves both kinds of request and
	// one stored without serves only requests without.
	CredentialsInKey bool
	// MaxURLLength: a URL this long or longer is never cached; 0 means no
	// limit. Chromium 1024 (kMaxKeyLength, `url_spec.length() >=
	// kMaxKeyLength`).
	MaxURLLength int
	// EraseOnMiss erases an entry that Lookup finds stale or insufficient.
	// Chromium (CheckIfRequestCanSkipPreflight: `cache_.erase`) and WebKit
	// (canSkipPreflight: `m_preflightHashMap.remove`).
	EraseOnMiss bool
	// ExemptMethodsOnHit lists methods that need no cached method to hit.
	// Spec (HTTP fetch step 4.1: a CORS-safelisted method needs no method
	// cache entry match), Chromium (IsCorsSafelistedMethod, which ignores
	// case) and WebKit (isOnAccessControlSimpleRequestMethodAllowlist): GET,
	// HEAD and POST. Firefox (CheckRequest): only GET and POST.
	ExemptMethodsOnHit MethodSet
	// WildcardOnHit says when a cached `*` covers a request.
	WildcardOnHit WildcardRule
	// WildcardCoversAuthorizationOnHit lets a cached `*` in
	// Access-Control-Allow-Headers cover `Authorization`. Spec: false (the
	// CORS non-wildcard request-header name). Chromium: false, because its
	// cache lookups always pass NonWildcardRequestHeadersSupport(true),
	// even though a fresh preflight lets `*` cover it by default. WebKit:
	// true (validateCrossOriginHeaders has no exception). Firefox: true,
	// the default of network.cors_preflight.authorization_covered_by_wildcard
	// since Firefox 115 (MDN "Firefox experimental features"), though it
	// has no effect on hits because Firefox never honours a cached `*`.
	WildcardCoversAuthorizationOnHit bool
	// NoCacheForOpaqueOrigins never stores or reuses a preflight made by a
	// request from an opaque origin. Chromium, as recorded in
	// testdata/chromium/opaque-origin/opaque-origin-preflighted-put-
	// preflight-cached-for-10-s-second-put-at-0-5-s.json: with
	// Access-Control-Max-Age 10, a second PUT at 0.5 s is preflighted
	// again. Firefox too, as recorded in testdata/firefox/mixed-cache/
	// mixed-cache-017-from-null-…: a PUT at 3.7 s is preflighted again
	// although a preflight at 1.2 s (the key's second, so kept under
	// FirstResultUnused) allowed it for 5 s; no Firefox recording from an
	// opaque origin reuses a preflight. The spec and WebKit key such
	// requests on "null".
	NoCacheForOpaqueOrigins bool
	// ClearOnFailure says which failed requests clear their entries.
	ClearOnFailure ClearRule
	// FirstResultUnused drops the first result stored for each key (URL,
	// origin, partition and, under CredentialsInKey, credentials mode) in
	// the cache's life; every later result for that key is stored as
	// usual, even after the key's entry was cleared or expired. Firefox
	// 153.8.0esr, recorded: a second request within Max-Age is
	// preflighted again and a third is not
	// (testdata/firefox/cache/first-result-*), per key (another URL's or
	// the other credentials mode's result does not count), and a key
	// cleared after a CORS failure is not first again. Nothing in
	// nsCORSListenerProxy.cpp explains it; the spec and the other
	// browsers store every result.
	FirstResultUnused bool
}

// SpecPolicy is the Fetch standard's CORS-preflight cache
// (https://fetch.spec.whatwg.org/#concept-cache), bounded to SpecMaxEntries
// (the standard imposes no limit but lets entries go early).
func SpecPolicy() Policy {
	return Policy{
		MaxAge:                           MaxAgeSpec,
		MaxEntries:                       SpecMaxEntries,
		Eviction:                         EvictOldestInserted,
		Merge:                            MergeSpec,
		CredentialsInKey:                 false,
		MaxURLLength:                     0,
		EraseOnMiss:                      false,
		ExemptMethodsOnHit:               CORSSafelistedMethods,
		WildcardOnHit:                    WildcardAlways,
		WildcardCoversAuthorizationOnHit: false,
		NoCacheForOpaqueOrigins:          false,
		ClearOnFailure:                   ClearAfterPreflightPathFailure,
	}
}

// ChromiumPolicy is Chromium's network-service preflight cache
// (services/network/cors/preflight_cache.cc).
func ChromiumPolicy() Policy {
	return Policy{
		MaxAge:                           MaxAgeChromium,
		MaxEntries:                       ChromiumMaxEntries,
		Eviction:                         EvictPurgeRun,
		Merge:                            MergeReplace,
		CredentialsInKey:                 false,
		MaxURLLength:                     ChromiumMaxURLLength,
		EraseOnMiss:                      true,
		ExemptMethodsOnHit:               CORSSafelistedMethods | MethodsIgnoreCase,
		WildcardOnHit:                    WildcardUncredentialedEntry,
		WildcardCoversAuthorizationOnHit: false,
		NoCacheForOpaqueOrigins:          true,
		ClearOnFailure:                   ClearNever,
	}
}

// FirefoxPolicy is Firefox's nsPreflightCache
// (netwerk/protocol/http/nsCORSListenerProxy.cpp).
//
// Why Firefox seems not to reuse an entry within its Max-Age: the entry is
// keyed by "cred"/"nocred", the requesting principal's scheme, host and
// port, the request URL and the OriginAttributes suffix
// (BasePrincipal::GetPrefLightCacheKey), so credentials and the user
// context (container, private browsing, network partition) split entries;
// a Max-Age with any byte other than a digit (3.5, 1e1, 0x10, -1, two
// header lines) is not cached at all rather than read as 5 s; every method
// and header token carries its own expiry, TimeStamp::NowLoRes() at the
// preflight response plus the age in whole seconds (on Linux a
// CLOCK_MONOTONIC reading in nanoseconds: no rounding), compared with
// `now >= expirationTime`; a cached `*` is a literal token that matches no
// request; HEAD is not exempt on a hit; and any failed CORS request to the
// URL, even one whose own preflight failed, removes its entries
// (ClearAfterCORSFailure). The table holds 100 keys, least recently used
// out first. A recording whose later step started late (a loaded machine)
// also looks like an early expiry: the recorder warns about such steps.
//
// One recorded rule the source does not explain is modelled apart:
// Firefox 153.8.0esr drops the first result stored for each key
// (FirstResultUnused), both over WebDriver BiDi and in a page run without
// the remote agent.
func FirefoxPolicy() Policy {
	return Policy{
		MaxAge:                           MaxAgeFirefox,
		MaxEntries:                       FirefoxMaxEntries,
		Eviction:                         EvictLRU,
		Merge:                            MergeFirefox,
		CredentialsInKey:                 true,
		MaxURLLength:                     0,
		EraseOnMiss:                      false,
		ExemptMethodsOnHit:               MethodGET | MethodPOST,
		WildcardOnHit:                    WildcardNever,
		WildcardCoversAuthorizationOnHit: true,
		NoCacheForOpaqueOrigins:          true,
		ClearOnFailure:                   ClearAfterCORSFailure,
		FirstResultUnused:                true,
	}
}

// WebKitPolicy is WebKit's CrossOriginPreflightResultCache
// (Source/WebCore/loader/CrossOriginPreflightResultCache.cpp), bounded to
// WebKitMaxEntries (WebKit has no bound).
func WebKitPolicy() Policy {
	return Policy{
		MaxAge:                           MaxAgeWebKit,
		MaxEntries:                       WebKitMaxEntries,
		Eviction:                         EvictOldestInserted,
		Merge:                            MergeReplace,
		CredentialsInKey:                 false,
		MaxURLLength:                     0,
		EraseOnMiss:                      true,
		ExemptMethodsOnHit:               CORSSafelistedMethods,
		WildcardOnHit:                    WildcardUncredentialedRequest,
		WildcardCoversAuthorizationOnHit: true,
		NoCacheForOpaqueOrigins:          false,
		ClearOnFailure:                   ClearNever,
	}
}

// Validate reports every field of p that is out of range, joined, or nil
// when p is usable.
func (p Policy) Validate() error {
	var errs []error
	if p.MaxAge >= numMaxAgeRules {
		errs = append(errs, fmt.Errorf("preflightcache: Policy.MaxAge %d is not a MaxAgeRule", p.MaxAge))
	}
	if p.MaxEntries < 0 {
		errs = append(errs, fmt.Errorf("preflightcache: Policy.MaxEntries %d is negative (use 0 for unbounded)", p.MaxEntries))
	}
	if p.Eviction >= numEvictionRules {
		errs = append(errs, fmt.Errorf("preflightcache: Policy.Eviction %d is not an EvictionRule", p.Eviction))
	}
	if p.Merge >= numMergeRules {
		errs = append(errs, fmt.Errorf("preflightcache: Policy.Merge %d is not a MergeRule", p.Merge))
	}
	if p.MaxURLLength < 0 {
		errs = append(errs, fmt.Errorf("preflightcache: Policy.MaxURLLength %d is negative (use 0 for no limit)", p.MaxURLLength))
	}
	if p.ExemptMethodsOnHit&^methodSetAll != 0 {
		errs = append(errs, fmt.Errorf("preflightcache: Policy.ExemptMethodsOnHit has unknown bits %#x", uint8(p.ExemptMethodsOnHit&^methodSetAll)))
	}
	if p.WildcardOnHit >= numWildcardRules {
		errs = append(errs, fmt.Errorf("preflightcache: Policy.WildcardOnHit %d is not a WildcardRule", p.WildcardOnHit))
	}
	if p.ClearOnFailure >= numClearRules {
		errs = append(errs, fmt.Errorf("preflightcache: Policy.ClearOnFailure %d is not a ClearRule", p.ClearOnFailure))
	}
	return errors.Join(errs...)
}
