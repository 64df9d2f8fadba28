package fetch_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/corsim/corsim/fetch"
	"github.com/corsim/corsim/internal/benchcpu"
	"github.com/corsim/corsim/origin"
)

func BenchmarkFetchSimple(b *testing.B) {
	srv := &server{answer: permissive}
	c := newClient(b, "http://a.test", srv)
	req := &fetch.Request{URL: "http://b.test/r"}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := c.Fetch(context.Background(), req); err != nil {
			b.Fatal(err)
		}
		srv.log = srv.log[:0]
	}
}

// A preflighted request whose preflight is cached: the common case of a
// busy client.
func BenchmarkFetchPreflightCached(b *testing.B) {
	srv := &server{answer: func(r *http.Request) (int, http.Header) {
		s, h := permissive(r)
		h.Set("Access-Control-Max-Age", "600")
		return s, h
	}}
	c := newClient(b, "http://a.test", srv)
	req := &fetch.Request{URL: "http://b.test/r", Method: "PUT", Header: http.Header{"X-Foo": {"1"}}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := c.Fetch(context.Background(), req); err != nil {
			b.Fatal(err)
		}
		srv.log = srv.log[:0]
	}
}

// memServer is an in-memory server: a RoundTripper that answers from
// prebuilt responses, so that BenchmarkFetchInMemory measures corsim alone.
type memServer struct {
	preflight, actual *http.Response
}

// memBody is a response body that can be read again after Close.
type memBody struct {
	text string
	off  int
}

func (b *memBody) Read(p []byte) (int, error) {
	if b.off >= len(b.text) {
		return 0, io.EOF
	}
	n := copy(p, b.text[b.off:])
	b.off += n
	return n, nil
}

func (b *memBody) Close() error { b.off = 0; return nil }

func (s *memServer) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodOptions {
		return s.preflight, nil
	}
	return s.actual, nil
}

// BenchmarkFetchInMemory is one whole fetch with a cached preflight: a PUT
// with an unsafe header from http://a.test to http://b.test, its body read,
// against a server that costs nothing.
func BenchmarkFetchInMemory(b *testing.B) {
	srv := &memServer{
		preflight: &http.Response{StatusCode: 204, Header: http.Header{
			"Access-Control-Allow-Origin":  {"http://a.test"},
			"Access-Control-Allow-Methods": {"PUT, DELETE"},
			"Access-Control-Allow-Headers": {"X-Foo, Content-Type"},
			"Access-Control-Max-Age":       {"600"},
		}, Body: http.NoBody},
		actual: &http.Response{StatusCode: 200, Header: http.Header{
			"Access-Control-Allow-Origin":   {"http://a.test"},
			"Access-Control-Expose-Headers": {"X-Request-Id"},
			"Content-Type":                  {"application/json"},
			"Content-Length":                {"13"},
			"Date":                          {"Thu, 01 Jan 2026 00:00:00 GMT"},
			"X-Request-Id":                  {"abc"},
		}, Body: &memBody{text: `{"ok": true}` + "\n"}, ContentLength: 13},
	}
	c, err := fetch.NewClient(origin.MustParse("http://a.test"), srv, fixedClock)
	if err != nil {
		b.Fatal(err)
	}
	req := &fetch.Request{URL: "http://b.test/items/1", Method: "PUT", Header: http.Header{"X-Foo": {"1"}, "Content-Type": {"application/json"}}}
	if _, err := c.Fetch(context.Background(), req); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	cpu := benchcpu.Start(b)
	for b.Loop() {
		resp, err := c.Fetch(ctx, req)
		if err != nil {
			b.Fatal(err)
		}
		if len(resp.Body) != 13 {
			b.Fatalf("body %q", resp.Body)
		}
	}
	cpu.Stop()
}

// The transport on loopback: a bare http.Transport against the same server
// through EnforcingTransport, for a simple request and for a preflighted
// one whose preflight is cached. The difference is corsim's overhead.
func benchLoopback(b *testing.B) (*httptest.Server, *http.Transport) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Methods", "PUT")
			w.Header().Set("Access-Control-Allow-Headers", "X-Foo")
			w.Header().Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Write([]byte("hello"))
	}))
	b.Cleanup(srv.Close)
	rt := &http.Transport{MaxIdleConnsPerHost: 4}
	b.Cleanup(rt.CloseIdleConnections)
	return srv, rt
}

func runLoopback(b *testing.B, hc *http.Client, newReq func() *http.Request) {
	b.ReportAllocs()
	cpu := benchcpu.Start(b)
	for i := 0; i < b.N; i++ {
		resp, err := hc.Do(newReq())
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	cpu.Stop()
}

func BenchmarkTransportBare(b *testing.B) {
	srv, rt := benchLoopback(b)
	hc := &http.Client{Transport: rt}
	runLoopback(b, hc, func() *http.Request { r, _ := http.NewRequest("GET", srv.URL+"/r", nil); return r })
}

// BenchmarkTransportBareBrowserHeaders is BenchmarkTransportBare sending
// the headers corsim's transport adds as a browser does (Origin,
// User-Agent, Accept, Accept-Language, Referer): against it, the
// difference is corsim's own work, not the cost of those headers to the
// client and the in-process server.
func BenchmarkTransportBareBrowserHeaders(b *testing.B) {
	srv, rt := benchLoopback(b)
	var browser http.Header
	record := fetch.HandlerTransport{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		browser = r.Header.Clone()
		w.Header().Set("Access-Control-Allow-Origin", "*")
	})}
	c, _ := fetch.NewClient(origin.MustParse("http://a.test"), record, fixedClock)
	if _, err := c.Fetch(context.Background(), &fetch.Request{URL: srv.URL + "/r"}); err != nil || browser.Get("Origin") != "http://a.test" {
		b.Fatalf("recording the browser's headers: %v, %v", err, browser)
	}
	hc := &http.Client{Transport: rt}
	runLoopback(b, hc, func() *http.Request {
		r, _ := http.NewRequest("GET", srv.URL+"/r", nil)
		for k, vs := range browser {
			r.Header[k] = vs
		}
		return r
	})
}

func BenchmarkTransportSimple(b *testing.B) {
	srv, rt := benchLoopback(b)
	c, _ := fetch.NewClient(origin.MustParse("http://a.test"), rt, fixedClock)
	hc := &http.Client{Transport: fetch.EnforcingTransport{Client: c}}
	runLoopback(b, hc, func() *http.Request { r, _ := http.NewRequest("GET", srv.URL+"/r", nil); return r })
}

func BenchmarkTransportPreflightCached(b *testing.B) {
	srv, rt := benchLoopback(b)
	c, _ := fetch.NewClient(origin.MustParse("http://a.test"), rt, fixedClock)
	hc := &http.Client{Transport: fetch.EnforcingTransport{Client: c}}
	runLoopback(b, hc, func() *http.Request {
		r, _ := http.NewRequest("PUT", srv.URL+"/r", strings.NewReader("x"))
		r.Header.Set("X-Foo", "1")
		return r
	})
}
