package scenario

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corsim/corsim/profile"
)

// signature summarizes a step: the methods on the wire, the outcome and the
// CORS reason, e.g. "OPTIONS,PUT ok" or "OPTIONS network-error:PreflightInvalidStatus".
func signature(e Expect) string {
	var methods []string
	if e.Wire != nil {
		for _, w := range *e.Wire {
			m := w.Method
			if _, ok := w.Headers["origin"]; ok && w.Method == "GET" {
				m += "+origin"
			}
			methods = append(methods, m)
		}
	}
	s := strings.Join(methods, ",") + " " + e.Outcome
	if e.Error != nil {
		s += ":" + *e.Error
	}
	return s
}

// TestProfileDivergences replays each scenario of testdata/divergence under
// every profile whose behaviour corsim can cite, and checks that the
// profiles differ exactly where the browsers do. Each expectation names its
// source: browser code, a recording, or the standard's text.
func TestProfileDivergences(t *testing.T) {
	const (
		op  = "OPTIONS,PUT ok"
		p   = "PUT ok"
		opE = "OPTIONS,PUT network-error:MissingAllowOriginHeader"
		pE  = "PUT network-error:MissingAllowOriginHeader"
	)
	tests := []struct {
		file string
		want map[string][]string // profile → per-step signature
	}{
		// Max-Age caps: Chromium 7200 s (preflight_result.cc kMaxTimeout),
		// Firefox 86400 s (nsCORSListenerProxy.cpp), WebKit 600 s
		// (CrossOriginPreflightResultCache.cpp); the standard sets none.
		// Firefox preflights the second request again everywhere below:
		// it drops a key's first result (recorded,
		// preflightcache.Policy.FirstResultUnused).
		{"max-age-cap", map[string][]string{
			"chromium": {op, p, op}, "firefox": {op, op, p}, "webkit": {op, op, op}, "spec": {op, p, p}}},
		// Negative Max-Age: Chromium → 0 (not cached), Firefox: not digits
		// → not cached, WebKit: already expired; the standard: not
		// delta-seconds → failure → the 5 s default.
		{"max-age-negative", map[string][]string{
			"chromium": {op, op}, "firefox": {op, op}, "webkit": {op, op}, "spec": {op, p}}},
		// Non-numeric Max-Age: default 5 s except Firefox, which does not cache.
		{"max-age-not-a-number", map[string][]string{
			"chromium": {op, p}, "firefox": {op, op}, "webkit": {op, p}, "spec": {op, p}}},
		// Absent Max-Age: 5 s everywhere (a control, not a divergence).
		{"max-age-absent", map[string][]string{
			"chromium": {op, p, op}, "firefox": {op, op, p}, "webkit": {op, p, op}, "spec": {op, p, op}}},
		// `*` covers Authorization in Chromium (feature
		// CorsNonWildcardRequestHeadersSupport disabled by default),
		// Firefox (pref default true) and WebKit; never in the standard.
		{"authorization-under-wildcard", map[string][]string{
			"chromium": {op}, "firefox": {op}, "webkit": {op},
			"spec": {"OPTIONS network-error:HeaderDisallowedByPreflightResponse"}}},
		// Save-Data is a Chromium-safelisted client hint (recorded in all
		// three browsers).
		{"save-data-header", map[string][]string{
			"chromium": {"GET+origin ok"}, "firefox": {"OPTIONS,GET+origin ok"}, "webkit": {"OPTIONS,GET+origin ok"}, "spec": {"OPTIONS,GET+origin ok"}}},
		// User-Agent is still forbidden in Chromium (crbug 571722), so it is
		// dropped; the standard and Firefox let script set it, and then it
		// is CORS-unsafe.
		{"user-agent-header", map[string][]string{
			"chromium": {"GET+origin ok"}, "firefox": {"OPTIONS,GET+origin ok"}, "spec": {"OPTIONS,GET+origin ok"}}},
		// Two appends of Content-Type: combined "text/plain, text/plain" is
		// not a MIME type, so a preflight; Firefox replaces the singleton
		// header and sends none (recorded).
		{"content-type-twice", map[string][]string{
			"chromium": {"OPTIONS,POST ok"}, "firefox": {"POST ok"}, "webkit": {"OPTIONS,POST ok"}, "spec": {"OPTIONS,POST ok"}}},
		// A failed preflighted request clears the cache in the standard and
		// Firefox; Chromium keeps the entry (recorded).
		{"cache-cleared-on-failure", map[string][]string{
			"chromium": {opE, pE}, "firefox": {opE, opE}, "spec": {opE, opE}}},
		// An opaque-origin document never reuses a preflight in Chromium
		// (recorded); the standard keys the cache on "null" and reuses it.
		{"opaque-origin-cache", map[string][]string{
			"chromium": {op, op}, "spec": {op, p}}},
		// A 404 preflight without Access-Control-Allow-Origin: Chromium and
		// Firefox report the header (recorded); WebKit checks the status
		// first (validatePreflightResponse).
		{"preflight-404-without-allow-origin", map[string][]string{
			"chromium": {"OPTIONS network-error:PreflightMissingAllowOriginHeader"},
			"firefox":  {"OPTIONS network-error:PreflightMissingAllowOriginHeader"},
			"webkit":   {"OPTIONS network-error:PreflightInvalidStatus"},
			"spec":     {"OPTIONS network-error:PreflightMissingAllowOriginHeader"}}},
		// A redirected preflight: Chromium names it (recorded); for the
		// standard it is simply not an ok status.
		{"preflight-redirect", map[string][]string{
			"chromium": {"OPTIONS network-error:PreflightDisallowedRedirect"},
			"spec":     {"OPTIONS network-error:PreflightInvalidStatus"}}},
		// Chromium and WebKit replace a key's entry on each preflight; the
		// standard and Firefox add per-method entries, though Firefox drops
		// the first (PUT) result here, so its PUT is preflighted again.
		{"cache-merge-or-replace", map[string][]string{
			"chromium": {op, "OPTIONS,DELETE ok", op}, "webkit": {op, "OPTIONS,DELETE ok", op},
			"firefox": {op, "OPTIONS,DELETE ok", op}, "spec": {op, "OPTIONS,DELETE ok", p}}},
		// Firefox's cache check exempts only GET and POST, not HEAD.
		{"cache-head-exemption", map[string][]string{
			"chromium": {"OPTIONS,HEAD ok", "HEAD ok"}, "firefox": {"OPTIONS,HEAD ok", "OPTIONS,HEAD ok"},
			"webkit": {"OPTIONS,HEAD ok", "HEAD ok"}, "spec": {"OPTIONS,HEAD ok", "HEAD ok"}}},
		// A credentialed entry serves an uncredentialed request, except in
		// Firefox, whose cache key includes credentials.
		{"cache-credentials-key", map[string][]string{
			"chromium": {op, p}, "firefox": {op, op}, "webkit": {op, p}, "spec": {op, p}}},
		// WebKit keeps Origin on the GET after a 303 (recorded).
		{"post-303-same-origin", map[string][]string{
			"chromium": {"POST,GET ok"}, "firefox": {"POST,GET ok"}, "webkit": {"POST,GET+origin ok"}, "spec": {"POST,GET ok"}}},
		// WebKit checks a followed redirect's response with the credentials
		// of the fetch's first URL: same-origin here, so the 302 from b.test
		// needs Access-Control-Allow-Credentials (SubresourceLoader.cpp
		// checkRedirectionCrossOriginAccessControl; recorded:
		// webkit/https/https-page-get-to-https-a-test-redirected-302-…).
		{"redirect-check-first-url-credentials", map[string][]string{
			"chromium": {"GET,GET+origin,GET+origin ok"}, "webkit": {"GET,GET+origin network-error:InvalidAllowCredentials"},
			"spec": {"GET,GET+origin,GET+origin ok"}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			s, err := LoadFile(filepath.Join("..", "testdata", "divergence", tt.file+".json"))
			if err != nil {
				t.Fatal(err)
			}
			distinct := map[string]bool{}
			for name, want := range tt.want {
				p, err := profile.ByName(name)
				if err != nil {
					t.Fatal(err)
				}
				obs, err := Replay(context.Background(), s, p)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, o := range obs {
					got = append(got, signature(o.Observed))
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("profile %s (-want +got):\n%s", name, diff)
				}
				distinct[strings.Join(want, "|")] = true
			}
			if tt.file != "max-age-absent" && len(distinct) < 2 {
				t.Errorf("%s shows no divergence between profiles", tt.file)
			}
		})
	}
}
