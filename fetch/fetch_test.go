package fetch_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/corsim/corsim/enforce"
	"github.com/corsim/corsim/fetch"
	"github.com/corsim/corsim/origin"
	"github.com/corsim/corsim/profile"
)

// sent is a request as the test server saw it.
type sent struct {
	Method string
	URL    string
	Header map[string]string // only the headers the test looks at
}

// server is a scripted RoundTripper: answer returns the response for a
// request; every request is logged.
type server struct {
	mu     sync.Mutex
	log    []sent
	answer func(*http.Request) (int, http.Header)
}

var watched = []string{"Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers", "Accept", "Content-Type", "Authorization", "X-Foo"}

func (s *server) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := sent{Method: req.Method, URL: req.URL.String(), Header: map[string]string{}}
	for _, k := range watched {
		if v := req.Header.Get(k); v != "" {
			rec.Header[k] = v
		}
	}
	s.mu.Lock()
	s.log = append(s.log, rec)
	s.mu.Unlock()
	status, h := s.answer(req)
	if h == nil {
		h = http.Header{}
	}
	return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader("body")), Request: req}, nil
}

func (s *server) sent() []sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sent(nil), s.log...)
}

func fixedClock() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }

func newClient(t testing.TB, doc string, srv *server, opts ...fetch.Option) *fetch.Client {
	t.Helper()
	c, err := fetch.NewClient(origin.MustParse(doc), srv, fixedClock, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// permissive answers every preflight with everything allowed for
// http://a.test, and every other request with the origin allowed.
func permissive(req *http.Request) (int, http.Header) {
	h := http.Header{"Access-Control-Allow-Origin": {"http://a.test"}, "Content-Type": {"text/plain"}}
	if req.Method == http.MethodOptions {
		h.Set("Access-Control-Allow-Methods", "PUT, DELETE, PATCH")
		h.Set("Access-Control-Allow-Headers", "X-Foo, Content-Type")
		return 204, h
	}
	return 200, h
}

func TestFetchSendsAPreflightBeforeAnUnsafeRequest(t *testing.T) {
	srv := &server{answer: permissive}
	c := newClient(t, "http://a.test", srv)
	resp, err := c.Fetch(context.Background(), &fetch.Request{URL: "http://b.test/r", Method: "put", Header: http.Header{"X-Foo": {"1"}}, Credentials: fetch.CredentialsInclude})
	if err == nil || !strings.Contains(err.Error(), "InvalidAllowCredentials") {
		t.Fatalf("credentials include without Access-Control-Allow-Credentials: got %v, %v", resp, err)
	}
	want := []sent{{Method: "OPTIONS", URL: "http://b.test/r", Header: map[string]string{
		"Origin": "http://a.test", "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "x-foo", "Accept": "*/*",
	}}}
	if diff := cmp.Diff(want, srv.sent()); diff != "" {
		t.Errorf("wire (-want +got):\n%s", diff)
	}
}

func TestFetchTypeErrors(t *testing.T) {
	tests := []struct {
		name string
		req  fetch.Request
	}{
		{"forbidden_method_trace", fetch.Request{URL: "http://b.test/r", Method: "trace"}},
		{"forbidden_method_connect", fetch.Request{URL: "http://b.test/r", Method: "CONNECT"}},
		{"get_with_a_body", fetch.Request{URL: "http://b.test/r", Body: []byte("x")}},
		{"head_with_an_empty_body", fetch.Request{URL: "http://b.test/r", Method: "HEAD", Body: []byte{}}},
		{"no_cors_put", fetch.Request{URL: "http://b.test/r", Method: "PUT", Mode: fetch.ModeNoCORS}},
		{"url_with_credentials", fetch.Request{URL: "http://u:p@b.test/r"}},
		{"url_that_does_not_parse", fetch.Request{URL: "http://[::1"}},
		{"method_not_a_token", fetch.Request{URL: "http://b.test/r", Method: "GE T"}},
		{"header_name_not_a_token", fetch.Request{URL: "http://b.test/r", Header: http.Header{"X Foo": {"1"}}}},
		{"unknown_mode", fetch.Request{URL: "http://b.test/r", Mode: "navigate"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := &server{answer: permissive}
			c := newClient(t, "http://a.test", srv)
			_, err := c.Fetch(context.Background(), &tt.req)
			var fe *fetch.Error
			if !errors.As(err, &fe) || fe.Kind != fetch.TypeError {
				t.Fatalf("got %v, want a TypeError", err)
			}
			if n := len(srv.sent()); n != 0 {
				t.Errorf("a TypeError must send nothing; the server saw %d requests", n)
			}
		})
	}
}

func TestFetchDropsForbiddenHeaders(t *testing.T) {
	for _, name := range []string{"Origin", "Host", "Cookie", "Sec-Fetch-Mode", "Proxy-Foo", "Access-Control-Request-Method", "User-Agent"} {
		t.Run(name, func(t *testing.T) {
			srv := &server{answer: permissive}
			c := newClient(t, "http://a.test", srv)
			if _, err := c.Fetch(context.Background(), &fetch.Request{URL: "http://b.test/r", Header: http.Header{name: {"v"}}}); err != nil {
				t.Fatal(err)
			}
			got := srv.sent()
			if len(got) != 1 || got[0].Method != "GET" {
				t.Fatalf("a dropped header must not cause a preflight; wire: %+v", got)
			}
		})
	}
}

func TestFetchUserAgentIsForbiddenOnlyInChromium(t *testing.T) {
	for _, tt := range []struct {
		p         profile.Profile
		preflight bool
	}{{profile.Chromium(), false}, {profile.Firefox(), true}, {profile.Spec(), true}} {
		srv := &server{answer: permissive}
		c := newClient(t, "http://a.test", srv, fetch.WithProfile(tt.p))
		c.Fetch(context.Background(), &fetch.Request{URL: "http://b.test/r", Header: http.Header{"User-Agent": {"bot"}}})
		got := srv.sent()[0].Method == "OPTIONS"
		if got != tt.preflight {
			t.Errorf("%s: User-Agent set by script preflights=%v, want %v", tt.p.Name, got, tt.preflight)
		}
	}
}

func TestFetchRedirectTaintsTheOrigin(t *testing.T) {
	srv := &server{answer: func(req *http.Request) (int, http.Header) {
		if req.URL.Host == "b.test" {
			return 302, http.Header{"Location": {"http://c.test/final"}, "Access-Control-Allow-Origin": {"http://a.test"}}
		}
		return 200, http.Header{"Access-Control-Allow-Origin": {"null"}}
	}}
	c := newClient(t, "http://a.test", srv)
	resp, err := c.Fetch(context.Background(), &fetch.Request{URL: "http://b.test/r"})
	if err != nil {
		t.Fatal(err)
	}
	got := []string{resp.URL, srv.sent()[1].Header["Origin"]}
	if diff := cmp.Diff([]string{"http://c.test/final", "null"}, got); diff != "" || !resp.Redirected || resp.Type != fetch.TypeCORS {
		t.Errorf("redirect b.test→c.test: (-want +got)\n%s\nresp %+v", diff, resp)
	}
}

func TestFetchRedirectRemovesAuthorizationAcrossOrigins(t *testing.T) {
	srv := &server{answer: func(req *http.Request) (int, http.Header) {
		h := http.Header{"Access-Control-Allow-Origin": {"*"}, "Access-Control-Allow-Headers": {"Authorization"}}
		if req.Method == http.MethodOptions {
			return 204, h
		}
		if req.URL.Host == "b.test" {
			h.Set("Location", "http://c.test/final")
			return 307, h
		}
		return 200, h
	}}
	c := newClient(t, "http://a.test", srv)
	if _, err := c.Fetch(context.Background(), &fetch.Request{URL: "http://b.test/r", Header: http.Header{"Authorization": {"Bearer t"}}}); err != nil {
		t.Fatal(err)
	}
	for _, s := range srv.sent() {
		if s.URL == "http://c.test/final" && s.Header["Authorization"] != "" {
			t.Fatalf("Authorization reached c.test after a cross-origin redirect: %+v", srv.sent())
		}
	}
}

func TestFetchIsSafeForConcurrentUse(t *testing.T) {
	srv := &server{answer: permissive}
	c := newClient(t, "http://a.test", srv)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				if _, err := c.Fetch(context.Background(), &fetch.Request{URL: "http://b.test/r", Method: "PUT", Header: http.Header{"X-Foo": {"1"}}}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// Whatever a cross-origin server answers, a cors-mode fetch resolves only
// when the final Access-Control-Allow-Origin is the origin, or `*` without
// credentials; and a request that needs a preflight never reaches the
// server before one is answered.
func TestFetchNeverMorePermissiveThanTheSpec(t *testing.T) {
	acaos := []string{"", "*", "http://a.test", "http://a.test/", "null", "HTTP://A.TEST", "http://a.test, http://c.test"}
	rapid.Check(t, func(t *rapid.T) {
		acao := rapid.SampledFrom(acaos).Draw(t, "acao")
		preflightACAO := rapid.SampledFrom(acaos).Draw(t, "preflightACAO")
		acac := rapid.SampledFrom([]string{"", "true", "TRUE"}).Draw(t, "acac")
		status := rapid.SampledFrom([]int{200, 204, 404, 500}).Draw(t, "status")
		method := rapid.SampledFrom([]string{"GET", "POST", "PUT", "DELETE", "patch"}).Draw(t, "method")
		cred := rapid.SampledFrom([]fetch.Credentials{fetch.CredentialsOmit, fetch.CredentialsSameOrigin, fetch.CredentialsInclude}).Draw(t, "credentials")
		withHeader := rapid.Bool().Draw(t, "withHeader")
		p := rapid.SampledFrom([]profile.Profile{profile.Chromium(), profile.Firefox(), profile.WebKit(), profile.Spec()}).Draw(t, "profile")
		srv := &server{answer: func(req *http.Request) (int, http.Header) {
			h := http.Header{}
			v := acao
			if req.Method == http.MethodOptions {
				v = preflightACAO
				h.Set("Access-Control-Allow-Methods", "PUT, DELETE, patch")
				h.Set("Access-Control-Allow-Headers", "X-Foo")
			}
			if v != "" {
				h.Set("Access-Control-Allow-Origin", v)
			}
			if acac != "" {
				h.Set("Access-Control-Allow-Credentials", acac)
			}
			if req.Method == http.MethodOptions {
				return 204, h
			}
			return status, h
		}}
		c, err := fetch.NewClient(origin.MustParse("http://a.test"), srv, fixedClock, fetch.WithProfile(p))
		if err != nil {
			t.Fatal(err)
		}
		req := &fetch.Request{URL: "http://b.test/r", Method: method, Credentials: cred}
		if withHeader {
			req.Header = http.Header{"X-Foo": {"1"}}
		}
		resp, err := c.Fetch(context.Background(), req)
		wire := srv.sent()
		needsPreflight := withHeader || (method != "GET" && method != "POST")
		if needsPreflight && len(wire) > 0 && wire[0].Method != "OPTIONS" {
			t.Fatalf("%s reached the server before a preflight: %+v", method, wire)
		}
		if err != nil {
			var ce *enforce.Error
			var fe *fetch.Error
			if !errors.As(err, &fe) || (fe.Kind == fetch.NetworkError && !errors.As(err, &ce)) {
				t.Fatalf("a blocked cross-origin request must carry a CORS reason: %v", err)
			}
			return
		}
		include := cred == fetch.CredentialsInclude
		if !(acao == "http://a.test" || (acao == "*" && !include)) {
			t.Fatalf("response exposed with Access-Control-Allow-Origin %q (credentials %s)", acao, cred)
		}
		if include && acac != "true" {
			t.Fatalf("credentialed response exposed with Access-Control-Allow-Credentials %q", acac)
		}
		if resp.Type != fetch.TypeCORS {
			t.Fatalf("cross-origin response type %s, want cors", resp.Type)
		}
	})
}

func TestNewClientRejectsMissingDependencies(t *testing.T) {
	o := origin.MustParse("http://a.test")
	if _, err := fetch.NewClient(o, nil, fixedClock); err == nil {
		t.Error("nil transport accepted")
	}
	if _, err := fetch.NewClient(o, &server{answer: permissive}, nil); err == nil {
		t.Error("nil clock accepted")
	}
	if _, err := fetch.NewClient(origin.Origin{}, &server{answer: permissive}, fixedClock); err == nil {
		t.Error("invalid origin accepted")
	}
}

func TestTraceNamesEveryDecision(t *testing.T) {
	srv := &server{answer: func(req *http.Request) (int, http.Header) {
		return 204, http.Header{"Access-Control-Allow-Origin": {"http://a.test/"}}
	}}
	c := newClient(t, "http://a.test", srv)
	_, tr, err := c.FetchTrace(context.Background(), &fetch.Request{URL: "http://b.test/r", Method: "PUT"})
	if err == nil {
		t.Fatal("want a preflight failure")
	}
	var anchors []string
	for _, s := range tr.Steps {
		anchors = append(anchors, s.Anchor)
	}
	want := []string{"concept-main-fetch", "concept-cache-match", "cors-preflight-fetch-0", "cors-preflight-fetch-0"}
	if diff := cmp.Diff(want, anchors); diff != "" {
		t.Errorf("trace anchors (-want +got):\n%s\n%s", diff, tr)
	}
	last := tr.Steps[len(tr.Steps)-1]
	if !last.Blocked || !strings.Contains(last.Outcome, `"http://a.test/" does not equal the request origin "http://a.test"`) {
		t.Errorf("last step should block and say why: %+v", last)
	}
}
