package fetch_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/corsim/corsim/fetch"
	"github.com/corsim/corsim/origin"
)

// EnforcingTransport keeps the underlying transport's connections alive:
// it makes no transport of its own and closes every body, so a run of
// requests, each PUT preflighted again, needs one connection. (Each new
// connection costs a loopback request about as much again.) A preflight or
// redirect response with a body is closed unread, as a browser leaves it,
// and net/http then drops its connection; see docs/performance.md.
func TestEnforcingTransportReusesConnections(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Methods", "PUT")
			w.Header().Set("Access-Control-Allow-Headers", "X-Foo")
			w.Header().Set("Access-Control-Max-Age", "0")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Write([]byte("hello"))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	rt := &http.Transport{}
	defer rt.CloseIdleConnections()
	c, err := fetch.NewClient(origin.MustParse("http://a.test"), rt, fixedClock)
	if err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{Transport: fetch.EnforcingTransport{Client: c}}
	for i := range 20 {
		var req *http.Request
		if i%2 == 0 {
			req, _ = http.NewRequest("GET", srv.URL+"/r", nil)
		} else {
			// Max-Age 0: every PUT is preflighted again.
			req, _ = http.NewRequest("PUT", srv.URL+"/r", strings.NewReader("x"))
			req.Header.Set("X-Foo", "1")
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("20 requests (10 preflighted) opened %d connections, want 1", n)
	}
}
