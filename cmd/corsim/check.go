package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/corsim/corsim/corstest"
	"github.com/corsim/corsim/enforce"
	"github.com/corsim/corsim/fetch"
	"github.com/corsim/corsim/origin"
	"github.com/corsim/corsim/profile"
)

// defaultCheckOrigin is the page origin check uses without -origin: a site
// the server cannot know (.invalid is reserved, RFC 2606).
const defaultCheckOrigin = "https://corsim.invalid"

const checkUsage = `usage: corsim check [-origin O] [-X METHOD] [-H 'Name: value']... [-d DATA]
                    [-mode M] [-credentials C] [-browser B] [-timeout D] [-k] [-json] URL

Sends to a live server what a browser would send for fetch(URL, init) from a
page at origin O, no more (a preflight only where the browser sends one, the
request only when the preflight lets it), and prints the verdict, what went
on the wire with the answers, and the browser's trace.

Exit status: 0 when script can read the response, 1 when the browser blocks
it (or fetch rejects, or the response is opaque), 2 on bad input or a
network failure (named: DNS, connection, TLS, time-out).

Time-outs: connect 5s, TLS handshake 5s, response headers 10s after the
request is written, and -timeout for the whole command.

Flags:
`

type checkOptions struct {
	origin, method, data, mode, credentials, browser string
	headers                                          headerFlags
	asJSON, insecure                                 bool
	timeout                                          time.Duration
}

func check(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("check", flag.ContinueOnError)
	var o checkOptions
	fl.StringVar(&o.origin, "origin", defaultCheckOrigin, "origin of the page that fetches, serialized as browsers send it (\"null\" for an opaque origin)")
	fl.StringVar(&o.method, "X", "", "request method, as curl's -X (default GET, or POST with -d)")
	fl.Var(&o.headers, "H", "request header 'Name: value' script sets, as curl's -H; repeatable")
	fl.StringVar(&o.data, "d", "", "request body, sent as a string body (Content-Type text/plain;charset=UTF-8 unless -H sets one), as curl's -d")
	fl.StringVar(&o.mode, "mode", "cors", "request mode: cors, no-cors or same-origin")
	fl.StringVar(&o.credentials, "credentials", "same-origin", "credentials mode: omit, same-origin or include (no cookies are sent yet: include decides the CORS checks)")
	fl.StringVar(&o.browser, "browser", "chromium", "browser to simulate: "+strings.Join(profile.Names(), ", "))
	fl.DurationVar(&o.timeout, "timeout", defaultTimeout, "time limit for the whole check")
	fl.BoolVar(&o.asJSON, "json", false, "print the result as JSON")
	fl.BoolVar(&o.insecure, "k", false, "accept any TLS certificate, as curl's -k (for test servers)")
	if code, done := parseLive(fl, checkUsage, args, stdout, stderr); done {
		return code
	}
	if fl.NArg() != 1 {
		fmt.Fprintln(stderr, `corsim check: give exactly one URL; run "corsim check -h" for help`)
		return 2
	}
	rawURL := fl.Arg(0)
	data := []byte(nil)
	if isSet(fl, "d") {
		data = []byte(o.data)
	}
	doc, prof, err := o.parse(rawURL)
	if err != nil {
		fmt.Fprintln(stderr, "corsim check:", err)
		return 2
	}
	method := o.method
	if method == "" {
		method = "GET"
		if data != nil {
			method = "POST"
		}
	}
	req := fetch.Request{
		URL: rawURL, Method: method, Header: o.headers.header(), Body: data, BodyIsText: data != nil,
		Mode: fetch.Mode(o.mode), Credentials: fetch.Credentials(o.credentials),
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	tr := liveTransport(o.insecure)
	defer tr.CloseIdleConnections()
	c := corstest.Case{Name: "check", Origin: doc, Steps: []corstest.Step{{Request: req}}}
	res, err := corstest.RunCase(ctx, c, corstest.Target{URL: rawURL, Transport: tr}, prof, fetch.WithDocumentURL(docURL(doc)))
	if err != nil {
		fmt.Fprintln(stderr, "corsim check:", err)
		return 2
	}
	s := res.Steps[0]
	for _, x := range s.Wire {
		if x.Err != nil {
			fmt.Fprintf(stderr, "corsim check: %s %s: %s\n", x.Method, x.URL, describeNetErr(x.Err))
			if o.asJSON {
				writeCheckJSON(stdout, rawURL, doc, prof, req, s, describeNetErr(x.Err))
			}
			return 2
		}
	}
	if o.asJSON {
		if err := writeCheckJSON(stdout, rawURL, doc, prof, req, s, ""); err != nil {
			fmt.Fprintln(stderr, "corsim check:", err)
			return 2
		}
	} else {
		writeCheckText(stdout, rawURL, doc, prof, req, s)
	}
	if s.Readable {
		return 0
	}
	return 1
}

func isSet(fl *flag.FlagSet, name string) bool {
	set := false
	fl.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func (o checkOptions) parse(rawURL string) (origin.Origin, profile.Profile, error) {
	if err := checkURL(rawURL); err != nil {
		return origin.Origin{}, profile.Profile{}, err
	}
	var doc origin.Origin
	if o.origin == "null" {
		doc = origin.OpaqueFromID(1)
	} else {
		var err error
		if doc, err = origin.Parse(o.origin); err != nil {
			return origin.Origin{}, profile.Profile{}, fmt.Errorf("-origin: %w", err)
		}
	}
	switch fetch.Mode(o.mode) {
	case fetch.ModeCORS, fetch.ModeNoCORS, fetch.ModeSameOrigin:
	default:
		return origin.Origin{}, profile.Profile{}, fmt.Errorf("-mode %q: want cors, no-cors or same-origin", o.mode)
	}
	switch fetch.Credentials(o.credentials) {
	case fetch.CredentialsOmit, fetch.CredentialsSameOrigin, fetch.CredentialsInclude:
	default:
		return origin.Origin{}, profile.Profile{}, fmt.Errorf("-credentials %q: want omit, same-origin or include", o.credentials)
	}
	if o.timeout <= 0 {
		return origin.Origin{}, profile.Profile{}, fmt.Errorf("-timeout %v: want a positive duration", o.timeout)
	}
	prof, err := profile.ByName(o.browser)
	if err != nil {
		return origin.Origin{}, profile.Profile{}, fmt.Errorf("-browser: %w", err)
	}
	return doc, prof, nil
}

func docURL(o origin.Origin) string {
	if o.IsOpaque() {
		return "about:blank"
	}
	return o.String() + "/"
}

// verdict says in one line what script gets.
func verdict(s corstest.StepResult) string {
	var ce *enforce.Error
	var fe *fetch.Error
	switch {
	case s.Readable:
		return fmt.Sprintf("READABLE: script can read the response (status %d) and %d header(s): %s", lastWireStatus(s), len(s.Headers), strings.Join(s.Headers, ", "))
	case s.Err == nil:
		return "OPAQUE: fetch resolves, but script can read nothing of the response"
	case errors.As(s.Err, &ce):
		return "BLOCKED: " + string(ce.Reason) + ": " + ce.Sentence()
	case errors.As(s.Err, &fe) && fe.Kind == fetch.TypeError:
		return "BLOCKED: fetch rejects with a TypeError before sending anything: " + fe.Message
	}
	return "BLOCKED: " + s.Err.Error()
}

func lastWireStatus(s corstest.StepResult) int {
	if len(s.Wire) == 0 {
		return 0
	}
	return s.Wire[len(s.Wire)-1].Status
}

func writeCheckText(w io.Writer, rawURL string, doc origin.Origin, prof profile.Profile, req fetch.Request, s corstest.StepResult) {
	fmt.Fprintf(w, "%s\n\n", verdict(s))
	fmt.Fprintf(w, "fetch(%q, {method: %q, mode: %q, credentials: %q", rawURL, req.Method, req.Mode, req.Credentials)
	for _, k := range sortedHeaderKeys(req.Header) {
		for _, v := range req.Header[k] {
			fmt.Fprintf(w, ", header %s: %s", k, v)
		}
	}
	if req.Body != nil {
		fmt.Fprintf(w, ", body: %q", req.Body)
	}
	fmt.Fprintf(w, "}) from a page at %s, simulating %s\n", doc, prof.Name)
	var ce *enforce.Error
	if errors.As(s.Err, &ce) {
		fmt.Fprintf(w, "console: %s\n", ce.Console())
	}
	fmt.Fprintf(w, "\nOn the wire (%d request(s)):\n", len(s.Wire))
	for _, x := range s.Wire {
		kind := "request"
		if x.Preflight {
			kind = "preflight"
		}
		fmt.Fprintf(w, "> %s %s  (%s)\n", x.Method, x.URL, kind)
		for _, k := range sortedHeaderKeys(x.Header) {
			for _, v := range x.Header[k] {
				fmt.Fprintf(w, "> %s: %s\n", k, v)
			}
		}
		fmt.Fprintf(w, "< %d\n", x.Status)
		for _, k := range sortedHeaderKeys(x.ResponseHeader) {
			for _, v := range x.ResponseHeader[k] {
				fmt.Fprintf(w, "< %s: %s\n", k, v)
			}
		}
	}
	if len(s.Wire) == 0 {
		fmt.Fprintln(w, "(nothing: the browser sends no request)")
	}
	fmt.Fprintf(w, "\nTrace:\n%s", s.Trace.String())
}

func sortedHeaderKeys(h map[string][]string) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// checkRequest is the fetch() call, as -json prints it.
type checkRequest struct {
	Method      string              `json:"method"`
	Mode        string              `json:"mode"`
	Credentials string              `json:"credentials"`
	Header      map[string][]string `json:"header,omitempty"`
	Body        *string             `json:"body,omitempty"`
}

// checkJSON is check's -json output.
type checkJSON struct {
	URL      string              `json:"url"`
	Origin   string              `json:"origin"`
	Browser  string              `json:"browser"`
	Request  checkRequest        `json:"request"`
	Readable bool                `json:"readable"`
	Verdict  string              `json:"verdict"`
	Reason   string              `json:"reason,omitempty"`
	Console  string              `json:"console,omitempty"`
	Network  string              `json:"networkError,omitempty"`
	Headers  []string            `json:"headers,omitempty"`
	Wire     []corstest.Exchange `json:"wire"`
	Trace    *fetch.Trace        `json:"trace"`
}

func writeCheckJSON(w io.Writer, rawURL string, doc origin.Origin, prof profile.Profile, req fetch.Request, s corstest.StepResult, network string) error {
	out := checkJSON{URL: rawURL, Origin: doc.String(), Browser: prof.Name, Request: checkRequest{Method: req.Method, Mode: string(req.Mode), Credentials: string(req.Credentials), Header: req.Header}, Readable: s.Readable, Verdict: verdict(s), Network: network, Headers: s.Headers, Wire: s.Wire, Trace: s.Trace}
	if req.Body != nil {
		body := string(req.Body)
		out.Request.Body = &body
	}
	if doc.IsOpaque() {
		out.Origin = "null"
	}
	if network != "" {
		out.Verdict = "NETWORK FAILURE: " + network
	}
	var ce *enforce.Error
	if errors.As(s.Err, &ce) {
		out.Reason, out.Console = string(ce.Reason), ce.Console()
	}
	if out.Wire == nil {
		out.Wire = []corstest.Exchange{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
