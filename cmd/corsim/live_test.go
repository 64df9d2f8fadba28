package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corsim/corsim/internal/refserver"
)

const site = "https://app.example.com"

var items = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Total", "3")
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`[1,2,3]`))
})

// correctServer allows site to GET, PUT and DELETE with X-Token and
// credentials, exposing X-Total.
func correctServer(t *testing.T) *httptest.Server {
	cfg := refserver.Config{Origins: []string{site}, Methods: []string{"PUT", "DELETE"}, Headers: []string{"X-Token", "Content-Type"}, Credentials: true, Expose: []string{"X-Total"}, MaxAge: 600}
	srv := httptest.NewServer(cfg.Wrap(items))
	t.Cleanup(srv.Close)
	return srv
}

// misconfiguredServer reflects every origin with credentials, sends no
// Vary, and approves every method and header.
func misconfiguredServer(t *testing.T) *httptest.Server {
	cfg := refserver.Config{Origins: []string{site}, Credentials: true, Match: refserver.MatchReflect, NoVary: true, AnyMethod: true, AnyHeader: true}
	srv := httptest.NewServer(cfg.Wrap(items))
	t.Cleanup(srv.Close)
	return srv
}

func TestCheckAgainstLoopbackServers(t *testing.T) {
	good, bad := correctServer(t), misconfiguredServer(t)
	tests := []struct {
		name     string
		args     []string
		srv      *httptest.Server
		wantCode int
		wantOut  []string
	}{
		{"allowed PUT with a header is readable", []string{"-origin", site, "-X", "PUT", "-H", "X-Token: 1", "-d", "{}", "-credentials", "include"}, good, 0,
			[]string{"READABLE", "x-total", "> OPTIONS", "> Access-Control-Request-Headers: x-token", "> PUT", "< Access-Control-Allow-Origin: " + site}},
		{"a header the server does not list is blocked before the PUT", []string{"-origin", site, "-X", "PUT", "-H", "X-Other: 1"}, good, 1,
			[]string{"BLOCKED: HeaderDisallowedByPreflightResponse", "On the wire (1 request(s))", "console: Access to fetch at"}},
		{"a foreign origin is blocked on the correct server", []string{"-origin", "https://evil.example"}, good, 1,
			[]string{"BLOCKED: MissingAllowOriginHeader"}},
		{"a foreign origin reads the misconfigured server", []string{"-origin", "https://evil.example", "-credentials", "include"}, bad, 0,
			[]string{"READABLE"}},
		{"a simple POST goes on the wire even when blocked", []string{"-origin", "https://evil.example", "-d", "x"}, good, 1,
			[]string{"> POST", "> Content-Type: text/plain;charset=UTF-8", "BLOCKED"}},
		{"no-cors gives an opaque response", []string{"-origin", "https://evil.example", "-mode", "no-cors"}, good, 1,
			[]string{"OPAQUE"}},
		{"a forbidden method is a TypeError, nothing sent", []string{"-origin", site, "-X", "CONNECT"}, good, 1,
			[]string{"TypeError", "nothing: the browser sends no request"}},
		{"firefox profile", []string{"-origin", site, "-browser", "firefox"}, good, 0, []string{"simulating firefox"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCmd(append(append([]string{"check"}, tt.args...), tt.srv.URL+"/items")...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.wantCode, out, errs)
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestCheckJSON(t *testing.T) {
	srv := correctServer(t)
	code, out, errs := runCmd("check", "-json", "-origin", site, "-X", "DELETE", srv.URL+"/items")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got struct {
		Readable bool
		Origin   string
		Wire     []struct {
			Method    string
			Preflight bool
			Status    int
		}
		Trace struct{ Steps []any }
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	type wire = struct {
		Method    string
		Preflight bool
		Status    int
	}
	if diff := cmp.Diff([]wire{{"OPTIONS", true, 204}, {"DELETE", false, 200}}, got.Wire); diff != "" {
		t.Errorf("wire (-want +got):\n%s", diff)
	}
	if !got.Readable || got.Origin != site || len(got.Trace.Steps) == 0 {
		t.Errorf("got %+v", got)
	}
}

func TestCheckBadInputAndNetworkFailureExitTwo(t *testing.T) {
	srv := httptest.NewServer(items)
	url := srv.URL
	srv.Close() // nothing listens there now
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"check", url}, "connection failed"},
		{[]string{"check", "-origin", "https://App.example", "http://127.0.0.1/"}, "-origin"},
		{[]string{"check", "-H", "no colon", "http://127.0.0.1/"}, "Name: value"},
		{[]string{"check", "-mode", "navigate", "http://127.0.0.1/"}, "-mode"},
		{[]string{"check", "-credentials", "always", "http://127.0.0.1/"}, "-credentials"},
		{[]string{"check", "-browser", "lynx", "http://127.0.0.1/"}, "-browser"},
		{[]string{"check", "ftp://example.com/"}, "http://"},
		{[]string{"check"}, "exactly one URL"},
		{[]string{"audit", "http://127.0.0.1/"}, "-origin"},
		{[]string{"audit", "-origin", site, url}, "connection failed"},
	}
	for _, tt := range tests {
		code, _, errs := runCmd(tt.args...)
		if code != 2 || !strings.Contains(errs, tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", tt.args, code, errs, tt.want)
		}
	}
}

func TestSubcommandsDocumentThemselves(t *testing.T) {
	for _, cmd := range []string{"check", "audit"} {
		code, out, errs := runCmd(cmd, "-h")
		if code != 0 || errs != "" || !strings.Contains(out, "usage: corsim "+cmd) || !strings.Contains(out, "Exit status") || !strings.Contains(out, "-json") {
			t.Errorf("%s -h: exit %d\nstdout:\n%s\nstderr:\n%s", cmd, code, out, errs)
		}
		code, _, errs = runCmd(cmd, "-nosuchflag")
		if code != 2 || !strings.Contains(errs, "run \"corsim "+cmd+" -h\" for help") {
			t.Errorf("%s -nosuchflag: exit %d, stderr %q", cmd, code, errs)
		}
	}
}

func TestAuditAgainstLoopbackServers(t *testing.T) {
	code, out, errs := runCmd("audit", "-origin", site, correctServer(t).URL+"/items")
	if code != 0 || !strings.Contains(out, ": 0 finding(s)") {
		t.Errorf("correct server: exit %d\n%s%s", code, out, errs)
	}
	bad := misconfiguredServer(t)
	code, out, errs = runCmd("audit", "-origin", site, bad.URL+"/items")
	if code != 1 {
		t.Errorf("misconfigured server: exit %d, want 1\n%s%s", code, out, errs)
	}
	for _, w := range []string{"HIGH   reflected-origin-with-credentials", "MEDIUM missing-vary-origin", "LOW    preflight-allows-everything", "withheld (unsafe method)", "demo: a cache stored"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if i, j := strings.Index(out, "HIGH"), strings.Index(out, "LOW"); i < 0 || j < i {
		t.Errorf("not severity first:\n%s", out)
	}
	code, out, _ = runCmd("audit", "-json", "-origin", site, bad.URL+"/items")
	var rep struct {
		Findings []struct{ ID, Severity string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 1 {
		t.Fatalf("exit %d, %v\n%s", code, err, out)
	}
	var got []string
	for _, f := range rep.Findings {
		got = append(got, f.Severity+" "+f.ID)
	}
	want := []string{"high reflected-origin-with-credentials", "medium missing-vary-origin", "low preflight-allows-everything"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestTimeOutsAreNamed(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); slow.Close() })
	for _, args := range [][]string{
		{"check", "-timeout", "200ms", slow.URL},
		{"audit", "-timeout", "200ms", "-origin", site, slow.URL},
	} {
		code, _, errs := runCmd(args...)
		if code != 2 || !strings.Contains(errs, "time-out") {
			t.Errorf("%q: exit %d, stderr %q; want 2 and a named time-out", args, code, errs)
		}
	}
}

func TestTLSServers(t *testing.T) {
	cfg := refserver.Config{Origins: []string{site}, Credentials: true, Match: refserver.MatchReflect}
	srv := httptest.NewTLSServer(cfg.Wrap(items))
	t.Cleanup(srv.Close)
	if code, _, errs := runCmd("check", "-origin", site, srv.URL); code != 2 || !strings.Contains(errs, "TLS failed") {
		t.Errorf("self-signed without -k: exit %d, %q", code, errs)
	}
	if code, out, errs := runCmd("check", "-k", "-origin", site, srv.URL); code != 0 {
		t.Errorf("-k: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := runCmd("audit", "-k", "-origin", site, srv.URL); code != 1 || !strings.Contains(out, "reflected-origin-with-credentials") {
		t.Errorf("audit -k: exit %d\n%s%s", code, out, errs)
	}
}
