// Package playground is the local page behind `corsim serve`: a person
// composes a request and a server's answers, or opens a scenario file, and
// sees what the engine decides — preflight or not and why, the wire, the
// verdict, the readable response headers, the trace, the sequence diagram —
// under each browser profile.
//
// The engine runs in the server process: the page posts a scenario to
// /api/run and draws the JSON answer. Every asset is embedded; the page
// loads nothing from elsewhere.
package playground

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/corsim/corsim/diagram"
	"github.com/corsim/corsim/enforce"
	"github.com/corsim/corsim/fetch"
	"github.com/corsim/corsim/profile"
	"github.com/corsim/corsim/scenario"
)

//go:embed assets
var assets embed.FS

// Limits on what one /api/run request may ask of the server.
const (
	// MaxRequestBytes caps the body of a /api/run request: a scenario file
	// at its largest (scenario.MaxFileBytes) plus room for the envelope.
	MaxRequestBytes = scenario.MaxFileBytes + 64<<10
	// MaxSteps caps the steps of a scenario the page replays; each is
	// replayed under every profile and drawn.
	MaxSteps = 100
)

// Handler serves the page and its API.
func Handler() http.Handler {
	mux := http.NewServeMux()
	static, err := fs.Sub(assets, "assets")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	files := http.FileServerFS(static)
	mux.Handle("GET /", files)
	mux.HandleFunc("POST /api/run", run)
	return secure(mux)
}

// secure adds the headers that keep the page to itself, and turns a panic
// in a handler into a 500 answer rather than a dead connection.
func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer")
		defer func() {
			if v := recover(); v != nil {
				fail(w, http.StatusInternalServerError, fmt.Sprintf("internal error: %v (please report it with the scenario)", v), "")
			}
		}()
		h.ServeHTTP(w, r)
	})
}

// RunRequest is the body of POST /api/run.
type RunRequest struct {
	// Scenario is the text of a scenario file (FORMAT.md).
	Scenario string `json:"scenario"`
	// Profile names the profile to replay under; "" means the file's
	// browser field.
	Profile string `json:"profile"`
}

// RunResponse is the answer of POST /api/run.
type RunResponse struct {
	Name    string     `json:"name"`
	Origin  string     `json:"origin"`
	Profile string     `json:"profile"`
	Steps   []StepView `json:"steps"`
	SVG     string     `json:"svg"`
	Compare Compare    `json:"compare"`
}

// StepView is what the page shows of one step.
type StepView struct {
	Step      int            `json:"step"`
	At        float64        `json:"at"`
	Call      string         `json:"call"`
	OK        bool           `json:"ok"`
	Verdict   string         `json:"verdict"`
	Preflight []string       `json:"preflight"` // why a preflight was or was not sent
	Wire      []WireView     `json:"wire"`
	Readable  []string       `json:"readable"` // response header names script can read
	Block     *diagram.Block `json:"block,omitempty"`
	// Change is the block's fix as a change to the answer to Target, when
	// it is one the page can apply (a header or a status).
	Change   *diagram.Change   `json:"change,omitempty"`
	Target   *Target           `json:"target,omitempty"`
	Console  string            `json:"console,omitempty"`
	Observed scenario.Expect   `json:"observed"`
	Trace    []fetch.TraceStep `json:"trace"`
}

// Target names the request whose answer a change is for.
type Target struct {
	Method string `json:"method"`
	URL    string `json:"url"`
}

// WireView is one request on the wire and the answer it got.
type WireView struct {
	Kind     string      `json:"kind"` // "preflight" or "request"
	Method   string      `json:"method"`
	URL      string      `json:"url"`
	Headers  [][2]string `json:"headers"`
	Status   int         `json:"status"`
	Response [][2]string `json:"response"` // every response header, in order
}

// Compare is the same scenario under every profile.
type Compare struct {
	Profiles []string     `json:"profiles"`
	Rows     []CompareRow `json:"rows"`
}

// CompareRow is one step's outcome under each profile.
type CompareRow struct {
	Step    int      `json:"step"`
	Cells   []string `json:"cells"`
	Differs bool     `json:"differs"`
}

// Error is bad input to Run, and the body of every 4xx and 5xx answer.
type Error struct {
	Message string `json:"error"`
	Field   string `json:"field,omitempty"` // the scenario field at fault, e.g. steps[0].fetch.mode
}

func (e *Error) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return e.Field + ": " + e.Message
}

func fail(w http.ResponseWriter, status int, msg, field string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(Error{Message: msg, Field: field})
}

func run(w http.ResponseWriter, r *http.Request) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		fail(w, http.StatusUnsupportedMediaType, "send the request as application/json", "")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxRequestBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fail(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the request is larger than %d bytes", MaxRequestBytes), "")
			return
		}
		fail(w, http.StatusBadRequest, "reading the request: "+err.Error(), "")
		return
	}
	var req RunRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		fail(w, http.StatusBadRequest, "the request is not a JSON object {\"scenario\": TEXT, \"profile\": NAME}: "+err.Error(), "")
		return
	}
	resp, status, aerr := Run(r.Context(), req)
	if aerr != nil {
		fail(w, status, aerr.Message, aerr.Field)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(resp)
}

// Run replays the scenario of req and builds the page's view of it. On bad
// input it returns the HTTP status and a message naming what is wrong.
func Run(ctx context.Context, req RunRequest) (*RunResponse, int, *Error) {
	if strings.TrimSpace(req.Scenario) == "" {
		return nil, http.StatusBadRequest, &Error{Message: "no scenario: compose a request or open a scenario file"}
	}
	s, err := scenario.Parse("scenario", []byte(req.Scenario))
	if err != nil {
		var le *scenario.LoadError
		if errors.As(err, &le) {
			msg := le.Msg
			if le.Field != "" {
				msg = le.Field + ": " + msg
			}
			return nil, http.StatusBadRequest, &Error{Message: "the scenario is not valid: " + msg, Field: le.Field}
		}
		return nil, http.StatusBadRequest, &Error{Message: "the scenario is not valid: " + err.Error()}
	}
	if len(s.Steps) > MaxSteps {
		return nil, http.StatusBadRequest, &Error{Message: fmt.Sprintf("the scenario has %d steps; the page replays at most %d", len(s.Steps), MaxSteps), Field: "steps"}
	}
	var p profile.Profile
	if req.Profile != "" {
		p, err = profile.ByName(req.Profile)
	} else {
		p, err = profile.ForBrowser(s.Browser)
	}
	if err != nil {
		return nil, http.StatusBadRequest, &Error{Message: "profile: " + err.Error(), Field: "profile"}
	}
	obs, err := scenario.Replay(ctx, s, p)
	if err != nil {
		return nil, http.StatusBadRequest, &Error{Message: "the scenario cannot be replayed: " + err.Error()}
	}
	out := &RunResponse{Name: s.Name, Origin: s.Origin, Profile: p.Name, SVG: string(diagram.FromReplay(s, p, obs).SVG())}
	for _, o := range obs {
		out.Steps = append(out.Steps, stepView(s, o))
	}
	cmp, err := compare(ctx, s)
	if err != nil {
		return nil, http.StatusBadRequest, &Error{Message: "the scenario cannot be replayed: " + err.Error()}
	}
	out.Compare = cmp
	return out, http.StatusOK, nil
}

func stepView(s *scenario.Scenario, o scenario.Observation) StepView {
	st := s.Steps[o.Step]
	v := StepView{Step: o.Step, At: st.At, Call: call(st.Fetch), OK: o.Err == nil, Observed: o.Observed, Readable: []string{}, Wire: []WireView{}}
	if o.Trace != nil {
		v.Trace = o.Trace.Steps
		for _, t := range o.Trace.Steps {
			switch {
			case t.Anchor == "concept-cache-match":
				v.Preflight = append(v.Preflight, t.Outcome)
			case t.Anchor == "concept-main-fetch" && len(v.Preflight) == 0:
				v.Preflight = append(v.Preflight, t.Outcome)
			}
		}
	}
	if len(v.Preflight) == 0 {
		v.Preflight = []string{"the request was not made (see the trace)"}
	}
	srv := scenario.NewServer(st.Server, s.Server)
	if o.Observed.Wire != nil {
		for _, wr := range *o.Observed.Wire {
			v.Wire = append(v.Wire, wireView(srv, wr))
		}
	}
	if o.Observed.Headers != nil {
		v.Readable = *o.Observed.Headers
	}
	if o.Observed.Console != nil {
		v.Console = *o.Observed.Console
	}
	if o.Err != nil {
		d := diagram.FromReplay(s, profile.Profile{}, []scenario.Observation{o})
		v.Block = d.Steps[0].Block
		v.Change, v.Target = applicableFix(o.Err, v.Wire)
		v.Verdict = "fetch() rejects with a network error (TypeError)"
		var fe *fetch.Error
		if errors.As(o.Err, &fe) && fe.Kind == fetch.TypeError {
			v.Verdict = "fetch() rejects with a TypeError before sending anything"
		}
		if o.Observed.Error != nil {
			v.Verdict = "fetch() rejects with a network error (TypeError) — CORS error " + *o.Observed.Error
		}
	} else {
		v.Verdict = "fetch() resolves"
		if o.Observed.Type != nil && o.Observed.Status != nil {
			article := "a "
			if strings.HasPrefix(*o.Observed.Type, "o") {
				article = "an " // opaque, opaqueredirect
			}
			v.Verdict += ": " + article + *o.Observed.Type + " response, status " + strconv.Itoa(*o.Observed.Status)
		}
	}
	return v
}

// applicableFix returns the fix of a CORS failure as a change the page can
// apply to the answer the browser refused (the last one on the wire), or
// nil.
func applicableFix(err error, wire []WireView) (*diagram.Change, *Target) {
	var ce *enforce.Error
	if !errors.As(err, &ce) || len(wire) == 0 {
		return nil, nil
	}
	c, ok := diagram.FixFor(ce)
	last := wire[len(wire)-1]
	if !ok || (c.Header == "" && c.Status == 0) || c.Preflight != (last.Kind == "preflight") {
		return nil, nil
	}
	return &c, &Target{Method: last.Method, URL: last.URL}
}

func call(f scenario.Fetch) string {
	var opts []string
	add := func(k, v string) {
		if v != "" {
			opts = append(opts, k+": "+strconv.Quote(v))
		}
	}
	add("method", f.Method)
	add("mode", f.Mode)
	add("credentials", f.Credentials)
	add("redirect", f.Redirect)
	if len(f.Headers) > 0 {
		var hs []string
		for _, h := range f.Headers {
			hs = append(hs, "["+strconv.Quote(h.Name)+", "+strconv.Quote(h.Value)+"]")
		}
		opts = append(opts, "headers: ["+strings.Join(hs, ", ")+"]")
	}
	if f.Body != nil {
		opts = append(opts, "body: "+strconv.Quote(*f.Body))
	}
	if len(opts) == 0 {
		return "fetch(" + strconv.Quote(f.URL) + ")"
	}
	return "fetch(" + strconv.Quote(f.URL) + ", {" + strings.Join(opts, ", ") + "})"
}

// wireView answers wr again from the rules (the scripted server is a pure
// function of method and URL) to show the response beside the request.
func wireView(srv *scenario.Server, wr scenario.WireRequest) WireView {
	v := WireView{Kind: "request", Method: wr.Method, URL: wr.URL, Headers: [][2]string{}, Response: [][2]string{}}
	if wr.Method == http.MethodOptions && wr.Headers["access-control-request-method"] != "" {
		v.Kind = "preflight"
	}
	for _, name := range scenario.WireHeaderNames() {
		if val, ok := wr.Headers[name]; ok {
			v.Headers = append(v.Headers, [2]string{name, val})
		}
	}
	u, err := url.Parse(wr.URL)
	if err != nil {
		return v
	}
	resp, err := srv.RoundTrip(&http.Request{Method: wr.Method, URL: u, Header: http.Header{}})
	if err != nil {
		return v
	}
	resp.Body.Close()
	v.Status = resp.StatusCode
	// Names sorted; the lines of one name in the order the server sent them.
	for _, name := range sortedNames(resp.Header) {
		for _, val := range resp.Header[name] {
			v.Response = append(v.Response, [2]string{name, val})
		}
	}
	return v
}

func sortedNames(h http.Header) []string {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// compare replays s under every profile and summarizes each step.
func compare(ctx context.Context, s *scenario.Scenario) (Compare, error) {
	c := Compare{Profiles: profile.Names()}
	rows := make([]CompareRow, len(s.Steps))
	for i := range rows {
		rows[i] = CompareRow{Step: i}
	}
	for _, name := range c.Profiles {
		p, err := profile.ByName(name)
		if err != nil {
			return Compare{}, err
		}
		obs, err := scenario.Replay(ctx, s, p)
		if err != nil {
			return Compare{}, err
		}
		for _, o := range obs {
			rows[o.Step].Cells = append(rows[o.Step].Cells, summary(o.Observed))
		}
	}
	for i := range rows {
		for _, c := range rows[i].Cells[1:] {
			if c != rows[i].Cells[0] {
				rows[i].Differs = true
			}
		}
	}
	c.Rows = rows
	return c, nil
}

// summary is one profile's outcome of a step in a line: the wire, then the
// verdict.
func summary(e scenario.Expect) string {
	var wire []string
	if e.Wire != nil {
		for _, w := range *e.Wire {
			wire = append(wire, w.Method)
		}
	}
	sent := "nothing sent"
	if len(wire) > 0 {
		sent = "sent " + strings.Join(wire, ", ")
	}
	if e.Outcome != "ok" {
		if e.Error != nil {
			return sent + " → rejects (" + *e.Error + ")"
		}
		return sent + " → rejects"
	}
	s := sent + " → resolves"
	if e.Type != nil && e.Status != nil {
		s += " " + *e.Type + " " + strconv.Itoa(*e.Status)
	}
	if e.Headers != nil && len(*e.Headers) > 0 {
		s += ", reads " + strings.Join(*e.Headers, ", ")
	}
	return s
}
