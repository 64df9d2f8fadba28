package preflightcache

// Slow, literal transcriptions of the four Access-Control-Max-Age readers.
// Unlike maxage.go they build the combined header value the way each HTTP
// stack does and then run a line-by-line copy of the browser's parser, so
// the shortcuts maxage.go takes (for example "two lines always fail") are
// checked rather than assumed. FuzzParseMaxAge and the rapid properties
// compare the two.

import (
	"math"
	"math/big"
	"regexp"
	"strings"
	"time"
)

// slowMaxAge returns what rule's browser does with the header lines: the
// lifetime and whether the result is written to the cache at all.
func slowMaxAge(rule MaxAgeRule, values []string) (time.Duration, bool) {
	normalized := make([]string, len(values))
	for i, v := range values {
		normalized[i] = strings.Trim(v, "\t\n\r ")
	}
	var age time.Duration
	switch rule {
	case MaxAgeSpec:
		age = slowSpecMaxAge(normalized)
	case MaxAgeChromium:
		age = slowChromiumMaxAge(normalized)
	case MaxAgeFirefox:
		age = slowFirefoxMaxAge(normalized)
	case MaxAgeWebKit:
		age = slowWebKitMaxAge(normalized)
	default:
		return 0, false
	}
	return age, age > 0
}

var deltaSeconds = regexp.MustCompile(`^[0-9]+$`)

// slowSpecMaxAge: Fetch CORS-preflight fetch steps 7.8-7.10 with "extract
// header list values" and RFC 9111's delta-seconds.
func slowSpecMaxAge(values []string) time.Duration {
	if len(values) == 0 { // null
		return 5 * time.Second
	}
	if len(values) > 1 { // single-value ABNF, more than one header: failure
		return 5 * time.Second
	}
	if !deltaSeconds.MatchString(values[0]) { // failure
		return 5 * time.Second
	}
	n, _ := new(big.Int).SetString(values[0], 10)
	limit := big.NewInt(1 << 31)
	if n.Cmp(limit) > 0 {
		n = limit
	}
	return time.Duration(n.Int64()) * time.Second
}

// slowChromiumMaxAge: GetNormalizedHeader joins every line with ", ", then
// ParseAccessControlMaxAge.
func slowChromiumMaxAge(values []string) time.Duration {
	if len(values) == 0 {
		return 5 * time.Second // !max_age → kDefaultTimeout
	}
	joined := strings.Join(values, ", ")
	seconds, valid := slowStringToInt64(joined)
	if !valid {
		return 5 * time.Second
	}
	if seconds < 0 {
		return 0
	}
	if seconds >= 7200 {
		return 2 * time.Hour
	}
	return time.Duration(seconds) * time.Second
}

// slowStringToInt64 copies base::internal::StringToNumber<int64_t, 10>.
func slowStringToInt64(input string) (int64, bool) {
	hasLeadingWhitespace := false
	begin := 0
	for begin != len(input) && strings.IndexByte(" \t\n\v\f\r", input[begin]) >= 0 {
		hasLeadingWhitespace = true
		begin++
	}
	if begin != len(input) && input[begin] == '-' {
		v, ok := slowInvoke(input[begin+1:], true)
		return v, ok && !hasLeadingWhitespace
	}
	if begin != len(input) && input[begin] == '+' {
		begin++
	}
	v, ok := slowInvoke(input[begin:], false)
	return v, ok && !hasLeadingWhitespace
}

// slowInvoke copies StringToNumberParser::Base<Sign>::Invoke for base 10.
func slowInvoke(s string, negative bool) (int64, bool) {
	var value int64
	if len(s) == 0 {
		return value, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return value, false
		}
		digit := int64(c - '0')
		if i != 0 {
			if negative {
				// Negative::CheckBounds
				if value < math.MinInt64/10 || value == math.MinInt64/10 && digit > -(math.MinInt64%10) {
					return math.MinInt64, false
				}
			} else {
				// Positive::CheckBounds
				if value > math.MaxInt64/10 || value == math.MaxInt64/10 && digit > math.MaxInt64%10 {
					return math.MaxInt64, false
				}
			}
			value *= 10
		}
		if negative {
			value -= digit
		} else {
			value += digit
		}
	}
	return value, true
}

// slowFirefoxMaxAge: nsHttpHeaderArray merging, then AddResultToCache. A
// zero result means "return without caching".
func slowFirefoxMaxAge(values []string) time.Duration {
	// The first line creates the header entry; later lines go through
	// MergeHeader.
	headerVal := ""
	for i, value := range values {
		if i == 0 {
			headerVal = value
			continue
		}
		if value == "" { // merge of empty header = no-op
			continue
		}
		if headerVal != "" {
			headerVal += ", "
		}
		headerVal += value
	}
	var age uint32
	if headerVal == "" {
		age = 5
	} else {
		for i := 0; i < len(headerVal); i++ {
			if headerVal[i] < '0' || headerVal[i] > '9' {
				return 0
			}
			age = age*10 + uint32(headerVal[i]-'0')
			age = min(age, 86400)
		}
	}
	if age == 0 {
		return 0
	}
	return time.Duration(age) * time.Second
}

// slowWebKitMaxAge: HTTPHeaderMap::add joins with ", ", then
// parseAccessControlMaxAge and the cap in CrossOriginPreflightResultCacheItem.
func slowWebKitMaxAge(values []string) time.Duration {
	if len(values) == 0 {
		return 5 * time.Second // null String: parseInteger fails
	}
	parsed, ok := slowParseInteger(strings.Join(values, ", "))
	if !ok {
		return 5 * time.Second
	}
	expiryDelta := float64(parsed) // Seconds(static_cast<double>(…))
	if expiryDelta > 600 {
		expiryDelta = 600
	}
	if expiryDelta <= 0 {
		return 0 // expiry at or before now: never usable
	}
	return time.Duration(expiryDelta) * time.Second
}

// slowParseInteger copies WTF::parseInteger<int64_t>(span, 10,
// TrailingJunkPolicy::Disallow, ParseIntegerWhitespacePolicy::Allow).
func slowParseInteger(data string) (int64, bool) {
	isWS := func(c byte) bool { return strings.IndexByte(" \t\n\v\f\r", c) >= 0 }
	for len(data) > 0 && isWS(data[0]) {
		data = data[1:]
	}
	isNegative := false
	if len(data) > 0 && data[0] == '-' {
		isNegative, data = true, data[1:]
	} else if len(data) > 0 && data[0] == '+' {
		data = data[1:]
	}
	isDigit := func(c byte) bool { return '0' <= c && c <= '9' }
	if !(len(data) > 0 && isDigit(data[0])) {
		return 0, false
	}
	value := new(big.Int) // Checked<int64_t, RecordOverflow>
	overflowed := false
	for {
		c := data[0]
		data = data[1:]
		value.Mul(value, big.NewInt(10))
		if isNegative {
			value.Sub(value, big.NewInt(int64(c-'0')))
		} else {
			value.Add(value, big.NewInt(int64(c-'0')))
		}
		if !value.IsInt64() {
			overflowed = true
		}
		if !(len(data) > 0 && isDigit(data[0])) {
			break
		}
	}
	if overflowed {
		return 0, false
	}
	for len(data) > 0 && isWS(data[0]) {
		data = data[1:]
	}
	if len(data) > 0 {
		return 0, false
	}
	return value.Int64(), true
}
