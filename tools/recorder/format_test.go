package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/corsim/corsim/scenario"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

// corpusDirs are the committed recordings, whose layout formatScenario
// must reproduce.
var corpusDirs = [...]string{"../../testdata/chromium", "../../testdata/firefox", "../../testdata/webkit"}

func TestFormatScenarioReproducesTheCommittedCorpus(t *testing.T) {
	n := 0
	for _, dir := range corpusDirs {
		files, err := filepath.Glob(filepath.Join(dir, "*", "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			n++
			orig, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			s, err := scenario.Parse(f, orig)
			if err != nil {
				t.Fatal(err)
			}
			got, err := formatScenario(s)
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if diff := cmp.Diff(string(orig), string(got)); diff != "" {
				t.Errorf("%s: formatScenario (-file +formatted):\n%s", f, diff)
			}
		}
	}
	if n < 250 {
		t.Fatalf("found only %d corpus files under %v; the test runs from tools/recorder", n, corpusDirs)
	}
}

func TestFormatScenario(t *testing.T) {
	body := "a <b> & \"c\"\n"
	tru := true
	status := 200
	typ := "cors"
	names := []string{"content-type", "x-secret"}
	wire := []scenario.WireRequest{{Method: "GET", URL: "http://b.test/r"}} // nil headers are written as {}
	s := &scenario.Scenario{
		Format: 1, Name: "Ünïcode & <html> stay as they are", Origin: "http://a.test",
		Server: []scenario.Rule{{Method: "GET", URL: "http://b.test/r", Status: 200, Body: &body}}, // nil headers are written as []
		Steps: []scenario.Step{{At: 0.25, Fetch: scenario.Fetch{URL: "http://b.test/r", Headers: []scenario.Header{hdr("X-Foo", "1")}},
			Expect: scenario.Expect{Outcome: "ok", Type: &typ, Status: &status, Redirected: &tru, Headers: &names, Wire: &wire}}},
	}
	want := `{
  "format": 1,
  "name": "Ünïcode & <html> stay as they are",
  "origin": "http://a.test",
  "server": [
    {
      "method": "GET",
      "url": "http://b.test/r",
      "status": 200,
      "headers": [],
      "body": "a <b> & \"c\"\n"
    }
  ],
  "steps": [
    {
      "at": 0.25,
      "fetch": {
        "url": "http://b.test/r",
        "headers": [
          ["X-Foo", "1"]
        ]
      },
      "expect": {
        "outcome": "ok",
        "type": "cors",
        "status": 200,
        "redirected": true,
        "headers": ["content-type", "x-secret"],
        "wire": [
          {
            "method": "GET",
            "url": "http://b.test/r",
            "headers": {}
          }
        ]
      }
    }
  ]
}
`
	got, err := formatScenario(s)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("formatScenario (-want +got):\n%s", diff)
	}
	if s.Server[0].Headers != nil || (*s.Steps[0].Expect.Wire)[0].Headers != nil {
		t.Error("formatScenario changed its argument")
	}
	if _, err := scenario.Parse("formatted", got); err != nil {
		t.Errorf("the formatted scenario does not load: %v", err)
	}
}

func TestIndentJSON(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty_array_and_object_stay_on_one_line", `{"a":[],"b":{}}`, "{\n  \"a\": [],\n  \"b\": {}\n}\n"},
		{"string_array_is_inline", `["a","b"]`, "[\"a\", \"b\"]\n"},
		{"array_with_a_number_is_indented", `["a",1]`, "[\n  \"a\",\n  1\n]\n"},
		{"nested_string_arrays_are_inline", `[["a","b"],["c","d"]]`, "[\n  [\"a\", \"b\"],\n  [\"c\", \"d\"]\n]\n"},
		{"brackets_and_commas_inside_strings_are_text", `{"k":"[,]{:}\"\\"}`, "{\n  \"k\": \"[,]{:}\\\"\\\\\"\n}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := indentJSON([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("indentJSON (-want +got):\n%s", diff)
			}
		})
	}
	for _, bad := range []string{`{"a":[1}`, `"unterminated`, `[[`} {
		if _, err := indentJSON([]byte(bad)); err == nil {
			t.Errorf("indentJSON(%q) gave no error", bad)
		}
	}
}

// genScenario draws a valid scenario with arbitrary text in its strings.
func genScenario() *rapid.Generator[*scenario.Scenario] {
	text := rapid.StringMatching(`[ -~\t\x{e9}\x{2028}<>&"\\]{0,12}`)
	return rapid.Custom(func(t *rapid.T) *scenario.Scenario {
		rule := func(label string) scenario.Rule {
			r := scenario.Rule{
				Method:  rapid.SampledFrom([]string{"GET", "OPTIONS", "PUT"}).Draw(t, label+".method"),
				URL:     "http://b.test/" + rapid.StringMatching(`[a-z]{0,5}`).Draw(t, label+".path"),
				Status:  rapid.IntRange(100, 599).Draw(t, label+".status"),
				Headers: rapid.SliceOfN(genHeader(), 0, 3).Draw(t, label+".headers"),
			}
			if rapid.Bool().Draw(t, label+".hasBody") {
				b := text.Draw(t, label+".body")
				r.Body = &b
			}
			return r
		}
		s := &scenario.Scenario{Format: 1, Name: rapid.StringMatching(`[ -~]{0,20}`).Draw(t, "name"), Origin: "http://a.test"}
		for i := range rapid.IntRange(0, 3).Draw(t, "rules") {
			s.Server = append(s.Server, rule("rule"+string(rune('0'+i))))
		}
		at := 0.0
		for range rapid.IntRange(1, 3).Draw(t, "steps") {
			at += float64(rapid.IntRange(0, 20).Draw(t, "dt")) / 10
			st := scenario.Step{At: at, Fetch: scenario.Fetch{URL: "http://b.test/r", Headers: rapid.SliceOfN(genHeader(), 0, 2).Draw(t, "fetchHeaders")}}
			st.Expect.Outcome = rapid.SampledFrom([]string{"ok", "network-error"}).Draw(t, "outcome")
			wire := []scenario.WireRequest{{Method: "GET", URL: "http://b.test/r", Headers: map[string]string{"origin": text.Draw(t, "origin")}}}
			st.Expect.Wire = &wire
			if st.Expect.Outcome == "ok" {
				names := rapid.SliceOfN(rapid.StringMatching(`[a-z-]{1,8}`), 0, 3).Draw(t, "names")
				st.Expect.Headers = &names
			} else {
				c := text.Draw(t, "console")
				st.Expect.Console = &c
			}
			s.Steps = append(s.Steps, st)
		}
		return s
	})
}

func TestFormatScenarioRoundTrips(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genScenario().Draw(t, "scenario")
		first, err := formatScenario(s)
		if err != nil {
			t.Fatal(err)
		}
		parsed, err := scenario.Parse("generated", first)
		if err != nil {
			t.Fatalf("the formatted scenario does not load: %v\n%s", err, first)
		}
		if diff := cmp.Diff(normalized(s), parsed, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("parse(format(s)) differs from s (-s +parsed):\n%s", diff)
		}
		second, err := formatScenario(parsed)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, second) {
			t.Fatalf("formatting is not stable:\n%s\n%s", first, second)
		}
	})
}

func FuzzIndentJSON(f *testing.F) {
	f.Add([]byte(`{"format":1,"steps":[{"at":0.5,"fetch":{"headers":[["X-Foo","1"]]}}]}`))
	f.Add([]byte(`[[],{},"\"[",["a"],[1,"b"]]`))
	f.Add([]byte(`{"a":"\u2028<>&"}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		var v any
		if json.Unmarshal(in, &v) != nil {
			return
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, in); err != nil {
			return
		}
		out, err := indentJSON(compact.Bytes())
		if err != nil {
			t.Fatalf("indentJSON(%q): %v", compact.Bytes(), err)
		}
		// The layout changes only white space outside strings.
		var again bytes.Buffer
		if err := json.Compact(&again, out); err != nil {
			t.Fatalf("indentJSON(%q) is not JSON: %v\n%s", compact.Bytes(), err, out)
		}
		if !bytes.Equal(again.Bytes(), compact.Bytes()) {
			t.Fatalf("indentJSON changed the value:\nin  %s\nout %s", compact.Bytes(), again.Bytes())
		}
		// Indenting is stable.
		out2, err := indentJSON(again.Bytes())
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("indenting twice differs:\n%s\n%s", out, out2)
		}
	})
}

func BenchmarkFormatScenario(b *testing.B) {
	s, err := scenario.LoadFile("../../testdata/chromium/cache/preflight-with-access-control-max-age-1-reused-at-0-3-s-repeated-at-1-8-s.json")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := formatScenario(s); err != nil {
			b.Fatal(err)
		}
	}
}

func TestCompareRecordingsIgnoresOnlyTheBrowserVersion(t *testing.T) {
	committed, err := os.ReadFile(filepath.Join("../../testdata/chromium", chromiumScenarios[0]))
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenario.Parse("x", committed)
	if err != nil {
		t.Fatal(err)
	}
	newer := *sc
	newer.Browser = "chromium 999.0.0.1"
	newerText, err := formatScenario(&newer)
	if err != nil {
		t.Fatal(err)
	}
	behaviour, versions := compareRecordings(committed, newerText)
	if behaviour != "" {
		t.Errorf("a new browser version alone was reported as new behaviour:\n%s", behaviour)
	}
	if !strings.Contains(versions, "chromium 999.0.0.1") {
		t.Errorf("versions = %q, want it to name the new build", versions)
	}

	changed := newer
	changed.Steps = slices.Clone(sc.Steps)
	changed.Steps[0].Expect.Outcome = "network-error"
	changedText, err := formatScenario(&changed)
	if err != nil {
		t.Fatal(err)
	}
	if behaviour, _ := compareRecordings(committed, changedText); !strings.Contains(behaviour, `"network-error"`) {
		t.Errorf("a changed outcome was not reported; diff:\n%s", behaviour)
	}
	if behaviour, versions := compareRecordings(committed, committed); behaviour != "" || versions != "" {
		t.Errorf("a file compared with itself: %q, %q", behaviour, versions)
	}
}
