package fetch_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corsim/corsim/fetch"
	"github.com/corsim/corsim/origin"
	"github.com/corsim/corsim/profile"
)

// refServer records the Referer and Origin of every request; /hop
// redirects to ?to= with the Referrer-Policy of ?rp=.
type refServer struct{ referers, origins []string }

func (s *refServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.referers = append(s.referers, r.Header.Get("Referer"))
	s.origins = append(s.origins, r.Header.Get("Origin"))
	w.Header().Set("Access-Control-Allow-Origin", "*")
	if to := r.URL.Query().Get("to"); to != "" {
		if rp := r.URL.Query().Get("rp"); rp != "" {
			w.Header().Set("Referrer-Policy", rp)
		}
		http.Redirect(w, r, to, http.StatusFound)
	}
}

// Referer for each policy (Referrer Policy §8.3), from a document at
// https://a.test/page?q#frag.
func TestReferrerPolicies(t *testing.T) {
	const doc = "https://u:p@a.test/page?q#frag"
	tests := []struct {
		policy      fetch.ReferrerPolicy
		same, cross string // to https://a.test/r and https://b.test/r
	}{
		{"", "https://a.test/page?q", "https://a.test/"},
		{fetch.ReferrerStrictOriginWhenCrossOrigin, "https://a.test/page?q", "https://a.test/"},
		{fetch.ReferrerNoReferrer, "", ""},
		{fetch.ReferrerNoReferrerWhenDowngrade, "https://a.test/page?q", "https://a.test/page?q"},
		{fetch.ReferrerSameOrigin, "https://a.test/page?q", ""},
		{fetch.ReferrerOrigin, "https://a.test/", "https://a.test/"},
		{fetch.ReferrerStrictOrigin, "https://a.test/", "https://a.test/"},
		{fetch.ReferrerOriginWhenCrossOrigin, "https://a.test/page?q", "https://a.test/"},
		{fetch.ReferrerUnsafeURL, "https://a.test/page?q", "https://a.test/page?q"},
	}
	for _, tt := range tests {
		t.Run(string(tt.policy), func(t *testing.T) {
			srv := &refServer{}
			c, err := fetch.NewClient(origin.MustParse("https://a.test"), fetch.HandlerTransport{Handler: srv}, fixedClock, fetch.WithDocumentURL(doc))
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range []string{"https://a.test/r", "https://b.test/r"} {
				if _, err := c.Fetch(context.Background(), &fetch.Request{URL: u, ReferrerPolicy: tt.policy}); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff([]string{tt.same, tt.cross}, srv.referers); diff != "" {
				t.Errorf("Referer (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReferrerAcrossRedirects(t *testing.T) {
	srv := &refServer{}
	c, _ := fetch.NewClient(origin.MustParse("https://a.test"), fetch.HandlerTransport{Handler: srv}, fixedClock, fetch.WithDocumentURL("https://a.test/page"))
	// a.test/page → b.test (origin only) → a.test: the referrer was cut
	// to the origin at the first cross-origin hop and stays so.
	if _, err := c.Fetch(context.Background(), &fetch.Request{URL: "https://b.test/hop?to=https://a.test/back"}); err != nil {
		t.Fatal(err)
	}
	// A Referrer-Policy on the redirect response changes the policy for
	// the next hop (HTTP-redirect fetch, step 14).
	if _, err := c.Fetch(context.Background(), &fetch.Request{URL: "https://a.test/hop?rp=no-referrer&to=https://a.test/next"}); err != nil {
		t.Fatal(err)
	}
	want := []string{"https://a.test/", "https://a.test/", "https://a.test/page", ""}
	if diff := cmp.Diff(want, srv.referers); diff != "" {
		t.Errorf("Referer per hop (-want +got):\n%s", diff)
	}
}

// Outside mode cors, a POST's Origin follows the referrer policy
// (append a request `Origin` header, step 4) in Firefox, WebKit and the
// spec; Chromium sends the origin regardless (recorded).
func TestOriginHeaderUnderReferrerPolicy(t *testing.T) {
	t.Run("chromium_sends_the_origin", func(t *testing.T) {
		srv := &refServer{}
		c, _ := fetch.NewClient(origin.MustParse("https://a.test"), fetch.HandlerTransport{Handler: srv}, fixedClock)
		if _, err := c.Fetch(context.Background(), &fetch.Request{URL: "https://b.test/r", Method: "POST", Body: []byte("x"), Mode: fetch.ModeNoCORS, ReferrerPolicy: fetch.ReferrerNoReferrer}); err != nil {
			t.Fatal(err)
		}
		if srv.origins[0] != "https://a.test" {
			t.Errorf("Origin %q", srv.origins[0])
		}
	})
	tests := []struct {
		mode   fetch.Mode
		policy fetch.ReferrerPolicy
		url    string
		want   string
	}{
		{fetch.ModeNoCORS, "", "https://b.test/r", "https://a.test"},
		{fetch.ModeNoCORS, fetch.ReferrerNoReferrer, "https://b.test/r", "null"},
		{fetch.ModeNoCORS, fetch.ReferrerSameOrigin, "https://b.test/r", "null"},
		{fetch.ModeNoCORS, fetch.ReferrerSameOrigin, "https://a.test/r", "https://a.test"},
		{fetch.ModeCORS, fetch.ReferrerNoReferrer, "https://b.test/r", "https://a.test"},
		{fetch.ModeSameOrigin, fetch.ReferrerNoReferrer, "https://a.test/r", "null"},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode)+"/"+string(tt.policy)+"/"+tt.url, func(t *testing.T) {
			srv := &refServer{}
			c, _ := fetch.NewClient(origin.MustParse("https://a.test"), fetch.HandlerTransport{Handler: srv}, fixedClock, fetch.WithProfile(profile.Firefox()))
			if _, err := c.Fetch(context.Background(), &fetch.Request{URL: tt.url, Method: "POST", Body: []byte("x"), Mode: tt.mode, ReferrerPolicy: tt.policy}); err != nil {
				t.Fatal(err)
			}
			if srv.origins[0] != tt.want {
				t.Errorf("Origin %q, want %q", srv.origins[0], tt.want)
			}
		})
	}
}
