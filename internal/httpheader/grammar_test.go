package httpheader

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// The predicates below are written straight from the grammar text and are
// the reference the byte tables are checked against.

// tcharFromRFC9110 follows RFC 9110, section 5.6.2:
// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
// "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA.
func tcharFromRFC9110(b byte) bool {
	switch b {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
		return true
	}
	digit := 0x30 <= b && b <= 0x39                               // DIGIT = %x30-39
	alpha := (0x41 <= b && b <= 0x5A) || (0x61 <= b && b <= 0x7A) // ALPHA = %x41-5A / %x61-7A
	return digit || alpha
}

// httpWhitespaceFromFetch follows Fetch: "An HTTP whitespace byte is an HTTP
// newline byte [0x0A or 0x0D] or HTTP tab or space byte [0x09 or 0x20]".
func httpWhitespaceFromFetch(b byte) bool {
	return b == 0x0A || b == 0x0D || b == 0x09 || b == 0x20
}

func httpTabOrSpaceFromFetch(b byte) bool { return b == 0x09 || b == 0x20 }

func TestByteTablesMatchGrammar(t *testing.T) {
	for i := 0; i < 256; i++ {
		b := byte(i)
		if got, want := IsTokenByte(b), tcharFromRFC9110(b); got != want {
			t.Errorf("IsTokenByte(%#02x) = %v, want %v", b, got, want)
		}
		if got, want := IsHTTPWhitespaceByte(b), httpWhitespaceFromFetch(b); got != want {
			t.Errorf("IsHTTPWhitespaceByte(%#02x) = %v, want %v", b, got, want)
		}
		if got, want := IsHTTPTabOrSpace(b), httpTabOrSpaceFromFetch(b); got != want {
			t.Errorf("IsHTTPTabOrSpace(%#02x) = %v, want %v", b, got, want)
		}
	}
}

func TestIsToken(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"empty_string_is_not_a_token", "", false},
		{"method_name_is_a_token", "DELETE", true},
		{"star_is_a_token", "*", true},
		{"header_name_with_dash_is_a_token", "X-Custom-Header", true},
		{"all_specials_are_token_bytes", "!#$%&'*+-.^_`|~", true},
		{"space_is_not_a_token_byte", "a b", false},
		{"slash_is_a_separator", "text/plain", false},
		{"comma_is_a_separator", "a,b", false},
		{"quote_is_a_separator", `"a"`, false},
		{"non_ascii_byte_is_not_a_token_byte", "caf\xc3\xa9", false},
		{"del_is_not_a_token_byte", "a\x7f", false},
		{"tab_is_not_a_token_byte", "\ta", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsToken(tt.in); got != tt.want {
				t.Errorf("IsToken(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestTrim(t *testing.T) {
	tests := []struct {
		name           string
		in             string
		wantWhitespace string
		wantTabOrSpace string
	}{
		{"nothing_to_trim", "a b", "a b", "a b"},
		{"empty_stays_empty", "", "", ""},
		{"only_whitespace_becomes_empty", " \t\r\n", "", "\r\n"},
		{"newlines_are_http_whitespace_but_not_tab_or_space", "\n a \r", "a", "\n a \r"},
		{"inner_whitespace_is_kept", "\t a \t b \t", "a \t b", "a \t b"},
		{"form_feed_is_not_http_whitespace", "\fa\f", "\fa\f", "\fa\f"},
		{"vertical_tab_is_not_http_whitespace", "\va", "\va", "\va"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TrimHTTPWhitespace(tt.in); got != tt.wantWhitespace {
				t.Errorf("TrimHTTPWhitespace(%q) = %q, want %q", tt.in, got, tt.wantWhitespace)
			}
			if got := TrimHTTPTabOrSpace(tt.in); got != tt.wantTabOrSpace {
				t.Errorf("TrimHTTPTabOrSpace(%q) = %q, want %q", tt.in, got, tt.wantTabOrSpace)
			}
		})
	}
}

func TestCaseHelpers(t *testing.T) {
	tests := []struct {
		name      string
		a, b      string
		wantEqual bool
	}{
		{"same_bytes_match", "content-type", "content-type", true},
		{"ascii_case_is_ignored", "Content-TYPE", "content-type", true},
		{"different_length_never_matches", "ab", "abc", false},
		{"kelvin_sign_is_not_folded_to_k", "\u212a", "k", false},
		{"non_ascii_bytes_must_be_identical", "\xc3\xa9", "\xc3\x89", false},
		{"at_sign_is_not_a_letter_to_fold", "@", "`", false},
		{"bracket_is_not_a_letter_to_fold", "[", "{", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EqualFoldASCII(tt.a, tt.b); got != tt.wantEqual {
				t.Errorf("EqualFoldASCII(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.wantEqual)
			}
		})
	}

	lower := []struct{ in, want string }{
		{"", ""},
		{"accept", "accept"},
		{"Accept-Language", "accept-language"},
		{"X-\xc3\x89", "x-\xc3\x89"},
		{"@[`{", "@[`{"},
	}
	for _, tt := range lower {
		if got := LowerASCII(tt.in); got != tt.want {
			t.Errorf("LowerASCII(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	upper := []struct{ in, want string }{
		{"", ""},
		{"GET", "GET"},
		{"dElEtE", "DELETE"},
		{"x-\xc3\xa9", "X-\xc3\xa9"},
	}
	for _, tt := range upper {
		if got := UpperASCII(tt.in); got != tt.want {
			t.Errorf("UpperASCII(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if !HasPrefixFoldASCII("Sec-Fetch-Mode", "sec-") || HasPrefixFoldASCII("se", "sec-") || HasPrefixFoldASCII("Set-Cookie", "sec-") {
		t.Error("HasPrefixFoldASCII disagrees with a byte-case-insensitive prefix match")
	}
}

func TestCaseHelpersProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := string(rapid.SliceOf(rapid.Byte()).Draw(t, "s"))
		l := LowerASCII(s)
		if LowerASCII(l) != l {
			t.Fatalf("LowerASCII is not idempotent on %q", s)
		}
		if !EqualFoldASCII(s, l) || !EqualFoldASCII(s, UpperASCII(s)) {
			t.Fatalf("%q does not fold-match its own lower/upper case", s)
		}
		if len(l) != len(s) {
			t.Fatalf("LowerASCII changed the length of %q", s)
		}
		for i := 0; i < len(l); i++ {
			if 'A' <= l[i] && l[i] <= 'Z' {
				t.Fatalf("LowerASCII(%q) = %q still has an upper-case byte", s, l)
			}
		}
		if isASCII(s) {
			if got, want := l, strings.ToLower(s); got != want {
				t.Fatalf("LowerASCII(%q) = %q, strings.ToLower = %q", s, got, want)
			}
		}
	})
}

func TestEqualFoldASCIIAgreesWithLowering(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		alphabet := rapid.SampledFrom([]byte("aAbB-@[`{\xc3\xa9\x89"))
		a := string(rapid.SliceOfN(alphabet, 0, 6).Draw(t, "a"))
		b := string(rapid.SliceOfN(alphabet, 0, 6).Draw(t, "b"))
		if got, want := EqualFoldASCII(a, b), LowerASCII(a) == LowerASCII(b); got != want {
			t.Fatalf("EqualFoldASCII(%q, %q) = %v, but lowered equality is %v", a, b, got, want)
		}
	})
}

func TestGrammarHelpersDoNotAllocate(t *testing.T) {
	var sink bool
	var str string
	allocs := testing.AllocsPerRun(100, func() {
		sink = IsToken("Access-Control-Allow-Origin")
		sink = EqualFoldASCII("Content-Type", "content-type") && sink
		str = TrimHTTPWhitespace(" \t text/plain \r\n")
		str = TrimHTTPTabOrSpace(str)
		str = LowerASCII("already-lower")
		str = UpperASCII("ALREADY-UPPER")
	})
	if allocs != 0 {
		t.Errorf("grammar helpers allocated %v times per run, want 0", allocs)
	}
	_, _ = sink, str
}

func TestLowerASCIIReturnsSameStringWhenAlreadyLower(t *testing.T) {
	in := strings.Repeat("x-lower-", 4)
	got := LowerASCII(in)
	if diff := cmp.Diff(in, got); diff != "" {
		t.Fatalf("LowerASCII changed an all-lower string (-want +got):\n%s", diff)
	}
	if testing.AllocsPerRun(10, func() { got = LowerASCII(in) }) != 0 {
		t.Error("LowerASCII allocated for an all-lower string")
	}
}

func BenchmarkIsToken(b *testing.B) {
	for b.Loop() {
		IsToken("Access-Control-Allow-Headers")
	}
}

func BenchmarkEqualFoldASCII(b *testing.B) {
	for b.Loop() {
		EqualFoldASCII("Access-Control-Allow-Headers", "access-control-allow-headers")
	}
}
