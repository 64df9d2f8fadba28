package main

import (
	"encoding/json"
	"testing"

	"github.com/corsim/corsim/scenario"
	"github.com/google/go-cmp/cmp"
)

func TestFetchExpression(t *testing.T) {
	body := "a'b\"c</script>"
	tests := []struct {
		name string
		f    scenario.Fetch
		want string // the arguments passed to the script
	}{
		{"defaults_pass_an_empty_init", scenario.Fetch{URL: "http://b.test/r"}, `"http://b.test/r", {}`},
		{
			"headers_are_pairs_in_order_with_repetition",
			scenario.Fetch{URL: "http://b.test/r", Method: "patch", Headers: []scenario.Header{hdr("X-Foo", "1"), hdr("x-foo", "2")}},
			`"http://b.test/r", {"method":"patch","headers":[["X-Foo","1"],["x-foo","2"]]}`,
		},
		{
			"every_member_and_a_string_body",
			scenario.Fetch{URL: "http://b.test/r", Method: "POST", Mode: "no-cors", Credentials: "include", Redirect: "manual", Body: &body},
			`"http://b.test/r", {"method":"POST","mode":"no-cors","credentials":"include","redirect":"manual","body":"a'b\"c\u003c/script\u003e"}`,
		},
		{
			"an_empty_body_is_still_a_body",
			scenario.Fetch{URL: "http://b.test/r", Body: new(string)},
			`"http://b.test/r", {"body":""}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := fetchExpression(tt.f)
			if err != nil {
				t.Fatal(err)
			}
			want := fetchScript[:len(fetchScript)-len("%s, %s)")] + tt.want + ")"
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("fetchExpression (-want +got):\n%s", diff)
			}
		})
	}
}

// event builds a DevTools event as the browser sends it.
func event(method, params string) cdpMessage {
	return cdpMessage{Method: method, Params: json.RawMessage(params)}
}

// corsFailureEvents are events as Chromium 156 sent them for a failed
// cross-origin GET, while the page's own favicon request failed too.
func corsFailureEvents() []cdpMessage {
	return []cdpMessage{
		event("Network.requestWillBeSent", `{"requestId":"1","type":"Fetch"}`),
		event("Log.entryAdded", `{"entry":{"source":"network","level":"error","text":"Failed to load resource: the server responded with a status of 404 (Not Found)","url":"http://a.test/favicon.ico"}}`),
		event("Log.entryAdded", `{"entry":{"source":"javascript","level":"error","text":"Access to fetch at 'http://b.test/r' from origin 'http://a.test' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.","url":"http://a.test/"}}`),
		event("Network.loadingFailed", `{"requestId":"1","type":"Fetch","errorText":"net::ERR_FAILED","corsErrorStatus":{"corsError":"MissingAllowOriginHeader","failedParameter":""}}`),
		event("Log.entryAdded", `{"entry":{"source":"network","level":"error","text":"Failed to load resource: net::ERR_FAILED","url":"http://b.test/r"}}`),
	}
}

func TestExpectOf(t *testing.T) {
	wire := []scenario.WireRequest{{Method: "GET", URL: "http://b.test/r", Headers: map[string]string{"origin": "http://a.test"}}}
	s := func(v string) *string { return &v }
	tests := []struct {
		name string
		res  stepResult
		evs  []cdpMessage
		want scenario.Expect
	}{
		{
			name: "cors_failure_records_the_cors_error_and_the_cors_console_line",
			res:  stepResult{Outcome: "network-error", Message: "TypeError: Failed to fetch"},
			evs:  corsFailureEvents(),
			want: scenario.Expect{Outcome: "network-error", Wire: &wire, Error: s("MissingAllowOriginHeader"),
				Console: s("Access to fetch at 'http://b.test/r' from origin 'http://a.test' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.")},
		},
		{
			name: "net_error_has_a_console_line_and_no_cors_error",
			res:  stepResult{Outcome: "network-error"},
			evs: []cdpMessage{
				event("Network.loadingFailed", `{"type":"Fetch","errorText":"net::ERR_TOO_MANY_REDIRECTS"}`),
				event("Log.entryAdded", `{"entry":{"source":"network","level":"error","text":"Failed to load resource: net::ERR_TOO_MANY_REDIRECTS","url":"http://a.test/c20"}}`),
			},
			want: scenario.Expect{Outcome: "network-error", Wire: &wire, Console: s("Failed to load resource: net::ERR_TOO_MANY_REDIRECTS")},
		},
		{
			name: "a_cookie_store_line_is_not_the_failure",
			res:  stepResult{Outcome: "network-error"},
			evs: []cdpMessage{
				event("Log.entryAdded", `{"entry":{"source":"javascript","level":"error","text":"Cookie “l” has been rejected because it is in a cross-site context and its “SameSite” is “Lax” or “Strict”."}}`),
				event("Log.entryAdded", `{"entry":{"source":"javascript","level":"error","text":"Cross-Origin Request Blocked: x"}}`),
			},
			want: scenario.Expect{Outcome: "network-error", Wire: &wire, Console: s("Cross-Origin Request Blocked: x")},
		},
		{
			name: "preflight_cors_error_is_used_when_the_fetch_has_none",
			res:  stepResult{Outcome: "network-error"},
			evs: []cdpMessage{
				event("Network.loadingFailed", `{"type":"Preflight","corsErrorStatus":{"corsError":"PreflightInvalidStatus"}}`),
				event("Log.entryAdded", `{"entry":{"source":"javascript","level":"warning","text":"a warning is not the failure"}}`),
			},
			want: scenario.Expect{Outcome: "network-error", Wire: &wire, Error: s("PreflightInvalidStatus")},
		},
		{
			name: "fetch_cors_error_wins_over_the_preflight_one",
			res:  stepResult{Outcome: "network-error"},
			evs: []cdpMessage{
				event("Network.loadingFailed", `{"type":"Preflight","corsErrorStatus":{"corsError":"PreflightInvalidStatus"}}`),
				event("Network.loadingFailed", `{"type":"Fetch","corsErrorStatus":{"corsError":"PreflightMissingAllowOriginHeader"}}`),
			},
			want: scenario.Expect{Outcome: "network-error", Wire: &wire, Error: s("PreflightMissingAllowOriginHeader")},
		},
		{
			name: "script_type_error_has_neither",
			res:  stepResult{Outcome: "network-error", Message: "TypeError: Request with GET/HEAD method cannot have body."},
			want: scenario.Expect{Outcome: "network-error", Wire: &wire},
		},
		{
			name: "success_records_the_response_and_no_console",
			res:  stepResult{Outcome: "ok", Type: "opaque", URL: "", Headers: []string{}},
			evs:  corsFailureEvents(),
			want: scenario.Expect{Outcome: "ok", Type: s("opaque"), Status: new(int), URL: s(""), Redirected: new(bool), Headers: &[]string{}, Wire: &wire},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := expectOf(tt.res, wire, readEvents(tt.evs))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("expectOf (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadEventsIgnoresMalformedEvents(t *testing.T) {
	f := readEvents([]cdpMessage{
		event("Log.entryAdded", `[]`),
		event("Network.loadingFailed", `{"corsErrorStatus":"not an object"}`),
		event("Network.loadingFailed", `{"corsErrorStatus":{"corsError":""}}`),
		event("Page.loadEventFired", `{}`),
	})
	if len(f.Consoles) != 0 || len(f.CorsErrors) != 0 {
		t.Errorf("readEvents kept %+v", f)
	}
}

func TestInitiatorURL(t *testing.T) {
	for origin, want := range map[string]string{
		"http://a.test":       "http://a.test/",
		"https://a.test:8443": "https://a.test:8443/",
		"null":                "http://a.test/",
	} {
		got, err := initiatorURL(origin)
		if err != nil || got != want {
			t.Errorf("initiatorURL(%q) = %q, %v; want %q", origin, got, err, want)
		}
	}
	if _, err := initiatorURL("ftp://a.test"); err == nil {
		t.Error("initiatorURL accepted an ftp origin")
	}
}
