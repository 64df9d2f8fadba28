package preflightcache

import (
	"math"
	"time"
)

// MaxAgeRule says how the Access-Control-Max-Age header lines of a preflight
// response become a cache lifetime.
type MaxAgeRule uint8

const (
	// MaxAgeSpec is the Fetch standard (CORS-preflight fetch, steps
	// 7.8-7.10): the header must occur once and match delta-seconds
	// (1*DIGIT); absence or failure means 5 s. The limit the standard lets a
	// user agent impose is SpecMaxAgeCap, the largest value RFC 9111
	// §1.2.2 requires a delta-seconds parser to represent; this policy
	// imposes no lower limit of its own.
	MaxAgeSpec MaxAgeRule = iota
	// MaxAgeChromium is PreflightResult's ParseAccessControlMaxAge: the
	// lines joined with ", " (HttpResponseHeaders::GetNormalizedHeader),
	// parsed by base::StringToInt64; failure means 5 s, a negative value
	// 0 s, and values of 7200 s or more are capped at 7200 s.
	MaxAgeChromium
	// MaxAgeFirefox is nsCORSPreflightListener::AddResultToCache: the lines
	// merged by nsHttpHeaderArray (empty lines skipped, others joined with
	// ", "); an empty value means 5 s; any byte other than 0-9 means the
	// result is not cached at all; digits accumulate capped at 86400 s; a
	// zero age is not cached.
	MaxAgeFirefox
	// MaxAgeWebKit is CrossOriginPreflightResultCache's
	// parseAccessControlMaxAge: the lines joined with ", " (HTTPHeaderMap),
	// parsed by WTF::parseInteger<int64_t> (surrounding ASCII whitespace
	// and a leading '+' or '-' allowed); failure means 5 s; values above
	// 600 s are capped at 600 s; a negative value gives an entry that has
	// already expired.
	MaxAgeWebKit
	numMaxAgeRules
)

// Max-Age defaults and caps. Tests refer to them by name.
const (
	// DefaultMaxAge applies when Access-Control-Max-Age is absent or (except
	// for Firefox) unparsable. Fetch: CORS-preflight fetch, step 7.9;
	// Chromium kDefaultTimeout; Firefox PREFLIGHT_DEFAULT_EXPIRY_SECONDS;
	// WebKit defaultPreflightCacheTimeout.
	DefaultMaxAge = 5 * time.Second
	// SpecMaxAgeCap is 2^31 seconds: RFC 9111 §1.2.2 says a delta-seconds
	// value too large to represent is taken as 2147483648.
	SpecMaxAgeCap = 1 << 31 * time.Second
	// ChromiumMaxAgeCap is kMaxTimeout (base::Hours(2)).
	ChromiumMaxAgeCap = 2 * time.Hour
	// FirefoxMaxAgeCap is the 86400 s clamp in AddResultToCache.
	FirefoxMaxAgeCap = 24 * time.Hour
	// WebKitMaxAgeCap is maxPreflightCacheTimeout.
	WebKitMaxAgeCap = 600 * time.Second
)

// Cap returns the largest age ParseMaxAge returns under r, or 0 for an
// unknown rule.
func (r MaxAgeRule) Cap() time.Duration {
	switch r {
	case MaxAgeSpec:
		return SpecMaxAgeCap
	case MaxAgeChromium:
		return ChromiumMaxAgeCap
	case MaxAgeFirefox:
		return FirefoxMaxAgeCap
	case MaxAgeWebKit:
		return WebKitMaxAgeCap
	}
	return 0
}

// ParseMaxAge turns the raw Access-Control-Max-Age header lines of a
// successful preflight response into the lifetime its result is cached for,
// as rule says (https://fetch.spec.whatwg.org/#http-access-control-max-age).
// values holds one string per header line, in order; nil or empty means the
// header is absent. Each line is first normalized as Fetch normalizes header
// values (leading and trailing HTTP whitespace removed), which is what every
// browser's HTTP parser hands to these parsers.
//
// age is never negative and never above rule.Cap(). cacheable reports
// whether age is positive, that is whether the result can ever hit. A
// result that is not cacheable may still change the cache when stored:
// under MergeReplace it replaces the key's entry with one that never hits
// (Chromium and WebKit store it), under MergeSpec it expires the entries it
// matches. Only under MaxAgeFirefox does Store leave the cache untouched.
// An unknown rule gives (0, false).
//
// The work is one scan of one line, with no allocation, so no input is too
// long to parse.
func ParseMaxAge(rule MaxAgeRule, values []string) (age time.Duration, cacheable bool) {
	switch rule {
	case MaxAgeSpec:
		age = specMaxAge(values)
	case MaxAgeChromium:
		age = chromiumMaxAge(values)
	case MaxAgeFirefox:
		age = firefoxMaxAge(values)
	case MaxAgeWebKit:
		age = webkitMaxAge(values)
	default:
		return 0, false
	}
	return age, age > 0
}

// specMaxAge follows https://fetch.spec.whatwg.org/#cors-preflight-fetch-0
// steps 7.8-7.10 with https://fetch.spec.whatwg.org/#extract-header-list-values.
func specMaxAge(values []string) time.Duration {
	// Fetch: extract header list values, step 1: absent → null.
	// Fetch: CORS-preflight fetch, step 7.9: null → 5.
	if len(values) == 0 {
		return DefaultMaxAge
	}
	// Fetch: extract header list values, step 2: the ABNF allows a single
	// header and the list contains more than one → failure → 5.
	if len(values) > 1 {
		return DefaultMaxAge
	}
	// Access-Control-Max-Age = delta-seconds = 1*DIGIT.
	v := normalizeHeaderValue(values[0])
	if v == "" {
		return DefaultMaxAge
	}
	const capSeconds = int64(SpecMaxAgeCap / time.Second)
	var secs int64
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < '0' || c > '9' {
			return DefaultMaxAge
		}
		// RFC 9111 §1.2.2: too large to represent counts as 2^31; also
		// Fetch: CORS-preflight fetch, step 7.10 (the imposed limit).
		secs = min(secs*10+int64(c-'0'), capSeconds)
	}
	return time.Duration(secs) * time.Second
}

// chromiumMaxAge is Chromium's ParseAccessControlMaxAge.
func chromiumMaxAge(values []string) time.Duration {
	// Header absent: kDefaultTimeout.
	if len(values) == 0 {
		return DefaultMaxAge
	}
	// GetNormalizedHeader joins repeated lines with ", "; the comma makes
	// StringToInt64 fail → kDefaultTimeout.
	if len(values) > 1 {
		return DefaultMaxAge
	}
	secs, ok := stringToInt64(normalizeHeaderValue(values[0]))
	if !ok {
		return DefaultMaxAge
	}
	// "Negative value doesn't make sense - use 0 instead, to represent that
	// the entry cannot be cached."
	if secs < 0 {
		return 0
	}
	// Compared in seconds before conversion, so there is no overflow.
	if secs >= int64(ChromiumMaxAgeCap/time.Second) {
		return ChromiumMaxAgeCap
	}
	return time.Duration(secs) * time.Second
}

// stringToInt64 is base::StringToInt64 (string_number_conversions_internal.h,
// StringToNumber with base 10): leading ASCII whitespace makes the result
// invalid; an optional '-' or '+'; then one or more digits and nothing else;
// overflow is invalid.
func stringToInt64(s string) (int64, bool) {
	if s != "" && isChromiumASCIIWhitespace(s[0]) {
		return 0, false
	}
	neg := false
	switch {
	case s != "" && s[0] == '-':
		neg, s = true, s[1:]
	case s != "" && s[0] == '+':
		s = s[1:]
	}
	if s == "" {
		return 0, false
	}
	var v int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d := int64(c - '0')
		if neg {
			if v < (math.MinInt64+d)/10 {
				return 0, false
			}
			v = v*10 - d
		} else {
			if v > (math.MaxInt64-d)/10 {
				return 0, false
			}
			v = v*10 + d
		}
	}
	return v, true
}

// firefoxMaxAge is nsCORSPreflightListener::AddResultToCache. A return of 0
// means "return without caching".
func firefoxMaxAge(values []string) time.Duration {
	// nsHttpHeaderArray::MergeHeader: merging an empty value is a no-op and
	// an empty existing value takes the new one without a separator; any
	// two non-empty lines are joined with ", ", whose ',' is not a digit →
	// not cached.
	v, n := "", 0
	for _, line := range values {
		if line = normalizeHeaderValue(line); line != "" {
			v, n = line, n+1
		}
	}
	if n > 1 {
		return 0
	}
	// `if (headerVal.IsEmpty()) age = PREFLIGHT_DEFAULT_EXPIRY_SECONDS;`
	// (GetResponseHeader also leaves it empty when the header is absent).
	if v == "" {
		return DefaultMaxAge
	}
	const capSeconds = int64(FirefoxMaxAgeCap / time.Second)
	var secs int64
	for i := 0; i < len(v); i++ {
		c := v[i]
		// `if (*iter < '0' || *iter > '9') return;`
		if c < '0' || c > '9' {
			return 0
		}
		// "Cap at 24 hours. This also avoids overflow"
		secs = min(secs*10+int64(c-'0'), capSeconds)
	}
	// `if (!age …) return;` — the caller reads 0 as not cached.
	return time.Duration(secs) * time.Second
}

// webkitMaxAge is WebKit's parseAccessControlMaxAge with the cap applied in
// CrossOriginPreflightResultCacheItem::create.
func webkitMaxAge(values []string) time.Duration {
	// httpHeaderField of an absent header is a null String: parseInteger
	// fails → defaultPreflightCacheTimeout.
	if len(values) == 0 {
		return DefaultMaxAge
	}
	// HTTPHeaderMap::add joins repeated lines with ", ": the ',' is
	// trailing junk, so parseInteger fails.
	if len(values) > 1 {
		return DefaultMaxAge
	}
	secs, ok := wtfParseInt64(normalizeHeaderValue(values[0]))
	if !ok {
		return DefaultMaxAge
	}
	// `if (expiryDelta > maxPreflightCacheTimeout) expiryDelta = max…`
	if secs > int64(WebKitMaxAgeCap/time.Second) {
		return WebKitMaxAgeCap
	}
	// A negative delta puts the expiry in the past: the entry is stored but
	// never hits, exactly like a zero age here.
	if secs < 0 {
		return 0
	}
	return time.Duration(secs) * time.Second
}

// wtfParseInt64 is WTF::parseInteger<int64_t>(StringView) in base 10 with
// TrailingJunkPolicy::Disallow and ParseIntegerWhitespacePolicy::Allow.
func wtfParseInt64(s string) (int64, bool) {
	// skipWhile<isUnicodeCompatibleASCIIWhitespace>
	for s != "" && isWebKitASCIIWhitespace(s[0]) {
		s = s[1:]
	}
	neg := false
	switch {
	case s != "" && s[0] == '-':
		neg, s = true, s[1:]
	case s != "" && s[0] == '+':
		s = s[1:]
	}
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0, false
	}
	var v int64
	overflow := false
	i := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		d := int64(s[i] - '0')
		// Checked<int64_t, RecordOverflow>: keep scanning, fail at the end.
		if neg {
			if v < (math.MinInt64+d)/10 {
				overflow = true
			}
			v = v*10 - d
		} else {
			if v > (math.MaxInt64-d)/10 {
				overflow = true
			}
			v = v*10 + d
		}
	}
	if overflow {
		return 0, false
	}
	for i < len(s) && isWebKitASCIIWhitespace(s[i]) {
		i++
	}
	if i != len(s) {
		return 0, false
	}
	return v, true
}

// normalizeHeaderValue is https://fetch.spec.whatwg.org/#concept-header-value-normalize:
// remove leading and trailing HTTP whitespace bytes (tab, LF, CR, space).
func normalizeHeaderValue(v string) string {
	for v != "" && isHTTPWhitespace(v[0]) {
		v = v[1:]
	}
	for v != "" && isHTTPWhitespace(v[len(v)-1]) {
		v = v[:len(v)-1]
	}
	return v
}

func isHTTPWhitespace(c byte) bool {
	return c == '\t' || c == '\n' || c == '\r' || c == ' '
}

// isChromiumASCIIWhitespace is base::IsAsciiWhitespace.
func isChromiumASCIIWhitespace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// isWebKitASCIIWhitespace is WTF::isUnicodeCompatibleASCIIWhitespace
// (isASCIIWhitespace plus vertical tab).
func isWebKitASCIIWhitespace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}
