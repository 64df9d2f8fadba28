package safelist

import (
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestCORSUnsafeRequestHeaderNames(t *testing.T) {
	tests := []struct {
		name string
		h    http.Header
		want []string
	}{
		{"no_headers_gives_nil", http.Header{}, nil},
		{"nil_map_gives_nil", nil, nil},
		{"safelisted_headers_give_nil", http.Header{"Accept": {"*/*"}, "Content-Type": {"text/plain"}}, nil},
		{"custom_header_is_lowercased", http.Header{"X-Custom-Header": {"1"}}, []string{"x-custom-header"}},
		{"names_are_sorted_by_bytes", http.Header{"X-B": {"1"}, "X-A": {"1"}, "Content-Type": {"application/json"}}, []string{"content-type", "x-a", "x-b"}},
		{"differently_cased_keys_give_one_name", http.Header{"X-Foo": {"1"}, "x-foo": {"2"}}, []string{"x-foo"}},
		{"repeated_text_plain_combines_into_an_unsafe_value", http.Header{"Content-Type": {"text/plain", "text/plain"}}, []string{"content-type"}},
		{"json_content_type_is_unsafe", http.Header{"content-type": {"application/json"}}, []string{"content-type"}},
		{"authorization_is_unsafe", http.Header{"Authorization": {"Bearer x"}}, []string{"authorization"}},
		{"forbidden_headers_are_listed_by_the_spec_algorithm", http.Header{"Cookie": {"a=b"}}, []string{"cookie"}},
		{"key_without_lines_is_ignored", http.Header{"X-Empty": {}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, CORSUnsafeRequestHeaderNames(tt.h)); diff != "" {
				t.Errorf("CORSUnsafeRequestHeaderNames mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSafelistedValueTotal(t *testing.T) {
	v128 := func(prefix string, fill byte) string {
		return prefix + strings.Repeat(string(fill), MaxSafelistedValueLength-len(prefix))
	}
	t.Run("spec_combined_total_never_reaches_the_limit", func(t *testing.T) {
		// Five safelisted names of at most 128 bytes total at most 640.
		h := http.Header{
			"Accept":           {v128("", 'a')},
			"Accept-Language":  {v128("", 'b')},
			"Content-Language": {v128("", 'c')},
			"Content-Type":     {v128("text/plain;x=", 'd')},
			"Range":            {v128("bytes=0-", '9')},
		}
		if got := CORSUnsafeRequestHeaderNames(h); got != nil {
			t.Errorf("got %q, want nil", got)
		}
	})

	chromium := Rules{ChromiumClientHints: true}
	exact := http.Header{ // 8 × 128 = 1024 bytes
		"Accept":           {v128("", 'a')},
		"Accept-Language":  {v128("", 'b')},
		"Content-Language": {v128("", 'c')},
		"Content-Type":     {v128("text/plain;x=", 'd')},
		"Range":            {v128("bytes=0-", '9')},
		"Intervention":     {v128("", 'i')},
		"Sec-CH-UA":        {v128("", 'u')},
		"Viewport-Width":   {v128("", '1')},
	}
	t.Run("total_of_exactly_1024_bytes_keeps_names_safelisted", func(t *testing.T) {
		if got := chromium.CORSUnsafeRequestHeaderNames(exact); got != nil {
			t.Errorf("got %q, want nil at exactly %d bytes", got, MaxSafelistedValueTotal)
		}
	})
	t.Run("total_over_1024_bytes_makes_every_safelisted_name_unsafe", func(t *testing.T) {
		over := http.Header{"Save-Data": {"on"}, "X-Custom": {"1"}}
		for k, v := range exact {
			over[k] = v
		}
		want := []string{"accept", "accept-language", "content-language", "content-type",
			"intervention", "range", "save-data", "sec-ch-ua", "viewport-width", "x-custom"}
		if diff := cmp.Diff(want, chromium.CORSUnsafeRequestHeaderNames(over)); diff != "" {
			t.Errorf("mismatch (-want +got):\n%s", diff)
		}
	})

	firefox := Rules{ReplaceSingletonRequestHeaders: true}
	perLine := http.Header{ // 8 lines × 128 = 1024 bytes
		"Accept":           {v128("", 'a'), v128("", 'a')},
		"Accept-Language":  {v128("", 'b'), v128("", 'b')},
		"Content-Language": {v128("", 'c'), v128("", 'c')},
		"Range":            {v128("bytes=0-", '9'), v128("bytes=0-", '9')},
	}
	t.Run("per_line_total_of_exactly_1024_bytes_is_allowed", func(t *testing.T) {
		if got := firefox.CORSUnsafeRequestHeaderNames(perLine); got != nil {
			t.Errorf("got %q, want nil", got)
		}
	})
	t.Run("per_line_total_over_1024_bytes_lists_every_name", func(t *testing.T) {
		over := http.Header{"Content-Type": {"text/plain"}}
		for k, v := range perLine {
			over[k] = v
		}
		want := []string{"accept", "accept-language", "content-language", "content-type", "range"}
		if diff := cmp.Diff(want, firefox.CORSUnsafeRequestHeaderNames(over)); diff != "" {
			t.Errorf("mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("combined_values_over_128_bytes_are_unsafe_on_their_own", func(t *testing.T) {
		want := []string{"accept", "accept-language", "content-language", "range"}
		if diff := cmp.Diff(want, CORSUnsafeRequestHeaderNames(perLine)); diff != "" {
			t.Errorf("mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestFirefoxRepeatedHeaders(t *testing.T) {
	firefox := Rules{ReplaceSingletonRequestHeaders: true}
	twice := http.Header{"Content-Type": {"text/plain", "text/plain"}}
	t.Run("two_text_plain_appends_need_no_preflight", func(t *testing.T) {
		if got := firefox.CORSUnsafeRequestHeaderNames(twice); got != nil {
			t.Errorf("got %q, want nil", got)
		}
		if got := firefox.CombineRequestHeader(twice, "content-type"); got != "text/plain" {
			t.Errorf("wire value %q, want %q", got, "text/plain")
		}
	})
	t.Run("spec_combines_and_preflights", func(t *testing.T) {
		if diff := cmp.Diff([]string{"content-type"}, CORSUnsafeRequestHeaderNames(twice)); diff != "" {
			t.Errorf("mismatch (-want +got):\n%s", diff)
		}
		if got := CombineRequestHeader(twice, "Content-Type"); got != "text/plain, text/plain" {
			t.Errorf("wire value %q", got)
		}
	})
	t.Run("json_then_text_plain_still_needs_a_preflight", func(t *testing.T) {
		h := http.Header{"Content-Type": {"application/json", "text/plain"}}
		if diff := cmp.Diff([]string{"content-type"}, firefox.CORSUnsafeRequestHeaderNames(h)); diff != "" {
			t.Errorf("mismatch (-want +got):\n%s", diff)
		}
		if got := firefox.CombineRequestHeader(h, "Content-Type"); got != "text/plain" {
			t.Errorf("wire value %q, want the last value", got)
		}
	})
	t.Run("non_singleton_headers_are_merged", func(t *testing.T) {
		h := http.Header{"Accept": {"a"}, "accept": {"b"}}
		if got := firefox.CombineRequestHeader(h, "Accept"); got != "a, b" {
			t.Errorf("wire value %q, want %q", got, "a, b")
		}
	})
	t.Run("strict_transport_security_keeps_the_first_value", func(t *testing.T) {
		h := http.Header{"Strict-Transport-Security": {"max-age=1", "max-age=2"}}
		if got := firefox.CombineRequestHeader(h, "strict-transport-security"); got != "max-age=1" {
			t.Errorf("wire value %q, want the first value", got)
		}
	})
	t.Run("absent_header_combines_to_empty", func(t *testing.T) {
		if got := firefox.CombineRequestHeader(http.Header{}, "Content-Type"); got != "" {
			t.Errorf("wire value %q, want empty", got)
		}
		if got := firefox.CombineRequestHeader(http.Header{}, "Strict-Transport-Security"); got != "" {
			t.Errorf("wire value %q, want empty", got)
		}
	})
}

func TestCORSUnsafeNotForbiddenRequestHeaderNames(t *testing.T) {
	h := http.Header{
		"Cookie":     {"a=b"},
		"User-Agent": {"bot"},
		"Sec-Foo":    {"1"},
		"X-Custom":   {"1"},
		// A forbidden header's bytes do not count towards the total.
		"Referer": {strings.Repeat("r", 2000)},
	}
	t.Run("spec_rules_drop_forbidden_names_only", func(t *testing.T) {
		want := []string{"user-agent", "x-custom"}
		if diff := cmp.Diff(want, Rules{}.CORSUnsafeNotForbiddenRequestHeaderNames(h)); diff != "" {
			t.Errorf("mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("chromium_also_drops_user_agent", func(t *testing.T) {
		want := []string{"x-custom"}
		if diff := cmp.Diff(want, Rules{ForbidUserAgent: true}.CORSUnsafeNotForbiddenRequestHeaderNames(h)); diff != "" {
			t.Errorf("mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("spec_algorithm_keeps_forbidden_names", func(t *testing.T) {
		want := []string{"cookie", "referer", "sec-foo", "user-agent", "x-custom"}
		if diff := cmp.Diff(want, CORSUnsafeRequestHeaderNames(h)); diff != "" {
			t.Errorf("mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestSerializeNames(t *testing.T) {
	tests := []struct {
		name  string
		names []string
		want  string
	}{
		{"empty_list_is_empty", nil, ""},
		{"one_name", []string{"x-foo"}, "x-foo"},
		{"comma_without_space", []string{"content-type", "x-foo"}, "content-type,x-foo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, SerializeNames(tt.names)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// genHeader draws a request header map from a small vocabulary of names (in
// several spellings) and values, so that safelisted, unsafe, forbidden,
// repeated and oversized cases all occur.
func genHeader(t *rapid.T) (http.Header, [][2]string) {
	names := rapid.SampledFrom([]string{
		"Accept", "accept", "Accept-Language", "Content-Language", "Content-Type", "content-type",
		"Range", "X-Foo", "x-foo", "Authorization", "Cookie", "Sec-Bar", "User-Agent", "Save-Data",
	})
	values := rapid.OneOf(
		rapid.SampledFrom([]string{"*/*", "text/plain", "application/json", "en-US", "bytes=0-1", "bytes=-1", "on", "", `"q"`}),
		rapid.Custom(func(t *rapid.T) string {
			return strings.Repeat("a", rapid.IntRange(100, 140).Draw(t, "len"))
		}),
	)
	n := rapid.IntRange(0, 12).Draw(t, "n")
	h := http.Header{}
	for i := 0; i < n; i++ {
		k := names.Draw(t, "name")
		h[k] = append(h[k], values.Draw(t, "value"))
	}
	// The same headers as an ordered list, keys in the documented order.
	var list [][2]string
	keys := slices.Collect(maps.Keys(h))
	slices.SortFunc(keys, compareHeaderKeys)
	for _, k := range keys {
		for _, v := range h[k] {
			list = append(list, [2]string{k, v})
		}
	}
	return h, list
}

func TestCORSUnsafeRequestHeaderNamesProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h, list := genHeader(t)
		for _, r := range []Rules{{}, {ReplaceSingletonRequestHeaders: true}, {ChromiumClientHints: true, ForbidUserAgent: true}} {
			for _, got := range [][]string{r.CORSUnsafeRequestHeaderNames(h), r.CORSUnsafeNotForbiddenRequestHeaderNames(h)} {
				if !slices.IsSorted(got) {
					t.Fatalf("%+v: names %q are not sorted", r, got)
				}
				if len(slices.Compact(slices.Clone(got))) != len(got) {
					t.Fatalf("%+v: names %q have duplicates", r, got)
				}
				for _, n := range got {
					if n != strings.ToLower(n) {
						t.Fatalf("%+v: name %q is not lower case", r, n)
					}
				}
			}
		}

		// Agreement with the literal algorithm: run on "sort and combine"
		// for the combined model, on the raw list for the per-line model.
		if diff := cmp.Diff(litCORSUnsafeRequestHeaderNames(litSortAndCombine(list)), CORSUnsafeRequestHeaderNames(h)); diff != "" {
			t.Fatalf("combined model disagrees with the literal algorithm (-literal +fast):\n%s", diff)
		}
		if diff := cmp.Diff(litCORSUnsafeRequestHeaderNames(list), Rules{ReplaceSingletonRequestHeaders: true}.CORSUnsafeRequestHeaderNames(h)); diff != "" {
			t.Fatalf("per-line model disagrees with the literal algorithm (-literal +fast):\n%s", diff)
		}

		// A header is listed iff it is not safelisted, while the safelisted
		// values total at most 1024 bytes; beyond that every name is listed.
		got := CORSUnsafeRequestHeaderNames(h)
		total := 0
		combined := litSortAndCombine(list)
		for _, hd := range combined {
			if IsCORSSafelistedRequestHeader(hd[0], hd[1]) {
				total += len(hd[1])
			}
		}
		for _, hd := range combined {
			listed := slices.Contains(got, hd[0])
			safe := IsCORSSafelistedRequestHeader(hd[0], hd[1])
			if total <= MaxSafelistedValueTotal && listed == safe {
				t.Fatalf("%q (safelisted %v) listed %v with total %d", hd[0], safe, listed, total)
			}
			if total > MaxSafelistedValueTotal && !listed {
				t.Fatalf("%q missing although the total is %d", hd[0], total)
			}
		}
		if len(got) > len(combined) {
			t.Fatalf("more names %q than headers %d", got, len(combined))
		}

		// Dropping forbidden headers never adds a name.
		for _, n := range (Rules{}).CORSUnsafeNotForbiddenRequestHeaderNames(h) {
			if IsForbiddenRequestHeader(n, "") && !strings.EqualFold(n, "x-http-method-override") {
				t.Fatalf("forbidden name %q listed by the not-forbidden variant", n)
			}
		}
	})
}

func TestCombineRequestHeaderAgreesWithGet(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h, list := genHeader(t)
		name := rapid.SampledFrom([]string{"accept", "CONTENT-TYPE", "x-foo", "Authorization", "absent"}).Draw(t, "lookup")
		var vals []string
		for _, hd := range list {
			if strings.EqualFold(hd[0], name) {
				vals = append(vals, hd[1])
			}
		}
		if got, want := CombineRequestHeader(h, name), strings.Join(vals, ", "); got != want {
			t.Fatalf("CombineRequestHeader(%q) = %q, want %q", name, got, want)
		}
		ff := Rules{ReplaceSingletonRequestHeaders: true}.CombineRequestHeader(h, name)
		singleton := strings.EqualFold(name, "content-type") || strings.EqualFold(name, "authorization")
		switch {
		case len(vals) == 0 && ff != "":
			t.Fatalf("Firefox value %q for an absent header", ff)
		case len(vals) > 0 && singleton && ff != vals[len(vals)-1]:
			t.Fatalf("Firefox value %q for singleton %q, want the last of %q", ff, name, vals)
		case len(vals) > 0 && !singleton && ff != strings.Join(vals, ", "):
			t.Fatalf("Firefox value %q for mergeable %q, want all of %q", ff, name, vals)
		}
	})
}

func BenchmarkCORSUnsafeRequestHeaderNames(b *testing.B) {
	h := http.Header{
		"Accept":          {"*/*"},
		"Accept-Language": {"en-US,en;q=0.9"},
		"Content-Type":    {"application/json"},
		"X-Request-Id":    {"abc"},
		"Authorization":   {"Bearer t"},
	}
	for b.Loop() {
		CORSUnsafeRequestHeaderNames(h)
	}
}

// Firefox's Access-Control-Request-Headers: a name per unsafe line, and no
// 1024-byte total (recorded: firefox/request-headers, safelist-limits).
func TestRequestHeadersNames(t *testing.T) {
	firefox := Rules{ReplaceSingletonRequestHeaders: true, ListNamePerUnsafeLine: true, NoSafelistedValueTotal: true}
	long := strings.Repeat("a", 120)
	nineLong := make([]string, 9)
	for i := range nineLong {
		nineLong[i] = long
	}
	tests := []struct {
		name  string
		rules Rules
		h     http.Header
		want  []string
	}{
		{"spec lists each name once", Rules{}, http.Header{"X-B": {"1", "3"}, "X-A": {"2"}}, []string{"x-a", "x-b"}},
		{"firefox repeats a name per line", firefox, http.Header{"X-B": {"1", "3"}, "X-A": {"2"}}, []string{"x-a", "x-b", "x-b"}},
		{"firefox counts spellings together", firefox, http.Header{"X-Foo": {"1"}, "x-foo": {"2"}, "X-FOO": {"3"}}, []string{"x-foo", "x-foo", "x-foo"}},
		{"firefox lists only the unsafe line", firefox, http.Header{"Content-Type": {"text/plain", "text/html"}}, []string{"content-type"}},
		{"firefox has no total", firefox, http.Header{"Content-Language": nineLong}, nil},
		{"per-line rules with a total list every line", Rules{ReplaceSingletonRequestHeaders: true, ListNamePerUnsafeLine: true}, http.Header{"Content-Language": nineLong}, slices.Repeat([]string{"content-language"}, 9)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.rules.RequestHeadersNames(tt.h, tt.rules.CORSUnsafeRequestHeaderNames(tt.h))
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}
