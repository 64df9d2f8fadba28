package safelist

// Rules selects where classification follows a browser instead of the Fetch
// standard. Rules is a small comparable value; the zero Rules is the spec, and
// every package-level function equals the same method on Rules{}.
type Rules struct {
	// ForbidUserAgent makes `User-Agent` a forbidden request-header name, as
	// in Chromium: net/http/http_util.cc keeps "user-agent" in
	// kForbiddenHeaderFields ("This is no longer banned, but still here due to
	// issues mentioned in https://crbug.com/571722"), and HttpUtil::IsSafeHeader
	// rejects it. Fetch and Firefox let scripts set it, so it then counts as a
	// CORS-unsafe request header.
	ForbidUserAgent bool

	// ChromiumClientHints safelists the extra request headers Chromium's
	// IsCorsSafelistedHeader accepts
	// (services/network/public/cpp/cors/cors.cc, the revision with "range" in
	// its safe_names set): `intervention` (any value); `device-memory`,
	// `dpr` and `downlink` when the value matches 1*DIGIT ["." 1*DIGIT];
	// `width`, `viewport-width` and `rtt` when it matches 1*DIGIT; `ect` when
	// it is exactly one of `slow-2g`, `2g`, `3g`, `4g`
	// (kWebEffectiveConnectionTypeMapping,
	// services/network/public/cpp/client_hints.cc); `save-data` when it is a
	// byte-case-insensitive match for `on`; and the listed `sec-ch-*` client
	// hints (any value). The 128-byte value limit applies to all of them
	// first, as in cors.cc.
	ChromiumClientHints bool

	// WebKitValueLimits applies WebKit's own value checks for `Accept`,
	// `Accept-Language` and `Content-Language` (isValidAcceptHeaderValue and
	// isValidLanguageHeaderValue, Source/WebCore/platform/network/HTTPParsers.cpp,
	// called from isCrossOriginSafeRequestHeader).
	//
	// Verified result: both functions accept exactly the bytes Fetch accepts.
	// isValidAcceptHeaderValue rejects controls other than HT, DEL and the
	// RFC 7230 delimiters except ",/;=", which is the CORS-unsafe request-header
	// byte set; isValidLanguageHeaderValue allows ASCII alphanumerics and
	// " *,-.;=", which is Fetch's list. This holds in the WebKit/WebKit
	// revision 462a6698 and in a 2024-2025 copy of the file vendored by Bun. The flag
	// therefore changes no result today; it exists so a WebKit profile can
	// name the rule, and a test pins its agreement with the spec. Not modelled
	// for lack of a verifiable current WebKit source: WebKit's Range check
	// (parseRange with RangeAllowWhitespace::No, which in the copy seen matches
	// "bytes" case-insensitively) and its Content-Type check (ParsedContentType).
	// Old WebKit (revision 462a6698) had no 128-byte limit and no Range entry.
	WebKitValueLimits bool

	// Range is how a `Range` value is judged safelisted; see RangeRule.
	Range RangeRule

	// ReplaceSingletonRequestHeaders follows Firefox for repeated request
	// headers set by script, in two places:
	//
	//   - CombineRequestHeader: for a necko singleton header name
	//     (nsHttpHeaderArray::IsSingletonHeader in
	//     netwerk/protocol/http/nsHttpHeaderArray.h: Content-Type,
	//     Content-Disposition, Content-Length, User-Agent, Referer, Host,
	//     Authorization, Proxy-Authorization, If-Modified-Since,
	//     If-Unmodified-Since, From, Location, Max-Forwards, Sec-GPC) a later
	//     value replaces the earlier one instead of being appended with ", "
	//     (nsHttpHeaderArray::SetHeader with merge set, as FetchDriver's
	//     SetRequestHeaders calls it for a repeated name). Strict-Transport-
	//     Security, an ignore-multiple header, keeps its first value.
	//   - CORSUnsafeRequestHeaderNames: each header line is judged on its own,
	//     not the combined value (InternalHeaders::GetUnsafeHeaders in
	//     dom/fetch/InternalHeaders.cpp checks every list entry separately).
	//
	// Together these give the recorded Firefox behaviour: two appends of
	// "Content-Type: text/plain" are sent as one "text/plain" without a
	// preflight, while Fetch's combined "text/plain, text/plain" is not a
	// valid MIME type and needs one. Firefox's other merge quirks (an empty
	// value truncating an earlier one) are not modelled.
	ReplaceSingletonRequestHeaders bool

	// ListNamePerUnsafeLine writes a name into Access-Control-Request-
	// Headers once for each of its header lines judged unsafe (every line,
	// when the safelisted values exceed MaxSafelistedValueTotal), instead
	// of once: Firefox's InternalHeaders::GetUnsafeHeaders appends a name
	// per header-list entry and nsCORSListenerProxy::StartCORSPreflight
	// lower-cases and sorts them without removing duplicates (recorded:
	// firefox/request-headers/get-with-headers-x-b-1-x-a-2-x-b-3-…
	// sends "x-a,x-b,x-b"). The standard's CORS-unsafe request-header
	// names are a set.
	ListNamePerUnsafeLine bool

	// NoSafelistedValueTotal drops step 5 of CORS-unsafe request-header
	// names, which makes every safelisted header unsafe once their values
	// total more than MaxSafelistedValueTotal bytes. Firefox has no such
	// step: InternalHeaders::GetUnsafeHeaders (dom/fetch/InternalHeaders.cpp)
	// judges each header-list entry on its own (recorded: firefox/
	// safelist-limits/get-with-9-content-language-lines-of-120-bytes-…
	// is sent without a preflight).
	NoSafelistedValueTotal bool
}

// RangeRule says which `Range` values a browser safelists. The standard's
// "simple range header value" (https://fetch.spec.whatwg.org/#simple-range-header-value)
// is `bytes=`, then a start of decimal digits, `-`, and an optional end of
// digits, the end not below the start; its numbers have no bound.
type RangeRule uint8

const (
	// RangeStandard is the standard's rule.
	RangeStandard RangeRule = iota
	// RangeBelowMaxInt64 also requires each position to be below 2^63-1.
	// Chromium parses the value with net::HttpUtil::ParseRangeHeader,
	// which fails on an int64 overflow (recorded: chromium/safelist/get-
	// with-range-bytes-99999999999999999999-… is preflighted) and refuses
	// a position of exactly 2^63-1 as well (recorded: range/get-with-
	// range-bytes-9223372036854775807-… and …-0-9223372036854775807-…).
	RangeBelowMaxInt64
	// RangeUint64 also requires each position to fit in an unsigned
	// 64-bit integer (at most 2^64-1). Firefox does: nsContentUtils::
	// ParseSingleRangeRequest reads the positions as uint64_t (recorded:
	// firefox/range/range-bytes-18446744073709551615- and …-0-
	// 18446744073709551615 are not preflighted, …-18446744073709551616-
	// and …-0-18446744073709551616 are; leading zeros do not count).
	RangeUint64
	// RangeWebKit is WebKit's parseRange with RangeAllowWhitespace::No
	// (Source/WebCore/platform/network/HTTPParsers.cpp, called from
	// isCrossOriginSafeRequestHeader): "bytes" matched ASCII
	// case-insensitively, "=", a first position read by WTF's
	// parseInteger<long long> (an optional "+", decimal digits, fitting a
	// signed 64-bit integer, nothing else), "-", and an optional last
	// position of an optional "+" and digits, not below the first; a
	// suffix range ("bytes=-5") is not safelisted. Recorded (testdata/
	// webkit/range): "BYTES=0-1" and "bytes=+1-2" are not preflighted,
	// which the standard's byte-exact "bytes" and digits-only positions
	// would preflight; "bytes = 0-1", "bytes=0- 1", "bytes=0-1;",
	// "bytes=0x1-2", "bytes=10-5" and "bytes=-5" are;
	// "bytes=0-9223372036854775808" is not, so the last position is not
	// bounded.
	RangeWebKit
)
