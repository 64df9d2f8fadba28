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

// webkitScenarios are committed WebKit recordings from three categories: a
// preflight cache entry reused (with a Max-Age far from the steps' timing,
// so that a slow machine cannot change the result), a cross-origin
// redirect whose final hop allows only null, a preflighted PUT whose
// preflight is redirected, and a format-2 cookie set by a first-party
// visit before step 0.
var webkitScenarios = [...]string{
	"cache/preflight-with-access-control-max-age-86400-reused-at-0-5-s.json",
	"redirect/cross-origin-get-redirected-302-from-b-test-to-c-test-final-access-control-allow-origin-null.json",
	"preflight/put-with-x-foo-preflight-answered-307-redirect-to-the-same-url-path-on-c-test.json",
	"cookies/cookie-host-x-1-path-set-by-a-first-party-visit-to-https-api-a-test-same-site-get-with-credentials-i.json",
}

// TestWebKitRecorderReproducesCommittedRecordings drives the real WebKitGTK.
// It needs Debian's webkit2gtk-driver and xvfb, and fails without them
// rather than pass vacuously.
func TestWebKitRecorderReproducesCommittedRecordings(t *testing.T) {
	for _, p := range []string{defaultWebKitDriver, defaultMiniBrowser, defaultXvfb} {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("no %s: %v; %s", p, err, webkitInstallHint)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Minute)
	defer cancel()
	var paths []string
	for _, f := range webkitScenarios {
		paths = append(paths, filepath.Join("../../testdata/webkit", f))
	}
	out := t.TempDir()

	var stdout, stderr bytes.Buffer
	if code := run(ctx, append([]string{"record", "-browser", "webkit", "-out", out}, paths...), &stdout, &stderr); code != 0 {
		t.Fatalf("record exited %d\nstdout:\n%s\nstderr:\n%s", code, &stdout, &stderr)
	}
	for i, f := range webkitScenarios {
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
	if code := run(ctx, append([]string{"diff", "-browser", "webkit", "-runs", "1", "-sample", "0"}, paths...), &stdout, &stderr); code != 0 {
		t.Fatalf("diff exited %d\nstdout:\n%s\nstderr:\n%s", code, &stdout, &stderr)
	}
	if !strings.Contains(stdout.String(), "\ndifferential: 4 passed, 0 failed\n") {
		t.Errorf("diff summary missing:\n%s", &stdout)
	}
}
