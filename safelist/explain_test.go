package safelist

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestExplainRequestHeader(t *testing.T) {
	tests := []struct{ name, value, want string }{
		{"Accept", "text/html", ""},
		{"X-Foo", "1", "X-Foo is not a CORS-safelisted request-header name"},
		{"Content-Type", "application/json", `its essence "application/json" is not application/x-www-form-urlencoded, multipart/form-data or text/plain`},
		{"Content-Type", "text/", `"text/" does not parse as a MIME type`},
		{"Content-Type", "text/plain; charset=utf-8:", `its value contains ':', a CORS-unsafe request-header byte`},
		{"Accept", `text/"html"`, `its value contains '"', a CORS-unsafe request-header byte`},
		{"Accept-Language", "en_US", `its value contains '_'; Accept-Language allows only 0-9, A-Z, a-z, space and * , - . ; =`},
		{"Range", "bytes=-500", `"bytes=-500" is not a single byte range of the form bytes=N- or bytes=N-M`},
		{"Accept", strings.Repeat("a", 129), "its value is 129 bytes long; a safelisted value is at most 128"},
	}
	for _, tt := range tests {
		if got := (Rules{}).ExplainRequestHeader(tt.name, tt.value); got != tt.want {
			t.Errorf("ExplainRequestHeader(%q, %q) = %q, want %q", tt.name, tt.value, got, tt.want)
		}
	}
}

// An explanation exists exactly when the header is not safelisted.
func TestExplainRequestHeaderAgreesWithTheDecision(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		name := rapid.SampledFrom([]string{"Accept", "Accept-Language", "Content-Language", "Content-Type", "Range", "X-Foo", "Save-Data"}).Draw(t, "name")
		value := rapid.StringMatching(`[ -~]{0,140}`).Draw(t, "value")
		r := Rules{ChromiumClientHints: rapid.Bool().Draw(t, "hints")}
		if (r.ExplainRequestHeader(name, value) == "") != r.IsCORSSafelistedRequestHeader(name, value) {
			t.Fatalf("explanation %q disagrees with the decision for %s: %q", r.ExplainRequestHeader(name, value), name, value)
		}
	})
}

func TestRangeBelowMaxInt64(t *testing.T) {
	const huge = "bytes=99999999999999999999-"
	if !IsCORSSafelistedRequestHeader("Range", huge) {
		t.Error("the standard's decimal numbers have no bound: the value is safelisted")
	}
	if (Rules{Range: RangeBelowMaxInt64}).IsCORSSafelistedRequestHeader("Range", huge) {
		t.Error("Chromium's parser overflows: the value is not safelisted")
	}
	// Recorded: Chromium preflights a position of exactly 2^63-1, and
	// safelists one less.
	for _, v := range []string{"bytes=9223372036854775807-", "bytes=0-9223372036854775807"} {
		if (Rules{Range: RangeBelowMaxInt64}).IsCORSSafelistedRequestHeader("Range", v) {
			t.Errorf("%s: the largest int64 position is not safelisted in Chromium", v)
		}
	}
	if !(Rules{Range: RangeBelowMaxInt64}).IsCORSSafelistedRequestHeader("Range", "bytes=9223372036854775806-") {
		t.Error("2^63-2 fits")
	}
}

// RangeUint64 against Firefox's recordings (firefox/range/range-bytes-*).
func TestRangeUint64(t *testing.T) {
	r := Rules{Range: RangeUint64}
	got := map[string]bool{}
	for _, v := range []string{
		"bytes=18446744073709551615-", "bytes=0-18446744073709551615", "bytes=18446744073709551615-18446744073709551615",
		"bytes=9223372036854775808-", "bytes=000000000000000000000000001-2",
		"bytes=18446744073709551616-", "bytes=0-18446744073709551616", "bytes=99999999999999999999-",
		"bytes=-5", "bytes=5-1",
	} {
		got[v] = r.IsCORSSafelistedRequestHeader("Range", v)
	}
	want := map[string]bool{
		"bytes=18446744073709551615-": true, "bytes=0-18446744073709551615": true, "bytes=18446744073709551615-18446744073709551615": true,
		"bytes=9223372036854775808-": true, "bytes=000000000000000000000000001-2": true,
		"bytes=18446744073709551616-": false, "bytes=0-18446744073709551616": false, "bytes=99999999999999999999-": false,
		"bytes=-5": false, "bytes=5-1": false,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}
