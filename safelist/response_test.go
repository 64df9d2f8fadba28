package safelist

import "testing"

func TestResponseHeaderNames(t *testing.T) {
	tests := []struct {
		name          string
		header        string
		exposed       []string
		wantSafe      bool
		wantForbidden bool
	}{
		{"content_type_is_always_exposed", "Content-Type", nil, true, false},
		{"pragma_any_case_is_always_exposed", "PRAGMA", nil, true, false},
		{"content_length_is_always_exposed", "content-length", nil, true, false},
		{"etag_is_not_exposed_by_default", "ETag", nil, false, false},
		{"exposed_name_matches_case_insensitively", "ETag", []string{"etag"}, true, false},
		{"set_cookie_is_never_exposed", "Set-Cookie", []string{"Set-Cookie"}, false, true},
		{"set_cookie2_is_never_exposed", "set-cookie2", []string{"SET-COOKIE2"}, false, true},
		{"literal_star_does_not_expose_other_names", "X-Foo", []string{"*"}, false, false},
		{"literal_star_exposes_a_header_named_star", "*", []string{"*"}, true, false},
		{"accept_is_not_safelisted_in_the_spec", "Accept", nil, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsCORSSafelistedResponseHeaderName(tt.header, tt.exposed); got != tt.wantSafe {
				t.Errorf("IsCORSSafelistedResponseHeaderName(%q, %q) = %v, want %v", tt.header, tt.exposed, got, tt.wantSafe)
			}
			if got := IsForbiddenResponseHeaderName(tt.header); got != tt.wantForbidden {
				t.Errorf("IsForbiddenResponseHeaderName(%q) = %v, want %v", tt.header, got, tt.wantForbidden)
			}
		})
	}
}
