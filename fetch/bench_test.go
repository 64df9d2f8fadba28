package fetch_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/corsim/corsim/fetch"
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
