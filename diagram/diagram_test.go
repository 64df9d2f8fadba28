package diagram

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/corsim/corsim/enforce"
	"github.com/corsim/corsim/profile"
	"github.com/corsim/corsim/scenario"
)

var update = flag.Bool("update", false, "rewrite the golden SVG files in testdata/")

// goldenCases are recorded scenarios that between them draw every kind of
// arrow and block: a preflight failure, a cache hit, a cache cleared by a
// failure, redirects across origins, a TypeError before anything is sent,
// an opaque response.
var goldenCases = []struct{ name, file, profile string }{
	{"preflight-missing-allow-origin", "cache/preflight-fails-without-access-control-allow-origin-the-same-put-at-0-3-s-is-preflighted-again.json", ""},
	{"cache-hit", "cache/cache-sequence-credentialed-put-then-uncredentialed-then-credentialed-again.json", ""},
	{"cache-cleared-by-failure", "cache/cache-sequence-put-cached-x-foo-added-at-0-3-s-is-rejected-put-without-x-foo-at-0-6-s.json", ""},
	{"redirect-to-another-origin", "redirect/cross-origin-get-redirected-302-from-b-test-to-c-test-final-access-control-allow-origin-null.json", ""},
	{"redirect-hop-lacks-allow-origin", "redirect/cross-origin-get-redirected-303-to-the-same-target-origin-the-redirect-hop-lacks-access-control-allo.json", ""},
	{"no-cors-typeerror", "modes/no-cors-cross-origin-delete-is-rejected-before-any-request.json", ""},
	{"no-cors-opaque", "modes/no-cors-cross-origin-get-without-access-control-allow-origin-is-opaque.json", ""},
	{"wildcard-with-credentials-firefox", "check-matrix/cors-check-matrix-get-credentials-include-acao-acac-true.json", "firefox"},
}

func TestGolden(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := scenario.LoadFile(filepath.Join("..", "testdata", "chromium", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			p := profile.Chromium()
			if tc.profile != "" {
				if p, err = profile.ByName(tc.profile); err != nil {
					t.Fatal(err)
				}
			}
			got, err := Render(context.Background(), s, p)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", tc.name+".svg")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./diagram -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("%s differs (-want +got; go test ./diagram -update rewrites it):\n%s", golden, diff)
			}
		})
	}
}

func TestFix(t *testing.T) {
	tests := []struct {
		name string
		err  enforce.Error
		want string
	}{
		{"missing allow origin", enforce.Error{Reason: enforce.MissingAllowOriginHeader, Origin: "http://a.test"},
			"send Access-Control-Allow-Origin: http://a.test"},
		{"missing allow origin on the preflight", enforce.Error{Reason: enforce.PreflightMissingAllowOriginHeader, Origin: "http://a.test"},
			"on the OPTIONS (preflight) response, send Access-Control-Allow-Origin: http://a.test"},
		{"redirect-tainted origin is null", enforce.Error{Reason: enforce.MissingAllowOriginHeader, Origin: "null"},
			"send Access-Control-Allow-Origin: null"},
		{"trailing slash", enforce.Error{Reason: enforce.AllowOriginMismatch, Origin: "http://a.test", Param: "http://a.test/"},
			`send Access-Control-Allow-Origin: http://a.test (not "http://a.test/")`},
		{"wildcard with credentials", enforce.Error{Reason: enforce.WildcardOriginNotAllowed, Origin: "http://a.test", Param: "*"},
			`send Access-Control-Allow-Origin: http://a.test instead of "*" (a credentialed request needs the exact origin)`},
		{"credentials not true", enforce.Error{Reason: enforce.InvalidAllowCredentials, Origin: "http://a.test", Param: "TRUE"},
			"send Access-Control-Allow-Credentials: true"},
		{"method", enforce.Error{Reason: enforce.MethodDisallowedByPreflightResponse, Param: "PUT"},
			"add PUT to Access-Control-Allow-Methods on the OPTIONS (preflight) response"},
		{"header", enforce.Error{Reason: enforce.HeaderDisallowedByPreflightResponse, Param: "X-Foo"},
			"add x-foo to Access-Control-Allow-Headers on the OPTIONS (preflight) response"},
		{"preflight status", enforce.Error{Reason: enforce.PreflightInvalidStatus, Status: 404},
			"answer the OPTIONS (preflight) request with status 204 or another 2xx"},
		{"mode is the page's", enforce.Error{Reason: enforce.DisallowedByMode}, ""},
		{"scheme is the page's", enforce.Error{Reason: enforce.CorsDisabledScheme}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Fix(&tc.err)); diff != "" {
				t.Errorf("Fix (-want +got):\n%s", diff)
			}
		})
	}
	if Fix(nil) != "" {
		t.Error("Fix(nil) is not empty")
	}
}

// TestFixLetsItThrough checks the claim FixFor makes, on every recorded
// single-step scenario blocked by a CORS check: applying the change to the
// answer the browser refused gets the request past that check (the next
// check may fail in turn, but never with the same reason).
func TestFixLetsItThrough(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "*", "*", "*.json"))
	tried := map[enforce.Reason]int{}
	for _, f := range files {
		s, err := scenario.LoadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Steps) != 1 {
			continue
		}
		p, err := profile.ForBrowser(s.Browser)
		if err != nil {
			t.Fatal(err)
		}
		obs, err := scenario.Replay(context.Background(), s, p)
		if err != nil {
			t.Fatal(err)
		}
		var ce *enforce.Error
		if !errors.As(obs[0].Err, &ce) {
			continue
		}
		change, ok := FixFor(ce)
		if !ok || (change.Header == "" && change.Status == 0) {
			continue
		}
		wire := *obs[0].Observed.Wire
		if len(wire) == 0 {
			continue
		}
		last := wire[len(wire)-1]
		if change.Preflight != (last.Method == "OPTIONS") {
			t.Errorf("%s: %s: the change is for the preflight: %v, but the refused answer was to %s", f, ce.Reason, change.Preflight, last.Method)
			continue
		}
		if !applyChange(s, last, change) {
			continue // the answer was the default 404, not a rule
		}
		tried[ce.Reason]++
		again, err := scenario.Replay(context.Background(), s, p)
		if err != nil {
			t.Fatal(err)
		}
		var ce2 *enforce.Error
		// The same failure again means the fix did nothing; a second
		// disallowed header named next (testdata/chromium/disallowed-order)
		// is a new failure.
		if errors.As(again[0].Err, &ce2) && ce2.Reason == ce.Reason && ce2.URL == ce.URL && ce2.Param == ce.Param {
			t.Errorf("%s: after %q the step still fails with %s: %s", f, change.Text, ce2.Reason, ce2.Sentence())
		}
	}
	t.Logf("fixes tried: %v", tried)
	for _, r := range []enforce.Reason{enforce.MissingAllowOriginHeader, enforce.PreflightMissingAllowOriginHeader,
		enforce.AllowOriginMismatch, enforce.WildcardOriginNotAllowed, enforce.InvalidAllowCredentials,
		enforce.MethodDisallowedByPreflightResponse, enforce.HeaderDisallowedByPreflightResponse, enforce.PreflightInvalidStatus} {
		if tried[r] == 0 {
			t.Errorf("no recorded scenario exercised the fix for %s", r)
		}
	}
}

// applyChange applies c to the first rule answering w, reporting whether
// one did.
func applyChange(s *scenario.Scenario, w scenario.WireRequest, c Change) bool {
	rules := append(s.Steps[0].Server[:len(s.Steps[0].Server):len(s.Steps[0].Server)], s.Server...)
	for i, r := range rules {
		if r.Method != w.Method || r.URL != w.URL {
			continue
		}
		if c.Status != 0 {
			r.Status = c.Status
		}
		if c.Header != "" {
			var kept, old []string
			var headers []scenario.Header
			for _, h := range r.Headers {
				if strings.EqualFold(h.Name, c.Header) {
					old = append(old, h.Value)
					continue
				}
				headers = append(headers, h)
			}
			value := c.Value
			if c.Append && len(old) > 0 {
				kept = append(old, c.Value)
				value = strings.Join(kept, ", ")
			}
			r.Headers = append(headers, scenario.Header{Name: c.Header, Value: value})
		}
		if i < len(s.Steps[0].Server) {
			s.Steps[0].Server[i] = r
		} else {
			s.Server[i-len(s.Steps[0].Server)] = r
		}
		return true
	}
	return false
}

// shape is what a property test reads back from an SVG.
type shape struct {
	wire, responses, calls, results, blocks, cached int
}

// parseSVG checks that svg is well-formed XML and counts its arrows.
func parseSVG(svg []byte) (shape, error) {
	var sh shape
	dec := xml.NewDecoder(bytes.NewReader(svg))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return sh, nil
		}
		if err != nil {
			return sh, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "g" {
			continue
		}
		for _, a := range se.Attr {
			if a.Name.Local != "class" {
				continue
			}
			for _, c := range strings.Fields(a.Value) {
				switch c {
				case "wire":
					sh.wire++
				case "response":
					sh.responses++
				case "call":
					sh.calls++
				case "result":
					sh.results++
				case "block":
					sh.blocks++
				case "cached":
					sh.cached++
				}
			}
		}
	}
}

var (
	genOrigins = []string{"http://a.test", "https://a.test", "null"}
	genURLs    = []string{"http://a.test/r", "http://b.test/r", "http://c.test/r", "https://b.test/r", "http://b.test/x?y=1"}
	genMethods = []string{"GET", "POST", "PUT", "DELETE", "OPTIONS", "patch"}
	genNames   = []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers",
		"Access-Control-Allow-Credentials", "Access-Control-Max-Age", "Access-Control-Expose-Headers", "Location", "X-Secret"}
	genValues = []string{"*", "http://a.test", "null", "true", "PUT", "x-foo", "10", "http://c.test/r", "/r", "http://b.test/r",
		"a\x00b", "<&>\"'", "日本", strings.Repeat("v", 300), ""}
)

func genHeaders(t *rapid.T, label string, names []string) []scenario.Header {
	n := rapid.IntRange(0, 4).Draw(t, label+"-count")
	hs := make([]scenario.Header, n)
	for i := range hs {
		hs[i] = scenario.Header{Name: rapid.SampledFrom(names).Draw(t, label+"-name"), Value: rapid.SampledFrom(genValues).Draw(t, label+"-value")}
	}
	return hs
}

func genScenario(t *rapid.T) *scenario.Scenario {
	s := &scenario.Scenario{Format: 1, Name: rapid.StringN(0, 80, -1).Draw(t, "name"), Origin: rapid.SampledFrom(genOrigins).Draw(t, "origin")}
	for range rapid.IntRange(0, 6).Draw(t, "rules") {
		s.Server = append(s.Server, scenario.Rule{
			Method:  rapid.SampledFrom([]string{"GET", "OPTIONS", "PUT", "POST"}).Draw(t, "rule-method"),
			URL:     rapid.SampledFrom(genURLs).Draw(t, "rule-url"),
			Status:  rapid.SampledFrom([]int{200, 204, 301, 302, 307, 404, 500}).Draw(t, "status"),
			Headers: genHeaders(t, "resp", genNames),
		})
	}
	at := 0.0
	for range rapid.IntRange(1, 4).Draw(t, "steps") {
		at += rapid.SampledFrom([]float64{0, 0.3, 5, 11}).Draw(t, "dt")
		f := scenario.Fetch{
			URL:         rapid.SampledFrom(append(genURLs, "data:,x", "ftp://b.test/r", "not a url")).Draw(t, "url"),
			Method:      rapid.SampledFrom(append(genMethods, "")).Draw(t, "method"),
			Mode:        rapid.SampledFrom([]string{"", "cors", "no-cors", "same-origin"}).Draw(t, "mode"),
			Credentials: rapid.SampledFrom([]string{"", "omit", "same-origin", "include"}).Draw(t, "credentials"),
			Redirect:    rapid.SampledFrom([]string{"", "follow", "error", "manual"}).Draw(t, "redirect"),
			Headers:     genHeaders(t, "req", []string{"X-Foo", "Content-Type", "Accept", "Authorization"}),
		}
		if rapid.Bool().Draw(t, "has-body") {
			b := rapid.StringN(0, 20, -1).Draw(t, "body")
			f.Body = &b
		}
		s.Steps = append(s.Steps, scenario.Step{At: at, Fetch: f})
	}
	return s
}

// TestSVGProperties: for random scenarios under every profile, the SVG is
// well-formed XML; every request on the wire is exactly one arrow with
// exactly one response; every step has one call and one result; a block
// note appears exactly for the steps where fetch() rejected.
func TestSVGProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genScenario(t)
		p, err := profile.ByName(rapid.SampledFrom(profile.Names()).Draw(t, "profile"))
		if err != nil {
			t.Fatal(err)
		}
		obs, err := scenario.Replay(context.Background(), s, p)
		if err != nil {
			t.Fatal(err)
		}
		svg := FromReplay(s, p, obs).SVG()
		got, err := parseSVG(svg)
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, svg)
		}
		var want shape
		for _, o := range obs {
			want.wire += len(*o.Observed.Wire)
			want.calls++
			want.results++
			if o.Err != nil {
				want.blocks++
			}
		}
		want.responses = want.wire
		got.cached = 0 // a cache hit draws an extra ghost arrow, checked below
		if got != want {
			t.Fatalf("arrows %+v, want %+v", got, want)
		}
	})
}

// TestCachedHitIsNotWire: a cache hit is drawn as a ghost arrow and never
// counted as a request on the wire.
func TestCachedHitIsNotWire(t *testing.T) {
	s, err := scenario.LoadFile(filepath.Join("..", "testdata", "chromium", goldenCases[1].file))
	if err != nil {
		t.Fatal(err)
	}
	svg, err := Render(context.Background(), s, profile.Chromium())
	if err != nil {
		t.Fatal(err)
	}
	sh, err := parseSVG(svg)
	if err != nil {
		t.Fatal(err)
	}
	if sh.cached == 0 {
		t.Fatal("no cached-preflight arrow in a scenario whose second step is a cache hit")
	}
	if sh.wire != 4 {
		t.Errorf("wire arrows = %d, want 4 (preflight and PUT, then PUT twice)", sh.wire)
	}
}

func FuzzRender(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "chromium", "redirect", "*.json"))
	for _, file := range files[:min(len(files), 10)] {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := scenario.Parse("fuzz.json", data)
		if err != nil {
			return
		}
		svg, err := Render(context.Background(), s, profile.Chromium())
		if err != nil {
			return
		}
		if _, err := parseSVG(svg); err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
	})
}
