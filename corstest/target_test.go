package corstest

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corsim/corsim/origin"
)

type stubTransport struct{ seen []string }

func (s *stubTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	s.seen = append(s.seen, r.Header.Get("Sec-Fetch-Site"))
	return &http.Response{StatusCode: 204, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
}

func TestRecorderSecFetchSite(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		urls []string // one fetch's hops
		want []string
	}{
		{"same origin", "https://a.example", []string{"https://a.example/x"}, []string{"same-origin"}},
		{"same site", "https://a.example", []string{"https://b.a.example/x"}, []string{"same-site"}},
		{"same site is schemeful", "http://a.example", []string{"https://a.example/x"}, []string{"cross-site"}},
		{"cross site", "https://a.example", []string{"https://b.test/x"}, []string{"cross-site"}},
		{"not sent to an http URL", "https://a.example", []string{"http://b.test/x"}, []string{""}},
		{"loopback is trustworthy", "https://a.example", []string{"http://127.0.0.1:8080/x"}, []string{"cross-site"}},
		{"a redirect never makes it more trusted", "https://a.example", []string{"https://b.test/x", "https://a.example/y"}, []string{"cross-site", "cross-site"}},
		{"opaque document", "null", []string{"https://a.example/x"}, []string{"cross-site"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stub := &stubTransport{}
			doc := origin.OpaqueFromID(7)
			if tt.doc != "null" {
				doc = origin.MustParse(tt.doc)
			}
			rec := &Recorder{Next: stub, Document: doc}
			for _, u := range tt.urls {
				req, _ := http.NewRequest("GET", u, nil)
				if _, err := rec.RoundTrip(req); err != nil {
					t.Fatal(err)
				}
				if req.Header.Get("Sec-Fetch-Site") != "" {
					t.Fatal("the recorder modified the caller's request")
				}
			}
			if diff := cmp.Diff(tt.want, stub.seen); diff != "" {
				t.Errorf("Sec-Fetch-Site (-want +got):\n%s", diff)
			}
		})
	}
}

// http.CrossOriginProtection gives a browser's verdicts: it decides on
// Sec-Fetch-Site, so a page at the http origin of the same host cannot
// post, though the host comparison of its fallback would let it.
func TestCrossOriginProtectionVerdicts(t *testing.T) {
	h := http.NewCrossOriginProtection().Handler(Endpoint(items))
	target := Handler("https://api.example/items", h)
	target.Marked = true
	rep, err := Run(context.Background(), Policy{ProtectWrites: true}, target, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Failures() {
		t.Errorf("%s", f)
	}
	reached := map[string]bool{}
	for _, r := range rep.Results {
		if r.Profile == "chromium" && r.Case.Steps[0].Request.Method == "POST" {
			reached[r.Case.Origin.String()+" "+string(r.Case.Steps[0].Request.Credentials)] = r.Steps[0].Reached
		}
	}
	want := map[string]bool{
		"https://api.example same-origin": true,
		"http://api.example omit":         false,
		"http://api.example include":      false,
		"https://evilapi.example omit":    false,
	}
	for k, v := range want {
		if got, ok := reached[k]; !ok || got != v {
			t.Errorf("POST from %s reached the handler: %v (case present %v), want %v", k, got, ok, v)
		}
	}
}
