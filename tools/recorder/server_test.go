package main

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/corsim/corsim/scenario"
	"github.com/google/go-cmp/cmp"
)

// testServer starts a scriptServer on 127.0.0.1 at a port the kernel
// picks, and returns it with that port's address.
func testServer(t *testing.T) (*scriptServer, string, testCertificate) {
	t.Helper()
	cert, err := newTestCertificate([]string{"a.test", "b.test", "*.test"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	srv := newScriptServer(netip.MustParseAddr("127.0.0.1"), cert.TLS)
	if err := srv.ensurePorts([]int{0}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv, srv.listeners[0].Addr().String(), cert
}

// exchange sends a raw request and returns every byte of the answer, up to
// the server's close.
func exchange(t *testing.T, addr string, useTLS bool, pool *x509.CertPool, request string) string {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	var conn net.Conn = c
	if useTLS {
		conn = tls.Client(c, &tls.Config{ServerName: "b.test", RootCAs: pool})
	}
	if _, err := io.WriteString(conn, request); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(conn)
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	return string(got)
}

func TestScriptServerAnswersByteForByte(t *testing.T) {
	srv, addr, _ := testServer(t)
	body := "ok"
	sc := &scenario.Scenario{Origin: "http://a.test", Server: []scenario.Rule{
		{Method: "GET", URL: "http://b.test/r", Status: 200, Headers: []scenario.Header{
			hdr("access-control-allow-origin", "http://a.test"), hdr("X-Dup", "1"), hdr("x-dup", "2")}, Body: &body},
	}}
	srv.load(sc)
	srv.beginStep(nil)
	got := exchange(t, addr, false, nil, "GET /r HTTP/1.1\r\nHost: b.test\r\nOrigin: http://a.test\r\n\r\n")
	want := "HTTP/1.1 200 OK\r\naccess-control-allow-origin: http://a.test\r\nX-Dup: 1\r\nx-dup: 2\r\n\r\nok"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("answer (-want +got):\n%s", diff)
	}
}

func TestScriptServerLogsTheWirePerStep(t *testing.T) {
	srv, addr, _ := testServer(t)
	sc := &scenario.Scenario{Origin: "http://a.test", Server: []scenario.Rule{
		{Method: "OPTIONS", URL: "http://b.test/r", Status: 204},
	}}
	srv.load(sc)

	srv.beginStep([]scenario.Rule{{Method: "OPTIONS", URL: "http://b.test/r", Status: 400}})
	got := exchange(t, addr, false, nil, "OPTIONS /r HTTP/1.1\r\nHost: b.test\r\nOrigin: http://a.test\r\n"+
		"Access-Control-Request-Method: PUT\r\nAccess-Control-Request-Headers: x-foo\r\nUser-Agent: test\r\n\r\n")
	if !strings.HasPrefix(got, "HTTP/1.1 400 ") {
		t.Errorf("a step rule did not take precedence: %q", got)
	}
	got = exchange(t, addr, false, nil, "PUT /r?q=1 HTTP/1.1\r\nHost: b.test:8081\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello")
	if got != "HTTP/1.1 404 Not Found\r\n\r\n" {
		t.Errorf("an unmatched request got %q, want a bare 404", got)
	}
	wire := srv.endStep()
	want := []scenario.WireRequest{
		{Method: "OPTIONS", URL: "http://b.test/r", Headers: map[string]string{
			"origin": "http://a.test", "access-control-request-method": "PUT", "access-control-request-headers": "x-foo"}},
		{Method: "PUT", URL: "http://b.test:8081/r?q=1", Headers: map[string]string{"content-type": "text/plain"}},
	}
	if diff := cmp.Diff(want, wire); diff != "" {
		t.Errorf("wire (-want +got):\n%s", diff)
	}

	// The step's rules end with the step.
	srv.beginStep(nil)
	if got := exchange(t, addr, false, nil, "OPTIONS /r HTTP/1.1\r\nHost: b.test\r\n\r\n"); !strings.HasPrefix(got, "HTTP/1.1 204 ") {
		t.Errorf("after the step the top-level rule should answer, got %q", got)
	}
	if wire := srv.endStep(); len(wire) != 1 {
		t.Errorf("wire of the second step: %v", wire)
	}
	if wire := srv.endStep(); wire == nil || len(wire) != 0 {
		t.Errorf("a step with no request must give an empty, non-nil wire, got %#v", wire)
	}
}

func TestScriptServerServesThePageOutsideSteps(t *testing.T) {
	srv, addr, _ := testServer(t)
	for _, tt := range []struct {
		origin    string
		sandboxed bool
	}{{"http://a.test", false}, {"null", true}} {
		srv.load(&scenario.Scenario{Origin: tt.origin, Server: []scenario.Rule{{Method: "GET", URL: "http://a.test/", Status: 500}}})
		got := exchange(t, addr, false, nil, "GET / HTTP/1.1\r\nHost: a.test\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(strings.NewReader(got)), nil)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || string(b) != pageHTML {
			t.Errorf("origin %s: page load got %d %q", tt.origin, resp.StatusCode, b)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); (csp == "sandbox allow-scripts") != tt.sandboxed {
			t.Errorf("origin %s: Content-Security-Policy %q", tt.origin, csp)
		}
		if stray := srv.takeStray(); len(stray) != 0 {
			t.Errorf("the page load was logged as stray: %v", stray)
		}
	}
	// Anything else outside a step is stray, except the favicon.
	exchange(t, addr, false, nil, "GET /favicon.ico HTTP/1.1\r\nHost: a.test\r\nAccept: image/avif,image/webp,*/*\r\n\r\n")
	exchange(t, addr, false, nil, "GET /late HTTP/1.1\r\nHost: b.test\r\n\r\n")
	if diff := cmp.Diff([]string{"GET http://b.test/late"}, srv.takeStray()); diff != "" {
		t.Errorf("stray (-want +got):\n%s", diff)
	}
}

func TestScriptServerSpeaksTLSOnTheSamePort(t *testing.T) {
	srv, addr, cert := testServer(t)
	srv.load(&scenario.Scenario{Origin: "https://a.test", Server: []scenario.Rule{
		{Method: "GET", URL: "https://b.test/r", Status: 200, Headers: []scenario.Header{hdr("Access-Control-Allow-Origin", "https://a.test")}},
		{Method: "GET", URL: "http://b.test/r", Status: 500},
	}})
	pool := x509.NewCertPool()
	pool.AddCert(cert.TLS.Leaf)
	srv.beginStep(nil)
	got := exchange(t, addr, true, pool, "GET /r HTTP/1.1\r\nHost: b.test\r\nOrigin: https://a.test\r\n\r\n")
	if want := "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://a.test\r\n\r\n"; got != want {
		t.Errorf("TLS answer %q, want %q", got, want)
	}
	want := []scenario.WireRequest{{Method: "GET", URL: "https://b.test/r", Headers: map[string]string{"origin": "https://a.test"}}}
	if diff := cmp.Diff(want, srv.endStep()); diff != "" {
		t.Errorf("wire (-want +got):\n%s", diff)
	}
}

func TestScriptServerSurvivesGarbage(t *testing.T) {
	srv, addr, _ := testServer(t)
	srv.load(&scenario.Scenario{Origin: "http://a.test"})
	srv.beginStep(nil)
	for _, junk := range []string{"", "\x16\x03\x01garbage", "NOT HTTP\r\n\r\n", "GET /r HTTP/1.1\r\nHost: b.test\r\nContent-Length: 99999999\r\n\r\nx"} {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(5 * time.Second))
		io.WriteString(c, junk)
		c.(*net.TCPConn).CloseWrite()
		io.Copy(io.Discard, c)
		c.Close()
	}
	// The server still answers.
	if got := exchange(t, addr, false, nil, "GET /r HTTP/1.1\r\nHost: b.test\r\n\r\n"); got != "HTTP/1.1 404 Not Found\r\n\r\n" {
		t.Errorf("after garbage the server answered %q", got)
	}
}

func TestScenarioPorts(t *testing.T) {
	sc := &scenario.Scenario{
		Origin: "https://a.test:8443",
		Server: []scenario.Rule{
			{Method: "GET", URL: "http://b.test/r", Headers: []scenario.Header{hdr("location", "https://c.test:9443/x")}},
			{Method: "GET", URL: "http://b.test:8081/r", Headers: []scenario.Header{hdr("Location", "/relative"), hdr("Location", "ftp://b.test:21/")}},
		},
		Steps: []scenario.Step{{Fetch: scenario.Fetch{URL: "http://c.test:8082/"}, Server: []scenario.Rule{{URL: "https://d.test:444/"}}}},
	}
	want := []int{80, 443, 444, 8081, 8082, 8443, 9443}
	if diff := cmp.Diff(want, scenarioPorts(sc)); diff != "" {
		t.Errorf("scenarioPorts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{80, 443}, scenarioPorts(&scenario.Scenario{Origin: "null"})); diff != "" {
		t.Errorf("scenarioPorts of an empty scenario (-want +got):\n%s", diff)
	}
}

func TestScenarioHosts(t *testing.T) {
	scs := []*scenario.Scenario{
		{Origin: "http://A.test", Steps: []scenario.Step{{Fetch: scenario.Fetch{URL: "https://b.test:8443/r"}}}},
		{Origin: "null", Server: []scenario.Rule{{URL: "http://c.test/"}, {URL: "data:text/plain,x"}, {URL: "http://[::1]/"}}},
	}
	if diff := cmp.Diff([]string{"a.test", "b.test", "c.test"}, scenarioHosts(scs)); diff != "" {
		t.Errorf("scenarioHosts (-want +got):\n%s", diff)
	}
}

func TestTestCertificateMatchesItsSPKIHash(t *testing.T) {
	cert, err := newTestCertificate([]string{"a.test"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	other, err := newTestCertificate([]string{"a.test"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if cert.SPKIHash == other.SPKIHash {
		t.Error("two certificates share a key")
	}
	if err := cert.TLS.Leaf.VerifyHostname("a.test"); err != nil {
		t.Error(err)
	}
	if !bytes.Contains(cert.TLS.Certificate[0], cert.TLS.Leaf.RawSubjectPublicKeyInfo) {
		t.Error("the leaf is not the certificate served")
	}
}
