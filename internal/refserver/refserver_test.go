package refserver

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestMatchers(t *testing.T) {
	origins := []string{"https://app.example.com"}
	probes := []string{"https://app.example.com", "https://evilapp.example.com", "https://app.example.com.attacker.test", "https://appxexample.com", "https://x.example.com", "http://app.example.com", "null", "https://other.test"}
	tests := []struct {
		match Match
		want  []string
	}{
		{MatchExact, []string{"https://app.example.com"}},
		{MatchReflect, []string{"https://app.example.com", "https://evilapp.example.com", "https://app.example.com.attacker.test", "https://appxexample.com", "https://x.example.com", "http://app.example.com", "https://other.test"}},
		{MatchSuffix, []string{"https://app.example.com", "https://evilapp.example.com", "http://app.example.com"}},
		{MatchPrefix, []string{"https://app.example.com", "https://app.example.com.attacker.test"}},
		{MatchRegexp, []string{"https://app.example.com", "https://appxexample.com"}},
		{MatchSubdomain, []string{"https://app.example.com", "https://evilapp.example.com", "https://x.example.com"}},
		{MatchAnyScheme, []string{"https://app.example.com", "http://app.example.com"}},
	}
	for _, tt := range tests {
		c := Config{Origins: origins, Match: tt.match}
		var got []string
		for _, p := range probes {
			if c.allowed(p) {
				got = append(got, p)
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("match %d (-want +got):\n%s", tt.match, diff)
		}
	}
}

// The correct configuration answers an origin exactly when it is listed,
// and always varies on Origin.
func TestExactProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		hosts := rapid.SliceOfN(rapid.SampledFrom([]string{"https://a.test", "https://b.test", "http://a.test", "https://a.test:8443"}), 1, 3).Draw(t, "origins")
		o := rapid.SampledFrom([]string{"https://a.test", "https://b.test", "http://a.test", "https://a.test:8443", "null", ""}).Draw(t, "origin")
		h := Config{Origins: hosts}.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
		r := httptest.NewRequest("GET", "https://api.test/", nil)
		if o != "" {
			r.Header.Set("Origin", o)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		got := w.Header().Get("Access-Control-Allow-Origin")
		if listed := slices.Contains(hosts, o); listed != (got == o && o != "") {
			t.Fatalf("origin %q listed %v, Access-Control-Allow-Origin %q", o, listed, got)
		}
		if w.Header().Get("Vary") != "Origin" {
			t.Fatalf("Vary %q", w.Header().Get("Vary"))
		}
	})
}
