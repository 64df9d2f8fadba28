package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// firefoxScenarios are committed Firefox recordings from four
// categories: a CORS failure with its console line, a preflight, a
// redirect, a preflight cache cleared by a failed preflight, and a
// format-2 cookie set by a first-party visit before step 0.
var firefoxScenarios = [...]string{
	"cache/cache-sequence-put-cached-delete-rejected-by-a-new-preflight-put-again-at-0-6-s.json",
	"simple/cross-origin-get-answered-204-without-access-control-allow-origin.json",
	"preflight/put-with-x-foo-preflight-answered-204-with-permissive-headers.json",
	"redirect/cross-origin-get-redirected-302-from-b-test-to-c-test-final-access-control-allow-origin-null.json",
	"cookies/cookie-host-x-1-path-set-by-a-first-party-visit-to-https-api-a-test-same-site-get-with-credentials-i.json",
}

// TestFirefoxRecorderReproducesCommittedRecordings drives the real
// browser. It needs Debian's Firefox ESR, and fails without it rather
// than pass vacuously.
func TestFirefoxRecorderReproducesCommittedRecordings(t *testing.T) {
	if _, err := os.Stat(defaultFirefox); err != nil {
		t.Fatalf("no Firefox at %s: %v; %s", defaultFirefox, err, firefoxInstallHint)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 9*time.Minute)
	defer cancel()
	var paths []string
	for _, f := range firefoxScenarios {
		paths = append(paths, filepath.Join("../../testdata/firefox", f))
	}
	out := t.TempDir()

	var stdout, stderr bytes.Buffer
	if code := run(ctx, append([]string{"record", "-browser", "firefox", "-out", out}, paths...), &stdout, &stderr); code != 0 {
		t.Fatalf("record exited %d\nstdout:\n%s\nstderr:\n%s", code, &stdout, &stderr)
	}
	for i, f := range firefoxScenarios {
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
	if code := run(ctx, append([]string{"diff", "-browser", "firefox", "-runs", "1", "-sample", "0"}, paths...), &stdout, &stderr); code != 0 {
		t.Fatalf("diff exited %d\nstdout:\n%s\nstderr:\n%s", code, &stdout, &stderr)
	}
	if !strings.Contains(stdout.String(), "\ndifferential: 5 passed, 0 failed\n") {
		t.Errorf("diff summary missing:\n%s", &stdout)
	}
}
