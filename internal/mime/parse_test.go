package mime

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestQuotedStringTokenTableMatchesDefinition(t *testing.T) {
	for i := 0; i < 256; i++ {
		if got, want := IsQuotedStringTokenByte(byte(i)), litIsQuotedStringTokenCodePoint(rune(i)); got != want {
			t.Errorf("IsQuotedStringTokenByte(%#02x) = %v, want %v", i, got, want)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   Type
		wantOK bool
	}{
		{"plain_essence", "text/plain", Type{Type: "text", Subtype: "plain"}, true},
		{"type_and_subtype_are_lowercased", "Text/HTML", Type{Type: "text", Subtype: "html"}, true},
		{"surrounding_http_whitespace_is_trimmed", "\r\n\t text/plain \n", Type{Type: "text", Subtype: "plain"}, true},
		{"form_feed_is_not_trimmed", "\ftext/plain", Type{}, false},
		{"empty_is_failure", "", Type{}, false},
		{"missing_slash_is_failure", "text", Type{}, false},
		{"empty_type_is_failure", "/plain", Type{}, false},
		{"empty_subtype_is_failure", "text/", Type{}, false},
		{"whitespace_only_subtype_is_failure", "text/ ;a=b", Type{}, false},
		{"space_before_slash_is_failure", "text /plain", Type{}, false},
		{"space_after_slash_is_failure", "text/ plain", Type{}, false},
		{"comma_in_subtype_is_failure", "text/plain, text/html", Type{}, false},
		{"trailing_space_before_semicolon_is_fine", "text/plain ;charset=utf-8", Type{Type: "text", Subtype: "plain", Params: []Param{{"charset", "utf-8"}}}, true},
		{"parameter_name_is_lowercased_value_kept", "text/plain;CHARSET=UTF-8", Type{Type: "text", Subtype: "plain", Params: []Param{{"charset", "UTF-8"}}}, true},
		{"whitespace_before_parameter_name_is_skipped", "text/plain;  \tcharset=utf-8", Type{Type: "text", Subtype: "plain", Params: []Param{{"charset", "utf-8"}}}, true},
		{"whitespace_before_equals_invalidates_the_name", "text/plain;charset =utf-8", Type{Type: "text", Subtype: "plain"}, true},
		{"leading_space_in_value_is_kept", "text/plain;charset= utf-8", Type{Type: "text", Subtype: "plain", Params: []Param{{"charset", " utf-8"}}}, true},
		{"trailing_whitespace_in_value_is_removed", "text/plain;charset=utf-8 \t;x=y", Type{Type: "text", Subtype: "plain", Params: []Param{{"charset", "utf-8"}, {"x", "y"}}}, true},
		{"first_duplicate_wins", "text/plain;charset=a;CharSet=b", Type{Type: "text", Subtype: "plain", Params: []Param{{"charset", "a"}}}, true},
		{"invalid_first_duplicate_does_not_block_a_valid_one", "text/plain;charset=\"a\x01\";charset=b", Type{Type: "text", Subtype: "plain", Params: []Param{{"charset", "b"}}}, true},
		{"empty_unquoted_value_is_skipped", "text/plain;charset=;x=y", Type{Type: "text", Subtype: "plain", Params: []Param{{"x", "y"}}}, true},
		{"name_without_equals_is_skipped", "text/plain;charset;x=y", Type{Type: "text", Subtype: "plain", Params: []Param{{"x", "y"}}}, true},
		{"name_at_end_without_value_is_dropped", "text/plain;charset=", Type{Type: "text", Subtype: "plain"}, true},
		{"empty_quoted_value_is_kept", `text/plain;x=""`, Type{Type: "text", Subtype: "plain", Params: []Param{{"x", ""}}}, true},
		{"quoted_value_is_unescaped", `text/plain;x="a\"b\\c";y=z`, Type{Type: "text", Subtype: "plain", Params: []Param{{"x", `a"b\c`}, {"y", "z"}}}, true},
		{"text_after_closing_quote_is_ignored", `text/plain;x="a"junk;y=z`, Type{Type: "text", Subtype: "plain", Params: []Param{{"x", "a"}, {"y", "z"}}}, true},
		{"semicolon_inside_quotes_is_part_of_the_value", `text/plain;x="a;b"`, Type{Type: "text", Subtype: "plain", Params: []Param{{"x", "a;b"}}}, true},
		{"unterminated_quote_runs_to_the_end", `text/plain;x="a;b`, Type{Type: "text", Subtype: "plain", Params: []Param{{"x", "a;b"}}}, true},
		{"trailing_backslash_is_kept", `text/plain;x="a\`, Type{Type: "text", Subtype: "plain", Params: []Param{{"x", `a\`}}}, true},
		{"latin1_bytes_are_valid_in_values", "text/plain;x=caf\xe9", Type{Type: "text", Subtype: "plain", Params: []Param{{"x", "caf\xe9"}}}, true},
		{"control_byte_invalidates_the_value", "text/plain;x=a\x7fb", Type{Type: "text", Subtype: "plain"}, true},
		{"unquoted_value_may_contain_quotes_later", `text/plain;x=a"b`, Type{Type: "text", Subtype: "plain", Params: []Param{{"x", `a"b`}}}, true},
		{"non_token_name_is_skipped", "text/plain;a b=c", Type{Type: "text", Subtype: "plain"}, true},
		{"bare_semicolons_are_fine", "text/plain;;;", Type{Type: "text", Subtype: "plain"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Parse(tt.in)
			if ok != tt.wantOK {
				t.Fatalf("Parse(%q) ok = %v, want %v", tt.in, ok, tt.wantOK)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			lit, litOK := literalParse(tt.in)
			if litOK != tt.wantOK || (litOK && !cmp.Equal(lit.toType(), tt.want)) {
				t.Errorf("the literal transcription disagrees with the table row for %q", tt.in)
			}
		})
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		name string
		in   Type
		want string
	}{
		{"essence_only", Type{Type: "text", Subtype: "plain"}, "text/plain"},
		{"token_value_is_bare", Type{Type: "text", Subtype: "plain", Params: []Param{{"charset", "utf-8"}}}, "text/plain;charset=utf-8"},
		{"empty_value_is_quoted", Type{Type: "a", Subtype: "b", Params: []Param{{"x", ""}}}, `a/b;x=""`},
		{"space_forces_quotes", Type{Type: "a", Subtype: "b", Params: []Param{{"x", "a b"}}}, `a/b;x="a b"`},
		{"quote_and_backslash_are_escaped", Type{Type: "a", Subtype: "b", Params: []Param{{"x", `a"b\c`}}}, `a/b;x="a\"b\\c"`},
		{"order_is_kept", Type{Type: "a", Subtype: "b", Params: []Param{{"z", "1"}, {"a", "2"}}}, "a/b;z=1;a=2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.in.String()); diff != "" {
				t.Errorf("String mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEssence(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantRaw string
		wantOK  bool
	}{
		{"text/plain;charset=UTF-8", "text/plain", "text/plain", true},
		{" Text/Plain ; x", "text/plain", "Text/Plain", true},
		{"multipart/form-data; boundary=something", "multipart/form-data", "multipart/form-data", true},
		{"application/x-www-form-urlencoded\t", "application/x-www-form-urlencoded", "application/x-www-form-urlencoded", true},
		{"text/plain, application/json", "", "", false},
		{"text", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := Essence(tt.in)
			raw, rawOK := RawEssence(tt.in)
			if diff := cmp.Diff([]any{tt.want, tt.wantOK, tt.wantRaw, tt.wantOK}, []any{got, ok, raw, rawOK}); diff != "" {
				t.Errorf("Essence/RawEssence(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestEssenceDoesNotAllocateForLowerCaseInput(t *testing.T) {
	var e string
	allocs := testing.AllocsPerRun(100, func() {
		e, _ = Essence("text/plain;charset=UTF-8")
		e, _ = Essence("application/x-www-form-urlencoded")
		e, _ = RawEssence("Multipart/Form-Data; boundary=x")
	})
	if allocs != 0 {
		t.Errorf("Essence allocated %v times per run, want 0", allocs)
	}
	_ = e
}

// mimeAlphabet is small so rapid reaches the interesting interleavings of
// separators, quotes, escapes and whitespace quickly.
var mimeAlphabet = []byte("aB/;=\"\\ \t\n,\x01\xe9")

func TestParseProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := string(rapid.SliceOfN(rapid.SampledFrom(mimeAlphabet), 0, 20).Draw(t, "in"))
		checkParse(t, in)
	})
}

type fataler interface {
	Fatalf(format string, args ...any)
}

// checkParse states the invariants shared by the rapid property and the fuzz
// target: agreement with the literal transcription, agreement of Essence, and
// the serialization round trip.
func checkParse(t fataler, in string) {
	got, ok := Parse(in)
	lit, litOK := literalParse(in)
	if ok != litOK {
		t.Fatalf("Parse(%q) ok = %v, literal transcription ok = %v", in, ok, litOK)
	}
	e, eok := Essence(in)
	if eok != ok {
		t.Fatalf("Essence(%q) ok = %v, Parse ok = %v", in, eok, ok)
	}
	if !ok {
		return
	}
	if diff := cmp.Diff(lit.toType(), got); diff != "" {
		t.Fatalf("Parse(%q) disagrees with the literal transcription (-literal +fast):\n%s", in, diff)
	}
	if e != got.Essence() {
		t.Fatalf("Essence(%q) = %q, Parse(...).Essence() = %q", in, e, got.Essence())
	}
	s := got.String()
	if ls := literalSerialize(lit); s != ls {
		t.Fatalf("String() = %q, literal serialization = %q", s, ls)
	}
	again, ok := Parse(s)
	if !ok {
		t.Fatalf("Parse(%q) failed on the serialization of Parse(%q)", s, in)
	}
	if diff := cmp.Diff(got, again); diff != "" {
		t.Fatalf("round trip of %q through %q changed the MIME type (-first +second):\n%s", in, s, diff)
	}
	if again.String() != s {
		t.Fatalf("serialization is not stable: %q then %q", s, again.String())
	}
}

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"text/plain", "Text/HTML;Charset=\"utf-8\"", "text/plain;charset=;x=y",
		`a/b;x="a\"b\\c"`, `a/b;x="unterminated`, `a/b;x="a\`, "a/b;x=\xff",
		" \t\r\ntext/plain\n", "text/plain, text/html", "/", "a/b;;;=;=x", "a/b;x=1;X=2",
		"a/b;x=\x7f", `a/b;x="" junk`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkParse(t, in)
	})
}

func TestParseManyParametersStaysLinear(t *testing.T) {
	in := "text/plain" + strings.Repeat(";a=b", 50_000) + ";c=d"
	got, ok := Parse(in)
	if !ok {
		t.Fatal("Parse failed on a long valid input")
	}
	want := Type{Type: "text", Subtype: "plain", Params: []Param{{"a", "b"}, {"c", "d"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	var b strings.Builder
	b.WriteString("a/b")
	for i := range 40 {
		b.WriteString(";p")
		b.WriteString(strings.Repeat("x", i+1))
		b.WriteString("=v")
	}
	b.WriteString(";px=dup")
	got, _ = Parse(b.String())
	if len(got.Params) != 40 {
		t.Errorf("got %d parameters past the map threshold, want 40", len(got.Params))
	}
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		Parse(`multipart/form-data; boundary="----x"; charset=utf-8`)
	}
}

func BenchmarkEssence(b *testing.B) {
	for b.Loop() {
		Essence("text/plain;charset=UTF-8")
	}
}
