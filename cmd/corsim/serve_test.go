package main

import (
	"bufio"
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestServeFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "-port", "70000"}, "not a TCP port"},
		{[]string{"serve", "extra"}, `unexpected argument "extra"`},
		{[]string{"serve", "-addr", "not an address"}, "corsim serve:"},
		{[]string{"serve", "-bogus"}, "flag provided but not defined"},
	} {
		code, _, errs := runCmd(tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
}

// TestServe starts the page on a free loopback port, asks it for the page
// and a bad run, and stops it.
func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- serveUntil(ctx, []string{"-port", "0"}, pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	var base string
	for _, f := range strings.Fields(line) {
		if strings.HasPrefix(f, "http://127.0.0.1:") {
			base = f
		}
	}
	if base == "" {
		t.Fatalf("no loopback URL in %q", line)
	}
	resp, err := http.Get(base)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "corsim playground") {
		t.Errorf("GET /: %d %.80q", resp.StatusCode, body)
	}
	resp, err = http.Post(base+"api/run", "application/json", strings.NewReader(`{"scenario": "{}"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(body), "format") {
		t.Errorf("POST a bad scenario: %d %s", resp.StatusCode, body)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d after stopping", code)
	}
}

func TestExplainSVG(t *testing.T) {
	out := filepath.Join(t.TempDir(), "d.svg")
	file := "../../testdata/chromium/cache/preflight-fails-without-access-control-allow-origin-the-same-put-at-0-3-s-is-preflighted-again.json"
	if code, _, errs := runCmd("explain", "-svg", out, file); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(b, new(struct{})); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	if !strings.Contains(string(b), "PreflightMissingAllowOriginHeader") {
		t.Error("the diagram does not name the block reason")
	}
	code, stdout, _ := runCmd("explain", "-svg", "-", "-browser", "firefox", file)
	if code != 0 || !strings.HasPrefix(stdout, "<svg") || !strings.Contains(stdout, "simulated as firefox") {
		t.Errorf("-svg - under firefox: exit %d, %.60q", code, stdout)
	}
	if code, _, errs := runCmd("explain", "-svg", filepath.Join(t.TempDir(), "missing", "d.svg"), file); code != 2 || errs == "" {
		t.Errorf("unwritable output: exit %d, stderr %q", code, errs)
	}
}
