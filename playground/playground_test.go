package playground

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// tb is what the helpers need of *testing.T and *rapid.T.
type tb interface {
	Helper()
	Fatal(args ...any)
}

func post(t tb, h http.Handler, contentType string, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/run", bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func runBody(t tb, scenarioText, profile string) []byte {
	t.Helper()
	b, err := json.Marshal(RunRequest{Scenario: scenarioText, Profile: profile})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readFile(t tb, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const preflightFailure = "../testdata/chromium/cache/preflight-fails-without-access-control-allow-origin-the-same-put-at-0-3-s-is-preflighted-again.json"

func TestRunPreflightFailure(t *testing.T) {
	rec := post(t, Handler(), "application/json", runBody(t, readFile(t, preflightFailure), ""))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var got RunResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Profile != "chromium" || len(got.Steps) != 2 {
		t.Fatalf("profile %q, %d steps; want chromium, 2", got.Profile, len(got.Steps))
	}
	s := got.Steps[0]
	if s.OK || s.Block == nil || s.Block.Reason != "PreflightMissingAllowOriginHeader" {
		t.Fatalf("step 0: ok=%v block=%+v; want a PreflightMissingAllowOriginHeader block", s.OK, s.Block)
	}
	if diff := cmp.Diff("on the OPTIONS (preflight) response, send Access-Control-Allow-Origin: http://a.test", s.Block.Fix); diff != "" {
		t.Errorf("fix (-want +got):\n%s", diff)
	}
	if s.Change == nil || s.Change.Header != "Access-Control-Allow-Origin" || s.Change.Value != "http://a.test" || !s.Change.Preflight {
		t.Errorf("change = %+v, want Access-Control-Allow-Origin: http://a.test on the preflight", s.Change)
	}
	if s.Target == nil || *s.Target != (Target{Method: "OPTIONS", URL: "http://b.test/r"}) {
		t.Errorf("target = %+v, want OPTIONS http://b.test/r", s.Target)
	}
	if len(s.Wire) != 1 || s.Wire[0].Kind != "preflight" || s.Wire[0].Status == 0 {
		t.Errorf("wire = %+v, want one answered preflight", s.Wire)
	}
	if !strings.Contains(strings.Join(s.Preflight, " "), "preflight needed") {
		t.Errorf("preflight = %q, want the reason a preflight is needed", s.Preflight)
	}
	if len(s.Trace) == 0 || !s.Trace[len(s.Trace)-1].Blocked && !anyBlocked(s) {
		t.Errorf("trace has no blocked step: %+v", s.Trace)
	}
	if err := xml.Unmarshal([]byte(got.SVG), new(struct{})); err != nil {
		t.Errorf("svg: %v", err)
	}
	if diff := cmp.Diff([]string{"chromium", "firefox", "webkit", "spec"}, got.Compare.Profiles); diff != "" {
		t.Errorf("compare profiles (-want +got):\n%s", diff)
	}
	if len(got.Compare.Rows) != 2 || len(got.Compare.Rows[0].Cells) != 4 {
		t.Errorf("compare rows = %+v, want 2 rows of 4 cells", got.Compare.Rows)
	}
}

func anyBlocked(s StepView) bool {
	for _, t := range s.Trace {
		if t.Blocked {
			return true
		}
	}
	return false
}

// TestCompareShowsDivergence: every scenario in testdata/divergence shows
// a profile difference; the page's comparison must flag at least one step.
func TestCompareShowsDivergence(t *testing.T) {
	files, err := filepath.Glob("../testdata/divergence/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no divergence scenarios: %v", err)
	}
	flagged := 0
	for _, f := range files {
		rec := post(t, Handler(), "application/json", runBody(t, readFile(t, f), "firefox"))
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d: %s", f, rec.Code, rec.Body)
		}
		var got RunResponse
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if got.Profile != "firefox" {
			t.Errorf("%s: profile %q, want firefox as asked", f, got.Profile)
		}
		for _, r := range got.Compare.Rows {
			if r.Differs {
				flagged++
				break
			}
		}
	}
	// Some divergence files differ only in the console text or the cache
	// timing the summary leaves out; most must show.
	if flagged < len(files)/2 {
		t.Errorf("only %d of %d divergence scenarios show a difference between profiles", flagged, len(files))
	}
}

func TestRunBadInput(t *testing.T) {
	valid := readFile(t, preflightFailure)
	manySteps := `{"format":1,"name":"n","origin":"http://a.test","steps":[` +
		strings.TrimSuffix(strings.Repeat(`{"at":0,"fetch":{"url":"http://b.test/"},"expect":{}},`, MaxSteps+1), ",") + `]}`
	tests := []struct {
		name        string
		contentType string
		body        []byte
		status      int
		field       string
		message     string
	}{
		{"not JSON", "application/json", []byte("{"), 400, "", "not a JSON object"},
		{"unknown envelope field", "application/json", []byte(`{"scenario":"{}","profiel":"x"}`), 400, "", `unknown field "profiel"`},
		{"no scenario", "application/json", runBody(t, "  ", ""), 400, "", "no scenario"},
		{"scenario not JSON", "application/json", runBody(t, "{nope", ""), 400, "", "not valid JSON"},
		{"missing format", "application/json", runBody(t, "{}", ""), 400, "format", "format: is required"},
		{"bad origin", "application/json", runBody(t, strings.Replace(valid, `"origin": "http://a.test"`, `"origin": "http://a.test/"`, 1), ""), 400, "origin", "origin"},
		// A mode or header name that fetch() rejects is simulated, not
		// refused (issue 7); a negative status is no answer at all.
		{"negative status", "application/json", runBody(t, strings.Replace(valid, `"status": 204`, `"status": -1`, 1), ""), 400, "server[0].status", "non-negative"},
		{"unknown profile", "application/json", runBody(t, valid, "netscape"), 400, "profile", "netscape"},
		{"too many steps", "application/json", runBody(t, manySteps, ""), 400, "steps", "at most 100"},
		{"not JSON content type", "text/plain", runBody(t, valid, ""), 415, "", "application/json"},
		{"too large", "application/json", bytes.Repeat([]byte(" "), MaxRequestBytes+1), 413, "", "larger than"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := post(t, Handler(), tc.contentType, tc.body)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			var e Error
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
				t.Fatalf("error body is not JSON: %v: %s", err, rec.Body)
			}
			if e.Field != tc.field {
				t.Errorf("field %q, want %q", e.Field, tc.field)
			}
			if !strings.Contains(e.Message, tc.message) {
				t.Errorf("error %q does not contain %q", e.Message, tc.message)
			}
		})
	}
}

// TestRunNeverFailsOnInput: whatever the page sends, the answer is 200 or
// 4xx with a JSON message — never a 5xx or a broken answer. Inputs are
// recorded scenarios with random edits.
func TestRunNeverFailsOnInput(t *testing.T) {
	files, _ := filepath.Glob("../testdata/chromium/*/*.json")
	h := Handler()
	rapid.Check(t, func(t *rapid.T) {
		text := []byte(readFile(t, rapid.SampledFrom(files).Draw(t, "file")))
		for range rapid.IntRange(0, 4).Draw(t, "edits") {
			i := rapid.IntRange(0, len(text)-1).Draw(t, "at")
			switch rapid.IntRange(0, 2).Draw(t, "edit") {
			case 0:
				text = append(text[:i], text[i+1:]...)
			case 1:
				text[i] = rapid.SampledFrom([]byte(`{}[]",:0 -a\`)).Draw(t, "byte")
			case 2:
				text = append(text[:i], append([]byte(rapid.SampledFrom([]string{`"x"`, `null`, `-1`, `1e400`, `"\u0000"`}).Draw(t, "insert")), text[i:]...)...)
			}
		}
		profile := rapid.SampledFrom([]string{"", "chromium", "firefox", "webkit", "spec", "bogus"}).Draw(t, "profile")
		rec := post(t, h, "application/json", runBody(t, string(text), profile))
		if rec.Code != http.StatusOK && (rec.Code < 400 || rec.Code >= 500) {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		var v map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
			t.Fatalf("answer is not JSON: %v", err)
		}
		if rec.Code != http.StatusOK && v["error"] == "" {
			t.Fatalf("status %d without a message", rec.Code)
		}
	})
}

// TestAssetsAreLocal: the page loads nothing from elsewhere.
func TestAssetsAreLocal(t *testing.T) {
	external := regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?(https?:)?//|url\(\s*["']?(https?:)?//|@import`)
	err := fs.WalkDir(assets, "assets", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := assets.ReadFile(path)
		if err != nil {
			return err
		}
		if m := external.Find(b); m != nil {
			t.Errorf("%s loads an external asset: %q", path, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestServesPage(t *testing.T) {
	h := Handler()
	for _, tc := range []struct{ path, contentType, contains string }{
		{"/", "text/html", `<script src="app.js">`},
		{"/app.js", "javascript", "api/run"},
		{"/style.css", "text/css", "prefers-color-scheme"},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tc.path, nil))
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s: status %d", tc.path, rec.Code)
			continue
		}
		if ct := rec.Header().Get("Content-Type"); !strings.Contains(ct, tc.contentType) {
			t.Errorf("GET %s: Content-Type %q, want %s", tc.path, ct, tc.contentType)
		}
		if !strings.Contains(rec.Header().Get("Content-Security-Policy"), "default-src 'self'") {
			t.Errorf("GET %s: no Content-Security-Policy keeping the page to itself", tc.path)
		}
		body, _ := io.ReadAll(rec.Body)
		if !strings.Contains(string(body), tc.contains) {
			t.Errorf("GET %s: body does not contain %q", tc.path, tc.contains)
		}
	}
}

func FuzzRun(f *testing.F) {
	f.Add([]byte(readFile(f, preflightFailure)), "chromium")
	f.Add([]byte(`{"format":1,"name":"n","origin":"null","steps":[{"at":0,"fetch":{"url":"data:,x"},"expect":{}}]}`), "")
	h := Handler()
	f.Fuzz(func(t *testing.T, text []byte, profile string) {
		rec := post(t, h, "application/json", runBody(t, string(text), profile))
		if rec.Code != http.StatusOK && (rec.Code < 400 || rec.Code >= 500) {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	})
}

func TestRunVerdicts(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"modes/no-cors-cross-origin-delete-is-rejected-before-any-request.json", "fetch() rejects with a TypeError before sending anything"},
		{"check-matrix/cors-check-matrix-get-credentials-include-acao-acac-true.json", "fetch() rejects with a network error (TypeError) — CORS error WildcardOriginNotAllowed"},
		{"modes/no-cors-cross-origin-get-without-access-control-allow-origin-is-opaque.json", "fetch() resolves: an opaque response, status 0"},
	} {
		resp, _, err := Run(context.Background(), RunRequest{Scenario: readFile(t, "../testdata/chromium/"+tc.file)})
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if diff := cmp.Diff(tc.want, resp.Steps[0].Verdict); diff != "" {
			t.Errorf("%s: verdict (-want +got):\n%s", tc.file, diff)
		}
	}
}
