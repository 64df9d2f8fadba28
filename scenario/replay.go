package scenario

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/cookiejar"
	"time"

	"golang.org/x/net/publicsuffix"

	"github.com/corsim/corsim/cookie"
	"github.com/corsim/corsim/fetch"
	"github.com/corsim/corsim/internal/weburl"
	"github.com/corsim/corsim/origin"
	"github.com/corsim/corsim/profile"
)

// Observation is what corsim observed for one step.
type Observation struct {
	Step     int
	Observed Expect
	Trace    *fetch.Trace
	Err      error // what fetch() rejected with, or nil
	// Unscripted holds the requests of this step that matched no rule of
	// the scenario's server, in wire order. Each got the answer FORMAT.md
	// defines for them (404, no headers, empty body), which a live server
	// need not give.
	Unscripted []WireRequest
}

// epoch is the virtual clock's zero: any fixed instant works.
var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Replay runs every step of s under profile p on a virtual clock and
// returns what corsim observed. One client, and so one preflight cache,
// lives for the whole scenario, as for one document in a fresh browser
// context.
func Replay(ctx context.Context, s *Scenario, p profile.Profile) ([]Observation, error) {
	doc, err := documentOrigin(s.Origin)
	if err != nil {
		return nil, err
	}
	var now time.Time
	clock := func() time.Time { return now }
	srv := NewServer(s.Server)
	srv.SetWirePolicy(p.Wire)
	opts := []fetch.Option{fetch.WithProfile(p), fetch.WithDocumentURL(documentURL(s.Origin))}
	if s.Format >= 2 {
		// Format 2: the browser's cookie jar, holding the scenario's
		// cookies, and the wider wire record.
		srv.RecordFormat(s.Format)
		jar, err := seededJar(s.Cookies, p, epoch)
		if err != nil {
			return nil, err
		}
		opts = append(opts, fetch.WithCookieJar(jar))
	}
	client, err := fetch.NewClient(doc, srv, clock, opts...)
	if err != nil {
		return nil, err
	}
	out := make([]Observation, 0, len(s.Steps))
	for i, st := range s.Steps {
		srv.SetStepRules(st.Server)
		now = stepTime(st.At)
		resp, tr, ferr := client.FetchTrace(ctx, st.Fetch.request())
		obs := observe(resp, ferr)
		wire, unscripted := srv.take()
		if wire == nil {
			wire = []WireRequest{}
		}
		obs.Wire = &wire
		out = append(out, Observation{Step: i, Observed: obs, Trace: tr, Err: ferr, Unscripted: unscripted})
	}
	return out, nil
}

// seededJar is a fresh browser jar holding cookies, each stored as a
// first-party response from its URL would store it under p's cookie rules
// (so a line p's browser refuses is not held).
func seededJar(cookies []Cookie, p profile.Profile, now time.Time) (*cookie.Jar, error) {
	inner, err := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
	if err != nil {
		return nil, err
	}
	jar, err := cookie.New(inner)
	if err != nil {
		return nil, err
	}
	for i, c := range cookies {
		wu, err := weburl.Parse(c.URL)
		if err != nil {
			return nil, fmt.Errorf("scenario: cookies[%d].url: %v", i, err)
		}
		site := wu.Origin()
		first := cookie.Request{TopLevel: site, Chain: []origin.Origin{site}}
		if err := jar.Receive(p.Cookies, first, wu.StdURL(), []string{c.Set}, now); err != nil {
			return nil, fmt.Errorf("scenario: cookies[%d]: %v", i, err)
		}
	}
	return jar, nil
}

// maxStepSeconds is the latest `at` the virtual clock tells apart: later
// steps all run at epoch + maxStepSeconds. It is far past any recording
// (2^52 s is 142 million years) and keeps whole seconds exact in a float64.
const maxStepSeconds = 1 << 52

// stepTime is the virtual clock at a step's `at` (seconds from the start of
// the scenario). It counts whole seconds and nanoseconds apart, so that no
// `at` overflows time.Duration (whose range ends at about 292 years: an `at`
// of 9.2e9 s used to wrap to a time before the epoch, and a preflight cached
// with Max-Age 5 then seemed fresh), and it saturates at maxStepSeconds.
// The loader refuses negative and non-finite values; they map to the epoch.
func stepTime(at float64) time.Time {
	if !(at > 0) {
		return epoch
	}
	if at >= maxStepSeconds {
		return time.Unix(epoch.Unix()+maxStepSeconds, 0).UTC()
	}
	sec := math.Floor(at)
	nsec := math.Round((at - sec) * float64(time.Second))
	return time.Unix(epoch.Unix()+int64(sec), int64(nsec)).UTC()
}

// documentURL is the URL of the scenario's document: the origin followed by
// "/", as the recorder serves it; a "null" document is the sandboxed page
// the recorder serves at http://a.test/ (tools/recorder/session.go).
func documentURL(o string) string {
	if o == "null" {
		return "http://a.test/"
	}
	return o + "/"
}

func documentOrigin(s string) (origin.Origin, error) {
	if s == "null" {
		// A sandboxed document: one opaque origin for the whole scenario.
		return origin.OpaqueFromID(1), nil
	}
	return origin.Parse(s)
}

// request converts the fetch arguments.
func (f Fetch) request() *fetch.Request {
	r := &fetch.Request{
		URL:         f.URL,
		Method:      f.Method,
		Mode:        fetch.Mode(f.Mode),
		Credentials: fetch.Credentials(f.Credentials),
		Redirect:    fetch.RedirectMode(f.Redirect),
	}
	if len(f.Headers) > 0 {
		r.Header = http.Header{}
		for _, h := range f.Headers {
			r.Header.Add(h.Name, h.Value)
		}
	}
	if f.Body != nil {
		r.Body = []byte(*f.Body)
		r.BodyIsText = true
	}
	return r
}

// observe turns a fetch result into the fields of `expect`.
func observe(resp *fetch.Response, err error) Expect {
	if err != nil {
		e := Expect{Outcome: "network-error"}
		var fe *fetch.Error
		if errors.As(err, &fe) {
			if fe.CORS != nil {
				reason := string(fe.CORS.Reason)
				e.Error = &reason
			}
			if fe.Console != "" {
				c := fe.Console
				e.Console = &c
			}
		}
		return e
	}
	typ := string(resp.Type)
	status := resp.Status
	url := resp.URL
	redirected := resp.Redirected
	names := resp.HeaderNames()
	return Expect{Outcome: "ok", Type: &typ, Status: &status, URL: &url, Redirected: &redirected, Headers: &names}
}
