package fetch_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corsim/corsim/fetch"
	"github.com/corsim/corsim/internal/weburl"
	"github.com/corsim/corsim/origin"
	"github.com/corsim/corsim/profile"
	"github.com/corsim/corsim/redirect"
)

// rtFunc adapts a function to http.RoundTripper, for transports that break
// its contract on purpose.
type rtFunc func(*http.Request) (*http.Response, error)

func (f rtFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// answering is a transport answering every request with status and h.
func answering(status int, h http.Header) rtFunc {
	return func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: status, Header: h.Clone(), Body: io.NopCloser(strings.NewReader("body")), Request: r}, nil
	}
}

func hardClient(t testing.TB, rt http.RoundTripper, p profile.Profile) *fetch.Client {
	t.Helper()
	c, err := fetch.NewClient(origin.MustParse("http://a.test"), rt, fixedClock, fetch.WithProfile(p))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func allProfiles() []profile.Profile {
	return []profile.Profile{profile.Chromium(), profile.Firefox(), profile.WebKit(), profile.Spec()}
}

// wantNetworkError fails unless err is a *fetch.Error of kind NetworkError
// whose message contains want.
func wantNetworkError(t *testing.T, resp *fetch.Response, err error, want string) {
	t.Helper()
	var fe *fetch.Error
	if !errors.As(err, &fe) || fe.Kind != fetch.NetworkError {
		t.Fatalf("got response %+v, error %v; want a network error", resp, err)
	}
	if !strings.Contains(fe.Message, want) {
		t.Errorf("message %q does not say %q", fe.Message, want)
	}
}

func TestBrokenTransportIsANetworkErrorNotAPanic(t *testing.T) {
	tests := []struct {
		name string
		rt   rtFunc
		want string
	}{
		{"nil response and nil error", func(*http.Request) (*http.Response, error) { return nil, nil }, "neither a response nor an error"},
		{"response with a nil Body", func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200, Header: http.Header{"Access-Control-Allow-Origin": {"*"}}, Request: r}, nil
		}, "nil Body"},
	}
	for _, p := range allProfiles() {
		for _, tt := range tests {
			t.Run(p.Name+"/"+tt.name, func(t *testing.T) {
				c := hardClient(t, tt.rt, p)
				for _, req := range []*fetch.Request{
					{URL: "http://b.test/r"},                // simple cross-origin
					{URL: "http://a.test/r"},                // same-origin
					{URL: "http://b.test/r", Method: "PUT"}, // the preflight meets it
				} {
					resp, err := c.Fetch(context.Background(), req)
					wantNetworkError(t, resp, err, tt.want)
				}
			})
		}
	}
}

func TestSeveralLocationLines(t *testing.T) {
	const a, b = "http://b.test/one", "http://b.test/two"
	final := http.Header{"Access-Control-Allow-Origin": {"*"}}
	type outcome string
	const follows, fails, returned outcome = "follows", "network error", "returned"
	// WebKit parses the lines joined with ", " as one URL
	// (redirect.DuplicateLocationCombined; recorded).
	const followsCombined outcome = "follows the combined value"
	tests := []struct {
		name     string
		status   int
		location []string
		want     map[string]outcome // by profile name
	}{
		{"302 with two different lines", 302, []string{a, b},
			map[string]outcome{"chromium": fails, "firefox": fails, "webkit": followsCombined, "spec": fails}},
		{"302 with two equal lines", 302, []string{a, a},
			// Chromium and Firefox count equal lines as one; the standard
			// fails any second line.
			map[string]outcome{"chromium": follows, "firefox": follows, "webkit": followsCombined, "spec": fails}},
		{"200 with two different lines", 200, []string{a, b},
			// Chromium's and Firefox's network stacks refuse the response
			// whatever its status; the standard reads Location only on a
			// redirect status.
			map[string]outcome{"chromium": fails, "firefox": fails, "webkit": returned, "spec": returned}},
		{"302 with one line", 302, []string{a},
			map[string]outcome{"chromium": follows, "firefox": follows, "webkit": follows, "spec": follows}},
	}
	for _, tt := range tests {
		for _, p := range allProfiles() {
			t.Run(tt.name+"/"+p.Name, func(t *testing.T) {
				var got []string
				rt := rtFunc(func(r *http.Request) (*http.Response, error) {
					got = append(got, r.URL.String())
					h := final.Clone()
					status := 200
					if r.URL.Path == "/start" {
						status = tt.status
						h["Location"] = tt.location
					}
					return &http.Response{StatusCode: status, Header: h, Body: http.NoBody, Request: r}, nil
				})
				c := hardClient(t, rt, p)
				resp, err := c.Fetch(context.Background(), &fetch.Request{URL: "http://b.test/start"})
				var o outcome
				switch {
				case err != nil:
					o = fails
				case resp.Redirected && resp.URL == strings.Join(tt.location, ",%20") && len(tt.location) > 1:
					o = followsCombined
				case resp.Redirected:
					o = follows
					if resp.URL != tt.location[0] {
						t.Errorf("followed to %s, want %s", resp.URL, tt.location[0])
					}
				default:
					o = returned
				}
				if o != tt.want[p.Name] {
					t.Errorf("%s (requests %v, error %v), want %s", o, got, err, tt.want[p.Name])
				}
				if o == fails && tt.status == 302 && len(tt.location) > 1 && !strings.Contains(err.Error(), "Location") {
					t.Errorf("error %q does not name Location", err)
				}
			})
		}
	}
}

func TestRedirectLocationURLRefusesSeveralLines(t *testing.T) {
	for _, p := range []redirect.Policy{{}, {DuplicateLocation: redirect.DuplicateLocationDistinctFails}} {
		u, err := p.LocationURL(302, http.Header{"Location": {"/a", "/b"}}, mustURL(t, "http://b.test/"))
		if !errors.Is(err, redirect.ErrMultipleLocation) {
			t.Errorf("rule %d: got %v, %v; want ErrMultipleLocation", p.DuplicateLocation, u, err)
		}
	}
}

func TestKeyWithoutValuesIsNotReadable(t *testing.T) {
	for _, p := range allProfiles() {
		for _, tc := range []struct{ url, expose string }{
			{"http://a.test/r", ""},          // basic: every name but Set-Cookie
			{"http://b.test/r", "*"},         // cors, wildcard
			{"http://b.test/r", "X-Empty"},   // cors, listed
			{"http://b.test/r", "X-Empty,*"}, // both
		} {
			h := http.Header{"Access-Control-Allow-Origin": {"*"}, "X-Empty": {}, "Content-Language": {}, "X-Full": {"1"}}
			if tc.expose != "" {
				h.Set("Access-Control-Expose-Headers", tc.expose)
			}
			resp, err := hardClient(t, answering(200, h), p).Fetch(context.Background(), &fetch.Request{URL: tc.url})
			if err != nil {
				t.Fatalf("%s %s: %v", p.Name, tc.url, err)
			}
			for _, n := range resp.HeaderNames() {
				if n == "x-empty" || n == "content-language" {
					t.Errorf("%s %s expose %q: %q has no value yet is listed as readable: %v", p.Name, tc.url, tc.expose, n, resp.HeaderNames())
				}
			}
		}
	}
}

func TestControlBytesInResponseHeadersAreANetworkError(t *testing.T) {
	for _, bad := range []http.Header{
		{"X-A": {"one\r\nSet-Cookie: x=1"}},
		{"X-A": {"one\nX-B: 2"}},
		{"X-A": {"nul\x00byte"}},
		{"X-A\r\nX-B": {"1"}},
		{"Access-Control-Allow-Origin": {"*\r\n"}},
	} {
		for _, p := range allProfiles() {
			h := bad.Clone()
			if _, ok := h["Access-Control-Allow-Origin"]; !ok {
				h.Set("Access-Control-Allow-Origin", "*")
			}
			for _, url := range []string{"http://a.test/r", "http://b.test/r"} {
				resp, err := hardClient(t, answering(200, h), p).Fetch(context.Background(), &fetch.Request{URL: url})
				wantNetworkError(t, resp, err, "LF or NUL")
			}
		}
	}
}

// A lone CR inside a value is no line break for Chromium's parser: the
// header reaches script (recorded: chromium/invalid-response/get-answered-
// 200-with-acao-and-a-header-line-x-foo-a-rb).
func TestLoneCRInAResponseHeaderValueIsKept(t *testing.T) {
	h := http.Header{"Access-Control-Allow-Origin": {"*"}, "Access-Control-Expose-Headers": {"X-Foo"}, "X-Foo": {"a\rb"}}
	resp, err := hardClient(t, answering(200, h), profile.Chromium()).Fetch(context.Background(), &fetch.Request{URL: "http://b.test/r"})
	if err != nil {
		t.Fatalf("a lone CR failed the fetch: %v", err)
	}
	if got := resp.Header.Get("X-Foo"); got != "a\rb" {
		t.Errorf("X-Foo = %q, want %q", got, "a\rb")
	}
}

func TestHandlerTransportControlBytesAreANetworkError(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Access-Control-Allow-Origin"] = []string{"*"}
		w.Header()["X-Injected"] = []string{"a\r\nSet-Cookie: session=stolen"}
		w.Write([]byte("ok"))
	})
	resp, err := hardClient(t, fetch.HandlerTransport{Handler: h}, profile.Chromium()).Fetch(context.Background(), &fetch.Request{URL: "http://b.test/r"})
	wantNetworkError(t, resp, err, "LF or NUL")
}

// headerOfLines returns a header with n lines under one name "A" whose
// values are empty, and an Access-Control-Allow-Origin line: n+1 lines.
func headerOfLines(n int) http.Header {
	return http.Header{"A": make([]string, n), "Access-Control-Allow-Origin": {"*"}}
}

// headerOfNames returns a header with n distinct names in all (counting
// Access-Control-Allow-Origin), each with one empty value.
func headerOfNames(n int) http.Header {
	h := http.Header{"Access-Control-Allow-Origin": {"*"}}
	for i := 0; len(h) < n; i++ {
		h["N"+strconv.Itoa(i)] = []string{""}
	}
	return h
}

// headerOfBytes returns a header whose lines add up to exactly n bytes
// as checkResponseHeader counts them (name, colon, value, CRLF), in lines
// of at most MaxResponseHeaderValueBytes.
func headerOfBytes(n int) http.Header {
	aco := len("Access-Control-Allow-Origin") + 1 + 3
	h := http.Header{"Access-Control-Allow-Origin": {"*"}}
	rest := n - aco
	for i := 0; rest > 0; i++ {
		name := "B" + strconv.Itoa(i)
		v := min(rest-len(name)-3, fetch.MaxResponseHeaderValueBytes)
		h[name] = []string{strings.Repeat("v", v)}
		rest -= len(name) + 3 + v
	}
	return h
}

func TestResponseHeaderLimits(t *testing.T) {
	tests := []struct {
		name       string
		at, past   http.Header
		wantReason string
	}{
		{"lines", headerOfLines(fetch.MaxResponseHeaderLines - 1), headerOfLines(fetch.MaxResponseHeaderLines), "header lines"},
		{"names", headerOfNames(fetch.MaxResponseHeaderNames), headerOfNames(fetch.MaxResponseHeaderNames + 1), "distinct header names"},
		// A one-byte name and the longest value fill the block exactly.
		{"value", http.Header{"A": {strings.Repeat("v", fetch.MaxResponseHeaderValueBytes)}},
			http.Header{"A": {strings.Repeat("v", fetch.MaxResponseHeaderValueBytes+1)}}, "longer than"},
		{"bytes", headerOfBytes(fetch.MaxResponseHeaderBytes), headerOfBytes(fetch.MaxResponseHeaderBytes + 1), "header block"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, p := range allProfiles() {
				// Same-origin, so that no CORS step adds a condition.
				if _, err := hardClient(t, answering(200, tt.at), p).Fetch(context.Background(), &fetch.Request{URL: "http://a.test/r"}); err != nil {
					t.Errorf("%s: at the limit: %v", p.Name, err)
				}
				resp, err := hardClient(t, answering(200, tt.past), p).Fetch(context.Background(), &fetch.Request{URL: "http://a.test/r"})
				wantNetworkError(t, resp, err, tt.wantReason)
			}
		})
	}
}

// The worst case: a block of 40,000 distinct header names exposed
// with `*` once took 5.6 s to filter; it is now refused at once.
func TestHugeHeaderBlockIsRefused(t *testing.T) {
	h := headerOfNames(40000)
	h.Set("Access-Control-Expose-Headers", "*")
	resp, err := hardClient(t, answering(200, h), profile.Chromium()).Fetch(context.Background(), &fetch.Request{URL: "http://b.test/r"})
	wantNetworkError(t, resp, err, "distinct header names")
}

func TestManyExposedNamesAreFilteredExactly(t *testing.T) {
	// At the names limit, with `*` and with an explicit list: every name
	// but Set-Cookie is readable, and nothing else.
	for _, expose := range []string{"*", "list"} {
		h := headerOfNames(fetch.MaxResponseHeaderNames - 2)
		h["Set-Cookie"] = []string{"a=1"}
		var want []string
		var list []string
		for k := range h {
			if k != "Set-Cookie" {
				want = append(want, strings.ToLower(k))
				list = append(list, k)
			}
		}
		v := "*"
		if expose == "list" {
			v = strings.Join(list, ",")
		}
		h.Set("Access-Control-Expose-Headers", v)
		want = append(want, "access-control-expose-headers")
		resp, err := hardClient(t, answering(200, h), profile.Chromium()).Fetch(context.Background(), &fetch.Request{URL: "http://b.test/r"})
		if err != nil {
			t.Fatal(err)
		}
		got := resp.HeaderNames()
		if expose == "list" {
			// The list itself is not in the list.
			want = want[:len(want)-1]
		}
		if d := cmp.Diff(sortedCopy(want), got); d != "" {
			t.Errorf("expose %s: readable names (-want +got):\n%.2000s", expose, d)
		}
	}
}

func TestContextDoneDuringTheExchangeEndsTheFetch(t *testing.T) {
	// The server answers, but the request's deadline passes before the
	// response is filtered: script gets no response.
	ctx, cancel := context.WithCancel(context.Background())
	rt := rtFunc(func(r *http.Request) (*http.Response, error) {
		cancel()
		return answering(200, http.Header{"Access-Control-Allow-Origin": {"*"}})(r)
	})
	for _, url := range []string{"http://a.test/r", "http://b.test/r"} {
		resp, err := hardClient(t, rt, profile.Chromium()).Fetch(ctx, &fetch.Request{URL: url})
		wantNetworkError(t, resp, err, "context")
	}
}

func TestRedirectChainLimit(t *testing.T) {
	// Hops /0 → /1 → … → /n; /n answers 200.
	chain := func(n int) rtFunc {
		return func(r *http.Request) (*http.Response, error) {
			i, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
			h := http.Header{"Access-Control-Allow-Origin": {"*"}}
			status := 200
			if i < n {
				status = 302
				h.Set("Location", "/"+strconv.Itoa(i+1))
			}
			return &http.Response{StatusCode: status, Header: h, Body: http.NoBody, Request: r}, nil
		}
	}
	for _, p := range allProfiles() {
		resp, err := hardClient(t, chain(redirect.Limit), p).Fetch(context.Background(), &fetch.Request{URL: "http://b.test/0"})
		if err != nil || resp.URL != "http://b.test/"+strconv.Itoa(redirect.Limit) {
			t.Errorf("%s: %d redirects: %v, %v", p.Name, redirect.Limit, resp, err)
		}
		resp, err = hardClient(t, chain(redirect.Limit+1), p).Fetch(context.Background(), &fetch.Request{URL: "http://b.test/0"})
		wantNetworkError(t, resp, err, "too many redirects")
	}
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func mustURL(t *testing.T, s string) *weburl.URL {
	t.Helper()
	u, err := weburl.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestContextDoneDuringThePreflightSendsNothingMore(t *testing.T) {
	// The deadline passes while the preflight is answered: the request
	// itself is never sent, even by a transport that ignores contexts.
	ctx, cancel := context.WithCancel(context.Background())
	var methods []string
	rt := rtFunc(func(r *http.Request) (*http.Response, error) {
		methods = append(methods, r.Method)
		cancel()
		return answering(204, http.Header{"Access-Control-Allow-Origin": {"*"}, "Access-Control-Allow-Methods": {"PUT"}})(r)
	})
	resp, err := hardClient(t, rt, profile.Chromium()).Fetch(ctx, &fetch.Request{URL: "http://b.test/r", Method: "PUT"})
	wantNetworkError(t, resp, err, "context")
	if d := cmp.Diff([]string{"OPTIONS"}, methods); d != "" {
		t.Errorf("requests sent (-want +got):\n%s", d)
	}
}

// A request whose context is already done is not sent, even over a
// transport that ignores the context, and its error wraps the context's.
func TestDoneContextIsNotSentAndWrapsItsError(t *testing.T) {
	sent := 0
	rt := rtFunc(func(r *http.Request) (*http.Response, error) {
		sent++
		return &http.Response{StatusCode: 200, Header: http.Header{"Access-Control-Allow-Origin": {"*"}}, Body: http.NoBody, Request: r}, nil
	})
	for _, p := range allProfiles() {
		c := hardClient(t, rt, p)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := c.Fetch(ctx, &fetch.Request{URL: "http://b.test/r"})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: error %v does not wrap context.Canceled", p.Name, err)
		}
		var fe *fetch.Error
		if !errors.As(err, &fe) || fe.Kind != fetch.NetworkError {
			t.Errorf("%s: error %v is not a network error", p.Name, err)
		}
	}
	if sent != 0 {
		t.Errorf("%d requests went out on a done context", sent)
	}
}
