// Package preflightcache simulates the CORS-preflight cache of the Fetch
// standard (https://fetch.spec.whatwg.org/#concept-cache) and of Chromium,
// Firefox and WebKit, which each keep it differently.
//
// A [Cache] is configured by a [Policy], a small comparable value. Four
// ready policies exist: [SpecPolicy], [ChromiumPolicy], [FirefoxPolicy] and
// [WebKitPolicy]. Every field of a Policy cites the code or text it follows.
//
// The cache holds no clock: [Cache.Store] and [Cache.Lookup] take the current
// time from the caller, so a simulation runs on a virtual clock. It holds no
// random source either: Chromium's random eviction draws from a function
// passed with [WithRand].
//
// The caller does the parsing that surrounds the cache: it extracts
// Access-Control-Allow-Methods and Access-Control-Allow-Headers from a
// successful preflight response into a [Result], turns the
// Access-Control-Max-Age header lines into a duration with [ParseMaxAge],
// and computes a request's CORS-unsafe request-header names for a
// [Request].
//
// Lookup answers one question: may this request skip its CORS preflight
// because of what an earlier preflight left in the cache? Ask it only for a
// request that needs a preflight otherwise (Fetch, HTTP fetch, step 4.1).
//
// Sources cited in this package:
//
//   - Fetch: https://fetch.spec.whatwg.org/ (CORS-preflight fetch and
//     CORS-preflight cache sections).
//   - Chromium: services/network/cors/preflight_cache.cc and
//     preflight_result.cc; base/strings/string_number_conversions_internal.h;
//     net/http/http_response_headers.cc (GetNormalizedHeader).
//   - Firefox: netwerk/protocol/http/nsCORSListenerProxy.cpp
//     (nsPreflightCache, AddResultToCache, StartCORSPreflight) and
//     nsHttpHeaderArray.h (MergeHeader).
//   - WebKit: Source/WebCore/loader/CrossOriginPreflightResultCache.cpp;
//     Source/WTF/wtf/text/StringToIntegerConversion.h (parseInteger);
//     Source/WebCore/platform/network/HTTPHeaderMap.cpp (add).
//   - Recorded browser behaviour: testdata/{chromium,firefox,webkit}/cache and
//     testdata/chromium/opaque-origin in this repository.
package preflightcache
