package scenario

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const minimal = `{"format": 1, "name": "n", "origin": "http://a.test", "server": [], "steps": [{"at": 0, "fetch": {"url": "http://b.test/r"}, "expect": {}}]}`

func TestParseAcceptsAMinimalScenario(t *testing.T) {
	s, err := Parse("min.json", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&Scenario{Format: 1, Name: "n", Origin: "http://a.test", Server: []Rule{}, Steps: []Step{{Fetch: Fetch{URL: "http://b.test/r"}}}}, s); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestParseRejectsBadInputNamingTheField(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(string) string
		field string
		msg   string
	}{
		{"unknown_top_level_field", func(s string) string { return strings.Replace(s, `"name"`, `"nmae": 1, "name"`, 1) }, "nmae", "unknown field"},
		{"unknown_fetch_field", func(s string) string {
			return strings.Replace(s, `"url": "http://b.test/r"}`, `"url": "http://b.test/r", "mehtod": "PUT"}`, 1)
		}, "steps[0].fetch.mehtod", "unknown field"},
		{"unknown_expect_field", func(s string) string { return strings.Replace(s, `"expect": {}`, `"expect": {"statsu": 200}`, 1) }, "steps[0].expect.statsu", "unknown field"},
		{"wrong_type", func(s string) string { return strings.Replace(s, `"format": 1`, `"format": "1"`, 1) }, "format", "must be an integer"},
		{"wrong_format_version", func(s string) string { return strings.Replace(s, `"format": 1`, `"format": 3`, 1) }, "format", "must be 1 or 2"},
		{"cookies_in_format_1", func(s string) string {
			return strings.Replace(s, `"format": 1`, `"format": 1, "cookies": [{"url": "https://b.test/", "set": "a=1"}]`, 1)
		}, "cookies", "needs format 2"},
		{"cookie_url_not_http", func(s string) string {
			return strings.Replace(s, `"format": 1`, `"format": 2, "cookies": [{"url": "data:,x", "set": "a=1"}]`, 1)
		}, "cookies[0].url", "http or https"},
		{"cookie_set_not_a_cookie", func(s string) string {
			return strings.Replace(s, `"format": 1`, `"format": 2, "cookies": [{"url": "https://b.test/", "set": "novalue"}]`, 1)
		}, "cookies[0].set", "Set-Cookie"},
		{"cookie_unknown_field", func(s string) string {
			return strings.Replace(s, `"format": 1`, `"format": 2, "cookies": [{"url": "https://b.test/", "set": "a=1", "path": "/"}]`, 1)
		}, "cookies[0].path", "unknown field"},
		{"format_2_wire_header_not_recorded", func(s string) string {
			s = strings.Replace(s, `"format": 1`, `"format": 2`, 1)
			return strings.Replace(s, `"expect": {}`, `"expect": {"wire": [{"method": "GET", "url": "http://b.test/r", "headers": {"user-agent": "a"}}]}`, 1)
		}, "steps[0].expect.wire[0].headers.user-agent", "format 2 wire entry records only"},
		{"missing_required", func(s string) string { return strings.Replace(s, `"origin": "http://a.test", `, ``, 1) }, "origin", "is required"},
		{"origin_with_trailing_slash", func(s string) string {
			return strings.Replace(s, `"origin": "http://a.test"`, `"origin": "http://a.test/"`, 1)
		}, "origin", ""},
		{"bad_mode", func(s string) string {
			return strings.Replace(s, `"url": "http://b.test/r"}`, `"url": "http://b.test/r", "mode": "navigate"}`, 1)
		}, "steps[0].fetch.mode", "must be cors"},
		{"time_goes_backwards", func(s string) string {
			return strings.Replace(s, `"steps": [{"at": 0,`, `"steps": [{"at": 2, "fetch": {"url": "http://b.test/r"}, "expect": {}}, {"at": 1,`, 1)
		}, "steps[1].at", "non-decreasing"},
		{"header_not_a_pair", func(s string) string {
			return strings.Replace(s, `"url": "http://b.test/r"}`, `"url": "http://b.test/r", "headers": [["X-Foo"]]}`, 1)
		}, "steps[0].fetch.headers[0]", "pair"},
		{"header_name_not_a_token", func(s string) string {
			return strings.Replace(s, `"url": "http://b.test/r"}`, `"url": "http://b.test/r", "headers": [["X Foo", "1"]]}`, 1)
		}, "steps[0].fetch.headers[0][0]", "not a header name"},
		{"status_out_of_range", func(s string) string {
			return strings.Replace(s, `"server": []`, `"server": [{"method": "GET", "url": "http://b.test/r", "status": 99, "headers": []}]`, 1)
		}, "server[0].status", "100 to 599"},
		{"rule_url_relative", func(s string) string {
			return strings.Replace(s, `"server": []`, `"server": [{"method": "GET", "url": "/r", "status": 200, "headers": []}]`, 1)
		}, "server[0].url", ""},
		{"unknown_browser", func(s string) string {
			return strings.Replace(s, `"name": "n"`, `"name": "n", "browser": "netscape 4"`, 1)
		}, "browser", "unknown browser"},
		{"wire_header_not_recorded", func(s string) string {
			return strings.Replace(s, `"expect": {}`, `"expect": {"wire": [{"method": "GET", "url": "http://b.test/r", "headers": {"cookie": "a"}}]}`, 1)
		}, "steps[0].expect.wire[0].headers.cookie", "records only"},
		{"bad_outcome", func(s string) string {
			return strings.Replace(s, `"expect": {}`, `"expect": {"outcome": "blocked"}`, 1)
		}, "steps[0].expect.outcome", "ok or network-error"},
		{"no_steps", func(s string) string {
			return `{"format": 1, "name": "n", "origin": "http://a.test", "server": [], "steps": []}`
		}, "steps", "at least one"},
		{"not_json", func(string) string { return `{"format": 1,` }, "", "not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("case.json", []byte(tt.edit(minimal)))
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("got %v, want a *LoadError", err)
			}
			if le.File != "case.json" || le.Field != tt.field || !strings.Contains(le.Msg, tt.msg) {
				t.Errorf("got file %q field %q msg %q; want field %q and a message containing %q", le.File, le.Field, le.Msg, tt.field, tt.msg)
			}
			if !strings.HasPrefix(err.Error(), "case.json") {
				t.Errorf("error %q does not start with the file name", err)
			}
		})
	}
}

func TestParseRejectsHugeFiles(t *testing.T) {
	_, err := Parse("big.json", make([]byte, MaxFileBytes+1))
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("got %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(minimal))
	f.Add([]byte(`{"format":1}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.json", data)
		if err != nil {
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if s.Format != 1 || len(s.Steps) == 0 {
			t.Fatalf("accepted an invalid scenario: %+v", s)
		}
	})
}
