package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/corsim/corsim/scenario"
)

func runCmd(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestReplayCheckPassesOnTheCorpus(t *testing.T) {
	code, out, errs := runCmd("replay", "-check", "../../testdata/chromium/preflight")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var first struct {
		File     string         `json:"file"`
		Step     int            `json:"step"`
		Observed map[string]any `json:"observed"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(first.File, "../../testdata/chromium/preflight/") || first.Observed["outcome"] == nil {
		t.Errorf("first line: %+v", first)
	}
	if !strings.Contains(errs, "passed, 0 failed") {
		t.Errorf("no summary line: %q", errs)
	}
}

func TestReplayCheckFailsOnAMismatch(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "wrong.json")
	os.WriteFile(file, []byte(`{"format": 1, "name": "wrong expectation", "origin": "http://a.test",
	  "server": [], "steps": [{"at": 0, "fetch": {"url": "http://b.test/r"}, "expect": {"outcome": "ok"}}]}`), 0o644)
	code, _, errs := runCmd("replay", "-check", file)
	if code != 1 || !strings.Contains(errs, "MISMATCH") || !strings.Contains(errs, `expected: "ok"`) {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

func TestBadInputExitsTwo(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"format": 1, "nmae": "x"}`), 0o644)
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"replay"},
		{"replay", bad},
		{"replay", filepath.Join(dir, "missing.json")},
		{"replay", "-browser", "netscape", "../../testdata/chromium/simple"},
		{"explain"},
	} {
		if code, _, _ := runCmd(args...); code != 2 {
			t.Errorf("corsim %q: exit %d, want 2", args, code)
		}
	}
	_, _, errs := runCmd("replay", bad)
	if !strings.Contains(errs, "bad.json:1:15: nmae: unknown field") {
		t.Errorf("the error must name the file and the field: %q", errs)
	}
}

func TestExplainPrintsAReadableTrace(t *testing.T) {
	code, out, errs := runCmd("explain", "../../testdata/chromium/preflight/put-preflight-access-control-allow-headers-absent.json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"Step 0 at 0s",
		"Fetch §4.1 Main fetch",
		"preflight needed",
		"Fetch §4.8 CORS-preflight fetch",
		"✗",
		`"x-foo" is not listed in the preflight response's Access-Control-Allow-Headers`,
		"https://fetch.spec.whatwg.org/#cors-preflight-fetch-0",
		"console: Access to fetch at 'http://b.test/r'",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("explain output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCmd("explain", "-json", "../../testdata/chromium/preflight/put-preflight-access-control-allow-headers-absent.json")
	var v struct {
		Steps []struct {
			Trace struct {
				Steps []struct{ Anchor string } `json:"steps"`
			} `json:"trace"`
		} `json:"steps"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || len(v.Steps) != 1 || len(v.Steps[0].Trace.Steps) == 0 {
		t.Errorf("explain -json: exit %d, %s", code, out)
	}
}

func TestBrowserFlagOverridesTheFile(t *testing.T) {
	// Save-Data is safelisted only in Chromium: under -browser firefox the
	// Chromium recording no longer matches.
	file := "../../testdata/chromium/safelist/cross-origin-get-with-request-header-save-data-on-permissive-preflight-answer.json"
	if code, _, _ := runCmd("replay", "-check", file); code != 0 {
		t.Fatal("the chromium recording must pass under its own profile")
	}
	if code, _, _ := runCmd("replay", "-check", "-browser", "firefox", file); code != 1 {
		t.Error("-browser firefox must change the outcome")
	}
}

// README shows an explain trace; it must be what the command prints.
func TestREADMEExplainExampleIsCurrent(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const cmd = "$ go run ./cmd/corsim explain "
	start := strings.Index(string(readme), cmd)
	if start < 0 {
		t.Fatal("README has no explain example")
	}
	block := string(readme[start:])
	block = block[:strings.Index(block, "\n```")+1]
	firstLine, shown, _ := strings.Cut(block, "\n")
	file := strings.TrimPrefix(firstLine, cmd)
	code, out, errs := runCmd("explain", "../../"+file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	out = strings.Replace(out, "../../", "", 1)
	if out != shown {
		t.Errorf("README's explain example is stale; regenerate it with\n  %s%s\ngot:\n%s", cmd, file, out)
	}
}

// Whatever files are replayed, the output has one JSON line per step, in
// file order and step order, each naming its file as reached from the
// arguments.
func TestReplayOutputHasOneLinePerStep(t *testing.T) {
	files, bad := collect([]string{"../../testdata/chromium/cache", "../../testdata/webkit/methods"}, func(err error) { t.Error(err) })
	if bad != 0 {
		t.Fatalf("%d bad paths", bad)
	}
	rapid.Check(t, func(t *rapid.T) {
		picked := rapid.SliceOfNDistinct(rapid.SampledFrom(files), 1, 4, func(s string) string { return s }).Draw(t, "files")
		code, out, errs := runCmd(append([]string{"replay"}, picked...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var want []string
		for _, f := range picked {
			s, err := loadForTest(f)
			if err != nil {
				t.Fatal(err)
			}
			for i := range s {
				want = append(want, fmt.Sprintf("%s#%d", f, i))
			}
		}
		var got []string
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var l replayLine
			if err := json.Unmarshal([]byte(line), &l); err != nil {
				t.Fatalf("line %q: %v", line, err)
			}
			got = append(got, fmt.Sprintf("%s#%d", l.File, l.Step))
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("lines %v, want %v", got, want)
		}
	})
}

func loadForTest(file string) ([]scenario.Step, error) {
	s, err := scenario.LoadFile(file)
	if err != nil {
		return nil, err
	}
	return s.Steps, nil
}

// README states the corpus sizes and the main job's closing line; they must
// be what testdata holds today.
func TestREADMECorpusSizesAreCurrent(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(readme)), " ")
	total := 0
	for _, c := range []struct{ folder, label string }{
		{"chromium", `Chromium [0-9.]+`}, {"firefox", `Firefox ESR [0-9.]+`}, {"webkit", `WebKitGTK [0-9.]+`},
	} {
		files, bad := collect([]string{"../../testdata/" + c.folder}, func(err error) { t.Error(err) })
		if bad != 0 {
			t.Fatalf("%s: %d bad paths", c.folder, bad)
		}
		steps := 0
		for _, f := range files {
			s, err := loadForTest(f)
			if err != nil {
				t.Fatal(err)
			}
			steps += len(s)
		}
		total += steps
		m := regexp.MustCompile(c.label + ` \((\d+) files, (\d+) steps\)`).FindStringSubmatch(text)
		if m == nil {
			t.Errorf("README does not give the size of testdata/%s as %q", c.folder, c.label+" (N files, M steps)")
			continue
		}
		if got, want := m[1]+" files, "+m[2]+" steps", fmt.Sprintf("%d files, %d steps", len(files), steps); got != want {
			t.Errorf("README says testdata/%s holds %s; it holds %s", c.folder, got, want)
		}
	}
	if want := fmt.Sprintf("`replay: %d passed, 0 failed`", total); !strings.Contains(text, want) {
		t.Errorf("README does not show the main job's closing line %s", want)
	}
}
