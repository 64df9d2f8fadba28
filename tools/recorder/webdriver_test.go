package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/corsim/corsim/scenario"
	"github.com/google/go-cmp/cmp"
)

// fakeDriver is a WebDriver endpoint that logs each command and answers
// from a table keyed by "METHOD path".
type fakeDriver struct {
	mu      sync.Mutex
	log     []string         // "METHOD path body"
	answers map[string]reply // by "METHOD path"
}

type reply struct {
	status int
	body   string
}

func (f *fakeDriver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	key := r.Method + " " + r.URL.EscapedPath()
	f.mu.Lock()
	f.log = append(f.log, strings.TrimSpace(key+" "+string(body)))
	a, ok := f.answers[key]
	f.mu.Unlock()
	if !ok {
		a = reply{404, `{"value":{"error":"unknown command","message":"no such endpoint","stacktrace":""}}`}
	}
	if r.Method == http.MethodPost && r.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		a = reply{400, `{"value":{"error":"invalid argument","message":"not JSON"}}`}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(a.status)
	io.WriteString(w, a.body)
}

func startFakeDriver(t *testing.T, answers map[string]reply) (*fakeDriver, *webDriver) {
	t.Helper()
	f := &fakeDriver{answers: answers}
	ts := httptest.NewServer(f)
	t.Cleanup(ts.Close)
	return f, newWebDriver(ts.URL + "/")
}

func TestWebDriverSessionCommands(t *testing.T) {
	f, wd := startFakeDriver(t, map[string]reply{
		"GET /status":                       {200, `{"value":{"ready":true,"message":"ok"}}`},
		"POST /session":                     {200, `{"value":{"sessionId":"s1","capabilities":{"browserName":"MiniBrowser","browserVersion":"2.50.6"}}}`},
		"POST /session/s1/timeouts":         {200, `{"value":null}`},
		"POST /session/s1/url":              {200, `{"value":null}`},
		"POST /session/s1/execute/sync":     {200, `{"value":["http://a.test","http://a.test/"]}`},
		"POST /session/s1/execute/async":    {200, `{"value":{"outcome":"ok","type":"cors","status":200,"url":"http://b.test/r","redirected":false,"headers":["x-b","content-type","x-b"]}}`},
		"DELETE /session/s1":                {200, `{"value":null}`},
		"POST /session/s1/execute/sync/bad": {200, `{}`},
	})
	ctx := context.Background()
	if ok, err := wd.ready(ctx); !ok || err != nil {
		t.Fatalf("ready = %v, %v", ok, err)
	}
	s, err := wd.newSession(ctx, map[string]any{"acceptInsecureCerts": true})
	if err != nil {
		t.Fatal(err)
	}
	if s.ID != "s1" || s.BrowserName != "MiniBrowser" || s.BrowserVersion != "2.50.6" {
		t.Errorf("session %+v", s)
	}
	if err := s.SetTimeouts(ctx, webDriverTimeouts{Script: 30000, PageLoad: 20000}); err != nil {
		t.Fatal(err)
	}
	if err := s.Navigate(ctx, "http://a.test/"); err != nil {
		t.Fatal(err)
	}
	var where []string
	if err := s.ExecuteSync(ctx, "return [self.origin, location.href];", nil, &where); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"http://a.test", "http://a.test/"}, where); diff != "" {
		t.Errorf("ExecuteSync (-want +got):\n%s", diff)
	}
	w := &webkit{wd: wd}
	res, err := w.fetch(ctx, s, scenario.Fetch{URL: "http://b.test/r", Headers: []scenario.Header{hdr("X-Foo", "1")}})
	if err != nil {
		t.Fatal(err)
	}
	want := stepResult{Outcome: "ok", Type: "cors", Status: 200, URL: "http://b.test/r", Headers: []string{"content-type", "x-b"}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("fetch result (-want +got):\n%s", diff)
	}
	if err := s.Delete(ctx); err != nil {
		t.Fatal(err)
	}

	wantLog := []string{
		`GET /status`,
		`POST /session {"capabilities":{"alwaysMatch":{"acceptInsecureCerts":true}}}`,
		`POST /session/s1/timeouts {"script":30000,"pageLoad":20000}`,
		`POST /session/s1/url {"url":"http://a.test/"}`,
		`POST /session/s1/execute/sync {"args":[],"script":"return [self.origin, location.href];"}`,
	}
	if diff := cmp.Diff(wantLog, f.log[:len(wantLog)]); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
	// The fetch is the Chromium engine's expression handed to the callback.
	var async struct {
		Script string `json:"script"`
		Args   []any  `json:"args"`
	}
	asyncLog := f.log[len(wantLog)]
	if err := json.Unmarshal([]byte(strings.TrimPrefix(asyncLog, "POST /session/s1/execute/async ")), &async); err != nil {
		t.Fatalf("%s: %v", asyncLog, err)
	}
	expr, _ := fetchExpression(scenario.Fetch{URL: "http://b.test/r", Headers: []scenario.Header{hdr("X-Foo", "1")}})
	if !strings.Contains(async.Script, expr) || !strings.HasPrefix(async.Script, "const done = arguments[arguments.length - 1];") || len(async.Args) != 0 {
		t.Errorf("execute/async got script %q args %v", async.Script, async.Args)
	}
	if got := f.log[len(f.log)-1]; got != "DELETE /session/s1" {
		t.Errorf("last command %q", got)
	}
}

func TestWebDriverErrors(t *testing.T) {
	_, wd := startFakeDriver(t, map[string]reply{
		"POST /session":                  {500, `{"value":{"error":"session not created","message":"Failed to connect to browser"}}`},
		"GET /status":                    {200, `not json`},
		"POST /session/s/url":            {200, `{"novalue":1}`},
		"POST /session/s/execute/async":  {500, `{"value":{"error":"script timeout","message":"Timeout"}}`},
		"POST /session/s/execute/sync":   {200, `{"value":{"outcome":"script-error","message":"ReferenceError"}}`},
		"POST /session/s%2Fx/timeouts":   {200, `{"value":null}`},
		"DELETE /session/s":              {404, `{"value":{"error":"invalid session id","message":""}}`},
		"POST /session/s/execute/sync/x": {200, `{"value":null}`},
	})
	ctx := context.Background()
	_, err := wd.newSession(ctx, nil)
	var we *webDriverError
	if !errors.As(err, &we) || we.Code != "session not created" || we.HTTPStatus != 500 || we.Command != "POST /session" {
		t.Errorf("newSession error %#v", err)
	}
	if _, err := wd.ready(ctx); err == nil || !strings.Contains(err.Error(), "not {\"value\": …}") {
		t.Errorf("a non-JSON answer gave %v", err)
	}
	s := &webDriverSession{d: wd, ID: "s"}
	if err := s.Navigate(ctx, "http://a.test/"); err == nil {
		t.Error("an answer without value was accepted")
	}
	var res stepResult
	if err := s.ExecuteAsync(ctx, "x", nil, &res); !errors.As(err, &we) || we.Code != "script timeout" {
		t.Errorf("ExecuteAsync error %v", err)
	}
	// A session id is one path segment.
	if err := (&webDriverSession{d: wd, ID: "s/x"}).SetTimeouts(ctx, webDriverTimeouts{Script: 1}); err != nil {
		t.Errorf("an id with a slash: %v", err)
	}
	if err := s.Delete(ctx); !errors.As(err, &we) || we.Code != "invalid session id" {
		t.Errorf("Delete error %v", err)
	}
	w := &webkit{wd: wd}
	if _, err := w.fetch(ctx, &webDriverSession{d: wd, ID: "s"}, scenario.Fetch{URL: "http://b.test/"}); err == nil {
		t.Error("a failed fetch script was taken for a result")
	}

	// A cancelled context ends a command, visibly.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := wd.ready(cctx); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled command gave %v, want context.Canceled", err)
	}
}

func TestWebDriverBoundsTheAnswer(t *testing.T) {
	big := `{"value":"` + strings.Repeat("x", maxWebDriverAnswer) + `"}`
	_, wd := startFakeDriver(t, map[string]reply{"GET /status": {200, big}})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := wd.ready(ctx); err == nil || !strings.Contains(err.Error(), "exceeds") {
		t.Errorf("an oversized answer gave %v", err)
	}
}

func TestWebKitCapabilities(t *testing.T) {
	proxy := netip.MustParseAddrPort("127.9.8.7:4321")
	got := webkitCapabilities("/mb", proxy)
	want := map[string]any{
		"acceptInsecureCerts": true,
		"webkitgtk:browserOptions": map[string]any{
			"binary": "/mb",
			"args":   []string{"--automation", "--proxy=http://127.9.8.7:4321"},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("capabilities (-want +got):\n%s", diff)
	}
	noProxy := webkitCapabilities("/mb", netip.AddrPort{})
	if args := noProxy["webkitgtk:browserOptions"].(map[string]any)["args"]; !cmp.Equal(args, []string{"--automation"}) {
		t.Errorf("a session without a proxy got args %v", args)
	}
}

func TestWebKitEnvReplacesLocaleAndProxy(t *testing.T) {
	t.Setenv("LC_ALL", "C")
	t.Setenv("http_proxy", "http://elsewhere:3128")
	t.Setenv("DISPLAY", ":99")
	env := webkitEnv(":7")
	for _, kv := range env {
		switch {
		case kv == "LC_ALL=C", strings.HasPrefix(kv, "http_proxy="), kv == "DISPLAY=:99":
			t.Errorf("webkitEnv kept %q", kv)
		}
	}
	if !strings.Contains(strings.Join(env, "\n"), "\nDISPLAY=:7\n") {
		t.Errorf("webkitEnv has no DISPLAY=:7: %q", env)
	}
}

func TestDifferentialLeavesOutWhatWebKitCannotSee(t *testing.T) {
	msg, line := "MethodDisallowedByPreflightResponse", "Access to fetch … blocked"
	corsim := scenario.Expect{Outcome: "network-error", Error: &msg, Console: &line}
	got := observable(&webkit{}, corsim)
	if got.Error != nil || got.Console != nil || got.Outcome != "network-error" {
		t.Errorf("for WebKit: %+v", got)
	}
	if got := observable(chromium{}, corsim); got.Error != &msg || got.Console != &line {
		t.Errorf("for Chromium the fields were dropped: %+v", got)
	}
}
