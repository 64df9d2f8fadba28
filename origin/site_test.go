package origin

import (
	"testing"

	"pgregory.net/rapid"
)

func TestSameSite(t *testing.T) {
	tests := []struct {
		name                 string
		a, b                 Origin
		sameSite, schemeless bool
	}{
		// HTML: the same site examples table
		// (https://html.spec.whatwg.org/multipage/browsers.html#example-same-site).
		{"html_same_origin", MustParse("https://example.org"), MustParse("https://example.org"), true, true},
		{"html_scheme_differs", MustParse("https://example.org"), MustParse("http://example.org"), false, true},
		{"html_port_differs", MustParse("https://example.org"), MustParse("https://example.org:314"), true, true},
		{"html_subdomain", MustParse("https://example.org"), MustParse("https://www.example.org"), true, true},
		{"html_private_suffix_siblings", MustParse("https://whatwg.github.io"), MustParse("https://example.github.io"), false, false},
		{"html_opaque_same", OpaqueFromID(1), OpaqueFromID(1), true, true},
		{"html_opaque_different", OpaqueFromID(1), OpaqueFromID(2), false, false},

		{"multi_label_public_suffix", MustParse("https://a.example.co.uk"), MustParse("https://b.example.co.uk"), true, true},
		{"different_registrable_domains", MustParse("https://example.com"), MustParse("https://example.net"), false, false},
		{"public_suffix_itself_matches_only_itself", MustParse("https://github.io"), MustParse("https://github.io"), true, true},
		{"public_suffix_vs_its_subdomain", MustParse("https://github.io"), MustParse("https://x.github.io"), false, false},
		{"ip_addresses_compare_whole", MustParse("http://127.0.0.1"), MustParse("http://127.0.0.2"), false, false},
		{"same_ip_other_port", MustParse("http://127.0.0.1"), MustParse("http://127.0.0.1:8080"), true, true},
		{"ipv6_equal", MustParse("http://[::1]"), MustParse("http://[::1]:3000"), true, true},
		{"localhost_has_no_registrable_domain", MustParse("http://localhost"), MustParse("http://localhost:8080"), true, true},
		{"subdomains_of_localhost_are_separate_sites", MustParse("http://a.localhost"), MustParse("http://b.localhost"), false, false},
		{"trailing_dot_is_a_different_site", MustParse("https://example.com."), MustParse("https://example.com"), false, false},
		{"trailing_dot_subdomains", MustParse("https://a.example.com."), MustParse("https://example.com."), true, true},
		{"opaque_vs_tuple", OpaqueFromID(0), MustParse("https://example.com"), false, false},
		{"zero_vs_zero", Origin{}, Origin{}, false, false},
		{"zero_vs_tuple", Origin{}, MustParse("https://example.com"), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.SameSite(tt.b); got != tt.sameSite {
				t.Errorf("%v.SameSite(%v) = %v, want %v", tt.a, tt.b, got, tt.sameSite)
			}
			if got := tt.b.SameSite(tt.a); got != tt.sameSite {
				t.Errorf("%v.SameSite(%v) = %v, want %v", tt.b, tt.a, got, tt.sameSite)
			}
			if got := tt.a.SchemelesslySameSite(tt.b); got != tt.schemeless {
				t.Errorf("%v.SchemelesslySameSite(%v) = %v, want %v", tt.a, tt.b, got, tt.schemeless)
			}
		})
	}
}

// TestSiteProperties: SameOrigin ⇒ SameSite ⇒ SchemelesslySameSite, and
// both site relations are symmetric.
func TestSiteProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := genSmallOrigin().Draw(t, "a")
		b := genSmallOrigin().Draw(t, "b")
		if a.SameOrigin(b) && !a.SameSite(b) {
			t.Fatalf("%v and %v are same origin but not same site", a, b)
		}
		if a.SameSite(b) && !a.SchemelesslySameSite(b) {
			t.Fatalf("%v and %v are same site but not schemelessly same site", a, b)
		}
		if a.SameSite(b) != b.SameSite(a) || a.SchemelesslySameSite(b) != b.SchemelesslySameSite(a) {
			t.Fatalf("site relations of %v and %v are not symmetric", a, b)
		}
	})
}

// TestSameOriginImpliesSameSiteForAllTuples widens the pool to generated
// tuple origins.
func TestSameOriginImpliesSameSiteForAllTuples(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := genTuple().Draw(t, "a")
		b, err := Parse(a.String())
		if err != nil {
			t.Fatalf("Parse(%q): %v", a.String(), err)
		}
		if !a.SameOrigin(b) || !a.SameSite(b) || !a.SchemelesslySameSite(b) {
			t.Fatalf("%v is not same origin and same site with its reparse", a)
		}
	})
}
