package origin

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// Expected values come from the URL standard's host parsing example table
// (https://url.spec.whatwg.org/#example-host-parsing) and from the host cases
// of web-platform-tests url/resources/urltestdata.json (commit 04f8022e),
// where the host is what new URL("http://" + input).host gives; a want of ""
// means the parser fails.
var canonicalHostTests = []struct {
	name, in, want string
}{
	// URL standard, host parsing example table (isOpaque = false).
	{"upper_case_domain_is_lowered", "EXAMPLE.COM", "example.com"},
	{"percent_encoded_dot_is_decoded", "example%2Ecom", "example.com"},
	{"idn_is_punycoded_nontransitionally", "faß.example", "xn--fa-hia.example"},
	{"zero_is_ipv4", "0", "0.0.0.0"},
	{"percent_encoded_zero_is_ipv4", "%30", "0.0.0.0"},
	{"bare_0x_is_ipv4_zero", "0x", "0.0.0.0"},
	{"hex_ipv4", "0xffffffff", "255.255.255.255"},
	{"ipv6_is_compressed", "[0:0::1]", "[::1]"},
	{"ipv6_with_encoded_bracket_fails", "[0:0::1%5D", ""},
	{"ipv6_with_percent_fails", "[0:0::%31]", ""},
	{"octal_09_fails", "09", ""},
	{"domain_ending_in_number_fails", "example.255", ""},
	{"caret_is_forbidden", "example^example", ""},

	// The brief's examples of IPv4 number forms.
	{"hex_and_short_ipv4", "0x7f.1", "127.0.0.1"},
	{"single_number_ipv4", "2130706433", "127.0.0.1"},

	// web-platform-tests urltestdata.json, host cases.
	{"wpt_space_fails", "example example.com", ""},
	{"wpt_empty_brackets_fail", "[]", ""},
	{"wpt_colon_in_brackets_fails", "[:]", ""},
	{"wpt_ideographic_space_maps_to_space_and_fails", "GOO\u00a0\u3000goo.com", ""},
	{"wpt_zero_width_code_points_are_ignored", "GOO\u200b\u2060\ufeffgoo.com", "googoo.com"},
	{"wpt_ideographic_full_stop_is_a_dot", "www.foo\u3002bar.com", "www.foo.bar.com"},
	{"wpt_noncharacter_fails", "\ufdd0zyx.com", ""},
	{"wpt_encoded_noncharacter_fails", "%ef%b7%90zyx.com", ""},
	{"wpt_replacement_character_fails", "\ufffd", ""},
	{"wpt_encoded_replacement_character_fails", "%EF%BF%BD", ""},
	{"wpt_invalid_punycode_label_fails", "a.b.c.xn--pokxncvks", ""},
	{"wpt_invalid_punycode_after_ipv4_fails", "10.0.0.xn--pokxncvks", ""},
	{"wpt_upper_case_ace_prefix_is_checked", "a.b.c.XN--pokxncvks", ""},
	{"wpt_fullwidth_letters_map_to_ascii", "\uff27\uff4f.com", "go.com"},
	{"wpt_fullwidth_percent_fails", "\uff05\uff14\uff11.com", ""},
	{"wpt_encoded_fullwidth_percent_fails", "%ef%bc%85%ef%bc%94%ef%bc%91.com", ""},
	{"wpt_han_is_punycoded", "你好你好", "xn--6qqa088eba"},
	{"wpt_mixed_case_idn", "faß.ExAmPlE", "xn--fa-hia.example"},
	{"wpt_bad_escapes_fail", "%zz%66%a.com", ""},
	{"wpt_encoded_percent_fails", "%25", ""},
	{"wpt_encoded_nul_fails", "hello%00", ""},
	{"wpt_encoded_ipv4_parts", "%30%78%63%30%2e%30%32%35%30.01", "192.168.0.1"},
	{"wpt_encoded_ipv4_trailing_dot", "%30%78%63%30%2e%30%32%35%30.01%2e", "192.168.0.1"},
	{"wpt_ipv4_part_out_of_range", "192.168.0.257", ""},
	{"wpt_bad_escape_in_ipv4", "%3g%78%63%30%2e%30%32%35%30%2E.01", ""},
	{"wpt_space_after_ipv4_fails", "192.168.0.1 hello", ""},
	{"wpt_fullwidth_ipv4", "\uff10\uff38\uff43\uff10\uff0e\uff10\uff12\uff15\uff10\uff0e\uff10\uff11", "192.168.0.1"},
	{"wpt_single_dot_domain", ".", "."},
	{"wpt_double_dot_domain", "..", ".."},
	{"wpt_domain_in_brackets_fails", "[www.google.com]", ""},
	{"wpt_ipv4_in_ipv6_with_junk_fails", "[::1.2.3.4x]", ""},
	{"wpt_ipv4_in_ipv6_too_short_fails", "[::1.2.3.]", ""},
	{"wpt_ipv4_in_ipv6_two_parts_fails", "[::1.2.]", ""},
	{"wpt_ipv4_in_ipv6_one_part_fails", "[::1.]", ""},
	{"wpt_ipv4_in_ipv6_is_hex", "[::127.0.0.1]", "[::7f00:1]"},
	{"wpt_ipv4_in_full_ipv6", "[0:0:0:0:0:0:13.1.68.3]", "[::d01:4403]"},
	{"wpt_ipv6", "[2001::1]", "[2001::1]"},
	{"wpt_allowed_ascii_punctuation", "!\"$&'()*+,-.;=_`{}~", "!\"$&'()*+,-.;=_`{}~"},
	{"wpt_encoded_c1_byte_fails", "example.com%80", ""},
	{"wpt_encoded_nbsp_byte_fails", "example.com%A0", ""},
	{"wpt_encoded_snowman", "%e2%98%83", "xn--n3h"},
	{"wpt_forbidden_less_than", "a<b", ""},
	{"wpt_forbidden_pipe", "a|b", ""},
	{"wpt_forbidden_delete", "a\x7fb", ""},
	{"wpt_forbidden_control", "a\x01b", ""},
	{"wpt_encoded_forbidden_slash", "ho%2Fst", ""},
	{"wpt_encoded_forbidden_colon", "ho%3Ast", ""},

	// IPv4 edge cases (URL standard, IPv4 parser).
	{"ipv4_trailing_dot_is_dropped", "1.2.3.4.", "1.2.3.4"},
	{"ipv4_max_single_number", "4294967295", "255.255.255.255"},
	{"ipv4_single_number_overflow_fails", "4294967296", ""},
	{"ipv4_huge_number_fails", "99999999999999999999999999999", ""},
	{"ipv4_five_parts_fail", "1.2.3.4.5", ""},
	{"ipv4_two_parts_last_is_24_bits", "1.16777215", "1.255.255.255"},
	{"ipv4_two_parts_overflow_fails", "1.16777216", ""},
	{"ipv4_octal_parts", "0300.0250.0.01", "192.168.0.1"},
	{"ipv4_ends_in_0x_parses_whole_host", "foo.0x", ""},
	{"domain_with_digits_not_last", "1.example", "1.example"},
	{"label_with_letter_and_digit_is_domain", "a1", "a1"},

	// IPv6 edge cases (URL standard, IPv6 parser and serializer).
	{"ipv6_first_longest_zero_run_is_compressed", "[0:f:0:0:f:f:0:0]", "[0:f::f:f:0:0]"},
	{"ipv6_all_zero", "[::]", "[::]"},
	{"ipv6_upper_case_hex_is_lowered", "[::A]", "[::a]"},
	{"ipv6_leading_zeros_dropped", "[0001:0db8::0001]", "[1:db8::1]"},
	{"ipv6_single_zero_piece_not_compressed", "[1:0:1:1:1:1:1:1]", "[1:0:1:1:1:1:1:1]"},
	{"ipv6_too_many_pieces_fails", "[1:2:3:4:5:6:7:8:9]", ""},
	{"ipv6_too_few_pieces_fails", "[1:2:3]", ""},
	{"ipv6_two_compressions_fail", "[1::2::3]", ""},
	{"ipv6_leading_single_colon_fails", "[:1::]", ""},
	{"ipv6_trailing_single_colon_fails", "[1::2:]", ""},
	{"ipv6_five_hex_digits_fail", "[12345::]", ""},
	{"ipv6_zone_id_fails", "[fe80::1%25eth0]", ""},
	{"ipv6_ipv4_leading_zero_fails", "[::1.2.3.04]", ""},
	{"ipv6_unclosed_fails", "[::1", ""},
	{"ipv6_without_brackets_fails", "::1", ""},

	// IDNA details (UTS #46 as the URL standard configures it).
	{"punycode_is_validated_and_kept", "XN--MNCHEN-3YA.de", "xn--mnchen-3ya.de"},
	{"unicode_is_punycoded", "münchen.de", "xn--mnchen-3ya.de"},
	{"hyphens_are_not_checked", "r3---sn-apo3qvuoxuxbt-j5pe.example", "r3---sn-apo3qvuoxuxbt-j5pe.example"},
	{"leading_and_trailing_hyphen_allowed", "-a-.com", "-a-.com"},
	{"underscore_allowed", "_dmarc.example", "_dmarc.example"},
	{"empty_labels_allowed", "a..b", "a..b"},
	{"empty_ace_label_fails", "xn--", ""},
	{"empty_ace_label_in_middle_fails", "a.xn--.b", ""},
	{"invalid_punycode_fails", "xn--a", ""},
	{"zero_width_joiner_in_latin_fails", "a\u200db.com", ""},
	{"bidi_rule_violation_fails", "\u0661", ""},
	{"emoji_is_punycoded", "☕.example", "xn--53h.example"},
	{"empty_host_fails", "", ""},
	{"space_only_fails", " ", ""},
}

func TestCanonicalHost(t *testing.T) {
	for _, tt := range canonicalHostTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CanonicalHost(tt.in)
			if tt.want == "" {
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("CanonicalHost(%q) = %q, %v; want a *ParseError", tt.in, got, err)
				}
				if pe.Input != tt.in || pe.Reason == "" {
					t.Errorf("CanonicalHost(%q) error = %+v; want Input %q and a reason", tt.in, pe, tt.in)
				}
				return
			}
			if err != nil {
				t.Fatalf("CanonicalHost(%q) failed: %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("CanonicalHost(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestCanonicalHostErrorReasons(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"forbidden_code_point_is_named", "a b", `origin: cannot parse "a b": forbidden domain code point " "`},
		{"unclosed_ipv6_is_explained", "[::1", `origin: cannot parse "[::1": IPv6 address is missing its closing "]"`},
		{"ipv4_range_is_explained", "1.2.3.256", `origin: cannot parse "1.2.3.256": IPv4 address part out of range`},
		{"empty_host_is_explained", "", `origin: cannot parse "": empty host`},
		{"too_long_host_is_rejected_first", strings.Repeat("a", MaxLength+1), `origin: cannot parse "` + strings.Repeat("a", maxQuoted) + `"...: longer than 2048 bytes`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CanonicalHost(tt.in)
			if err == nil {
				t.Fatalf("CanonicalHost(%q) succeeded; want error", tt.in)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestForbiddenTables checks the byte tables against predicates written
// straight from the URL standard's lists.
func TestForbiddenTables(t *testing.T) {
	for c := 0; c < 256; c++ {
		r := rune(c)
		if c >= 0x80 {
			r = -1 // not a code point on its own; never forbidden
		}
		if got, want := forbiddenHost[c], r >= 0 && specForbiddenHost(r); got != want {
			t.Errorf("forbiddenHost[%#x] = %v, want %v", c, got, want)
		}
		if got, want := forbiddenDomain[c], r >= 0 && specForbiddenDomain(r); got != want {
			t.Errorf("forbiddenDomain[%#x] = %v, want %v", c, got, want)
		}
	}
}

// TestHostParsersAgreeWithSpec runs IP-shaped strings through the fast host
// parser and the literal transcription in spec_test.go.
func TestHostParsersAgreeWithSpec(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := rapid.OneOf(
			rapid.StringMatching(`[0-9a-fxX.]{0,20}`),
			rapid.StringMatching(`\[[0-9a-fA-F:.]{0,40}\]`),
			genIPv4(),
			genIPv6(),
		).Draw(t, "host")
		checkAgainstSpec(t, in)
	})
}

func checkAgainstSpec(t interface{ Fatalf(string, ...any) }, in string) {
	want, wantOK, handled := specIPHost(in)
	if !handled {
		return
	}
	got, reason := hostParse(in)
	if gotOK := reason == ""; gotOK != wantOK || got != want {
		t.Fatalf("host %q: fast parser = %q, %q; spec transcription = %q, ok=%v", in, got, reason, want, wantOK)
	}
	if endsInANumber(in) != specEndsInANumber(in) {
		t.Fatalf("endsInANumber(%q) = %v, spec = %v", in, endsInANumber(in), specEndsInANumber(in))
	}
}

// TestCanonicalHostIsIdempotent: a canonical host is its own canonical form,
// and is non-empty ASCII without upper case or forbidden domain code points
// (outside IPv6 brackets).
func TestCanonicalHostIsIdempotent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := genHost().Draw(t, "host")
		checkCanonical(t, in)
	})
}

func checkCanonical(t interface{ Fatalf(string, ...any) }, in string) {
	canon, err := CanonicalHost(in)
	if err != nil {
		return
	}
	again, err := CanonicalHost(canon)
	if err != nil || again != canon {
		t.Fatalf("CanonicalHost(%q) = %q, but CanonicalHost(%q) = %q, %v", in, canon, canon, again, err)
	}
	if canon == "" || !isASCII(canon) || asciiLower(canon) != canon {
		t.Fatalf("CanonicalHost(%q) = %q is not non-empty lower-case ASCII", in, canon)
	}
	if !strings.HasPrefix(canon, "[") {
		for i := 0; i < len(canon); i++ {
			if forbiddenDomain[canon[i]] {
				t.Fatalf("CanonicalHost(%q) = %q has forbidden code point %q", in, canon, canon[i])
			}
		}
	}
	if k, ok := isCanonicalASCIIHost(canon); ok && k != kindOfCanonicalHost(canon) {
		t.Fatalf("fast path classifies %q as %v, slow path as %v", canon, k, kindOfCanonicalHost(canon))
	}
}

func FuzzCanonicalHost(f *testing.F) {
	for _, tt := range canonicalHostTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkCanonical(t, in)
		if utf8.ValidString(in) {
			checkAgainstSpec(t, in)
		}
	})
}
