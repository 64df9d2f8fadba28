package fetch_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/corsim/corsim/enforce"
	"github.com/corsim/corsim/fetch"
	"github.com/corsim/corsim/profile"
	"github.com/google/go-cmp/cmp"
)

// enforce.PreflightPolicy.DisallowedHeaderOrder: with several headers
// disallowed, Chromium names the first in its header map's bucket order,
// Firefox the sorted-first (recorded: firefox/disallowed-order/
// get-with-headers-x-b-1-x-a-1-x-c-1-preflight-allow-headers*.json).
// WebKit's console lines (branch wkconsole) show it names the first in
// script's order, which http.Header does not keep; in the WebKit case
// here script's order and the sorted order agree.
// Chromium's order is fixed when the request is made: after a 307 the
// preflight to the new URL still names the header the first URL's order
// puts first.
func TestDisallowedHeaderNamed(t *testing.T) {
	tests := []struct {
		name  string
		p     profile.Profile
		url   string
		allow string
		want  string
	}{
		{"chromium", profile.Chromium(), "http://b.test/r", "", "x-c"},
		{"chromium_x_c_allowed", profile.Chromium(), "http://b.test/r", "X-C", "x-a"},
		{"chromium_after_redirect", profile.Chromium(), "http://a.test/go", "", "x-c"},
		{"firefox", profile.Firefox(), "http://b.test/r", "", "x-a"},
		{"webkit", profile.WebKit(), "http://b.test/r", "x-a", "x-b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := &server{answer: func(r *http.Request) (int, http.Header) {
				if r.URL.Path == "/go" {
					return 307, http.Header{"Location": {"http://b.test/r"}}
				}
				return 204, http.Header{"Access-Control-Allow-Origin": {"http://a.test"}, "Access-Control-Allow-Headers": {tt.allow}}
			}}
			c := newClient(t, "http://a.test", srv, fetch.WithProfile(tt.p))
			req := &fetch.Request{URL: tt.url, Header: http.Header{"X-B": {"1"}, "X-A": {"1"}, "X-C": {"1"}}}
			_, err := c.Fetch(context.Background(), req)
			var ce *enforce.Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a CORS error", err)
			}
			if d := cmp.Diff(tt.want, ce.Param); ce.Reason != enforce.HeaderDisallowedByPreflightResponse || d != "" {
				t.Errorf("%s, the header named (-want +got):\n%s", ce.Reason, d)
			}
		})
	}
}
