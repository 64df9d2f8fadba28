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
		{"wrong_format_version", func(s string) string { return strings.Replace(s, `"format": 1`, `"format": 2`, 1) }, "format", "must be 1"},
		{"missing_required", func(s string) string { return strings.Replace(s, `"origin": "http://a.test", `, ``, 1) }, "origin", "is required"},
		{"origin_with_trailing_slash", func(s string) string {
			return strings.Replace(s, `"origin": "http://a.test"`, `"origin": "http://a.test/"`, 1)
		}, "origin", ""},
		{"time_goes_backwards", func(s string) string {
			return strings.Replace(s, `"steps": [{"at": 0,`, `"steps": [{"at": 2, "fetch": {"url": "http://b.test/r"}, "expect": {}}, {"at": 1,`, 1)
		}, "steps[1].at", "non-decreasing"},
		{"header_not_a_pair", func(s string) string {
			return strings.Replace(s, `"url": "http://b.test/r"}`, `"url": "http://b.test/r", "headers": [["X-Foo"]]}`, 1)
		}, "steps[0].fetch.headers[0]", "pair"},
		{"negative_status", func(s string) string {
			return strings.Replace(s, `"server": []`, `"server": [{"method": "GET", "url": "http://b.test/r", "status": -1, "headers": []}]`, 1)
		}, "server[0].status", "non-negative"},
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

// Whatever a script can pass to fetch() and whatever a server can put on
// the wire loads: the engine simulates it (issue 7, "simulate, don't
// refuse").
func TestParseAcceptsWhatAScriptOrAServerCanDo(t *testing.T) {
	fetchEdit := func(extra string) func(string) string {
		return func(s string) string {
			return strings.Replace(s, `"url": "http://b.test/r"}`, `"url": "http://b.test/r", `+extra+`}`, 1)
		}
	}
	ruleEdit := func(rule string) func(string) string {
		return func(s string) string { return strings.Replace(s, `"server": []`, `"server": [`+rule+`]`, 1) }
	}
	tests := []struct {
		name string
		edit func(string) string
	}{
		{"mode_navigate", fetchEdit(`"mode": "navigate"`)},
		{"unknown_credentials", fetchEdit(`"credentials": "bogus"`)},
		{"unknown_redirect", fetchEdit(`"redirect": "FOLLOW"`)},
		{"header_name_with_a_space", fetchEdit(`"headers": [["X Foo", "1"]]`)},
		{"header_value_with_nul_cr_lf", fetchEdit(`"headers": [["X-Foo", "a\u0000\r\nb"]]`)},
		{"forbidden_method", fetchEdit(`"method": "CONNECT"`)},
		{"method_not_a_token", fetchEdit(`"method": "GE T"`)},
		{"relative_url", func(s string) string { return strings.Replace(s, `"url": "http://b.test/r"}`, `"url": "/r"}`, 1) }},
		{"empty_url", func(s string) string { return strings.Replace(s, `"url": "http://b.test/r"}`, `"url": ""}`, 1) }},
		{"status_0", ruleEdit(`{"method": "GET", "url": "http://b.test/r", "status": 0, "headers": []}`)},
		{"status_1xx", ruleEdit(`{"method": "GET", "url": "http://b.test/r", "status": 101, "headers": []}`)},
		{"status_1000", ruleEdit(`{"method": "GET", "url": "http://b.test/r", "status": 1000, "headers": []}`)},
		{"response_header_name_with_a_space", ruleEdit(`{"method": "GET", "url": "http://b.test/r", "status": 200, "headers": [["X Foo", "1"]]}`)},
		{"response_header_value_with_crlf", ruleEdit(`{"method": "GET", "url": "http://b.test/r", "status": 200, "headers": [["X-Foo", "a\r\nX-Bar: 2"]]}`)},
		{"response_header_value_with_nul", ruleEdit(`{"method": "GET", "url": "http://b.test/r", "status": 200, "headers": [["X-Foo", "a\u0000"]]}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Parse("case.json", []byte(tt.edit(minimal))); err != nil {
				t.Errorf("Parse refused it: %v", err)
			}
		})
	}
}
