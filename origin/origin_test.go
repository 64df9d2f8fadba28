package origin

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// fields is a comparable view of an Origin's observable state for cmp.
type fields struct {
	Valid, Opaque   bool
	Scheme, Host    string
	Port            uint16
	HasPort         bool
	EffectivePort   uint16
	Serialization   string
	Trustworthy     bool
	SameAsItself    bool
	SameSiteAsSelf  bool
	ParsedBackEqual bool
}

func fieldsOf(o Origin) fields {
	port, hasPort := o.Port()
	p, err := Parse(o.String())
	return fields{
		Valid: o.IsValid(), Opaque: o.IsOpaque(),
		Scheme: o.Scheme(), Host: o.Host(),
		Port: port, HasPort: hasPort, EffectivePort: o.EffectivePort(),
		Serialization:   o.String(),
		Trustworthy:     o.IsPotentiallyTrustworthy(),
		SameAsItself:    o.SameOrigin(o),
		SameSiteAsSelf:  o.SameSite(o),
		ParsedBackEqual: err == nil && p == o,
	}
}

func TestTuple(t *testing.T) {
	tests := []struct {
		name         string
		scheme, host string
		port         int
		want         fields
	}{
		{"https_without_port", "https", "example.com", -1, fields{
			Valid: true, Scheme: "https", Host: "example.com", EffectivePort: 443,
			Serialization: "https://example.com", Trustworthy: true, SameAsItself: true, SameSiteAsSelf: true, ParsedBackEqual: true}},
		{"default_port_becomes_null", "https", "example.com", 443, fields{
			Valid: true, Scheme: "https", Host: "example.com", EffectivePort: 443,
			Serialization: "https://example.com", Trustworthy: true, SameAsItself: true, SameSiteAsSelf: true, ParsedBackEqual: true}},
		{"ftp_default_port_becomes_null", "ftp", "example.com", 21, fields{
			Valid: true, Scheme: "ftp", Host: "example.com", EffectivePort: 21,
			Serialization: "ftp://example.com", SameAsItself: true, SameSiteAsSelf: true, ParsedBackEqual: true}},
		{"non_default_port_is_kept", "http", "example.com", 8080, fields{
			Valid: true, Scheme: "http", Host: "example.com", Port: 8080, HasPort: true, EffectivePort: 8080,
			Serialization: "http://example.com:8080", SameAsItself: true, SameSiteAsSelf: true, ParsedBackEqual: true}},
		{"port_zero_is_a_port", "http", "example.com", 0, fields{
			Valid: true, Scheme: "http", Host: "example.com", HasPort: true,
			Serialization: "http://example.com:0", SameAsItself: true, SameSiteAsSelf: true, ParsedBackEqual: true}},
		{"other_schemes_default_port_is_kept", "http", "example.com", 443, fields{
			Valid: true, Scheme: "http", Host: "example.com", Port: 443, HasPort: true, EffectivePort: 443,
			Serialization: "http://example.com:443", SameAsItself: true, SameSiteAsSelf: true, ParsedBackEqual: true}},
		{"scheme_and_host_are_canonicalized", "HTTP", "EXAMPLE.com", -1, fields{
			Valid: true, Scheme: "http", Host: "example.com", EffectivePort: 80,
			Serialization: "http://example.com", SameAsItself: true, SameSiteAsSelf: true, ParsedBackEqual: true}},
		{"ipv4_forms_are_canonicalized", "http", "0x7f.1", 3000, fields{
			Valid: true, Scheme: "http", Host: "127.0.0.1", Port: 3000, HasPort: true, EffectivePort: 3000,
			Serialization: "http://127.0.0.1:3000", Trustworthy: true, SameAsItself: true, SameSiteAsSelf: true, ParsedBackEqual: true}},
		{"ipv6_is_bracketed_and_compressed", "http", "[0:0::1]", -1, fields{
			Valid: true, Scheme: "http", Host: "[::1]", EffectivePort: 80,
			Serialization: "http://[::1]", Trustworthy: true, SameAsItself: true, SameSiteAsSelf: true, ParsedBackEqual: true}},
		{"idn_is_punycoded", "https", "Bücher.example", -1, fields{
			Valid: true, Scheme: "https", Host: "xn--bcher-kva.example", EffectivePort: 443,
			Serialization: "https://xn--bcher-kva.example", Trustworthy: true, SameAsItself: true, SameSiteAsSelf: true, ParsedBackEqual: true}},
		{"unknown_scheme_has_no_default_port", "chrome-extension", "abcdef", -1, fields{
			Valid: true, Scheme: "chrome-extension", Host: "abcdef",
			Serialization: "chrome-extension://abcdef", SameAsItself: true, SameSiteAsSelf: true, ParsedBackEqual: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := Tuple(tt.scheme, tt.host, tt.port)
			if err != nil {
				t.Fatalf("Tuple(%q, %q, %d): %v", tt.scheme, tt.host, tt.port, err)
			}
			if diff := cmp.Diff(tt.want, fieldsOf(o)); diff != "" {
				t.Errorf("Tuple(%q, %q, %d) mismatch (-want +got):\n%s", tt.scheme, tt.host, tt.port, diff)
			}
		})
	}
}

func TestTupleRejects(t *testing.T) {
	tests := []struct {
		name         string
		scheme, host string
		port         int
		want         ParseError
	}{
		{"empty_scheme", "", "a.example", -1, ParseError{"", "empty scheme"}},
		{"scheme_with_colon", "https:", "a.example", -1, ParseError{"https:", `invalid code point ":" in scheme`}},
		{"scheme_starting_with_digit", "1http", "a.example", -1, ParseError{"1http", "scheme must start with an ASCII letter"}},
		{"empty_host", "https", "", -1, ParseError{"", "empty host"}},
		{"host_with_path", "https", "a.example/", -1, ParseError{"a.example/", `forbidden domain code point "/"`}},
		{"host_with_port", "https", "a.example:443", -1, ParseError{"a.example:443", `forbidden domain code point ":"`}},
		{"unbracketed_ipv6", "http", "::1", -1, ParseError{"::1", `forbidden domain code point ":"`}},
		{"port_too_large", "https", "a.example", 65536, ParseError{"65536", "port out of range 0-65535 (use -1 for no port)"}},
		{"negative_port", "https", "a.example", -2, ParseError{"-2", "port out of range 0-65535 (use -1 for no port)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := Tuple(tt.scheme, tt.host, tt.port)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Tuple(%q, %q, %d) = %v, %v; want *ParseError", tt.scheme, tt.host, tt.port, o, err)
			}
			if diff := cmp.Diff(tt.want, *pe); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
			if o != (Origin{}) {
				t.Errorf("failed Tuple returned %#v, want the zero Origin", o)
			}
		})
	}
}

func TestZeroOriginIsInvalid(t *testing.T) {
	var z Origin
	want := fields{} // every observation is the zero value, ParsedBackEqual included
	if diff := cmp.Diff(want, fieldsOf(z)); diff != "" {
		t.Errorf("zero Origin mismatch (-want +got):\n%s", diff)
	}
	if z.SameSite(z) || z.SchemelesslySameSite(z) {
		t.Error("zero Origin is same site with itself")
	}
}

func TestOpaqueOrigins(t *testing.T) {
	t.Run("opaque_from_id_is_deterministic", func(t *testing.T) {
		if OpaqueFromID(1) != OpaqueFromID(1) || !OpaqueFromID(1).SameOrigin(OpaqueFromID(1)) {
			t.Error("OpaqueFromID(1) differs from itself")
		}
		if OpaqueFromID(1) == OpaqueFromID(2) || OpaqueFromID(1).SameOrigin(OpaqueFromID(2)) {
			t.Error("OpaqueFromID(1) equals OpaqueFromID(2)")
		}
	})
	t.Run("new_opaque_is_unique", func(t *testing.T) {
		seen := map[Origin]bool{}
		for range 1000 {
			o := NewOpaque()
			if seen[o] {
				t.Fatalf("NewOpaque returned %#v twice", o)
			}
			seen[o] = true
		}
	})
	t.Run("new_opaque_never_equals_an_id_origin", func(t *testing.T) {
		o := NewOpaque()
		if o == OpaqueFromID(o.nonce) {
			t.Error("NewOpaque equals OpaqueFromID of its nonce")
		}
	})
	t.Run("opaque_observations", func(t *testing.T) {
		want := fields{Valid: true, Opaque: true, Serialization: "null", SameAsItself: true, SameSiteAsSelf: true}
		if diff := cmp.Diff(want, fieldsOf(NewOpaque())); diff != "" {
			t.Errorf("NewOpaque mismatch (-want +got):\n%s", diff)
		}
		want.ParsedBackEqual = true // Parse("null") is OpaqueFromID(0)
		if diff := cmp.Diff(want, fieldsOf(OpaqueFromID(0))); diff != "" {
			t.Errorf("OpaqueFromID(0) mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("opaque_is_not_same_origin_with_tuple", func(t *testing.T) {
		tu := MustParse("https://a.example")
		if OpaqueFromID(0).SameOrigin(tu) || tu.SameOrigin(OpaqueFromID(0)) {
			t.Error("opaque origin is same origin with a tuple")
		}
	})
}

func TestOriginIsAMapKey(t *testing.T) {
	m := map[Origin]int{}
	m[MustParse("https://a.example")]++
	m[Must(Tuple("HTTPS", "A.example", 443))]++
	m[OpaqueFromID(7)]++
	m[OpaqueFromID(7)]++
	want := map[Origin]int{MustParse("https://a.example"): 2, OpaqueFromID(7): 2}
	if diff := cmp.Diff(want, m, cmp.Comparer(func(a, b Origin) bool { return a == b })); diff != "" {
		t.Errorf("map mismatch (-want +got):\n%s", diff)
	}
}

// Must is a test helper like MustParse for Tuple.
func Must(o Origin, err error) Origin {
	if err != nil {
		panic(err)
	}
	return o
}

func TestAppendTo(t *testing.T) {
	b := []byte("Origin: ")
	b = MustParse("https://a.example:8443").AppendTo(b)
	if diff := cmp.Diff("Origin: https://a.example:8443", string(b)); diff != "" {
		t.Errorf("AppendTo mismatch (-want +got):\n%s", diff)
	}
}

func TestTextMarshaling(t *testing.T) {
	type doc struct {
		A, B, C Origin
	}
	in := doc{A: MustParse("https://a.example"), B: OpaqueFromID(0)}
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(`{"A":"https://a.example","B":"null","C":""}`, string(data)); diff != "" {
		t.Errorf("json.Marshal mismatch (-want +got):\n%s", diff)
	}
	var out doc
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	if out != in {
		t.Errorf("round trip = %#v, want %#v", out, in)
	}
	t.Run("opaque_identity_is_lost", func(t *testing.T) {
		var o Origin
		text, _ := OpaqueFromID(9).MarshalText()
		if err := o.UnmarshalText(text); err != nil || o != OpaqueFromID(0) {
			t.Errorf("UnmarshalText(%q) = %#v, %v; want OpaqueFromID(0)", text, o, err)
		}
	})
	t.Run("bad_text_is_an_error_and_leaves_value", func(t *testing.T) {
		o := MustParse("https://keep.example")
		err := o.UnmarshalText([]byte("https://a.example/"))
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Reason != "trailing slash" {
			t.Errorf("UnmarshalText error = %v, want trailing slash *ParseError", err)
		}
		if o != MustParse("https://keep.example") {
			t.Errorf("failed UnmarshalText changed the value to %v", o)
		}
	})
}

// TestSameOriginIsAnEquivalence: reflexive on valid origins, symmetric,
// transitive, and the same as == on valid origins.
func TestSameOriginIsAnEquivalence(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := genSmallOrigin().Draw(t, "a")
		b := genSmallOrigin().Draw(t, "b")
		c := genSmallOrigin().Draw(t, "c")
		if !a.SameOrigin(a) {
			t.Fatalf("%v is not same origin with itself", a)
		}
		if a.SameOrigin(b) != b.SameOrigin(a) {
			t.Fatalf("SameOrigin not symmetric for %v, %v", a, b)
		}
		if a.SameOrigin(b) && b.SameOrigin(c) && !a.SameOrigin(c) {
			t.Fatalf("SameOrigin not transitive for %v, %v, %v", a, b, c)
		}
		if a.SameOrigin(b) != (a == b) {
			t.Fatalf("SameOrigin(%v, %v) = %v but == is %v", a, b, a.SameOrigin(b), a == b)
		}
		if !a.IsOpaque() && !b.IsOpaque() && a.SameOrigin(b) != (a.String() == b.String()) {
			t.Fatalf("tuples %v and %v: SameOrigin disagrees with serialization equality", a, b)
		}
	})
}
