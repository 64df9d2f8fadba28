package origin

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestParseAcceptsSerializedOrigins(t *testing.T) {
	tests := []struct {
		name, in string
		want     fields
	}{
		{"https_domain", "https://example.com", fieldsOf(Must(Tuple("https", "example.com", -1)))},
		{"http_with_port", "http://example.com:8080", fieldsOf(Must(Tuple("http", "example.com", 8080)))},
		{"ipv4", "http://127.0.0.1:3000", fieldsOf(Must(Tuple("http", "127.0.0.1", 3000)))},
		{"ipv6", "http://[::1]:3000", fieldsOf(Must(Tuple("http", "[::1]", 3000)))},
		{"punycode", "https://xn--mnchen-3ya.de", fieldsOf(Must(Tuple("https", "münchen.de", -1)))},
		{"trailing_dot_domain", "https://example.com.", fieldsOf(Must(Tuple("https", "example.com.", -1)))},
		{"port_zero", "http://a.example:0", fieldsOf(Must(Tuple("http", "a.example", 0)))},
		{"null_is_opaque", "null", fieldsOf(OpaqueFromID(0))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, fieldsOf(o)); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			if o.String() != tt.in {
				t.Errorf("Parse(%q).String() = %q", tt.in, o.String())
			}
		})
	}
}

// TestParseRejectsClassicMistakes lists what people put in
// Access-Control-Allow-Origin or compare Origin headers against, and why a
// browser would never match it.
func TestParseRejectsClassicMistakes(t *testing.T) {
	tests := []struct {
		name, in, reason string
	}{
		{"trailing_slash", "https://example.com/", "trailing slash"},
		{"path", "https://example.com/app", "path not allowed"},
		{"query", "https://example.com?x=1", "query not allowed"},
		{"fragment", "https://example.com#top", "fragment not allowed"},
		{"upper_case_scheme", "HTTPS://example.com", "upper-case scheme"},
		{"upper_case_host", "https://Example.com", "upper-case host"},
		{"upper_case_ipv6", "http://[::A]", "upper-case host"},
		{"default_https_port", "https://example.com:443", "default port must be omitted"},
		{"default_http_port", "http://example.com:80", "default port must be omitted"},
		{"default_wss_port", "wss://example.com:443", "default port must be omitted"},
		{"port_leading_zero", "http://example.com:08080", "port has leading zeros"},
		{"empty_port", "http://example.com:", `empty port (omit the ":" when there is no port)`},
		{"port_out_of_range", "http://example.com:65536", "port out of range 0-65535"},
		{"port_not_a_number", "http://example.com:http", "port is not a decimal number"},
		{"userinfo", "https://user@example.com", "userinfo not allowed"},
		{"missing_scheme", "example.com", `missing scheme (an origin looks like "https://example.com")`},
		{"missing_slashes", "https:example.com", `missing "//" after the scheme`},
		{"scheme_relative", "//example.com", `missing scheme (an origin looks like "https://example.com")`},
		{"wildcard", "*", `the wildcard "*" is not an origin`},
		{"upper_case_null", "NULL", `an opaque origin serializes as lower-case "null"`},
		{"capitalized_null", "Null", `an opaque origin serializes as lower-case "null"`},
		{"empty", "", "empty string"},
		{"leading_space", " https://example.com", "leading or trailing whitespace"},
		{"trailing_newline", "https://example.com\n", "leading or trailing whitespace"},
		{"comma_separated_list", "https://a.example, https://b.example", "more than one origin (a list is not an origin)"},
		{"space_separated_list", "https://a.example https://b.example", "more than one origin (a list is not an origin)"},
		{"unicode_host", "https://münchen.de", `host is not in canonical form: IDNs must be punycode-encoded (want "xn--mnchen-3ya.de")`},
		{"short_ipv4", "http://127.1", `host is not in canonical form (want "127.0.0.1")`},
		{"uncompressed_ipv6", "http://[0:0:0:0:0:0:0:1]", `host is not in canonical form (want "[::1]")`},
		{"percent_encoded_host", "https://ex%61mple.com", `host is not in canonical form (want "example.com")`},
		{"invalid_host", "https://exa mple.com", `invalid host: forbidden domain code point " "`},
		{"empty_host", "https://", "empty host"},
		{"empty_host_with_port", "https://:443", "empty host"},
		{"bad_scheme", "ht tp://example.com", `invalid code point " " in scheme`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := Parse(tt.in)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) = %v, %v; want a *ParseError", tt.in, o, err)
			}
			if diff := cmp.Diff(ParseError{Input: tt.in, Reason: tt.reason}, *pe); diff != "" {
				t.Errorf("Parse(%q) error mismatch (-want +got):\n%s", tt.in, diff)
			}
			if o != (Origin{}) {
				t.Errorf("failed Parse returned %#v, want the zero Origin", o)
			}
		})
	}
}

func TestParseErrorMessage(t *testing.T) {
	_, err := Parse("https://example.com/")
	want := `origin: cannot parse "https://example.com/": trailing slash`
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("message mismatch (-want +got):\n%s", diff)
	}
}

func TestParseCapsInputLength(t *testing.T) {
	long := "https://" + strings.Repeat("a", MaxLength)
	_, err := Parse(long)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Reason != "longer than 2048 bytes" || len(pe.Input) != MaxLength {
		t.Errorf("Parse(long) error = %v; want a length error holding the first %d bytes", err, MaxLength)
	}
	if _, err := Tuple("https", strings.Repeat("a", MaxLength-len("https://")+1), -1); err == nil {
		t.Error("Tuple built an origin longer than MaxLength")
	}
	if o, err := Tuple("https", strings.Repeat("a", MaxLength-len("https://")), -1); err != nil || len(o.String()) != MaxLength {
		t.Errorf("Tuple of exactly MaxLength bytes = %v, %v", o, err)
	}
}

func TestMustParsePanicsOnBadInput(t *testing.T) {
	defer func() {
		r := recover()
		pe, ok := r.(*ParseError)
		if !ok || pe.Reason != "trailing slash" {
			t.Errorf("MustParse panicked with %v, want the *ParseError", r)
		}
	}()
	MustParse("https://example.com/")
	t.Error("MustParse did not panic")
}

// TestParseRoundTripsTuples: for every valid tuple origin o,
// Parse(o.String()) == o.
func TestParseRoundTripsTuples(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		o := genTuple().Draw(t, "origin")
		p, err := Parse(o.String())
		if err != nil {
			t.Fatalf("Parse(%q): %v", o.String(), err)
		}
		if p != o {
			t.Fatalf("Parse(%q) = %#v, want %#v", o.String(), p, o)
		}
	})
}

// TestParseAgreesWithOracle runs near-miss strings through Parse and
// through oracleParse (Tuple plus a serialization check).
func TestParseAgreesWithOracle(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		o := genTuple().Draw(t, "origin")
		s := o.String()
		switch rapid.IntRange(0, 5).Draw(t, "mutation") {
		case 1:
			s += "/"
		case 2:
			s = strings.ToUpper(s)
		case 3:
			i := rapid.IntRange(0, len(s)-1).Draw(t, "i")
			s = s[:i] + rapid.SampledFrom([]string{":", "0", ".", "@", "[", "%41", "xn--", ":443", ":80"}).Draw(t, "insert") + s[i:]
		case 4:
			i := rapid.IntRange(0, len(s)-1).Draw(t, "i")
			s = s[:i] + s[i+1:]
		case 5:
			s = strings.Replace(s, "://", "://"+genHost().Draw(t, "host")+".", 1)
		}
		checkParse(t, s)
	})
}

func checkParse(t interface{ Fatalf(string, ...any) }, s string) {
	o, err := Parse(s)
	ref, refOK := oracleParse(s)
	if (err == nil) != refOK {
		t.Fatalf("Parse(%q) error = %v, oracle ok = %v", s, err, refOK)
	}
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Reason == "" {
			t.Fatalf("Parse(%q) error %v is not a *ParseError with a reason", s, err)
		}
		return
	}
	if o != ref {
		t.Fatalf("Parse(%q) = %#v, oracle = %#v", s, o, ref)
	}
	if o.String() != s {
		t.Fatalf("Parse(%q).String() = %q", s, o.String())
	}
}

// FuzzParse checks that Parse(s) succeeds exactly when s is the
// serialization of the origin it returns, and agrees with oracleParse.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"null", "https://example.com", "http://example.com:8080", "http://[::1]:3000",
		"http://127.0.0.1", "https://xn--mnchen-3ya.de", "https://example.com/",
		"HTTPS://example.com", "https://example.com:443", "http://127.1", "*",
		"https://a.example, https://b.example", "http://[0:0::1]", "ws://.",
		"http://0x7f.1", "https://xn--", "foo://!$&'()*+,-.;=_`{}~",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkParse(t, s)
	})
}
