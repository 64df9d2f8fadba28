package fetch_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corsim/corsim/fetch"
	"github.com/corsim/corsim/profile"
)

// WebKit's own rules, each as recorded under testdata/webkit (the profile
// field named in each case cites its recording and source).
func TestWebKitRules(t *testing.T) {
	noCORSPost := func(url string) *fetch.Request {
		return &fetch.Request{URL: url, Method: "POST", Mode: fetch.ModeNoCORS, Body: []byte("x")}
	}
	redirect302 := func(from, to string) func(*http.Request) (int, http.Header) {
		return func(r *http.Request) (int, http.Header) {
			if "http://"+r.URL.Host+r.URL.Path == from {
				return 302, http.Header{"Location": {to}}
			}
			return 200, nil
		}
	}
	origin := func(o string) map[string]string { return map[string]string{"Origin": o} }
	none := map[string]string{}
	tests := []struct {
		name   string
		req    *fetch.Request
		answer func(*http.Request) (int, http.Header)
		want   outcome
	}{
		// profile.OriginKeptAfterMethodRewrite
		{"a same-origin 302 keeps Origin on the GET", noCORSPost("http://a.test/r"), redirect302("http://a.test/r", "http://a.test/f"),
			outcome{Type: fetch.TypeBasic, Status: 200, URL: "http://a.test/f", Sent: []sent{{"POST", "http://a.test/r", origin("http://a.test")}, {"GET", "http://a.test/f", origin("http://a.test")}}}},
		{"a 302 to another origin drops Origin from the GET", noCORSPost("http://a.test/r"), redirect302("http://a.test/r", "http://b.test/r"),
			outcome{Type: fetch.TypeOpaque, Sent: []sent{{"POST", "http://a.test/r", origin("http://a.test")}, {"GET", "http://b.test/r", none}}}},
		{"a 302 back to the page's origin drops it too", noCORSPost("http://b.test/r"), redirect302("http://b.test/r", "http://a.test/f"),
			outcome{Type: fetch.TypeOpaque, Sent: []sent{{"POST", "http://b.test/r", origin("http://a.test")}, {"GET", "http://a.test/f", none}}}},
		// profile.SchemePolicy.AboutBlankFails
		{"about:blank fails in mode no-cors, nothing sent", &fetch.Request{URL: "about:blank", Mode: fetch.ModeNoCORS}, allowAll,
			outcome{Failed: true}},
		// redirect.Policy.ManualSkipsLocation
		{"manual mode does not parse the Location", &fetch.Request{URL: "http://b.test/r", Redirect: fetch.RedirectManual}, redirectTo("http://[::1"),
			outcome{Type: fetch.TypeOpaqueRedirect, URL: "http://b.test/r", Sent: []sent{{"GET", "http://b.test/r", origin("http://a.test")}}}},
		// redirect.Policy.FTPTargetFails
		{"manual mode still refuses an ftp: target", &fetch.Request{URL: "http://b.test/r", Redirect: fetch.RedirectManual}, redirectTo("ftp://c.test/r"),
			outcome{Failed: true, Sent: []sent{{"GET", "http://b.test/r", origin("http://a.test")}}}},
		{"manual mode to another scheme is an opaque redirect", &fetch.Request{URL: "http://b.test/r", Redirect: fetch.RedirectManual}, redirectTo("mailto:x@c.test"),
			outcome{Type: fetch.TypeOpaqueRedirect, URL: "http://b.test/r", Sent: []sent{{"GET", "http://b.test/r", origin("http://a.test")}}}},
		// redirect.Policy.CrossOriginDeleteBecomesGet
		{"a same-origin DELETE redirected 302 to another origin arrives as a GET, unpreflighted", &fetch.Request{URL: "http://a.test/r", Method: "DELETE"},
			redirect302("http://a.test/r", "http://b.test/r"),
			outcome{Failed: true, Sent: []sent{{"DELETE", "http://a.test/r", origin("http://a.test")}, {"GET", "http://b.test/r", origin("http://a.test")}}}},
		{"a DELETE redirected within its origin stays a DELETE", &fetch.Request{URL: "http://a.test/r", Method: "DELETE"},
			redirect302("http://a.test/r", "http://a.test/f"),
			outcome{Type: fetch.TypeBasic, Status: 200, URL: "http://a.test/f", Sent: []sent{{"DELETE", "http://a.test/r", origin("http://a.test")}, {"DELETE", "http://a.test/f", origin("http://a.test")}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, profile.WebKit(), tt.req, tt.answer)
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// enforce.PreflightPolicy.OriginalHeadersAfterRedirect: a JSON POST that a
// 302 turns into a GET to another origin is preflighted there for the
// Content-Type it no longer sends (recorded: webkit/mixed/mixed-036-…);
// Chromium follows the standard and sends the GET unpreflighted.
func TestWebKitPreflightsARedirectOnTheOriginalHeaders(t *testing.T) {
	for _, tt := range []struct {
		p    profile.Profile
		want []string
	}{
		{profile.WebKit(), []string{"POST http://a.test/r acrm= acrh= ct=application/json", "OPTIONS http://b.test/f acrm=GET acrh=content-type ct=", "GET http://b.test/f acrm= acrh= ct="}},
		{profile.Chromium(), []string{"POST http://a.test/r acrm= acrh= ct=application/json", "GET http://b.test/f acrm= acrh= ct="}},
	} {
		srv := &server{answer: func(r *http.Request) (int, http.Header) {
			h := http.Header{"Access-Control-Allow-Origin": {"*"}}
			switch {
			case r.URL.Host == "a.test":
				return 302, http.Header{"Location": {"http://b.test/f"}}
			case r.Method == http.MethodOptions:
				h.Set("Access-Control-Allow-Headers", "*")
				return 204, h
			}
			return 200, h
		}}
		c := newClient(t, "http://a.test", srv, fetch.WithProfile(tt.p))
		req := &fetch.Request{URL: "http://a.test/r", Method: "POST", Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte("{}")}
		if _, err := c.Fetch(context.Background(), req); err != nil {
			t.Fatalf("%s: %v", tt.p.Name, err)
		}
		var got []string
		for _, r := range srv.sent() {
			got = append(got, fmt.Sprintf("%s %s acrm=%s acrh=%s ct=%s", r.Method, r.URL, r.Header["Access-Control-Request-Method"], r.Header["Access-Control-Request-Headers"], r.Header["Content-Type"]))
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("%s: the wire (-want +got):\n%s", tt.p.Name, d)
		}
	}
}

// redirect.Policy.EmptyLocation: the same 302 with `Location: ""` under
// each profile (recorded: */redirect/cross-origin-get-redirected-302-with-
// an-empty-location).
func TestEmptyLocationPerProfile(t *testing.T) {
	fromA := map[string]string{"Origin": "http://a.test"}
	loop := make([]sent, 21)
	for i := range loop {
		loop[i] = sent{"GET", "http://b.test/r", fromA}
	}
	one := []sent{{"GET", "http://b.test/r", fromA}}
	tests := []struct {
		profile profile.Profile
		want    outcome
	}{
		{profile.Spec(), outcome{Failed: true, Sent: loop}},
		{profile.Firefox(), outcome{Failed: true, Sent: loop}},
		{profile.Chromium(), outcome{Type: fetch.TypeCORS, Status: 302, URL: "http://b.test/r", Sent: one}},
		{profile.WebKit(), outcome{Failed: true, Sent: one}},
	}
	for _, tt := range tests {
		t.Run(tt.profile.Name, func(t *testing.T) {
			got := run(t, tt.profile, &fetch.Request{URL: "http://b.test/r"}, redirectTo(""))
			got.Console = ""
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// enforce.PreflightPolicy.PreflightStaysRequired: a preflighted PUT that a
// 303 turns into a GET (recorded: */redirect/preflighted-put-redirected-
// 303-becomes-a-get).
func TestPreflightStaysRequiredPerProfile(t *testing.T) {
	fromA := map[string]string{"Origin": "http://a.test"}
	first := []sent{{"OPTIONS", "http://b.test/r", fromA}, {"PUT", "http://b.test/r", fromA}}
	again := append(append([]sent{}, first...), sent{"OPTIONS", "http://b.test/final", fromA}, sent{"GET", "http://b.test/final", fromA})
	once := append(append([]sent{}, first...), sent{"GET", "http://b.test/final", fromA})
	answer := func(r *http.Request) (int, http.Header) {
		h := http.Header{"Access-Control-Allow-Origin": {"http://a.test"}, "Access-Control-Allow-Methods": {"PUT"}}
		if r.Method == "PUT" {
			h.Set("Location", "http://b.test/final")
			return 303, h
		}
		return 200, h
	}
	tests := []struct {
		profile profile.Profile
		sent    []sent
	}{
		{profile.Spec(), once},
		{profile.Chromium(), once},
		{profile.Firefox(), again},
		{profile.WebKit(), again},
	}
	for _, tt := range tests {
		t.Run(tt.profile.Name, func(t *testing.T) {
			got := run(t, tt.profile, &fetch.Request{URL: "http://b.test/r", Method: "PUT", Body: []byte("x")}, answer)
			want := outcome{Type: fetch.TypeCORS, Status: 200, URL: "http://b.test/final", Sent: tt.sent}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}
