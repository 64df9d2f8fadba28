package scenario

import (
	"context"
	"errors"
	"math"
	"net/http"
	"time"

	"github.com/corsim/corsim/fetch"
	"github.com/corsim/corsim/origin"
	"github.com/corsim/corsim/profile"
)

// Observation is what corsim observed for one step.
type Observation struct {
	Step     int
	Observed Expect
	Trace    *fetch.Trace
	Err      error // what fetch() rejected with, or nil
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
	client, err := fetch.NewClient(doc, srv, clock, fetch.WithProfile(p), fetch.WithDocumentURL(documentURL(s.Origin)))
	if err != nil {
		return nil, err
	}
	out := make([]Observation, 0, len(s.Steps))
	for i, st := range s.Steps {
		srv.SetStepRules(st.Server)
		now = epoch.Add(time.Duration(math.Round(st.At * float64(time.Second))))
		resp, tr, ferr := client.FetchTrace(ctx, st.Fetch.request())
		obs := observe(resp, ferr)
		wire := srv.Wire()
		if wire == nil {
			wire = []WireRequest{}
		}
		obs.Wire = &wire
		out = append(out, Observation{Step: i, Observed: obs, Trace: tr, Err: ferr})
	}
	return out, nil
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
