package fetch_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/corsim/corsim/fetch"
	"github.com/corsim/corsim/origin"
	"github.com/corsim/corsim/profile"
	"github.com/corsim/corsim/wire"
)

// outcome is what a test compares: the response's type, status and URL, or
// the console line of the failure, and every request sent.
type outcome struct {
	Type    fetch.ResponseType
	Status  int
	URL     string
	Console string
	Failed  bool
	Sent    []sent
}

func run(t *testing.T, p profile.Profile, req *fetch.Request, answer func(*http.Request) (int, http.Header)) outcome {
	t.Helper()
	srv := &server{answer: answer}
	c, err := fetch.NewClient(origin.MustParse("http://a.test"), srv, func() time.Time { return time.Unix(0, 0) }, fetch.WithProfile(p))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Fetch(context.Background(), req)
	o := outcome{}
	for _, r := range srv.sent() {
		// Only Origin matters here; the browser's own headers are
		// tested elsewhere.
		h := map[string]string{}
		if v, ok := r.Header["Origin"]; ok {
			h["Origin"] = v
		}
		o.Sent = append(o.Sent, sent{r.Method, r.URL, h})
	}
	if err != nil {
		var fe *fetch.Error
		if !errors.As(err, &fe) {
			t.Fatalf("error %v is not a *fetch.Error", err)
		}
		o.Failed, o.Console = true, fe.Console
		return o
	}
	o.Type, o.Status, o.URL = resp.Type, resp.Status, resp.URL
	return o
}

func allowAll(*http.Request) (int, http.Header) {
	return 200, http.Header{"Access-Control-Allow-Origin": {"*"}}
}

func redirectTo(loc string) func(*http.Request) (int, http.Header) {
	return func(r *http.Request) (int, http.Header) {
		if r.URL.Path == "/r" {
			return 302, http.Header{"Location": {loc}, "Access-Control-Allow-Origin": {"*"}}
		}
		return allowAll(r)
	}
}

// What used to be refused as bad input is now simulated, each as Chromium
// does it (recorded under testdata/chromium/{bad-port,typeerror,
// redirect-rules,modes-redirect,status}).
func TestChromiumSimulatesWhatItOnceRefused(t *testing.T) {
	get := func(url string) *fetch.Request { return &fetch.Request{URL: url} }
	tests := []struct {
		name   string
		req    *fetch.Request
		answer func(*http.Request) (int, http.Header)
		want   outcome
	}{
		{"bad port is refused before sending", get("http://b.test:25/r"), allowAll,
			outcome{Failed: true, Console: "Failed to load resource: net::ERR_UNSAFE_PORT"}},
		{"port 4190 is not bad in Chromium", get("http://b.test:4190/r"), allowAll,
			outcome{Type: fetch.TypeCORS, Status: 200, URL: "http://b.test:4190/r", Sent: []sent{{"GET", "http://b.test:4190/r", map[string]string{"Origin": "http://a.test"}}}}},
		{"bad port after a redirect", get("http://b.test/r"), redirectTo("http://b.test:6000/r"),
			outcome{Failed: true, Console: "Failed to load resource: net::ERR_UNSAFE_PORT", Sent: []sent{{"GET", "http://b.test/r", map[string]string{"Origin": "http://a.test"}}}}},
		{"relative URL resolves against the document", get("/r"), allowAll,
			outcome{Type: fetch.TypeBasic, Status: 200, URL: "http://a.test/r", Sent: []sent{{"GET", "http://a.test/r", map[string]string{}}}}},
		{"data: URL is a basic 200", get("data:,hello"), allowAll,
			outcome{Type: fetch.TypeBasic, Status: 200, URL: "data:,hello"}},
		{"about:blank fails in Chromium", get("about:blank"), allowAll,
			outcome{Failed: true, Console: `Fetch API cannot load about:blank. URL scheme "about" is not supported.`}},
		{"file: URL", &fetch.Request{URL: "file:///etc/hostname", Mode: fetch.ModeNoCORS}, allowAll,
			outcome{Failed: true, Console: "Not allowed to load local resource: file:///etc/hostname"}},
		{"blob: URL resolves to nothing", get("blob:http://a.test/x"), allowAll,
			outcome{Failed: true, Console: "Failed to load resource: net::ERR_FILE_NOT_FOUND"}},
		{"status beyond 65535 wraps as an unsigned short", get("http://b.test/r"), func(*http.Request) (int, http.Header) {
			return 99999, http.Header{"Access-Control-Allow-Origin": {"*"}}
		}, outcome{Type: fetch.TypeCORS, Status: 34463, URL: "http://b.test/r", Sent: []sent{{"GET", "http://b.test/r", map[string]string{"Origin": "http://a.test"}}}}},
		{"no-cors POST redirected 307 across origins sends Origin null", &fetch.Request{URL: "http://a.test/r", Method: "POST", Mode: fetch.ModeNoCORS, Body: []byte("x")},
			func(r *http.Request) (int, http.Header) {
				if r.URL.Host == "a.test" {
					return 307, http.Header{"Location": {"http://b.test/r"}}
				}
				return 200, nil
			},
			outcome{Type: fetch.TypeOpaque, Sent: []sent{{"POST", "http://a.test/r", map[string]string{"Origin": "http://a.test"}}, {"POST", "http://b.test/r", map[string]string{"Origin": "null"}}}}},
		{"redirect error to an unsafe scheme names the scheme first", &fetch.Request{URL: "http://b.test/r", Redirect: fetch.RedirectError}, redirectTo("about:blank"),
			outcome{Failed: true, Console: "Failed to load resource: net::ERR_UNSAFE_REDIRECT", Sent: []sent{{"GET", "http://b.test/r", map[string]string{"Origin": "http://a.test"}}}}},
		{"no-cors redirect to ftp has no handler", &fetch.Request{URL: "http://b.test/r", Mode: fetch.ModeNoCORS}, redirectTo("ftp://c.test/r"),
			outcome{Failed: true, Console: "Failed to load resource: net::ERR_UNKNOWN_URL_SCHEME", Sent: []sent{{"GET", "http://b.test/r", map[string]string{}}}}},
		{"no-cors redirect to a location with credentials fails silently", &fetch.Request{URL: "http://b.test/r", Mode: fetch.ModeNoCORS}, redirectTo("http://u:p@c.test/r"),
			outcome{Failed: true, Sent: []sent{{"GET", "http://b.test/r", map[string]string{}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, profile.Chromium(), tt.req, tt.answer)
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// The standard's reading differs where Chromium's does: about:blank is an
// empty response, port 4190 is bad, and a no-cors request keeps its origin
// after one cross-origin hop.
func TestSpecDiffersFromChromium(t *testing.T) {
	got := run(t, profile.Spec(), &fetch.Request{URL: "about:blank", Mode: fetch.ModeNoCORS}, allowAll)
	if got.Failed || got.Type != fetch.TypeOpaque {
		t.Errorf("spec about:blank: %+v, want an opaque response", got)
	}
	got = run(t, profile.Spec(), &fetch.Request{URL: "http://b.test:4190/r"}, allowAll)
	if !got.Failed || len(got.Sent) != 0 {
		t.Errorf("spec port 4190: %+v, want a network error with nothing sent", got)
	}
}

// A transport error that names a Chromium net error is printed with it and
// stays inspectable.
func TestTransportNetErrorIsNamedAndWrapped(t *testing.T) {
	werr := &wire.Error{Code: "ERR_INVALID_HTTP_RESPONSE", Msg: "x"}
	rt := roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, werr })
	c, _ := fetch.NewClient(origin.MustParse("http://a.test"), rt, func() time.Time { return time.Unix(0, 0) })
	_, err := c.Fetch(context.Background(), &fetch.Request{URL: "http://b.test/r"})
	var fe *fetch.Error
	if !errors.As(err, &fe) || fe.Console != "Failed to load resource: net::ERR_INVALID_HTTP_RESPONSE" {
		t.Fatalf("got %v", err)
	}
	var we *wire.Error
	if !errors.As(err, &we) || we != werr {
		t.Errorf("errors.As does not reach the *wire.Error")
	}
	rt = roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, context.DeadlineExceeded })
	c, _ = fetch.NewClient(origin.MustParse("http://a.test"), rt, func() time.Time { return time.Unix(0, 0) })
	if _, err := c.Fetch(context.Background(), &fetch.Request{URL: "http://b.test/r"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("errors.Is(%v, context.DeadlineExceeded) = false", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// Firefox's reactions to the same inputs, each from a recording under
// testdata/firefox/{bad-port,modes-redirect,redirect-rules,
// preflight-after-redirect,invalid-response}.
func TestFirefoxSimulatesFailuresAsRecorded(t *testing.T) {
	get := func(url string) *fetch.Request { return &fetch.Request{URL: url} }
	const corb = "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at "
	didNotSucceed := func(url string) string {
		return corb + url + ". (Reason: CORS request did not succeed). Status code: (null)."
	}
	fromA := map[string]string{"Origin": "http://a.test"}
	sentB := []sent{{"GET", "http://b.test/r", fromA}}
	tests := []struct {
		name   string
		req    *fetch.Request
		answer func(*http.Request) (int, http.Header)
		want   outcome
	}{
		{"bad port on the first URL prints nothing", get("http://b.test:25/r"), allowAll,
			outcome{Failed: true}},
		{"bad port after a redirect names the redirecting URL", get("http://b.test/r"), redirectTo("http://b.test:6000/r"),
			outcome{Failed: true, Console: didNotSucceed("http://b.test/r"), Sent: sentB}},
		{"a bad port is another origin: the redirecting URL is named", get("http://a.test/r"), redirectTo("http://a.test:6000/r"),
			outcome{Failed: true, Console: didNotSucceed("http://a.test/r"), Sent: []sent{{"GET", "http://a.test/r", map[string]string{}}}}},
		{"same-origin redirect to data: prints nothing", get("http://a.test/r"), redirectTo("data:,x"),
			outcome{Failed: true, Sent: []sent{{"GET", "http://a.test/r", map[string]string{}}}}},
		{"no-cors bad port redirect prints nothing", &fetch.Request{URL: "http://b.test/r", Mode: fetch.ModeNoCORS}, redirectTo("http://b.test:6000/r"),
			outcome{Failed: true, Sent: []sent{{"GET", "http://b.test/r", map[string]string{}}}}},
		{"unparsable Location", get("http://b.test/r"), redirectTo("http://[::1"),
			outcome{Failed: true, Console: didNotSucceed("http://b.test/r"), Sent: sentB}},
		{"unparsable Location in mode manual is an opaque redirect", &fetch.Request{URL: "http://b.test/r", Redirect: fetch.RedirectManual}, redirectTo("http://[::1"),
			outcome{Type: fetch.TypeOpaqueRedirect, URL: "http://b.test/r", Sent: sentB}},
		{"redirect mode error prints nothing", &fetch.Request{URL: "http://b.test/r", Redirect: fetch.RedirectError}, redirectTo("http://[::1"),
			outcome{Failed: true, Sent: sentB}},
		{"mode same-origin to another origin", &fetch.Request{URL: "http://b.test/r", Mode: fetch.ModeSameOrigin}, allowAll,
			outcome{Failed: true, Console: "Security Error: Content at http://a.test/ may not load data from http://b.test/r."}},
		{"mode same-origin redirected to another origin", &fetch.Request{URL: "http://a.test/r", Mode: fetch.ModeSameOrigin}, redirectTo("http://b.test/r"),
			outcome{Failed: true, Console: "Security Error: Content at http://a.test/ may not load data from http://b.test/r.", Sent: []sent{{"GET", "http://a.test/r", map[string]string{}}}}},
		{"cors redirect to file: names the redirecting URL", get("http://b.test/r"), redirectTo("file:///etc/hostname"),
			outcome{Failed: true, Console: "Security Error: Content at http://b.test/r may not load or link to file:///etc/hostname.", Sent: sentB}},
		{"no-cors redirect to file: names the document", &fetch.Request{URL: "http://b.test/r", Mode: fetch.ModeNoCORS}, redirectTo("file:///etc/hostname"),
			outcome{Failed: true, Console: "Security Error: Content at http://a.test/ may not load or link to file:///etc/hostname.", Sent: []sent{{"GET", "http://b.test/r", map[string]string{}}}}},
		{"redirect to a blob: of another origin", get("http://b.test/r"), redirectTo("blob:http://a.test/x"),
			outcome{Failed: true, Console: "Security Error: Content at http://b.test/r may not load data from blob:http://a.test/x.", Sent: sentB}},
		{"redirect to a blob: of the same origin prints nothing", get("http://a.test/r"), redirectTo("blob:http://a.test/x"),
			outcome{Failed: true, Sent: []sent{{"GET", "http://a.test/r", map[string]string{}}}}},
		{"redirect to data: fails the redirecting request", get("http://b.test/r"), redirectTo("data:,hello"),
			outcome{Failed: true, Console: didNotSucceed("http://b.test/r"), Sent: sentB}},
		{"redirect to ws: fails the redirecting request", get("http://b.test/r"), redirectTo("ws://c.test/r"),
			outcome{Failed: true, Console: didNotSucceed("http://b.test/r"), Sent: sentB}},
		{"redirect to about:blank is not http", get("http://a.test/r"), redirectTo("about:blank"),
			outcome{Failed: true, Console: corb + "about:blank. (Reason: CORS request not http).", Sent: []sent{{"GET", "http://a.test/r", map[string]string{}}}}},
		{"no-cors redirect to ftp: prints nothing", &fetch.Request{URL: "http://b.test/r", Mode: fetch.ModeNoCORS}, redirectTo("ftp://c.test/r"),
			outcome{Failed: true, Sent: []sent{{"GET", "http://b.test/r", map[string]string{}}}}},
		{"no-cors redirect to mailto: from another origin is made twice, the second time from null", &fetch.Request{URL: "http://b.test/r", Mode: fetch.ModeNoCORS, Method: "POST", Body: []byte("x")},
			redirectTo("mailto:x@c.test"),
			outcome{Failed: true, Sent: []sent{{"POST", "http://b.test/r", fromA}, {"POST", "http://b.test/r", map[string]string{"Origin": "null"}}}}},
		{"the second run starts at the first URL", &fetch.Request{URL: "http://a.test/f", Mode: fetch.ModeNoCORS, Method: "POST", Body: []byte("x")},
			func(r *http.Request) (int, http.Header) {
				if r.URL.Host == "a.test" {
					return 307, http.Header{"Location": {"http://b.test/r"}}
				}
				return 307, http.Header{"Location": {"mailto:x@c.test"}}
			},
			outcome{Failed: true, Sent: []sent{{"POST", "http://a.test/f", fromA}, {"POST", "http://b.test/r", fromA},
				{"POST", "http://a.test/f", map[string]string{"Origin": "null"}}, {"POST", "http://b.test/r", map[string]string{"Origin": "null"}}}}},
		{"no-cors redirect to mailto: from the document's origin is made once", &fetch.Request{URL: "http://b.test/r", Mode: fetch.ModeNoCORS},
			func(r *http.Request) (int, http.Header) {
				if r.URL.Host == "b.test" {
					return 302, http.Header{"Location": {"http://a.test/f"}}
				}
				return 302, http.Header{"Location": {"mailto:x@c.test"}}
			},
			outcome{Failed: true, Sent: []sent{{"GET", "http://b.test/r", map[string]string{}}, {"GET", "http://a.test/f", map[string]string{}}}}},
		{"no-cors redirect to tel: is made once", &fetch.Request{URL: "http://b.test/r", Mode: fetch.ModeNoCORS}, redirectTo("tel:1"),
			outcome{Failed: true, Sent: []sent{{"GET", "http://b.test/r", map[string]string{}}}}},
		{"cors redirect to mailto: is made once", get("http://b.test/r"), redirectTo("mailto:x@c.test"),
			outcome{Failed: true, Console: corb + "mailto:x@c.test. (Reason: CORS request not http).", Sent: sentB}},
		{"same-origin request redirected to credentials on another origin", get("http://a.test/r"), redirectTo("http://u@c.test/r"),
			outcome{Failed: true, Console: didNotSucceed("http://a.test/r"), Sent: []sent{{"GET", "http://a.test/r", map[string]string{}}}}},
		{"a POST rewritten to GET is still preflighted for the headers it had", &fetch.Request{URL: "http://a.test/r", Method: "POST", Body: []byte("x"),
			Header: http.Header{"Content-Type": {"application/json"}}},
			func(r *http.Request) (int, http.Header) {
				if r.URL.Host == "a.test" {
					return 302, http.Header{"Location": {"http://c.test/final"}}
				}
				return 200, http.Header{"Access-Control-Allow-Origin": {"http://a.test"}}
			},
			outcome{Type: fetch.TypeCORS, Status: 200, URL: "http://c.test/final", Sent: []sent{
				{"POST", "http://a.test/r", fromA}, {"OPTIONS", "http://c.test/final", fromA}, {"GET", "http://c.test/final", fromA}}}},
		{"preflight after a tainting redirect carries the document's origin", &fetch.Request{URL: "http://b.test/r", Method: "PUT"},
			func(r *http.Request) (int, http.Header) {
				h := http.Header{"Access-Control-Allow-Origin": {r.Header.Get("Origin")}, "Access-Control-Allow-Methods": {"PUT"}}
				if r.URL.Host == "b.test" && r.Method == "PUT" {
					h.Set("Location", "http://c.test/r")
					return 307, h
				}
				return 200, h
			},
			outcome{Type: fetch.TypeCORS, Status: 200, URL: "http://c.test/r", Sent: []sent{
				{"OPTIONS", "http://b.test/r", fromA}, {"PUT", "http://b.test/r", fromA},
				{"OPTIONS", "http://c.test/r", fromA}, {"PUT", "http://c.test/r", map[string]string{"Origin": "null"}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := run(t, profile.Firefox(), tt.req, tt.answer)
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// A response Firefox's network stack refuses, for a request that went
// cross-origin in mode cors, prints the listener's line naming the URL;
// an abort prints nothing.
func TestFirefoxRefusedResponseLine(t *testing.T) {
	for _, tt := range []struct {
		name    string
		err     error
		console string
	}{
		{"refused response", &wire.Error{Code: "ERR_INVALID_HTTP_RESPONSE", Msg: "x"},
			"Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://b.test/r. (Reason: CORS request did not succeed). Status code: (null)."},
		{"aborted", context.Canceled, ""},
	} {
		rt := roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, tt.err })
		c, _ := fetch.NewClient(origin.MustParse("http://a.test"), rt, func() time.Time { return time.Unix(0, 0) }, fetch.WithProfile(profile.Firefox()))
		_, err := c.Fetch(context.Background(), &fetch.Request{URL: "http://b.test/r"})
		var fe *fetch.Error
		if !errors.As(err, &fe) {
			t.Fatalf("%s: got %v", tt.name, err)
		}
		if d := cmp.Diff(tt.console, fe.Console); d != "" {
			t.Errorf("%s: console (-want +got):\n%s", tt.name, d)
		}
	}
}
