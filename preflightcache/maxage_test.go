package preflightcache

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

var allMaxAgeRules = []MaxAgeRule{MaxAgeSpec, MaxAgeChromium, MaxAgeFirefox, MaxAgeWebKit}

// ageResult is ParseMaxAge's pair, for cmp.Diff.
type ageResult struct {
	Age       time.Duration
	Cacheable bool
}

func ok(d time.Duration) ageResult { return ageResult{d, d > 0} }

// notCached is a result that can never hit.
var notCached = ageResult{0, false}

func TestParseMaxAge(t *testing.T) {
	const s = time.Second
	def := ok(DefaultMaxAge)
	tests := []struct {
		name   string
		values []string
		// want is indexed by rule: spec, Chromium, Firefox, WebKit.
		want [4]ageResult
	}{
		{"absent_header_means_5_s", nil, [4]ageResult{def, def, def, def}},
		{"no_lines_means_absent", []string{}, [4]ageResult{def, def, def, def}},
		{"empty_value_means_5_s", []string{""}, [4]ageResult{def, def, def, def}},
		{"zero_is_never_usable", []string{"0"}, [4]ageResult{notCached, notCached, notCached, notCached}},
		{"one_second", []string{"1"}, [4]ageResult{ok(s), ok(s), ok(s), ok(s)}},
		// Spec: not delta-seconds → failure → 5. Chromium: negative → 0.
		// Firefox: '-' is not a digit → not cached. WebKit: parsed, expiry
		// in the past.
		{"negative_one", []string{"-1"}, [4]ageResult{def, notCached, notCached, notCached}},
		{"minus_zero", []string{"-0"}, [4]ageResult{def, notCached, notCached, notCached}},
		// "+5" gives 5 s everywhere but Firefox: by failure for the spec,
		// by parsing for Chromium and WebKit. "+7" tells them apart.
		{"plus_five", []string{"+5"}, [4]ageResult{def, ok(5 * s), notCached, ok(5 * s)}},
		{"plus_seven_is_accepted_by_chromium_and_webkit", []string{"+7"}, [4]ageResult{def, ok(7 * s), notCached, ok(7 * s)}},
		{"unit_suffix_10s", []string{"10s"}, [4]ageResult{def, def, notCached, def}},
		{"letters_abc", []string{"abc"}, [4]ageResult{def, def, notCached, def}},
		{"huge_value_is_capped", []string{"99999999999"},
			[4]ageResult{ok(SpecMaxAgeCap), ok(ChromiumMaxAgeCap), ok(FirefoxMaxAgeCap), ok(WebKitMaxAgeCap)}},
		{"beyond_int64_overflows_in_chromium_and_webkit", []string{"99999999999999999999"},
			[4]ageResult{ok(SpecMaxAgeCap), def, ok(FirefoxMaxAgeCap), def}},
		{"spec_cap_is_two_to_the_31_seconds", []string{"2147483649"},
			[4]ageResult{ok(SpecMaxAgeCap), ok(ChromiumMaxAgeCap), ok(FirefoxMaxAgeCap), ok(WebKitMaxAgeCap)}},
		{"list_in_one_line", []string{"10, 20"}, [4]ageResult{def, def, notCached, def}},
		{"two_header_lines", []string{"10", "20"}, [4]ageResult{def, def, notCached, def}},
		// Firefox drops empty lines when merging; the others see ", 10".
		{"empty_line_then_value", []string{"", "10"}, [4]ageResult{def, def, ok(10 * s), def}},
		{"value_then_empty_line", []string{"10", ""}, [4]ageResult{def, def, ok(10 * s), def}},
		{"surrounding_spaces_are_trimmed", []string{" \t10 "}, [4]ageResult{ok(10 * s), ok(10 * s), ok(10 * s), ok(10 * s)}},
		{"leading_zeros", []string{"007"}, [4]ageResult{ok(7 * s), ok(7 * s), ok(7 * s), ok(7 * s)}},
		{"chromium_cap_is_inclusive", []string{"7200"}, [4]ageResult{ok(7200 * s), ok(ChromiumMaxAgeCap), ok(7200 * s), ok(WebKitMaxAgeCap)}},
		{"just_under_chromium_cap", []string{"7199"}, [4]ageResult{ok(7199 * s), ok(7199 * s), ok(7199 * s), ok(WebKitMaxAgeCap)}},
		{"just_over_webkit_cap", []string{"601"}, [4]ageResult{ok(601 * s), ok(601 * s), ok(601 * s), ok(WebKitMaxAgeCap)}},
		{"just_over_firefox_cap", []string{"86401"}, [4]ageResult{ok(86401 * s), ok(ChromiumMaxAgeCap), ok(FirefoxMaxAgeCap), ok(WebKitMaxAgeCap)}},
		// Vertical tab is not HTTP whitespace: it survives normalization.
		// WebKit's parseInteger skips it, Chromium's rejects it.
		{"leading_vertical_tab", []string{"\v7"}, [4]ageResult{def, def, notCached, ok(7 * s)}},
		{"trailing_vertical_tab", []string{"7\v"}, [4]ageResult{def, def, notCached, ok(7 * s)}},
		{"sign_then_space", []string{"- 5"}, [4]ageResult{def, def, notCached, def}},
		{"two_signs", []string{"+-5"}, [4]ageResult{def, def, notCached, def}},
		{"int64_min_is_negative", []string{"-9223372036854775808"}, [4]ageResult{def, notCached, notCached, notCached}},
		{"below_int64_min_overflows", []string{"-9223372036854775809"}, [4]ageResult{def, def, notCached, def}},
		{"decimal_point", []string{"1.5"}, [4]ageResult{def, def, notCached, def}},
	}
	for _, tt := range tests {
		for i, rule := range allMaxAgeRules {
			t.Run(ruleName(rule)+"/"+tt.name, func(t *testing.T) {
				age, cacheable := ParseMaxAge(rule, tt.values)
				if diff := cmp.Diff(tt.want[i], ageResult{age, cacheable}); diff != "" {
					t.Errorf("ParseMaxAge(%v, %q) mismatch (-want +got):\n%s", rule, tt.values, diff)
				}
				slowAge, slowCacheable := slowMaxAge(rule, tt.values)
				if diff := cmp.Diff(tt.want[i], ageResult{slowAge, slowCacheable}); diff != "" {
					t.Errorf("slow transcription of %v on %q mismatch (-want +got):\n%s", rule, tt.values, diff)
				}
			})
		}
	}
}

func TestParseMaxAge_unknown_rule_is_not_cacheable(t *testing.T) {
	age, cacheable := ParseMaxAge(numMaxAgeRules, []string{"10"})
	if diff := cmp.Diff(notCached, ageResult{age, cacheable}); diff != "" {
		t.Errorf("ParseMaxAge(unknown rule) mismatch (-want +got):\n%s", diff)
	}
	if got := numMaxAgeRules.Cap(); got != 0 {
		t.Errorf("Cap of unknown rule = %v, want 0", got)
	}
}

func ruleName(r MaxAgeRule) string {
	return [...]string{"spec", "chromium", "firefox", "webkit"}[r]
}

// checkMaxAgeInvariants checks what must hold for any input.
func checkMaxAgeInvariants(t interface {
	Helper()
	Fatalf(string, ...any)
}, rule MaxAgeRule, values []string) {
	t.Helper()
	age, cacheable := ParseMaxAge(rule, values)
	if age < 0 {
		t.Fatalf("ParseMaxAge(%v, %q) = %v, negative", rule, values, age)
	}
	if age > rule.Cap() {
		t.Fatalf("ParseMaxAge(%v, %q) = %v, above the cap %v", rule, values, age, rule.Cap())
	}
	if cacheable != (age > 0) {
		t.Fatalf("ParseMaxAge(%v, %q) = (%v, %v): cacheable must equal age > 0", rule, values, age, cacheable)
	}
	slowAge, slowCacheable := slowMaxAge(rule, values)
	if slowAge != age || slowCacheable != cacheable {
		t.Fatalf("ParseMaxAge(%v, %q) = (%v, %v), slow transcription says (%v, %v)", rule, values, age, cacheable, slowAge, slowCacheable)
	}
}

func TestParseMaxAge_properties(t *testing.T) {
	alphabet := []rune("0123456789+- \t\v,sa\n")
	line := rapid.OneOf(
		rapid.StringOfN(rapid.RuneFrom(alphabet), 0, 25, -1),
		rapid.StringMatching(`[0-9]{1,22}`),
		rapid.StringMatching(`[-+]?[0-9]{1,20}`),
	)
	rapid.Check(t, func(t *rapid.T) {
		rule := rapid.SampledFrom(allMaxAgeRules).Draw(t, "rule")
		values := rapid.SliceOfN(line, 0, 3).Draw(t, "values")
		checkMaxAgeInvariants(t, rule, values)
	})
}

func TestParseMaxAge_digits_below_every_cap_round_trip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		secs := rapid.Int64Range(1, int64(WebKitMaxAgeCap/time.Second)).Draw(t, "secs")
		line := strconv.FormatInt(secs, 10)
		for _, rule := range allMaxAgeRules {
			age, cacheable := ParseMaxAge(rule, []string{line})
			if age != time.Duration(secs)*time.Second || !cacheable {
				t.Fatalf("ParseMaxAge(%v, %q) = (%v, %v), want %d s", rule, line, age, cacheable, secs)
			}
		}
	})
}

func FuzzParseMaxAge(f *testing.F) {
	for _, seed := range []string{
		"", "0", "1", "-1", "+5", "10s", "abc", "99999999999", "10, 20", "10\n20",
		"\n10", "99999999999999999999", "-9223372036854775809", "\v7", " 600 ", "86401",
	} {
		f.Add(seed, false)
	}
	f.Add("", true)
	f.Fuzz(func(t *testing.T, raw string, absent bool) {
		// Lines are separated by '\n'; absent means no header at all.
		var values []string
		if !absent {
			values = strings.Split(raw, "\n")
		}
		for _, rule := range allMaxAgeRules {
			checkMaxAgeInvariants(t, rule, values)
		}
	})
}

func TestParseMaxAge_does_not_allocate(t *testing.T) {
	values := []string{" 600 "}
	for _, rule := range allMaxAgeRules {
		allocs := testing.AllocsPerRun(100, func() {
			ParseMaxAge(rule, values)
		})
		if allocs != 0 {
			t.Errorf("ParseMaxAge(%v) allocates %v times per call, want 0", rule, allocs)
		}
	}
}

func BenchmarkParseMaxAge(b *testing.B) {
	for _, rule := range allMaxAgeRules {
		for _, in := range []struct {
			name   string
			values []string
		}{
			{"typical", []string{"600"}},
			{"hostile_long_digits", []string{strings.Repeat("9", 8192)}},
		} {
			b.Run(ruleName(rule)+"/"+in.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					ParseMaxAge(rule, in.values)
				}
			})
		}
	}
}
