package scenario

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func strp(s string) *string { return &s }

func TestServerAnswersWithTheFirstMatchingRule(t *testing.T) {
	srv := NewServer([]Rule{
		{Method: "GET", URL: "http://b.test/r", Status: 201, Headers: []Header{{"x-one", " 1 "}, {"X-One", "2"}}, Body: strp("first")},
		{Method: "GET", URL: "http://b.test/r", Status: 202},
	})
	srv.SetStepRules([]Rule{{Method: "PUT", URL: "http://b.test/r", Status: 204}})
	get := func(method, url string) (*http.Response, string) {
		req, _ := http.NewRequestWithContext(context.Background(), method, url, nil)
		req.Header.Set("Origin", "http://a.test")
		req.Header.Set("Cookie", "not recorded")
		resp, err := srv.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	resp, body := get("GET", "http://B.test:80/r")
	if resp.StatusCode != 201 || body != "first" {
		t.Errorf("GET: %d %q, want the first rule", resp.StatusCode, body)
	}
	if diff := cmp.Diff(http.Header{"X-One": {"1", "2"}}, resp.Header); diff != "" {
		t.Errorf("header lines (-want +got):\n%s", diff)
	}
	if resp, _ := get("PUT", "http://b.test/r"); resp.StatusCode != 204 {
		t.Errorf("step rule not consulted: %d", resp.StatusCode)
	}
	if resp, body := get("DELETE", "http://b.test/r"); resp.StatusCode != 404 || len(resp.Header) != 0 || body != "" {
		t.Errorf("no rule: %d %v %q, want 404 with nothing", resp.StatusCode, resp.Header, body)
	}
	want := []WireRequest{
		{Method: "GET", URL: "http://b.test/r", Headers: map[string]string{"origin": "http://a.test"}},
		{Method: "PUT", URL: "http://b.test/r", Headers: map[string]string{"origin": "http://a.test"}},
		{Method: "DELETE", URL: "http://b.test/r", Headers: map[string]string{"origin": "http://a.test"}},
	}
	if diff := cmp.Diff(want, srv.Wire()); diff != "" {
		t.Errorf("wire (-want +got):\n%s", diff)
	}
	if w := srv.Wire(); len(w) != 0 {
		t.Errorf("Wire must forget what it returned; got %v", w)
	}
}

func TestCompareOnlyLooksAtPresentFields(t *testing.T) {
	ok, cors, st := "ok", "cors", 200
	got := Expect{Outcome: ok, Type: &cors, Status: &st}
	if ms := Compare(Expect{}, got); len(ms) != 0 {
		t.Errorf("empty expect compared fields: %v", ms)
	}
	other := 204
	ms := Compare(Expect{Outcome: ok, Status: &other}, got)
	if diff := cmp.Diff([]Mismatch{{Field: "status", Expected: "204", Observed: "200"}}, ms); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if ms := Compare(Expect{Console: strp("x")}, got); len(ms) != 1 || ms[0].Observed != "(absent)" {
		t.Errorf("an absent observed console must be reported: %v", ms)
	}
}

// Every observation matches itself, and a replay is deterministic.
func TestReplayIsDeterministic(t *testing.T) {
	files := corpusFiles(t, "chromium")
	rapid.Check(t, func(t *rapid.T) {
		file := rapid.SampledFrom(files).Draw(t, "file")
		s, err := LoadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		p := rapid.SampledFrom(profileNames).Draw(t, "profile")
		prof := mustProfile(t, p)
		a, err := Replay(context.Background(), s, prof)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Replay(context.Background(), s, prof)
		for i := range a {
			if ms := Compare(a[i].Observed, b[i].Observed); len(ms) != 0 {
				t.Fatalf("%s step %d under %s differs between two replays: %v", file, i, p, ms)
			}
		}
	})
}

// A URL's userinfo never reaches a server: the request is matched and
// recorded without it.
func TestServerSeesNoUserinfo(t *testing.T) {
	srv := NewServer([]Rule{{Method: "GET", URL: "http://c.test/r", Status: 200}})
	tests := []struct{ url, want string }{
		{"http://u:p@c.test/r", "http://c.test/r"},
		{"http://u@c.test/r", "http://c.test/r"},
		{"http://c.test/r", "http://c.test/r"},
	}
	for _, tt := range tests {
		req, _ := http.NewRequestWithContext(context.Background(), "GET", tt.url, nil)
		resp, err := srv.RoundTrip(req)
		if err != nil || resp.StatusCode != 200 {
			t.Errorf("%s: %v %v, want the rule's 200", tt.url, resp, err)
		}
		if diff := cmp.Diff([]WireRequest{{Method: "GET", URL: tt.want, Headers: map[string]string{}}}, srv.Wire()); diff != "" {
			t.Errorf("%s: wire (-want +got):\n%s", tt.url, diff)
		}
	}
}
