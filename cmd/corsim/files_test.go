package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

const (
	goodFile = "../../testdata/chromium/preflight/put-preflight-access-control-allow-headers-absent.json"
	// mismatchFile expects the wrong outcome.
	mismatchText = `{"format": 1, "name": "wrong expectation", "origin": "http://a.test",
  "server": [], "steps": [{"at": 0, "fetch": {"url": "http://b.test/r"}, "expect": {"outcome": "ok"}}]}`
	// uncheckedText has a step that checks nothing and one that checks.
	uncheckedText = `{"format": 1, "name": "nothing to compare", "origin": "http://a.test",
  "server": [], "steps": [{"at": 0, "fetch": {"url": "http://b.test/r"}, "expect": {}},
  {"at": 0, "fetch": {"url": "http://b.test/r"}, "expect": {"outcome": "network-error"}}]}`
	// unscriptedText: no rule answers the preflight of a PUT.
	unscriptedText = `{"format": 1, "name": "a PUT whose preflight no rule answers", "origin": "http://a.test",
  "server": [{"method": "PUT", "url": "http://b.test/r", "status": 200, "headers": []}],
  "steps": [{"at": 0, "fetch": {"url": "http://b.test/r", "method": "PUT"}, "expect": {}}]}`
)

// writeFiles writes name → content into a fresh folder and returns it.
func writeFiles(t testing.TB, files map[string]string) string {
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// closingLine is what CI's log reader looks for.
var closingLine = regexp.MustCompile(`^replay: \d+ passed, \d+ failed(, \d+ skipped)?$`)

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestEachFileStandsOnItsOwn(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a-syntax.json":     "{\"format\": 1,\n  \"name\": \"n\"\n  \"origin\": \"http://a.test\"}",
		"b-unknown.json":    `{"format": 1, "nmae": "n"}`,
		"c-utf8.json":       "{\"format\": 1, \"name\": \"caf\xe9\"}",
		"d-duplicate.json":  `{"format": 1, "format": 1}`,
		"e-mismatch.json":   mismatchText,
		"f-unchecked.json":  uncheckedText,
		"g-unscripted.json": unscriptedText,
	})
	emptyDir := t.TempDir()
	path := func(name string) string { return filepath.Join(dir, name) }
	good := func(args ...string) string {
		_, out, _ := runCmd(append([]string{"replay"}, args...)...)
		return out
	}
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string   // the JSON lines of the good files, alone
		wantErrs   []string // each on stderr
		wantClose  string   // the last line of stderr
	}{
		{"syntax_error_names_line_and_column", []string{"replay", path("a-syntax.json"), goodFile}, 2, good(goodFile),
			[]string{path("a-syntax.json") + `:3:3: not valid JSON: want ',' or '}' after an object member, found '"'`}, ""},
		{"unknown_field_names_place_and_field", []string{"replay", path("b-unknown.json"), goodFile}, 2, good(goodFile),
			[]string{path("b-unknown.json") + `:1:15: nmae: unknown field "nmae"`}, ""},
		{"invalid_utf8_names_the_place", []string{"replay", goodFile, path("c-utf8.json")}, 2, good(goodFile),
			[]string{path("c-utf8.json") + ":1:27: invalid UTF-8 (byte 0xe9)"}, ""},
		{"duplicate_key_names_the_key", []string{"replay", path("d-duplicate.json"), goodFile}, 2, good(goodFile),
			[]string{path("d-duplicate.json") + `:1:15: duplicate key "format" (first at line 1, column 2)`}, ""},
		{"a_missing_path_does_not_stop_the_others", []string{"replay", path("missing.json"), goodFile}, 2, good(goodFile),
			[]string{"missing.json: no such file or directory"}, ""},
		{"an_empty_folder_does_not_stop_the_others", []string{"replay", emptyDir, goodFile}, 2, good(goodFile),
			[]string{emptyDir + ": no *.json scenario files"}, ""},
		{"every_bad_file_of_a_folder_is_reported", []string{"replay", "-check", dir}, 2,
			good(path("e-mismatch.json"), path("f-unchecked.json"), path("g-unscripted.json")),
			[]string{"a-syntax.json:3:3", "b-unknown.json:1:15", "c-utf8.json:1:27", "d-duplicate.json:1:15", "MISMATCH " + path("e-mismatch.json"),
				"replay: 4 bad input(s) not replayed"}, "replay: 1 passed, 1 failed, 2 skipped"},
		{"bad_input_wins_over_a_mismatch", []string{"replay", "-check", path("e-mismatch.json"), path("b-unknown.json")}, 2, good(path("e-mismatch.json")),
			[]string{"MISMATCH"}, "replay: 0 passed, 1 failed"},
		{"only_mismatches_exit_1", []string{"replay", "-check", path("e-mismatch.json"), goodFile}, 1, good(path("e-mismatch.json"), goodFile),
			[]string{"MISMATCH"}, "replay: 1 passed, 1 failed"},
		{"a_step_that_checks_nothing_is_unchecked_not_passed", []string{"replay", "-check", path("f-unchecked.json")}, 0, good(path("f-unchecked.json")),
			[]string{"UNCHECKED " + path("f-unchecked.json") + " step 0 (nothing to compare): its expect has no field, so nothing was compared"},
			"replay: 1 passed, 0 failed, 1 skipped"},
		{"explain_goes_on_after_a_bad_file", []string{"explain", path("b-unknown.json"), goodFile}, 2, "",
			[]string{"b-unknown.json:1:15", "explain: 1 bad input(s) not explained"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCmd(tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.wantCode, errs)
			}
			if tt.args[0] == "replay" {
				if diff := cmp.Diff(tt.wantStdout, out); diff != "" {
					t.Errorf("stdout must be the good files' lines (-want +got):\n%s", diff)
				}
			} else if !strings.Contains(out, "Step 0 at 0s") {
				t.Errorf("the good file was not explained:\n%s", out)
			}
			for _, want := range tt.wantErrs {
				if !strings.Contains(errs, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errs)
				}
			}
			if tt.wantClose != "" {
				if diff := cmp.Diff(tt.wantClose, lastLine(errs)); diff != "" {
					t.Errorf("closing line (-want +got):\n%s", diff)
				}
				if !closingLine.MatchString(lastLine(errs)) {
					t.Errorf("closing line %q is not of the shape CI reads", lastLine(errs))
				}
			}
		})
	}
}

// Whichever good and bad files are given, in whatever order, stdout holds
// exactly the lines of the good files, each as it would be alone, stderr
// names every bad file, and the exit status is 2 exactly when one is bad.
func TestReplayOfManyIsReplayOfEach(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"bad-syntax.json": `{"format": 1,`, "bad-field.json": `{"formt": 1}`, "bad-dup.json": `{"name": 1, "name": 2}`,
		"good-unchecked.json": uncheckedText, "good-unscripted.json": unscriptedText,
	})
	pool := []string{filepath.Join(dir, "bad-syntax.json"), filepath.Join(dir, "bad-field.json"), filepath.Join(dir, "bad-dup.json"),
		filepath.Join(dir, "good-unchecked.json"), filepath.Join(dir, "good-unscripted.json"), goodFile,
		"../../testdata/firefox/methods", "../../testdata/webkit/simple"}
	alone := map[string]string{}
	for _, f := range pool {
		_, alone[f], _ = runCmd("replay", f)
	}
	rapid.Check(t, func(t *rapid.T) {
		picked := rapid.SliceOfN(rapid.SampledFrom(pool), 1, 5).Draw(t, "paths")
		code, out, errs := runCmd(append([]string{"replay"}, picked...)...)
		var want strings.Builder
		anyBad := false
		for _, f := range picked {
			want.WriteString(alone[f])
			if strings.Contains(f, "bad-") {
				anyBad = true
				if !strings.Contains(errs, f+":1:") {
					t.Fatalf("stderr does not name %s with its place:\n%s", f, errs)
				}
			}
		}
		if out != want.String() {
			t.Fatalf("stdout is not the good files' lines in order (-want +got):\n%s", cmp.Diff(want.String(), out))
		}
		if wantCode := map[bool]int{true: 2, false: 0}[anyBad]; code != wantCode {
			t.Fatalf("exit %d, want %d", code, wantCode)
		}
	})
}

func TestHelpGoesToStdoutAndExitsZero(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"-h"}, []string{"usage:", "corsim replay", "corsim explain"}},
		{[]string{"help"}, []string{"usage:"}},
		{[]string{"replay", "-h"}, []string{"usage: corsim replay", "-check", "-browser", "Exit status", "skipped"}},
		{[]string{"replay", "-help"}, []string{"usage: corsim replay"}},
		{[]string{"replay", "-check", "-h", "x.json"}, []string{"usage: corsim replay"}},
		{[]string{"explain", "-h"}, []string{"usage: corsim explain", "-json", "-browser", "404"}},
		{[]string{"explain", "--help"}, []string{"usage: corsim explain"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, "_"), func(t *testing.T) {
			code, out, errs := runCmd(tt.args...)
			if diff := cmp.Diff([]any{0, ""}, []any{code, errs}); diff != "" {
				t.Errorf("exit and stderr (-want +got):\n%s", diff)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("help lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestABadFlagIsBlamedOnTheFlag(t *testing.T) {
	tests := []struct {
		args      []string
		wantFirst string // stderr's first line
	}{
		{[]string{"replay", "-browser", "x", goodFile}, `corsim replay: -browser: unknown profile "x"; want chromium, firefox, webkit or spec`},
		{[]string{"explain", "-browser", "netscape", goodFile}, `corsim explain: -browser: unknown profile "netscape"; want chromium, firefox, webkit or spec`},
		{[]string{"replay", "-browser", "Chromium", goodFile}, `corsim replay: -browser: unknown profile "Chromium"; want chromium, firefox, webkit or spec`},
		{[]string{"replay", "-chek", goodFile}, "flag provided but not defined: -chek"},
		{[]string{"explain", "-json=maybe", goodFile}, `invalid boolean value "maybe" for -json: parse error`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args[:3], "_"), func(t *testing.T) {
			code, out, errs := runCmd(tt.args...)
			first, _, _ := strings.Cut(errs, "\n")
			if diff := cmp.Diff([]any{2, "", tt.wantFirst}, []any{code, out, first}); diff != "" {
				t.Errorf("exit, stdout, first stderr line (-want +got):\n%s", diff)
			}
		})
	}
}

func TestExplainMarksRequestsNoRuleAnswered(t *testing.T) {
	dir := writeFiles(t, map[string]string{"u.json": unscriptedText})
	file := filepath.Join(dir, "u.json")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"trace", []string{"explain", file}, " !  no scripted rule: OPTIONS http://b.test/r matched no rule of the scenario's server, so it got the 404 with no headers and an empty body that FORMAT.md defines, not a live server's answer\nResult:"},
		{"json", []string{"explain", "-json", file}, `"unscripted": [
        {
          "method": "OPTIONS",
          "url": "http://b.test/r",`},
		{"json_of_a_fully_scripted_file", []string{"explain", "-json", goodFile}, `"unscripted": []`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCmd(tt.args...)
			if code != 0 || !strings.Contains(out, tt.want) {
				t.Errorf("exit %d, output lacks %q:\n%s%s", code, tt.want, out, errs)
			}
		})
	}
	if _, out, _ := runCmd("explain", goodFile); strings.Contains(out, "no scripted rule") {
		t.Errorf("a fully scripted file is marked:\n%s", out)
	}
}

// explain -json over several files writes one JSON document per file, in
// order, so that a tool reads them as a stream.
func TestExplainJSONWritesOneDocumentPerFile(t *testing.T) {
	dir := writeFiles(t, map[string]string{"u.json": unscriptedText})
	files := []string{goodFile, filepath.Join(dir, "u.json")}
	code, out, errs := runCmd(append([]string{"explain", "-json"}, files...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	dec := json.NewDecoder(strings.NewReader(out))
	var got []string
	for dec.More() {
		var doc struct {
			File  string `json:"file"`
			Steps []struct {
				Unscripted []map[string]any `json:"unscripted"`
			} `json:"steps"`
		}
		if err := dec.Decode(&doc); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s unscripted=%d", doc.File, len(doc.Steps[0].Unscripted)))
	}
	want := []string{goodFile + " unscripted=0", files[1] + " unscripted=1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
