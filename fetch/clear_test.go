package fetch_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corsim/corsim/fetch"
	"github.com/corsim/corsim/profile"
)

// TestFailureClearsTheCacheAsTheProfileSays caches a preflight for PUT,
// makes one request to the same URL fail, and looks at whether the next
// PUT is preflighted again: Cache.ClearOnFailure of each profile.
func TestFailureClearsTheCacheAsTheProfileSays(t *testing.T) {
	failures := []struct {
		name string
		req  fetch.Request
		// failPut makes the actual PUT response lack Access-Control-Allow-Origin.
		failPut bool
	}{
		{"a preflight that fails", fetch.Request{URL: "http://b.test/r", Method: "DELETE"}, false},
		{"a simple GET that fails the CORS check", fetch.Request{URL: "http://b.test/r"}, false},
		{"a preflighted PUT whose response fails the CORS check", fetch.Request{URL: "http://b.test/r", Method: "PUT"}, true},
	}
	// want[profile][failure]: is the last PUT preflighted again? (Chromium
	// and WebKit erase the entry that the DELETE's lookup found
	// insufficient: EraseOnMiss, not a clear. WebKit then caches the
	// DELETE's failing preflight, which allows PUT:
	// enforce.PreflightPolicy.CacheBeforeMethodAndHeaderChecks.)
	want := map[string][3]bool{
		"chromium": {true, false, false},
		"webkit":   {false, false, false},
		"firefox":  {true, true, true},
		"spec":     {true, false, true},
	}
	for name, wantRow := range want {
		p, err := profile.ByName(name)
		if err != nil {
			t.Fatal(err)
		}
		for i, fail := range failures {
			var failPut atomic.Bool
			srv := &server{answer: func(req *http.Request) (int, http.Header) {
				h := http.Header{"Access-Control-Allow-Origin": {"http://a.test"}}
				switch {
				case req.Method == http.MethodOptions:
					h.Set("Access-Control-Allow-Methods", "PUT")
					h.Set("Access-Control-Max-Age", "10")
					return 204, h
				case req.Method == http.MethodGet, req.Method == http.MethodPut && failPut.Load():
					return 200, http.Header{}
				}
				return 200, h
			}}
			c := newClient(t, "http://a.test", srv, fetch.WithProfile(p))
			ctx := context.Background()
			if _, err := c.Fetch(ctx, &fetch.Request{URL: "http://b.test/r", Method: "PUT"}); err != nil {
				t.Fatalf("%s: the first PUT: %v", name, err)
			}
			failPut.Store(fail.failPut)
			req := fail.req
			if _, err := c.Fetch(ctx, &req); err == nil {
				t.Fatalf("%s, %s: the request succeeded", name, fail.name)
			}
			failPut.Store(false)
			before := len(srv.sent())
			if _, err := c.Fetch(ctx, &fetch.Request{URL: "http://b.test/r", Method: "PUT"}); err != nil {
				t.Fatalf("%s, %s: the last PUT: %v", name, fail.name, err)
			}
			var methods []string
			for _, s := range srv.sent()[before:] {
				methods = append(methods, s.Method)
			}
			wantMethods := []string{"PUT"}
			if wantRow[i] {
				wantMethods = []string{"OPTIONS", "PUT"}
			}
			if diff := cmp.Diff(wantMethods, methods); diff != "" {
				t.Errorf("%s, after %s: the last PUT's wire (-want +got):\n%s", name, fail.name, diff)
			}
		}
	}
}
