package fetch_test

import (
	"context"
	"crypto/tls"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/publicsuffix"

	"github.com/corsim/corsim/cookie"
	"github.com/corsim/corsim/fetch"
	"github.com/corsim/corsim/origin"
	"github.com/corsim/corsim/profile"
)

// loopback is a pair of httptest servers (plain and TLS) behind one
// handler, and an http.Transport that dials every host name to them: port
// 80 to the plain one, anything else to the TLS one. Tests use real-looking
// names (https://a.example, http://b.test) over real loopback sockets.
type loopback struct {
	plain, tls *httptest.Server
	rt         *http.Transport

	mu  sync.Mutex
	log []*http.Request // every request received, in order
}

func newLoopback(t testing.TB, h http.HandlerFunc) *loopback {
	t.Helper()
	lb := &loopback{}
	record := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lb.mu.Lock()
		lb.log = append(lb.log, r.Clone(context.Background()))
		lb.mu.Unlock()
		h(w, r)
	})
	lb.plain = httptest.NewServer(record)
	lb.tls = httptest.NewUnstartedServer(record)
	// Closing a blocked body unread ends its connection mid-stream; the
	// server's log of it is expected noise.
	lb.tls.Config.ErrorLog = log.New(io.Discard, "", 0)
	lb.tls.StartTLS()
	t.Cleanup(lb.plain.Close)
	t.Cleanup(lb.tls.Close)
	var d net.Dialer
	lb.rt = &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			_, port, _ := net.SplitHostPort(addr)
			target := lb.tls.Listener.Addr().String()
			if port == "80" {
				target = lb.plain.Listener.Addr().String()
			}
			return d.DialContext(ctx, network, target)
		},
		TLSClientConfig:     &tls.Config{InsecureSkipVerify: true},
		MaxIdleConnsPerHost: 128,
	}
	t.Cleanup(lb.rt.CloseIdleConnections)
	return lb
}

func (lb *loopback) requests() []*http.Request {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	return append([]*http.Request(nil), lb.log...)
}

func (lb *loopback) last(t testing.TB) *http.Request {
	t.Helper()
	rs := lb.requests()
	if len(rs) == 0 {
		t.Fatal("the server received no request")
	}
	return rs[len(rs)-1]
}

// crawler is an http.Client over an EnforcingTransport for a document at
// doc, with a cookie jar, over the loopback.
func (lb *loopback) crawler(t testing.TB, doc string, p profile.Profile, opts ...fetch.Option) (*http.Client, *cookie.Jar) {
	t.Helper()
	return lb.crawlerWith(t, newJar(t), doc, p, opts...)
}

func newJar(t testing.TB) *cookie.Jar {
	t.Helper()
	inner, err := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
	if err != nil {
		t.Fatal(err)
	}
	jar, err := cookie.New(inner)
	if err != nil {
		t.Fatal(err)
	}
	return jar
}

// crawlerWith is crawler with a given jar, shared between documents.
func (lb *loopback) crawlerWith(t testing.TB, jar *cookie.Jar, doc string, p profile.Profile, opts ...fetch.Option) (*http.Client, *cookie.Jar) {
	t.Helper()
	opts = append([]fetch.Option{fetch.WithProfile(p), fetch.WithCookieJar(jar)}, opts...)
	c, err := fetch.NewClient(origin.MustParse(doc), lb.rt, time.Now, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Transport: fetch.EnforcingTransport{Client: c}}, jar
}

// allowFrom answers CORS for origin o, with credentials, and preflights
// with everything allowed.
func allowFrom(w http.ResponseWriter, r *http.Request) bool {
	if o := r.Header.Get("Origin"); o != "" {
		w.Header().Set("Access-Control-Allow-Origin", o)
		w.Header().Set("Access-Control-Allow-Credentials", "true")
	}
	if r.Method == http.MethodOptions {
		w.Header().Set("Access-Control-Allow-Methods", r.Header.Get("Access-Control-Request-Method"))
		if h := r.Header.Get("Access-Control-Request-Headers"); h != "" {
			w.Header().Set("Access-Control-Allow-Headers", h)
		}
		w.WriteHeader(http.StatusNoContent)
		return true
	}
	return false
}

func get(t testing.TB, hc *http.Client, ctx context.Context, url string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return hc.Do(req)
}

func include(ctx context.Context) context.Context {
	return fetch.WithRequestOptions(ctx, fetch.RequestOptions{Credentials: fetch.CredentialsInclude})
}
