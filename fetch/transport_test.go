package fetch_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/corsim/corsim/enforce"
	"github.com/corsim/corsim/fetch"
	"github.com/corsim/corsim/origin"
	"github.com/corsim/corsim/profile"
)

func TestTransportErrorWrapsTheDeadline(t *testing.T) {
	lb := newLoopback(t, func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	hc, _ := lb.crawler(t, "https://a.test", profile.Chromium())
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := get(t, hc, ctx, "https://a.test/slow")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("errors.Is(err, context.DeadlineExceeded) = false for %v", err)
	}
	var fe *fetch.Error
	if !errors.As(err, &fe) || fe.Kind != fetch.NetworkError || fe.Cause == nil {
		t.Errorf("want a *fetch.Error network error with a Cause, got %#v", err)
	}
}

func TestTransportErrorWrapsTheNetOpError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there any more
	c, err := fetch.NewClient(origin.MustParse("http://"+addr), &http.Transport{}, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{Transport: fetch.EnforcingTransport{Client: c}}
	_, err = hc.Get("http://" + addr + "/r")
	var op *net.OpError
	if !errors.As(err, &op) {
		t.Fatalf("errors.As(err, *net.OpError) = false for %v", err)
	}
}

func TestTransportCORSFailureKeepsItsReason(t *testing.T) {
	lb := newLoopback(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("secret"))
	})
	hc, _ := lb.crawler(t, "https://a.test", profile.Chromium())
	_, err := hc.Get("https://b.test/r")
	var ce *enforce.Error
	if !errors.As(err, &ce) {
		t.Fatalf("want an *enforce.Error, got %v", err)
	}
	if ce.Reason != enforce.MissingAllowOriginHeader || ce.Console() == "" || ce.Step == "" {
		t.Errorf("reason %s, console %q, step %q", ce.Reason, ce.Console(), ce.Step)
	}
	var fe *fetch.Error
	if !errors.As(err, &fe) || fe.CORS != ce || fe.Console != ce.Console() {
		t.Errorf("the *fetch.Error must carry the same CORS failure and console line: %#v", fe)
	}
}

func TestTransportPerRequestOptions(t *testing.T) {
	lb := newLoopback(t, func(w http.ResponseWriter, r *http.Request) {
		if allowFrom(w, r) {
			return
		}
		switch r.URL.Path {
		case "/hop":
			http.Redirect(w, r, "https://b.test/final", http.StatusFound)
		default:
			w.Write([]byte("ok"))
		}
	})
	hc, _ := lb.crawler(t, "https://a.test", profile.Chromium())
	checked := false
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { checked = true; return nil }
	tests := []struct {
		name     string
		opts     *fetch.RequestOptions
		url      string
		wantURL  string // resp.Request.URL
		want     fetch.ResponseInfo
		status   int
		wantBody string
	}{
		{"defaults", nil, "https://b.test/r", "https://b.test/r", fetch.ResponseInfo{Type: fetch.TypeCORS, URL: "https://b.test/r"}, 200, "ok"},
		{"followed_redirect", nil, "https://b.test/hop", "https://b.test/final", fetch.ResponseInfo{Type: fetch.TypeCORS, URL: "https://b.test/final", Redirected: true}, 200, "ok"},
		{"no_cors_is_opaque", &fetch.RequestOptions{Mode: fetch.ModeNoCORS}, "https://b.test/r", "https://b.test/r", fetch.ResponseInfo{Type: fetch.TypeOpaque}, 0, ""},
		{"manual_redirect_is_opaqueredirect", &fetch.RequestOptions{Redirect: fetch.RedirectManual}, "https://b.test/hop", "https://b.test/hop", fetch.ResponseInfo{Type: fetch.TypeOpaqueRedirect, URL: "https://b.test/hop"}, 0, ""},
		{"same_origin_is_basic", &fetch.RequestOptions{Mode: fetch.ModeSameOrigin}, "https://a.test/r", "https://a.test/r", fetch.ResponseInfo{Type: fetch.TypeBasic, URL: "https://a.test/r"}, 200, "ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			if tt.opts != nil {
				ctx = fetch.WithRequestOptions(ctx, *tt.opts)
			}
			resp, err := get(t, hc, ctx, tt.url)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			info, ok := fetch.ResponseInfoOf(resp)
			if !ok {
				t.Fatal("ResponseInfoOf found nothing")
			}
			if diff := cmp.Diff(tt.want, info); diff != "" {
				t.Errorf("info (-want +got):\n%s", diff)
			}
			if got := resp.Request.URL.String(); got != tt.wantURL {
				t.Errorf("resp.Request.URL = %s, want %s", got, tt.wantURL)
			}
			if resp.StatusCode != tt.status || string(body) != tt.wantBody {
				t.Errorf("status %d body %q, want %d %q", resp.StatusCode, body, tt.status, tt.wantBody)
			}
		})
	}
	if checked {
		t.Error("http.Client.CheckRedirect was called: corsim follows redirects itself")
	}
	t.Run("redirect_error", func(t *testing.T) {
		ctx := fetch.WithRequestOptions(context.Background(), fetch.RequestOptions{Redirect: fetch.RedirectError})
		_, err := get(t, hc, ctx, "https://b.test/hop")
		var fe *fetch.Error
		if !errors.As(err, &fe) || fe.Kind != fetch.NetworkError {
			t.Fatalf("want a network error, got %v", err)
		}
	})
	t.Run("invalid_option_is_a_type_error", func(t *testing.T) {
		ctx := fetch.WithRequestOptions(context.Background(), fetch.RequestOptions{ReferrerPolicy: "sometimes"})
		_, err := get(t, hc, ctx, "https://b.test/r")
		var fe *fetch.Error
		if !errors.As(err, &fe) || fe.Kind != fetch.TypeError {
			t.Fatalf("want a TypeError, got %v", err)
		}
	})
}

// The wire: the headers a browser adds and the crawler's own User-Agent
// never leaking.
func TestTransportWireHeaders(t *testing.T) {
	lb := newLoopback(t, func(w http.ResponseWriter, r *http.Request) {
		if allowFrom(w, r) {
			return
		}
		if r.URL.Path == "/hop" {
			http.Redirect(w, r, "https://a.test/back", http.StatusFound)
		}
	})
	type wire struct{ UA, Accept, Lang, Site, Mode, Dest, Referer string }
	see := func(r *http.Request) wire {
		return wire{r.Header.Get("User-Agent"), r.Header.Get("Accept"), r.Header.Get("Accept-Language"),
			r.Header.Get("Sec-Fetch-Site"), r.Header.Get("Sec-Fetch-Mode"), r.Header.Get("Sec-Fetch-Dest"), r.Header.Get("Referer")}
	}
	const ua = "Mozilla/5.0 corsim-test"
	tests := []struct {
		name   string
		doc    string
		url    string
		opts   fetch.RequestOptions
		header http.Header
		want   []wire // every request the server saw
	}{
		{"same_origin", "https://a.test", "https://a.test/p?q=1", fetch.RequestOptions{}, nil,
			[]wire{{ua, "*/*", "en-US,en;q=0.9", "same-origin", "cors", "empty", "https://a.test/"}}},
		{"same_site", "https://a.test", "https://sub.a.test/p", fetch.RequestOptions{}, nil,
			[]wire{{ua, "*/*", "en-US,en;q=0.9", "same-site", "cors", "empty", "https://a.test/"}}},
		{"cross_site_no_cors", "https://a.test", "https://b.test/p", fetch.RequestOptions{Mode: fetch.ModeNoCORS}, nil,
			[]wire{{ua, "*/*", "en-US,en;q=0.9", "cross-site", "no-cors", "empty", "https://a.test/"}}},
		{"script_accept_kept", "https://a.test", "https://b.test/p", fetch.RequestOptions{}, http.Header{"Accept": {"application/json"}},
			[]wire{{ua, "application/json", "en-US,en;q=0.9", "cross-site", "cors", "empty", "https://a.test/"}}},
		{"no_referrer", "https://a.test", "https://b.test/p", fetch.RequestOptions{ReferrerPolicy: fetch.ReferrerNoReferrer}, nil,
			[]wire{{ua, "*/*", "en-US,en;q=0.9", "cross-site", "cors", "empty", ""}}},
		{"preflight_too", "https://a.test", "https://b.test/p", fetch.RequestOptions{}, http.Header{"X-Foo": {"1"}},
			[]wire{{ua, "*/*", "en-US,en;q=0.9", "cross-site", "cors", "empty", "https://a.test/"}, {ua, "*/*", "en-US,en;q=0.9", "cross-site", "cors", "empty", "https://a.test/"}}},
		{"redirect_back_is_cross_site", "https://a.test", "https://b.test/hop", fetch.RequestOptions{}, nil,
			[]wire{{ua, "*/*", "en-US,en;q=0.9", "cross-site", "cors", "empty", "https://a.test/"}, {ua, "*/*", "en-US,en;q=0.9", "cross-site", "cors", "empty", "https://a.test/"}}},
		{"plain_http_has_no_fetch_metadata", "http://a.test", "http://b.test/p", fetch.RequestOptions{}, nil,
			[]wire{{ua, "*/*", "en-US,en;q=0.9", "", "", "", "http://a.test/"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(lb.requests())
			hc, _ := lb.crawler(t, tt.doc, profile.Chromium(), fetch.WithUserAgent(ua), fetch.WithDocumentURL(tt.doc+"/"))
			req, _ := http.NewRequestWithContext(fetch.WithRequestOptions(context.Background(), tt.opts), "GET", tt.url, nil)
			for k, v := range tt.header {
				req.Header[k] = v
			}
			resp, err := hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			var got []wire
			for _, r := range lb.requests()[before:] {
				got = append(got, see(r))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("wire (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("go_user_agent_never_leaks", func(t *testing.T) {
		hc, _ := lb.crawler(t, "https://a.test", profile.Firefox(), fetch.WithUserAgent(""))
		resp, err := hc.Get("https://a.test/r")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := lb.last(t).Header.Get("User-Agent"); got != "" {
			t.Errorf("User-Agent %q, want none", got)
		}
		hc, _ = lb.crawler(t, "https://a.test", profile.Firefox())
		resp, err = hc.Get("https://a.test/r")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := lb.last(t).Header.Get("User-Agent"); got != profile.Firefox().Headers.UserAgent {
			t.Errorf("User-Agent %q, want the profile's", got)
		}
	})
}

// Go's own CSRF protection reads Sec-Fetch-Site: seen through corsim, a
// server using it gives the browser's verdict.
func TestTransportCrossOriginProtectionSeesABrowser(t *testing.T) {
	protect := http.NewCrossOriginProtection()
	api := protect.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("done")) }))
	lb := newLoopback(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		api.ServeHTTP(w, r)
	})
	for _, tt := range []struct {
		doc  string
		want int
	}{{"https://a.test", 200}, {"https://b.test", 403}} {
		hc, _ := lb.crawler(t, tt.doc, profile.Chromium())
		resp, err := hc.Post("https://a.test/transfer", "text/plain", strings.NewReader("x"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("POST from %s: status %d, want %d (Sec-Fetch-Site %q)", tt.doc, resp.StatusCode, tt.want, lb.last(t).Header.Get("Sec-Fetch-Site"))
		}
	}
}

// A body script cannot read is not read: the server cannot write more
// than the socket buffers hold.
func TestTransportBlockedBodyIsNotRead(t *testing.T) {
	const size = 64 << 20
	var written atomic.Int64
	lb := newLoopback(t, func(w http.ResponseWriter, r *http.Request) {
		chunk := make([]byte, 32<<10)
		for written.Load() < size {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	})
	hc, _ := lb.crawler(t, "https://a.test", profile.Chromium())
	_, err := hc.Get("https://b.test/big") // no Access-Control-Allow-Origin
	var ce *enforce.Error
	if !errors.As(err, &ce) {
		t.Fatalf("want a CORS failure, got %v", err)
	}
	lb.tls.CloseClientConnections()
	if n := written.Load(); n >= size {
		t.Errorf("the server wrote all %d bytes: the blocked body was read", n)
	}
}

func TestTransportStreamsTheResponseBody(t *testing.T) {
	release := make(chan struct{})
	lb := newLoopback(t, func(w http.ResponseWriter, r *http.Request) {
		allowFrom(w, r)
		w.Write([]byte("first"))
		w.(http.Flusher).Flush()
		<-release // the rest waits until the client has read "first"
		w.Write([]byte(" second"))
	})
	hc, _ := lb.crawler(t, "https://a.test", profile.Chromium())
	resp, err := hc.Get("https://b.test/stream")
	if err != nil {
		close(release)
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 5)
	if _, err := io.ReadFull(resp.Body, buf); err != nil || string(buf) != "first" {
		close(release)
		t.Fatalf("first read %q, %v", buf, err)
	}
	close(release)
	rest, err := io.ReadAll(resp.Body)
	if err != nil || string(rest) != " second" {
		t.Errorf("rest %q, %v", rest, err)
	}
}

func TestTransportStreamsTheRequestBody(t *testing.T) {
	got := make(chan string, 1)
	lb := newLoopback(t, func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 5)
		io.ReadFull(r.Body, buf)
		got <- string(buf)
		io.Copy(io.Discard, r.Body)
	})
	hc, _ := lb.crawler(t, "https://a.test", profile.Chromium())
	pr, pw := io.Pipe()
	go func() {
		pw.Write([]byte("hello"))
		// The rest is written only once the server has the start: a
		// transport that buffers the body first never gets here.
		select {
		case <-got:
		case <-time.After(10 * time.Second):
		}
		pw.Write([]byte(" world"))
		pw.Close()
	}()
	req, _ := http.NewRequest("POST", "https://a.test/upload", pr)
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// A 307 keeps the body: a stream with no GetBody cannot be sent again,
// which fetch() turns into a network error; with GetBody it is resent.
func TestTransportRedirectWithAStreamBody(t *testing.T) {
	lb := newLoopback(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/from" {
			http.Redirect(w, r, "/to", http.StatusTemporaryRedirect)
			return
		}
		b, _ := io.ReadAll(r.Body)
		w.Write(b)
	})
	hc, _ := lb.crawler(t, "https://a.test", profile.Chromium())
	req, _ := http.NewRequest("POST", "https://a.test/from", io.NopCloser(strings.NewReader("data")))
	if _, err := hc.Do(req); err == nil {
		t.Error("a 307 with a stream body must fail")
	}
	resp, err := hc.Post("https://a.test/from", "text/plain", strings.NewReader("data")) // GetBody set
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if b, _ := io.ReadAll(resp.Body); string(b) != "data" {
		t.Errorf("body %q after a 307, want it resent", b)
	}
}

func TestClientFetchBodyLimit(t *testing.T) {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		chunk := bytes.Repeat([]byte("x"), 1<<20)
		for i := 0; i < fetch.MaxBodyBytes>>20; i++ {
			w.Write(chunk)
		}
		if r.URL.Path == "/over" {
			w.Write([]byte("!"))
		}
	})
	c, _ := fetch.NewClient(origin.MustParse("http://a.test"), fetch.HandlerTransport{Handler: api}, fixedClock)
	resp, err := c.Fetch(context.Background(), &fetch.Request{URL: "http://b.test/at"})
	if err != nil || len(resp.Body) != fetch.MaxBodyBytes {
		t.Fatalf("a body of exactly MaxBodyBytes: %v", err)
	}
	_, err = c.Fetch(context.Background(), &fetch.Request{URL: "http://b.test/over"})
	var fe *fetch.Error
	if !errors.Is(err, fetch.ErrBodyTooLarge) || !errors.As(err, &fe) || fe.Kind != fetch.LimitExceeded {
		t.Fatalf("a body past MaxBodyBytes: got %v", err)
	}
}

func TestHandlerTransportHonoursTheContext(t *testing.T) {
	blocked := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/body" {
			w.Write([]byte("start"))
		}
		<-r.Context().Done()
	})
	rt := fetch.HandlerTransport{Handler: blocked}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://b.test/headers", nil)
	if _, err := rt.RoundTrip(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("before the headers: got %v, want the deadline", err)
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel2()
	req, _ = http.NewRequestWithContext(ctx2, "GET", "http://b.test/body", nil)
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.ReadAll(resp.Body); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("reading the body: got %v, want the deadline", err)
	}
}

// HandlerTransport holds nothing: a handler writing far more than anyone
// reads is held back by the pipe, and stops when the body is closed.
func TestHandlerTransportIsBounded(t *testing.T) {
	var written atomic.Int64
	done := make(chan struct{})
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(done)
		chunk := make([]byte, 1<<20)
		for i := 0; i < 512; i++ {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	})
	resp, err := fetch.HandlerTransport{Handler: api}.RoundTrip(httptestRequest("GET", "http://b.test/"))
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 3<<20)
	io.ReadFull(resp.Body, buf)
	resp.Body.Close()
	<-done
	if n := written.Load(); n > 4<<20 {
		t.Errorf("the handler wrote %d bytes for a reader that took 3 MiB", n)
	}
}

func TestHandlerTransportPanicIsAnError(t *testing.T) {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("boom") })
	if _, err := (fetch.HandlerTransport{Handler: api}).RoundTrip(httptestRequest("GET", "http://b.test/")); err == nil {
		t.Error("a panicking handler must fail the request")
	}
}

func httptestRequest(method, u string) *http.Request {
	r, _ := http.NewRequest(method, u, nil)
	return r
}

func TestTransportRefusesAnHTTPClientJar(t *testing.T) {
	lb := newLoopback(t, func(w http.ResponseWriter, r *http.Request) {})
	hc, jar := lb.crawler(t, "https://a.test", profile.Chromium())
	u, _ := url.Parse("https://b.test/")
	jar.SetCookies(u, []*http.Cookie{{Name: "sid", Value: "1"}})
	hc.Jar = jar // the mistake
	_, err := hc.Get("https://b.test/r")
	if !errors.Is(err, fetch.ErrRequestCookie) {
		t.Fatalf("got %v, want ErrRequestCookie", err)
	}
	if n := len(lb.requests()); n != 0 {
		t.Errorf("the server saw %d requests", n)
	}
}

// 64 goroutines share one client, one cache and one jar: simple,
// preflighted and failing requests, with cookies, under -race.
func TestTransportConcurrentUse(t *testing.T) {
	lb := newLoopback(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/blocked" {
			return
		}
		if allowFrom(w, r) {
			return
		}
		w.Header().Add("Set-Cookie", "n="+r.URL.Query().Get("i")+"; SameSite=None; Secure")
		w.Write([]byte("ok"))
	})
	hc, _ := lb.crawler(t, "https://a.test", profile.Chromium())
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 64; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				var req *http.Request
				switch (g + i) % 3 {
				case 0:
					req, _ = http.NewRequestWithContext(include(context.Background()), "GET", "https://b.test/r?i=1", nil)
				case 1:
					req, _ = http.NewRequestWithContext(include(context.Background()), "PUT", "https://b.test/r?i=2", strings.NewReader("x"))
					req.Header.Set("X-Foo", "1")
				default:
					req, _ = http.NewRequest("GET", "https://b.test/blocked", nil)
				}
				resp, err := hc.Do(req)
				if (g+i)%3 == 2 {
					if err == nil {
						resp.Body.Close()
						errs <- errors.New("a blocked request succeeded")
					}
					continue
				}
				if err != nil {
					errs <- err
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// closeRecorder is a request body that remembers being closed.
type closeRecorder struct {
	io.Reader
	closed atomic.Bool
}

func (c *closeRecorder) Close() error { c.closed.Store(true); return nil }

// The RoundTripper contract: the request body is closed on every path,
// including failures before anything is sent.
func TestTransportClosesTheRequestBody(t *testing.T) {
	lb := newLoopback(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent) // a preflight that allows nothing
			return
		}
		io.Copy(io.Discard, r.Body)
		allowFrom(w, r)
	})
	hc, _ := lb.crawler(t, "https://a.test", profile.Chromium())
	tests := []struct {
		name, method, url string
		header            http.Header
		wantErr           bool
	}{
		{"sent", "POST", "https://b.test/r", nil, false},
		{"type_error_get_with_body", "GET", "https://b.test/r", nil, true},
		{"preflight_fails", "PUT", "https://b.test/r", http.Header{"X-Foo": {"1"}}, true},
		{"cookie_header_refused", "POST", "https://b.test/r", http.Header{"Cookie": {"a=1"}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := &closeRecorder{Reader: strings.NewReader("x")}
			req, _ := http.NewRequest(tt.method, tt.url, nil)
			req.Body = body
			req.ContentLength = 1
			for k, v := range tt.header {
				req.Header[k] = v
			}
			resp, err := hc.Transport.RoundTrip(req)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if resp != nil {
				resp.Body.Close()
			}
			if !body.closed.Load() {
				t.Error("the request body was not closed")
			}
		})
	}
}
