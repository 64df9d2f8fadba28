package main

import (
	"os"
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
	reproduceCommitted(t, "webkit", 25*time.Minute, webkitScenarios[:])
}
