package main

import (
	"os"
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
	reproduceCommitted(t, "firefox", 9*time.Minute, firefoxScenarios[:])
}
