// Package diagram draws what a browser did for a CORS scenario as a
// sequence diagram: the page, the browser and each server origin as lanes;
// the fetch() call, every request on the wire (preflight, actual request,
// each redirect hop) and its response as arrows labelled with the headers
// CORS looks at; a preflight the cache saved as a ghost arrow; and, where
// the browser blocked, the reason, the Fetch step and the smallest server
// change that would let the request through.
//
// The picture is built from a replay (scenario.Replay), never from a
// browser, and written as self-contained SVG that follows the reader's
// light or dark theme (prefers-color-scheme inside the SVG).
package diagram

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/corsim/corsim/enforce"
	"github.com/corsim/corsim/fetch"
	"github.com/corsim/corsim/origin"
	"github.com/corsim/corsim/profile"
	"github.com/corsim/corsim/scenario"
)

// Diagram is the picture of one scenario under one profile, before layout.
type Diagram struct {
	Title   string
	Origin  string // serialized origin of the page
	Profile string
	Servers []string // server lanes: the origins requests went to, in order of first use
	Steps   []Step
}

// Step is one fetch() call and everything it caused.
type Step struct {
	Index  int
	At     float64 // virtual seconds
	Arrows []Arrow
	Block  *Block // non-nil when fetch() rejected
}

// Lane names a lane: Page, Browser, or a server by its index in Servers.
type Lane int

const (
	Page    Lane = -2
	Browser Lane = -1
)

// Kind says what an arrow stands for.
type Kind int

const (
	Call      Kind = iota + 1 // page → browser: the fetch() call
	Preflight                 // browser → server: a CORS preflight (OPTIONS)
	Request                   // browser → server: the request or a redirect hop
	Response                  // server → browser: the answer to the wire request before it
	CachedHit                 // browser → server, not drawn solid: the preflight a cache hit saved
	Result                    // browser → page: what fetch() resolves or rejects with
)

// class is the CSS class of the arrow's group; "wire" marks every request
// that went on the wire.
func (k Kind) class() string {
	switch k {
	case Call:
		return "call"
	case Preflight:
		return "wire preflight"
	case Request:
		return "wire request"
	case Response:
		return "response"
	case CachedHit:
		return "cached"
	}
	return "result"
}

// Arrow is one message between two lanes. Lines[0] is its title; the rest
// are the headers that matter to CORS, "Name: value".
type Arrow struct {
	Kind     Kind
	From, To Lane
	Lines    []string
	Failed   bool // the response the browser blocked on, or a rejected result
}

// Block is where and why the browser stopped.
type Block struct {
	Reason   string `json:"reason"`   // Chromium's CorsError name, or "TypeError" / "network error"
	Step     string `json:"step"`     // the Fetch standard step that blocked, e.g. "Fetch §4.10 CORS check"
	Sentence string `json:"sentence"` // what happened, in words
	Fix      string `json:"fix"`      // the smallest server change that lets it through, or ""
}

// requestHeaders are the request headers a label shows, in this order
// (those a scenario's wire records).
var requestHeaders = []string{"Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers", "Content-Type"}

// responseHeaders are the response headers that matter to CORS, in the
// order a label shows them.
var responseHeaders = []string{
	"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
	"Access-Control-Allow-Methods", "Access-Control-Allow-Headers",
	"Access-Control-Max-Age", "Access-Control-Expose-Headers", "Location",
}

// Render replays s under p and returns its diagram as SVG.
func Render(ctx context.Context, s *scenario.Scenario, p profile.Profile) ([]byte, error) {
	obs, err := scenario.Replay(ctx, s, p)
	if err != nil {
		return nil, err
	}
	return FromReplay(s, p, obs).SVG(), nil
}

// FromReplay builds the diagram of a replay of s under p.
func FromReplay(s *scenario.Scenario, p profile.Profile, obs []scenario.Observation) *Diagram {
	d := &Diagram{Title: s.Name, Origin: s.Origin, Profile: p.Name}
	lanes := map[string]Lane{}
	lane := func(rawURL string) Lane {
		key := laneKey(rawURL)
		if l, ok := lanes[key]; ok {
			return l
		}
		l := Lane(len(d.Servers))
		lanes[key] = l
		d.Servers = append(d.Servers, key)
		return l
	}
	for _, o := range obs {
		if o.Step < 0 || o.Step >= len(s.Steps) {
			continue
		}
		st := s.Steps[o.Step]
		step := Step{Index: o.Step, At: st.At}
		if o, err := origin.FromURLString(st.Fetch.URL); err == nil && !o.IsOpaque() {
			lane(st.Fetch.URL) // the server the page meant to reach, even if nothing was sent
		}
		step.Arrows = append(step.Arrows, Arrow{Kind: Call, From: Page, To: Browser, Lines: callLines(st.Fetch)})
		var wire []scenario.WireRequest
		if o.Observed.Wire != nil {
			wire = *o.Observed.Wire
		}
		if hit := cacheHit(o.Trace); hit && !startsWithPreflight(wire) {
			target := st.Fetch.URL
			if len(wire) > 0 {
				target = wire[0].URL
			}
			step.Arrows = append(step.Arrows, Arrow{Kind: CachedHit, From: Browser, To: lane(target),
				Lines: []string{"OPTIONS " + pathOf(target) + " not sent", "a cached preflight allows this request"}})
		}
		srv := scenario.NewServer(st.Server, s.Server)
		for _, w := range wire {
			l := lane(w.URL)
			kind := Request
			if w.Method == http.MethodOptions && w.Headers["access-control-request-method"] != "" {
				kind = Preflight
			}
			lines := []string{w.Method + " " + pathOf(w.URL)}
			for _, h := range requestHeaders {
				if v, ok := w.Headers[strings.ToLower(h)]; ok {
					lines = append(lines, h+": "+v)
				}
			}
			step.Arrows = append(step.Arrows, Arrow{Kind: kind, From: Browser, To: l, Lines: lines})
			step.Arrows = append(step.Arrows, Arrow{Kind: Response, From: l, To: Browser, Lines: responseLines(srv, w)})
		}
		if o.Err != nil {
			step.Block = block(o.Err, o.Trace)
			// The browser blocked on the last answer it got, if any.
			if n := len(step.Arrows); n > 0 && step.Arrows[n-1].Kind == Response && step.Block.Fix != "" {
				step.Arrows[n-1].Failed = true
				var ce *enforce.Error
				if errors.As(o.Err, &ce) && (ce.Reason == enforce.MissingAllowOriginHeader || ce.Reason == enforce.PreflightMissingAllowOriginHeader) {
					lines := step.Arrows[n-1].Lines
					if lines[len(lines)-1] == noCORSHeaders {
						lines = lines[:len(lines)-1]
					}
					step.Arrows[n-1].Lines = append(lines, "(no Access-Control-Allow-Origin)")
				}
			}
		}
		step.Arrows = append(step.Arrows, Arrow{Kind: Result, From: Browser, To: Page, Lines: resultLines(o), Failed: o.Err != nil})
		d.Steps = append(d.Steps, step)
	}
	return d
}

// laneKey is the server lane of a URL: its origin, or the URL itself when
// it has none worth a lane (data:, a URL that does not parse).
func laneKey(rawURL string) string {
	o, err := origin.FromURLString(rawURL)
	if err != nil || o.IsOpaque() {
		return rawURL
	}
	return o.String()
}

// pathOf is what a label shows of a URL: path and query when it has an
// origin, else the whole URL.
func pathOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return rawURL
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

func startsWithPreflight(wire []scenario.WireRequest) bool {
	return len(wire) > 0 && wire[0].Method == http.MethodOptions && wire[0].Headers["access-control-request-method"] != ""
}

func cacheHit(tr *fetch.Trace) bool {
	if tr == nil {
		return false
	}
	for _, s := range tr.Steps {
		if s.Anchor == "concept-cache-match" && strings.HasPrefix(s.Outcome, "cache hit") {
			return true
		}
	}
	return false
}

func callLines(f scenario.Fetch) []string {
	lines := []string{"fetch(" + strconv.Quote(f.URL) + ")"}
	method := f.Method
	if method == "" {
		method = "GET"
	}
	opts := "method: " + method
	if f.Mode != "" {
		opts += ", mode: " + f.Mode
	}
	if f.Credentials != "" {
		opts += ", credentials: " + f.Credentials
	}
	if f.Redirect != "" {
		opts += ", redirect: " + f.Redirect
	}
	lines = append(lines, opts)
	for _, h := range f.Headers {
		lines = append(lines, h.Name+": "+h.Value)
	}
	if f.Body != nil {
		lines = append(lines, "body: "+strconv.Quote(*f.Body))
	}
	return lines
}

const noCORSHeaders = "(no CORS headers)"

// responseLines answers w again from the scenario's rules (the server is a
// pure function of method and URL) to show the headers the browser read.
func responseLines(srv *scenario.Server, w scenario.WireRequest) []string {
	u, err := url.Parse(w.URL)
	if err != nil {
		return []string{"(answer not shown: " + err.Error() + ")"}
	}
	resp, err := srv.RoundTrip(&http.Request{Method: w.Method, URL: u, Header: http.Header{}})
	if err != nil {
		return []string{"(no answer: " + err.Error() + ")"}
	}
	resp.Body.Close()
	lines := []string{strconv.Itoa(resp.StatusCode) + " " + http.StatusText(resp.StatusCode)}
	for _, h := range responseHeaders {
		for _, v := range resp.Header.Values(h) {
			lines = append(lines, h+": "+v)
		}
	}
	if len(lines) == 1 {
		lines = append(lines, noCORSHeaders)
	}
	return lines
}

func resultLines(o scenario.Observation) []string {
	e := o.Observed
	if o.Err != nil {
		var fe *fetch.Error
		if errors.As(o.Err, &fe) && fe.Kind == fetch.TypeError {
			return []string{"rejects: TypeError (before sending)"}
		}
		return []string{"rejects: a network error (TypeError)"}
	}
	lines := []string{"resolves"}
	if e.Type != nil && e.Status != nil {
		lines[0] = "resolves: " + *e.Type + " response, status " + strconv.Itoa(*e.Status)
	}
	if e.Headers != nil {
		if len(*e.Headers) == 0 {
			lines = append(lines, "script reads no header")
		} else {
			lines = append(lines, "script reads: "+strings.Join(*e.Headers, ", "))
		}
	}
	return lines
}

// block describes the failure: the CORS error when there is one, else the
// trace's blocking step.
func block(err error, tr *fetch.Trace) *Block {
	b := &Block{Reason: "network error", Sentence: err.Error()}
	if tr != nil {
		for _, s := range tr.Steps {
			if s.Blocked {
				b.Step = s.Section
				b.Sentence = strings.TrimPrefix(s.Outcome, "blocked: ")
			}
		}
	}
	var fe *fetch.Error
	if errors.As(err, &fe) {
		if fe.Kind == fetch.TypeError {
			b.Reason = "TypeError"
		}
		if b.Step == "" && fe.Message != "" {
			b.Sentence = fe.Message
		}
		b.Sentence = strings.TrimPrefix(b.Sentence, "TypeError: ")
	}
	var ce *enforce.Error
	if errors.As(err, &ce) {
		b.Reason = string(ce.Reason)
		if ce.Browser == enforce.Firefox && ce.FirefoxReason != "" {
			b.Reason += " (Firefox: " + ce.FirefoxReason + ")"
		}
		b.Sentence = ce.Sentence()
		if b.Step == "" {
			b.Step = ce.Step
		}
		b.Fix = Fix(ce)
	}
	return b
}
