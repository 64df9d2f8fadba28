package scenario

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/corsim/corsim/profile"
)

func TestReplayReportsRequestsNoRuleMatched(t *testing.T) {
	const file = `{"format": 1, "name": "n", "origin": "http://a.test",
	  "server": [{"method": "GET", "url": "http://b.test/r", "status": 200, "headers": [["Access-Control-Allow-Origin", "*"]]}],
	  "steps": [
	    {"at": 0, "fetch": {"url": "http://b.test/r"}, "expect": {}},
	    {"at": 0, "fetch": {"url": "http://b.test/r", "method": "PUT"}, "expect": {}},
	    {"at": 0, "server": [{"method": "OPTIONS", "url": "http://b.test/r", "status": 204, "headers": [
	        ["Access-Control-Allow-Origin", "*"], ["Access-Control-Allow-Methods", "PUT"]]}],
	     "fetch": {"url": "http://b.test/r", "method": "PUT"}, "expect": {}}]}`
	s, err := Parse("unscripted.json", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	obs, err := Replay(context.Background(), s, profile.Chromium())
	if err != nil {
		t.Fatal(err)
	}
	preflight := WireRequest{Method: "OPTIONS", URL: "http://b.test/r", Headers: map[string]string{"origin": "http://a.test", "access-control-request-method": "PUT"}}
	put := WireRequest{Method: "PUT", URL: "http://b.test/r", Headers: map[string]string{"origin": "http://a.test"}}
	tests := []struct {
		name string
		want []WireRequest
	}{
		{"a_request_a_rule_answers_is_scripted", nil},
		{"a_preflight_no_rule_answers_is_unscripted", []WireRequest{preflight}},
		{"after_a_scripted_preflight_only_the_put_is_unscripted", []WireRequest{put}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, obs[i].Unscripted); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// The server answers 404 with nothing exactly to the requests it reports as
// unscripted, and those are the requests that no rule matches.
func TestServerUnscriptedAreTheRequestsNoRuleMatches(t *testing.T) {
	methods := []string{"GET", "PUT", "OPTIONS"}
	urls := []string{"http://b.test/r", "http://b.test/s", "http://B.test:80/r"}
	rapid.Check(t, func(t *rapid.T) {
		rule := rapid.Custom(func(t *rapid.T) Rule {
			return Rule{Method: rapid.SampledFrom(methods).Draw(t, "method"), URL: rapid.SampledFrom(urls).Draw(t, "url"), Status: 200}
		})
		rules := rapid.SliceOfN(rule, 0, 4).Draw(t, "rules")
		stepRules := rapid.SliceOfN(rule, 0, 2).Draw(t, "step rules")
		srv := NewServer(rules)
		srv.SetStepRules(stepRules)
		var want []WireRequest
		n := rapid.IntRange(0, 6).Draw(t, "requests")
		for i := range n {
			method := rapid.SampledFrom(methods).Draw(t, fmt.Sprint("req method ", i))
			url := rapid.SampledFrom(urls).Draw(t, fmt.Sprint("req url ", i))
			req, _ := http.NewRequest(method, url, nil)
			resp, err := srv.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			matched := false
			for _, r := range append(append([]Rule(nil), stepRules...), rules...) {
				matched = matched || (r.Method == method && canonicalURL(r.URL) == canonicalURL(url))
			}
			if !matched {
				want = append(want, WireRequest{Method: method, URL: canonicalURL(url), Headers: map[string]string{}})
				if resp.StatusCode != 404 || len(resp.Header) != 0 || len(body) != 0 {
					t.Fatalf("an unmatched request got %d %v %q, want 404 with nothing", resp.StatusCode, resp.Header, body)
				}
			}
		}
		wire, unscripted := srv.take()
		if len(wire) != n {
			t.Fatalf("%d wire entries for %d requests", len(wire), n)
		}
		if diff := cmp.Diff(want, unscripted); diff != "" {
			t.Fatalf("unscripted (-want +got):\n%s", diff)
		}
		if w, u := srv.take(); w != nil || u != nil {
			t.Fatalf("take must forget what it returned")
		}
	})
}

func TestExpectHasFields(t *testing.T) {
	ok, st := "ok", 0
	tests := []struct {
		name   string
		expect Expect
		want   bool
	}{
		{"empty", Expect{}, false},
		{"outcome_only", Expect{Outcome: ok}, true},
		{"a_zero_status_is_a_field", Expect{Status: &st}, true},
		{"an_empty_wire_list_is_a_field", Expect{Wire: &[]WireRequest{}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.expect.HasFields()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
