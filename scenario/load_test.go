package scenario

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/corsim/corsim/profile"
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

// FuzzParse: whatever the input, Parse returns a scenario or a *LoadError
// (never a panic); a scenario it returns is of format 1 or 2, has steps,
// replays without error under its profile, and json.Marshal of it parses
// again to the same scenario (absent and empty lists being the same). Seeds: testdata/fuzz/FuzzParse.
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
			if le.File != "fuzz.json" || le.Msg == "" {
				t.Fatalf("error without its file or message: %#v", le)
			}
			return
		}
		if (s.Format != 1 && s.Format != 2) || len(s.Steps) == 0 {
			t.Fatalf("accepted an invalid scenario: %+v", s)
		}
		p, err := profile.ForBrowser(s.Browser)
		if err != nil {
			t.Fatalf("loaded a scenario whose browser has no profile: %v", err)
		}
		obs, err := Replay(context.Background(), s, p)
		if err != nil {
			t.Fatalf("a loaded scenario does not replay: %v", err)
		}
		if len(obs) != len(s.Steps) {
			t.Fatalf("%d observations for %d steps", len(obs), len(s.Steps))
		}
		again, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("json.Marshal: %v", err)
		}
		s2, err := Parse("again.json", again)
		if err != nil {
			t.Fatalf("the re-encoded scenario does not load: %v\n%s", err, again)
		}
		if diff := cmp.Diff(s, s2, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("re-encoding changed the scenario (-loaded +reloaded):\n%s", diff)
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

// Every refusal names its place: the line and the column (counted in
// characters from 1) of the offending key or value.
func TestParseNamesThePlace(t *testing.T) {
	const file = "{\n" +
		"  \"format\": 1, \"name\": \"café\", \"origin\": \"http://a.test\",\n" +
		"  \"steps\": [{\"at\": 0, \"fetch\": {\"url\": \"http://b.test/r\"}, \"expect\": {}}]\n" +
		"}\n"
	tests := []struct {
		name string
		data string
		want LoadError
	}{
		{"unknown_field_points_at_its_key", strings.Replace(file, `"at": 0,`, `"at": 0, "ta": 1,`, 1),
			LoadError{Line: 3, Column: 23, Field: "steps[0].ta", Msg: `unknown field "ta" (allowed: at, expect, fetch, server)`}},
		{"wrong_type_points_at_the_value", strings.Replace(file, `"at": 0`, `"at": "0"`, 1),
			LoadError{Line: 3, Column: 20, Field: "steps[0].at", Msg: "must be a number, got a string"}},
		{"missing_field_points_at_its_object", strings.Replace(file, `"fetch": {"url": "http://b.test/r"}, `, ``, 1),
			LoadError{Line: 3, Column: 13, Field: "steps[0].fetch", Msg: "is required"}},
		{"bad_value_points_at_the_value", strings.Replace(file, `"expect": {}`, `"expect": {"outcome": "blocked"}`, 1),
			LoadError{Line: 3, Column: 82, Field: "steps[0].expect.outcome"}},
		{"a_value_inside_nested_arrays", strings.Replace(file, `"url": "http://b.test/r"}`, `"url": "http://b.test/r", "headers": [["X-A", "1"], ["X B", 2]]}`, 1),
			LoadError{Line: 3, Column: 93, Field: "steps[0].fetch.headers[1][1]"}},
		{"columns_count_characters_not_bytes", strings.Replace(file, `"origin": "http://a.test"`, `"origin": "http://a.test/"`, 1),
			LoadError{Line: 2, Column: 42, Field: "origin"}},
		{"syntax_error", strings.Replace(file, `"at": 0,`, `"at": 0`, 1),
			LoadError{Line: 3, Column: 22, Msg: `not valid JSON: want ',' or '}' after an object member, found '"'`}},
		{"unterminated_string", `{"name": "n`,
			LoadError{Line: 1, Column: 12, Msg: "not valid JSON: unterminated string"}},
		{"trailing_comma", "{\"format\": 1,\n}",
			LoadError{Line: 2, Column: 1, Msg: `not valid JSON: want a string key in an object, found '}'`}},
		{"trailing_data", file + "{}",
			LoadError{Line: 5, Column: 1, Msg: "not valid JSON: trailing data after the JSON value"}},
		{"empty_file", "\n\n",
			LoadError{Line: 3, Column: 1, Msg: "not valid JSON: the file is empty; want a JSON object"}},
		{"leading_zero", strings.Replace(file, `"at": 0`, `"at": 01`, 1),
			LoadError{Line: 3, Column: 20, Msg: "not valid JSON: a number may not start with 0 followed by more digits"}},
		{"raw_control_character_in_a_string", strings.Replace(file, "café", "ca\tfé", 1),
			LoadError{Line: 2, Column: 27, Msg: "not valid JSON: a control character (0x09) must be escaped in a string"}},
		{"invalid_utf8_in_a_string", strings.Replace(file, "café", "caf\xe9", 1),
			LoadError{Line: 2, Column: 28, Msg: "invalid UTF-8 (byte 0xe9); a scenario file must be UTF-8 text"}},
		{"invalid_utf8_outside_strings", strings.Replace(file, "\n}", "\n\xff}", 1),
			LoadError{Line: 4, Column: 1, Msg: "invalid UTF-8 (byte 0xff); a scenario file must be UTF-8 text"}},
		{"truncated_utf8_sequence", strings.Replace(file, "café", "caf\xc3", 1),
			LoadError{Line: 2, Column: 28, Msg: "invalid UTF-8 (byte 0xc3); a scenario file must be UTF-8 text"}},
		{"lone_high_surrogate", strings.Replace(file, "café", `caf\ud83d`, 1),
			LoadError{Line: 2, Column: 28, Msg: `\ud83d is half of a UTF-16 surrogate pair and no character; it would be read as U+FFFD`}},
		{"lone_low_surrogate", strings.Replace(file, "café", `caf\ude00\ud83d`, 1),
			LoadError{Line: 2, Column: 28, Msg: `\ude00 is half of a UTF-16 surrogate pair and no character; it would be read as U+FFFD`}},
		{"high_surrogate_then_a_non_surrogate", strings.Replace(file, "café", `caf\ud83d\u0041`, 1),
			LoadError{Line: 2, Column: 28, Msg: `\ud83d is half of a UTF-16 surrogate pair and no character; it would be read as U+FFFD`}},
		{"duplicate_top_level_key", strings.Replace(file, `"name": "café"`, `"name": "café", "name": "x"`, 1),
			LoadError{Line: 2, Column: 32, Msg: `duplicate key "name" (first at line 2, column 16); a JSON reader would silently keep only the last`}},
		{"duplicate_key_in_wire_headers", strings.Replace(file, `"expect": {}`, `"expect": {"wire": [{"method": "GET", "url": "http://b.test/r", "headers": {"origin": "a", "origin": "b"}}]}`, 1),
			LoadError{Line: 3, Column: 151, Msg: `duplicate key "origin" (first at line 3, column 136); a JSON reader would silently keep only the last`}},
		{"the_first_unrecorded_wire_header_in_the_file", strings.Replace(file, `"expect": {}`, `"expect": {"wire": [{"method": "GET", "url": "http://b.test/r", "headers": {"origin": "a", "cookie": "1", "accept": "2"}}]}`, 1),
			LoadError{Line: 3, Column: 151, Field: "steps[0].expect.wire[0].headers.cookie", Msg: "a wire entry records only origin, access-control-request-method, access-control-request-headers and content-type"}},
		{"byte_order_mark", "\uFEFF" + file,
			LoadError{Line: 1, Column: 1, Msg: "a byte order mark is not allowed before the JSON value"}},
		{"nesting_too_deep", `{"name": ` + strings.Repeat("[", MaxNesting) + strings.Repeat("]", MaxNesting) + `}`,
			LoadError{Line: 1, Column: 10 + MaxNesting - 1, Msg: "arrays and objects nest deeper than 64 levels"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("case.json", []byte(tt.data))
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("got %v, want a *LoadError", err)
			}
			want := tt.want
			want.File = "case.json"
			if tt.want.Msg == "" {
				want.Msg = le.Msg // a message from another package
			}
			if diff := cmp.Diff(&want, le); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if prefix := fmt.Sprintf("case.json:%d:%d: ", want.Line, want.Column); !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("error %q does not start with %q", err, prefix)
			}
		})
	}
}

// What the loader accepts is exactly what the file says: a surrogate pair
// escape is one character, escapes decode as JSON defines them.
func TestParseDecodesEscapesExactly(t *testing.T) {
	data := strings.Replace(minimal, `"name": "n"`, `"name": "\ud83d\ude00 \u00e9\/\"\\\b\f\t"`, 1)
	s, err := Parse("esc.json", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("😀 é/\"\\\b\f\t", s.Name); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile("../testdata/chromium/cache/preflight-with-access-control-max-age-2-reused-at-1-s-repeated-at-3-s.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("bench.json", data); err != nil {
			b.Fatal(err)
		}
	}
}
