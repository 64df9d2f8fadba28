package enforce

import (
	"net/http"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/corsim/corsim/internal/httpheader"
)

func responseWith(extra ...string) http.Header {
	return hdr(append([]string{
		"Content-Type", "text/plain", "X-Secret", "1", "X-Other", "2", "Set-Cookie", "a=b",
		"Cache-Control", "no-cache", "Content-Language", "en", "Content-Length", "7",
		"Expires", "0", "Last-Modified", "0", "Pragma", "no-cache",
	}, extra...)...)
}

var safelisted = []string{"cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma"}

func TestExposedHeaderNames(t *testing.T) {
	tests := []struct {
		name     string
		tainting Tainting
		h        http.Header
		include  bool
		want     []string
	}{
		{"cors_without_expose_shows_the_safelist", TaintCORS, responseWith(), false, safelisted},
		{"cors_expose_one_name", TaintCORS, responseWith("Access-Control-Expose-Headers", "X-Secret"), false, append(append([]string{}, safelisted...), "x-secret")},
		{"cors_expose_wildcard_without_credentials_shows_all_but_set_cookie", TaintCORS, responseWith("Access-Control-Expose-Headers", "*"), false,
			[]string{"access-control-expose-headers", "cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma", "x-other", "x-secret"}},
		{"cors_expose_wildcard_with_credentials_is_literal", TaintCORS, responseWith("Access-Control-Expose-Headers", "*"), true, safelisted},
		{"cors_expose_set_cookie_never_shows_it", TaintCORS, responseWith("Access-Control-Expose-Headers", "Set-Cookie"), false, safelisted},
		{"cors_malformed_expose_list_exposes_nothing_extra", TaintCORS, responseWith("Access-Control-Expose-Headers", "X Secret"), false, safelisted},
		{"cors_empty_elements_are_skipped", TaintCORS, responseWith("Access-Control-Expose-Headers", "X-Secret,,X-Other"), false,
			[]string{"cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma", "x-other", "x-secret"}},
		{"basic_shows_all_but_set_cookie", TaintBasic, responseWith(), false,
			[]string{"cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma", "x-other", "x-secret"}},
		{"opaque_shows_nothing", TaintOpaque, responseWith(), false, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ExposedHeaderNames(tt.tainting, tt.h, tt.include)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ExposedHeaderNames mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// Whatever the server sends, script never reads Set-Cookie, and a CORS
// response never exposes a name that is neither safelisted nor listed.
func TestExposedHeaderNamesInvariants(t *testing.T) {
	names := []string{"Set-Cookie", "Set-Cookie2", "X-Secret", "Content-Type", "X-Other", "Pragma"}
	rapid.Check(t, func(t *rapid.T) {
		h := http.Header{}
		for _, n := range rapid.SliceOfN(rapid.SampledFrom(names), 0, 6).Draw(t, "names") {
			h.Add(n, "v")
		}
		expose := rapid.SliceOfN(rapid.SampledFrom(append(names, "*")), 0, 3).Draw(t, "expose")
		for _, e := range expose {
			h.Add("Access-Control-Expose-Headers", e)
		}
		include := rapid.Bool().Draw(t, "include")
		for _, tnt := range []Tainting{TaintBasic, TaintCORS} {
			for _, n := range ExposedHeaderNames(tnt, h, include) {
				if n == "set-cookie" || n == "set-cookie2" {
					t.Fatalf("%s response exposes %s", tnt, n)
				}
				if tnt == TaintCORS && !slices.Contains(safelisted, n) && !httpheader.ContainsFold(expose, n) && !(slices.Contains(expose, "*") && !include) {
					t.Fatalf("cors response exposes %q not listed in %q", n, expose)
				}
			}
		}
	})
}
