package main

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/corsim/corsim/scenario"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// testProxy starts a scriptServer and its proxy, and returns them with the
// proxy's address and the port the server listens on.
func testProxy(t *testing.T) (srv *scriptServer, proxy string, port int, cert testCertificate) {
	t.Helper()
	srv, addr, cert := testServer(t)
	ap, err := srv.proxyAddr()
	if err != nil {
		t.Fatal(err)
	}
	again, err := srv.proxyAddr()
	if err != nil || again != ap {
		t.Fatalf("a second proxyAddr gave %v, %v; want the same proxy %v", again, err, ap)
	}
	_, p, _ := net.SplitHostPort(addr)
	port, _ = strconv.Atoi(p)
	return srv, ap.String(), port, cert
}

func TestProxyServesAbsoluteFormAsTheOriginServer(t *testing.T) {
	srv, proxy, port, _ := testProxy(t)
	authority := "b.test:" + strconv.Itoa(port)
	srv.load(&scenario.Scenario{Origin: "http://a.test", Server: []scenario.Rule{
		{Method: "GET", URL: "http://" + authority + "/r?q=1", Status: 200, Headers: []scenario.Header{hdr("Access-Control-Allow-Origin", "http://a.test")}},
	}})
	srv.beginStep(nil)
	got := exchange(t, proxy, false, nil, "GET http://"+authority+"/r?q=1 HTTP/1.1\r\nHost: "+authority+"\r\nOrigin: http://a.test\r\nProxy-Connection: keep-alive\r\n\r\n")
	if want := "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: http://a.test\r\n\r\n"; got != want {
		t.Errorf("answer %q, want %q", got, want)
	}
	want := []scenario.WireRequest{{Method: "GET", URL: "http://" + authority + "/r?q=1", Headers: map[string]string{"origin": "http://a.test"}}}
	if diff := cmp.Diff(want, srv.endStep()); diff != "" {
		t.Errorf("wire (-want +got):\n%s", diff)
	}
}

func TestProxyTunnelsConnectToTheNamedPort(t *testing.T) {
	srv, proxy, port, cert := testProxy(t)
	authority := "b.test:" + strconv.Itoa(port)
	srv.load(&scenario.Scenario{Origin: "https://a.test", Server: []scenario.Rule{
		{Method: "GET", URL: "https://" + authority + "/r", Status: 200, Headers: []scenario.Header{hdr("Access-Control-Allow-Origin", "https://a.test")}},
		{Method: "GET", URL: "http://" + authority + "/plain", Status: 204},
	}})
	pool := x509.NewCertPool()
	pool.AddCert(cert.TLS.Leaf)
	for _, tt := range []struct {
		useTLS      bool
		request     string
		wantAnswer  string
		wantWireURL string
	}{
		{true, "GET /r HTTP/1.1\r\nHost: " + authority + "\r\nOrigin: https://a.test\r\n\r\n",
			"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://a.test\r\n\r\n", "https://" + authority + "/r"},
		// A tunnel carries whatever a direct connection would: plain
		// HTTP too.
		{false, "GET /plain HTTP/1.1\r\nHost: " + authority + "\r\n\r\n", "HTTP/1.1 204 No Content\r\n\r\n", "http://" + authority + "/plain"},
	} {
		srv.beginStep(nil)
		c, err := net.DialTimeout("tcp", proxy, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(10 * time.Second))
		io.WriteString(c, "CONNECT "+authority+" HTTP/1.1\r\nHost: "+authority+"\r\n\r\n")
		br := bufio.NewReader(c)
		resp, err := http.ReadResponse(br, &http.Request{Method: http.MethodConnect})
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("CONNECT answered %v, %v", resp, err)
		}
		var conn net.Conn = c
		if tt.useTLS {
			conn = tls.Client(c, &tls.Config{ServerName: "b.test", RootCAs: pool})
		}
		io.WriteString(conn, tt.request)
		got, err := io.ReadAll(conn)
		c.Close()
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tt.wantAnswer {
			t.Errorf("through the tunnel: %q, want %q", got, tt.wantAnswer)
		}
		wire := srv.endStep()
		if len(wire) != 1 || wire[0].URL != tt.wantWireURL {
			t.Errorf("wire %v, want one request to %s", wire, tt.wantWireURL)
		}
	}
}

// TestProxyFailsEveryOtherName: a host outside .test, or a port the server
// does not listen on, gets no answer (a CONNECT gets a 502), and nothing
// reaches the wire log.
func TestProxyFailsEveryOtherName(t *testing.T) {
	srv, proxy, port, _ := testProxy(t)
	free, err := freeLoopbackPort()
	if err != nil {
		t.Fatal(err)
	}
	srv.load(&scenario.Scenario{Origin: "http://a.test"})
	srv.beginStep(nil)
	p := strconv.Itoa(port)
	for _, tt := range []struct{ request, want string }{
		{"GET http://example.com:" + p + "/ HTTP/1.1\r\nHost: example.com:" + p + "\r\n\r\n", ""},
		{"GET http://b.test:" + strconv.Itoa(free) + "/ HTTP/1.1\r\nHost: b.test\r\n\r\n", ""},
		{"GET https://b.test:" + p + "/ HTTP/1.1\r\nHost: b.test\r\n\r\n", ""},
		{"GET /origin-form HTTP/1.1\r\nHost: b.test:" + p + "\r\n\r\n", ""},
		{"GET http://b.test.evil:" + p + "/ HTTP/1.1\r\nHost: b.test.evil\r\n\r\n", ""},
		{"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"},
		{"CONNECT b.test HTTP/1.1\r\nHost: b.test\r\n\r\n", "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"},
		{"CONNECT b.test:" + strconv.Itoa(free) + " HTTP/1.1\r\n\r\n", "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"},
	} {
		if got := exchange(t, proxy, false, nil, tt.request); got != tt.want {
			t.Errorf("%q answered %q, want %q", tt.request, got, tt.want)
		}
	}
	if wire := srv.endStep(); len(wire) != 0 {
		t.Errorf("refused requests reached the wire: %v", wire)
	}
}

func TestProxyServesThePageAndItsFavicon(t *testing.T) {
	srv, proxy, port, _ := testProxy(t)
	srv.load(&scenario.Scenario{Origin: "http://a.test"})
	authority := "a.test:" + strconv.Itoa(port)
	got := exchange(t, proxy, false, nil, "GET http://"+authority+"/ HTTP/1.1\r\nHost: "+authority+"\r\n\r\n")
	if !strings.HasPrefix(got, "HTTP/1.1 200 OK\r\n") || !strings.HasSuffix(got, pageHTML) {
		t.Errorf("the page through the proxy: %q", got)
	}
	// WebKit asks for the favicon with Accept: */*.
	exchange(t, proxy, false, nil, "GET http://"+authority+"/favicon.ico HTTP/1.1\r\nHost: "+authority+"\r\nAccept: */*\r\n\r\n")
	if n := srv.pageFavicons(); n != 1 {
		t.Errorf("pageFavicons = %d, want 1", n)
	}
	if stray := srv.takeStray(); len(stray) != 0 {
		t.Errorf("stray: %v", stray)
	}
	srv.load(&scenario.Scenario{Origin: "http://a.test"})
	if n := srv.pageFavicons(); n != 0 {
		t.Errorf("after load pageFavicons = %d, want 0", n)
	}
}

func TestOriginForm(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"/r?q=1", "/r?q=1"},
		{"http://b.test/r?q=1", "/r?q=1"},
		{"http://b.test:8081/a/b", "/a/b"},
		{"http://b.test", "/"},
		{"http://b.test?q", "/?q"},
		{"*", "*"},
		{"/x://y", "/x://y"},
	} {
		if got := originForm(tt.in); got != tt.want {
			t.Errorf("originForm(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestOriginFormProperties: the origin-form is a fixed point, and an
// absolute-form target keeps its path and query.
func TestOriginFormProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		target := rapid.StringMatching(`(https?://[a-z.]{1,8}(:[0-9]{1,5})?)?(/[a-z/:]{0,8})?(\?[a-z=&/]{0,8})?`).Draw(t, "target")
		once := originForm(target)
		if twice := originForm(once); twice != once {
			t.Fatalf("originForm(%q) = %q, but originForm of that is %q", target, once, twice)
		}
		if strings.Contains(target, "://") && !strings.HasPrefix(once, "/") {
			t.Fatalf("originForm(%q) = %q does not start with /", target, once)
		}
		if strings.Contains(target, "://") && !strings.HasSuffix(target, strings.TrimPrefix(once, "/")) {
			t.Fatalf("originForm(%q) = %q lost part of the path or query", target, once)
		}
	})
}

func FuzzOriginForm(f *testing.F) {
	for _, s := range []string{"/", "http://b.test/r?q", "http://b.test", "*", "a://b://c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, target string) {
		once := originForm(target)
		if originForm(once) != once {
			t.Fatalf("originForm is not idempotent on %q", target)
		}
	})
}
