package httpheader

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestGet(t *testing.T) {
	tests := []struct {
		name   string
		h      http.Header
		lookup string
		want   string
		wantOK bool
	}{
		{"absent_header_is_null", http.Header{"B": {"sniff"}}, "A", "", false},
		{"nil_header_map_is_null", nil, "A", "", false},
		{"key_with_no_lines_is_null", http.Header{"A": {}}, "A", "", false},
		{"single_line_is_returned_as_is", http.Header{"A": {"nosniff"}}, "A", "nosniff", true},
		{"empty_line_is_present_and_empty", http.Header{"A": {""}}, "A", "", true},
		{"lookup_is_case_insensitive", http.Header{"access-control-allow-origin": {"*"}}, "Access-Control-Allow-Origin", "*", true},
		{"lines_are_joined_with_comma_space", http.Header{"A": {"nosniff", ""}}, "a", "nosniff, ", true},
		{
			"differently_cased_keys_are_combined_in_byte_order",
			http.Header{"x-foo": {"3"}, "X-Foo": {"1", "2"}, "X-FOO": {"0"}},
			"X-Foo", "0, 1, 2, 3", true,
		},
		{"other_names_are_ignored", http.Header{"A": {"1"}, "AB": {"2"}, "B": {"3"}}, "A", "1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Get(tt.h, tt.lookup)
			if diff := cmp.Diff(struct {
				V  string
				OK bool
			}{tt.want, tt.wantOK}, struct {
				V  string
				OK bool
			}{got, ok}); diff != "" {
				t.Errorf("Get(%v, %q) mismatch (-want +got):\n%s", tt.h, tt.lookup, diff)
			}
		})
	}
}

func TestLinesReturnsACopy(t *testing.T) {
	h := http.Header{"A": {"1", "2"}}
	ls := Lines(h, "a")
	ls[0] = "changed"
	if h["A"][0] != "1" {
		t.Fatal("Lines handed out the header map's own slice")
	}
}

// The rows come from the example table under "get, decode, and split" in
// fetch.bs (https://fetch.spec.whatwg.org/#example-header-list-get-decode-split).
func TestGetDecodeSplitSpecExamples(t *testing.T) {
	tests := []struct {
		name string
		list [][2]string
		want []string
	}{
		{"trailing_comma_gives_empty_last_element", [][2]string{{"A", "nosniff,"}}, []string{"nosniff", ""}},
		{"empty_second_line_gives_empty_last_element", [][2]string{{"A", "nosniff"}, {"B", "sniff"}, {"A", ""}}, []string{"nosniff", ""}},
		{"single_empty_line_gives_one_empty_element", [][2]string{{"A", ""}, {"B", "sniff"}}, []string{""}},
		{"absent_header_is_null", [][2]string{{"B", "sniff"}}, nil},
		{"unterminated_quote_swallows_the_rest", [][2]string{{"A", `text/html;", x/x`}}, []string{`text/html;", x/x`}},
		{"unterminated_quote_spans_lines", [][2]string{{"A", `text/html;"`}, {"A", "x/x"}}, []string{`text/html;", x/x`}},
		{"quoted_parameter_then_next_element", [][2]string{{"A", `x/x;test="hi",y/y`}}, []string{`x/x;test="hi"`, "y/y"}},
		{"lines_split_by_other_headers_combine", [][2]string{{"A", `x/x;test="hi"`}, {"C", "**bingo**"}, {"A", "y/y"}}, []string{`x/x;test="hi"`, "y/y"}},
		{"empty_elements_are_kept", [][2]string{{"A", "x / x,,,1"}}, []string{"x / x", "", "", "1"}},
		{"comma_line_gives_empty_elements", [][2]string{{"A", "x / x"}, {"A", ","}, {"A", "1"}}, []string{"x / x", "", "", "1"}},
		{"comma_inside_quotes_does_not_split", [][2]string{{"A", `"1,2", 3`}}, []string{`"1,2"`, "3"}},
		{"quoted_element_across_lines", [][2]string{{"A", `"1,2"`}, {"D", "4"}, {"A", "3"}}, []string{`"1,2"`, "3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := GetDecodeSplit(headerFromList(tt.list), "A")
			if ok != (tt.want != nil) {
				t.Fatalf("GetDecodeSplit ok = %v, want %v", ok, tt.want != nil)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("GetDecodeSplit mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeSplitEdgeCases(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"escaped_quote_stays_inside_the_string", `"a\",b",c`, []string{`"a\",b"`, "c"}},
		{"backslash_at_end_of_quoted_string", `"a\`, []string{`"a\`}},
		{"text_after_closing_quote_joins_the_element", `"a"b,c`, []string{`"a"b`, "c"}},
		{"tabs_and_spaces_are_trimmed_but_not_newlines", " \ta\t ,\nb", []string{"a", "\nb"}},
		{"two_quoted_strings_in_one_element", `"a" "b" , c`, []string{`"a" "b"`, "c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, DecodeSplit(tt.in)); diff != "" {
				t.Errorf("DecodeSplit(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// The rows come from the example table under "collect an HTTP quoted string"
// (https://fetch.spec.whatwg.org/#example-http-quoted-string); they check the
// literal transcription the fuzz target trusts.
func TestLiteralCollectQuotedMatchesSpecExamples(t *testing.T) {
	tests := []struct {
		in                string
		want, wantExtract string
		wantFinalPosition int
	}{
		{`"\`, `"\`, `\`, 2},
		{`"Hello" World`, `"Hello"`, `Hello`, 7},
		{`"Hello \\ World\""`, `"Hello \\ World\""`, `Hello \ World"`, 18},
	}
	for _, tt := range tests {
		in := literalIsomorphicDecode(tt.in)
		pos := 0
		got := literalIsomorphicEncode(literalCollectQuoted(in, &pos, false))
		pos2 := 0
		gotExtract := literalIsomorphicEncode(literalCollectQuoted(in, &pos2, true))
		if got != tt.want || gotExtract != tt.wantExtract || pos != tt.wantFinalPosition || pos2 != tt.wantFinalPosition {
			t.Errorf("collect %q = %q/%q at %d/%d, want %q/%q at %d",
				tt.in, got, gotExtract, pos, pos2, tt.want, tt.wantExtract, tt.wantFinalPosition)
		}
		if skip := skipQuotedString(tt.in, 0); skip != tt.wantFinalPosition {
			t.Errorf("skipQuotedString(%q) = %d, want %d", tt.in, skip, tt.wantFinalPosition)
		}
	}
}

func TestDecodeSplitProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		alphabet := rapid.SampledFrom([]byte("ab ,\"\\\t\n"))
		v := string(rapid.SliceOfN(alphabet, 0, 24).Draw(t, "v"))
		got := DecodeSplit(v)
		if diff := cmp.Diff(literalDecodeSplit(v), got); diff != "" {
			t.Fatalf("DecodeSplit(%q) disagrees with the literal transcription (-literal +fast):\n%s", v, diff)
		}
		if len(got) == 0 {
			t.Fatalf("DecodeSplit(%q) returned no elements", v)
		}
		for _, e := range got {
			if e != TrimHTTPTabOrSpace(e) {
				t.Fatalf("element %q of DecodeSplit(%q) is not trimmed", e, v)
			}
			if !strings.Contains(v, e) {
				t.Fatalf("element %q of DecodeSplit(%q) is not a substring of the input", e, v)
			}
		}
		if !strings.Contains(v, `"`) && len(got) != strings.Count(v, ",")+1 {
			t.Fatalf("DecodeSplit(%q) gave %d elements for %d commas and no quotes", v, len(got), strings.Count(v, ","))
		}
	})
}

func TestGetAgreesWithLiteralGet(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		names := rapid.SampledFrom([]string{"A", "a", "B", "x-Foo", "X-FOO"})
		n := rapid.IntRange(0, 6).Draw(t, "n")
		h := http.Header{}
		for i := 0; i < n; i++ {
			k := names.Draw(t, "name")
			h[k] = append(h[k], rapid.StringMatching(`[a-z ,"]{0,4}`).Draw(t, "value"))
		}
		lookup := names.Draw(t, "lookup")
		// Build the ordered list the documented way: keys in byte order.
		var list [][2]string
		for _, k := range sortedKeys(h) {
			for _, v := range h[k] {
				list = append(list, [2]string{k, v})
			}
		}
		wantV, wantOK := literalGet(list, lookup)
		gotV, gotOK := Get(h, lookup)
		if gotV != wantV || gotOK != wantOK {
			t.Fatalf("Get(%v, %q) = %q, %v; literal get = %q, %v", h, lookup, gotV, gotOK, wantV, wantOK)
		}
	})
}

func sortedKeys(h http.Header) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

func TestGetSingleLineDoesNotAllocate(t *testing.T) {
	h := http.Header{
		"Access-Control-Allow-Origin": {"https://a.test"},
		"Content-Type":                {"text/plain"},
		"x-foo":                       {"bar"},
	}
	var v string
	allocs := testing.AllocsPerRun(100, func() {
		v, _ = Get(h, "access-control-allow-origin")
		v, _ = Get(h, "X-Foo")
		v, _ = Get(h, "absent")
	})
	if allocs != 0 {
		t.Errorf("Get allocated %v times per run, want 0", allocs)
	}
	_ = v
}

func FuzzDecodeSplit(f *testing.F) {
	for _, seed := range []string{
		"", ",", "nosniff,", `text/html;", x/x`, `x/x;test="hi",y/y`, "x / x,,,1",
		`"1,2", 3`, `"a\`, `"a\",b",c`, " \t a \t ", `"a" "b" , c`, "\x00\xff,\"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		got := DecodeSplit(v)
		if diff := cmp.Diff(literalDecodeSplit(v), got); diff != "" {
			t.Fatalf("DecodeSplit(%q) disagrees with the literal transcription (-literal +fast):\n%s", v, diff)
		}
		// Re-joining the elements of a quote-free value gives back the value
		// with the whitespace around commas removed.
		if !strings.Contains(v, `"`) {
			var trimmed []string
			for _, e := range strings.Split(v, ",") {
				trimmed = append(trimmed, TrimHTTPTabOrSpace(e))
			}
			if diff := cmp.Diff(trimmed, got); diff != "" {
				t.Fatalf("DecodeSplit(%q) without quotes is not a trimmed comma split (-want +got):\n%s", v, diff)
			}
		}
	})
}

func BenchmarkGet(b *testing.B) {
	h := http.Header{
		"Access-Control-Allow-Origin":  {"https://a.test"},
		"Access-Control-Allow-Methods": {"GET, PUT"},
		"Content-Type":                 {"text/plain"},
		"Vary":                         {"Origin"},
	}
	for b.Loop() {
		Get(h, "access-control-allow-origin")
	}
}

func BenchmarkDecodeSplit(b *testing.B) {
	for b.Loop() {
		DecodeSplit(`text/html;charset="a,b", application/json, */*`)
	}
}

// GetPair and LineCount agree with the literal "get" and with counting the
// lines of the ordered list, for any spelling of the names.
func TestGetPairAndLineCountAgreeWithLiteralGet(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		names := rapid.SampledFrom([]string{"A", "a", "B", "b", "x-Foo", "X-FOO"})
		n := rapid.IntRange(0, 6).Draw(t, "n")
		h := http.Header{}
		for i := 0; i < n; i++ {
			k := names.Draw(t, "name")
			h[k] = append(h[k], rapid.StringMatching(`[a-z ,"]{0,4}`).Draw(t, "value"))
		}
		if rapid.Bool().Draw(t, "empty key") {
			h[names.Draw(t, "empty")] = []string{}
		}
		var list [][2]string
		for _, k := range sortedKeys(h) {
			for _, v := range h[k] {
				list = append(list, [2]string{k, v})
			}
		}
		a := rapid.SampledFrom([]string{"a", "A"}).Draw(t, "a")
		b := rapid.SampledFrom([]string{"x-foo", "b"}).Draw(t, "b")
		va, oka, vb, okb := GetPair(h, a, b)
		wantA, wantOKA := literalGet(list, a)
		wantB, wantOKB := literalGet(list, b)
		if va != wantA || oka != wantOKA || vb != wantB || okb != wantOKB {
			t.Fatalf("GetPair(%v, %q, %q) = %q %v %q %v; literal %q %v %q %v", h, a, b, va, oka, vb, okb, wantA, wantOKA, wantB, wantOKB)
		}
		count := 0
		for _, l := range list {
			if EqualFoldASCII(l[0], a) {
				count++
			}
		}
		if got := LineCount(h, a); got != count {
			t.Fatalf("LineCount(%v, %q) = %d, want %d", h, a, got, count)
		}
	})
}

func TestGetPairDoesNotAllocate(t *testing.T) {
	h := http.Header{
		"Access-Control-Allow-Origin":      {"https://a.test"},
		"Access-Control-Allow-Credentials": {"true"},
		"Content-Type":                     {"text/plain"},
	}
	allocs := testing.AllocsPerRun(100, func() {
		GetPair(h, "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials")
		LineCount(h, "Access-Control-Allow-Origin")
	})
	if allocs != 0 {
		t.Errorf("GetPair and LineCount allocate %v times, want 0", allocs)
	}
}
