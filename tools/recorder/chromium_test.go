package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// chromiumScenarios are committed recordings from three categories: a
// preflight cache timed on real time, an opaque-origin redirect to an
// https port, mixed content from an https page, and a format-2 cookie
// set by a first-party visit before step 0.
var chromiumScenarios = [...]string{
	"cache/preflight-with-access-control-max-age-1-reused-at-0-3-s-repeated-at-1-8-s.json",
	"opaque-origin/opaque-origin-get-to-http-b-test-redirected-302-to-https-c-test-8443-final-acao-null.json",
	"https/https-page-get-to-http-b-test-is-mixed-content-acao.json",
	"cookies/cookie-host-x-1-path-set-by-a-first-party-visit-to-https-api-a-test-same-site-get-with-credentials-i.json",
}

// TestRecorderReproducesCommittedRecordings drives the real browser. It
// needs Debian's Chromium, and fails without it rather than pass vacuously.
func TestRecorderReproducesCommittedRecordings(t *testing.T) {
	if _, err := os.Stat(defaultChromium); err != nil {
		t.Fatalf("no Chromium at %s: %v; %s", defaultChromium, err, installHint)
	}
	reproduceCommitted(t, "chromium", 5*time.Minute, chromiumScenarios[:])
}

// reproduceCommitted records the committed scenarios rel (relative to
// testdata/<browser>) with the real browser, requires each recording to
// show the same behaviour as the committed file (a newer build of the
// browser is logged, not failed), and then runs the differential on them,
// which must pass every one.
func reproduceCommitted(t *testing.T, browser string, timeout time.Duration, rel []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var paths []string
	for _, f := range rel {
		paths = append(paths, filepath.Join("../../testdata", browser, f))
	}
	out := t.TempDir()

	var stdout, stderr bytes.Buffer
	if code := run(ctx, append([]string{"record", "-browser", browser, "-out", out}, paths...), &stdout, &stderr); code != 0 {
		t.Fatalf("record exited %d\nstdout:\n%s\nstderr:\n%s", code, &stdout, &stderr)
	}
	for i, f := range rel {
		want, err := os.ReadFile(paths[i])
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		sameBehaviour, versions := compareRecordings(want, got)
		if versions != "" {
			// A patch-level browser update is information, not a failure.
			t.Logf("%s: %s", f, versions)
		}
		if sameBehaviour != "" {
			t.Errorf("%s: the browser now behaves differently from the committed recording (-committed +recorded):\n%s", f, sameBehaviour)
		}
	}

	stdout.Reset()
	stderr.Reset()
	if code := run(ctx, append([]string{"diff", "-browser", browser, "-runs", "1", "-sample", "0"}, paths...), &stdout, &stderr); code != 0 {
		t.Fatalf("diff exited %d\nstdout:\n%s\nstderr:\n%s", code, &stdout, &stderr)
	}
	if want := fmt.Sprintf("\ndifferential: %d passed, 0 failed\n", len(rel)); !strings.Contains(stdout.String(), want) {
		t.Errorf("diff summary %q missing:\n%s", strings.TrimSpace(want), &stdout)
	}
}

func TestRunRejectsBadUsage(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"replay"},
		{"record"},
		{"record", "-runs", "0", "x.json"},
		{"diff", "-sample", "-1", "x.json"},
		{"record", "/no/such/file.json"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != 2 {
			t.Errorf("run(%q) exited %d, want 2; stderr:\n%s", args, code, &stderr)
		}
	}
}

func TestLoadInputs(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join("../../testdata/chromium", chromiumScenarios[0]))
	if err != nil {
		t.Fatal(err)
	}
	for p, data := range map[string][]byte{"b/two.json": src, "a/one.json": src, "a/notes.txt": []byte("not a scenario")} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, p), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	inputs, err := loadInputs([]string{dir, filepath.Join(dir, "b/two.json")})
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ Rel, Category string }
	var got []row
	for _, in := range inputs {
		got = append(got, row{in.Rel, in.Category})
	}
	want := []row{{"a/one.json", "a"}, {"b/two.json", "b"}} // the file named twice is loaded once
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("loadInputs (-want +got):\n%s", diff)
	}
	if _, err := loadInputs([]string{filepath.Join(dir, "a")}); err != nil {
		t.Errorf("a folder argument: %v", err)
	}
	if _, err := loadInputs([]string{filepath.Join(dir, "a", "notes.txt")}); err == nil {
		t.Error("a file that is not a scenario was accepted")
	}
	if _, err := loadInputs([]string{t.TempDir()}); err == nil {
		t.Error("a folder without scenarios was accepted")
	}
}
