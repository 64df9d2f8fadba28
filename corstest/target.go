package corstest

import (
	"context"
	"net/http"
	"sync"

	"github.com/corsim/corsim/fetch"
	"github.com/corsim/corsim/origin"
)

// Target is the server under test: the URL of one resource and the
// transport that reaches it.
type Target struct {
	// URL is the resource every case fetches.
	URL string
	// Transport carries the requests: fetch.HandlerTransport for a handler
	// in process, an *http.Transport for a live server.
	Transport http.RoundTripper
	// Marked says the handler wraps its endpoint in Endpoint, so "reached
	// the handler" is exact. Otherwise a request counts as reaching it when
	// it was sent and answered with a status below 400.
	Marked bool
	// SafeOnly sends only GET, HEAD and OPTIONS: a request with any other
	// method that a browser would send is withheld (Exchange.Withheld) and
	// the fetch fails as a network error. For probing a live server with
	// no side effects.
	SafeOnly bool
}

// Handler returns the target that serves url with h in process, no
// sockets. Wrap the innermost handler (after every middleware) in Endpoint
// and set Marked for exact "reached the handler" verdicts.
func Handler(url string, h http.Handler) Target {
	return Target{URL: url, Transport: fetch.HandlerTransport{Handler: h}}
}

type reachedKey struct{}

// Endpoint wraps the handler that does the work (the one a request must
// not reach when the policy forbids it), so that Run knows exactly which
// requests reached it. It passes every request on unchanged; it needs the
// request's context to come from Run, which holds for handlers in process
// (fetch.HandlerTransport) only.
func Endpoint(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if m, ok := r.Context().Value(reachedKey{}).(*reachMark); ok {
			m.set()
		}
		h.ServeHTTP(w, r)
	})
}

type reachMark struct {
	mu      sync.Mutex
	reached bool
}

func (m *reachMark) set() {
	m.mu.Lock()
	m.reached = true
	m.mu.Unlock()
}

func (m *reachMark) get() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.reached
}

// Exchange is one request that went on the wire and its answer.
type Exchange struct {
	Method string      `json:"method"`
	URL    string      `json:"url"`
	Header http.Header `json:"header"`
	// Preflight: a CORS-preflight request (OPTIONS with
	// Access-Control-Request-Method).
	Preflight bool `json:"preflight,omitempty"`
	// Reached: the request reached the handler (see Target.Marked).
	Reached bool `json:"reached"`
	// Status and ResponseHeader are the server's answer; Status is 0
	// when the transport failed, and Err says why.
	Status         int         `json:"status"`
	ResponseHeader http.Header `json:"responseHeader,omitempty"`
	Err            error       `json:"-"`
	// Withheld: the request was not sent because its method is unsafe and
	// the recorder was told to send only safe methods; a browser would have
	// sent it.
	Withheld bool `json:"withheld,omitempty"`
}

// Recorder is an http.RoundTripper that records every request that goes
// on the wire and its answer. It is not safe for concurrent use: one
// Recorder serves one client at a time.
type Recorder struct {
	Next   http.RoundTripper
	Marked bool
	// SafeOnly withholds requests with methods other than GET, HEAD and
	// OPTIONS: they are recorded as Withheld and fail as a transport
	// error, so nothing with a side effect is sent.
	SafeOnly bool
	// Document is the origin of the document that fetches. When it is
	// valid, the recorder adds the Sec-Fetch-Site header browsers send
	// (see addSecFetchSite) to requests that do not carry one yet.
	Document  origin.Origin
	Exchanges []Exchange
	// site is the Sec-Fetch-Site value so far in this fetch: it only gets
	// less trusted along redirects.
	site string
}

// Reset starts a new fetch: it forgets the exchanges and the redirect
// chain's Sec-Fetch-Site.
func (r *Recorder) Reset() {
	r.Exchanges = nil
	r.site = ""
}

// addSecFetchSite sets Sec-Fetch-Site as Fetch Metadata does
// (https://w3c.github.io/webappsec-fetch-metadata/#sec-fetch-site-header):
// only for a potentially trustworthy URL; "same-origin" when every URL so
// far is same origin with the document, "same-site" when same site
// (schemeful), "cross-site" otherwise. It stands in until the fetch
// engine sends the Fetch Metadata headers itself, and steps aside as soon
// as a request carries the header. http.CrossOriginProtection decides on
// it before falling back to comparing Origin's host with Host, which
// ignores the scheme.
func (r *Recorder) addSecFetchSite(req *http.Request) *http.Request {
	if !r.Document.IsValid() || req.Header.Get("Sec-Fetch-Site") != "" {
		return req
	}
	u, err := origin.FromURLString(req.URL.String())
	if err != nil || !u.IsPotentiallyTrustworthy() {
		return req
	}
	site := "cross-site"
	switch {
	case r.Document.SameOrigin(u):
		site = "same-origin"
	case r.Document.SameSite(u):
		site = "same-site"
	}
	rank := map[string]int{"": 0, "same-origin": 1, "same-site": 2, "cross-site": 3}
	if rank[site] > rank[r.site] {
		r.site = site
	}
	out := req.Clone(req.Context())
	out.Header.Set("Sec-Fetch-Site", r.site)
	return out
}

// errWithheld is the transport error of a withheld request.
type errWithheld struct{ method string }

func (e errWithheld) Error() string {
	return "corstest: " + e.method + " withheld: only safe methods are sent"
}

// RoundTrip sends req with Next and records it.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	req = r.addSecFetchSite(req)
	x := Exchange{
		Method:    req.Method,
		URL:       req.URL.String(),
		Header:    req.Header.Clone(),
		Preflight: req.Method == http.MethodOptions && req.Header.Get("Access-Control-Request-Method") != "",
	}
	if r.SafeOnly && req.Method != "GET" && req.Method != "HEAD" && req.Method != "OPTIONS" {
		x.Withheld = true
		x.Err = errWithheld{req.Method}
		if req.Body != nil {
			req.Body.Close()
		}
		r.Exchanges = append(r.Exchanges, x)
		return nil, x.Err
	}
	mark := &reachMark{}
	resp, err := r.Next.RoundTrip(req.WithContext(context.WithValue(req.Context(), reachedKey{}, mark)))
	if err != nil {
		x.Err = err
		r.Exchanges = append(r.Exchanges, x)
		return nil, err
	}
	x.Status = resp.StatusCode
	x.ResponseHeader = resp.Header.Clone()
	if r.Marked {
		x.Reached = mark.get()
	} else {
		x.Reached = resp.StatusCode < 400
	}
	r.Exchanges = append(r.Exchanges, x)
	return resp, nil
}
