// Package audit looks for the CORS misconfigurations security scanners
// look for, by simulating browsers against the server instead of matching
// header patterns: every finding comes with the exact request that shows
// it and what Chromium, Firefox and WebKit do with the answer.
//
// An audit needs the URL of one resource and the origin of the site that
// is meant to use it. By default it sends only safe methods (GET and the
// OPTIONS of preflights); a preflight that passes stops before the unsafe
// request a browser would send next.
package audit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/corsim/corsim/corstest"
	"github.com/corsim/corsim/enforce"
	"github.com/corsim/corsim/fetch"
	"github.com/corsim/corsim/origin"
	"github.com/corsim/corsim/preflightcache"
	"github.com/corsim/corsim/profile"
)

// Severity ranks findings. High: another site can read what it should not,
// with the user's credentials. Medium: a weakness that needs one more step
// (an insecure network, a subdomain takeover, a shared cache) or a
// configuration that breaks the site. Low: worth fixing, no direct harm.
type Severity uint8

const (
	Low Severity = iota + 1
	Medium
	High
)

func (s Severity) String() string {
	switch s {
	case High:
		return "high"
	case Medium:
		return "medium"
	case Low:
		return "low"
	}
	return fmt.Sprintf("Severity(%d)", uint8(s))
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// The finding IDs, one per kind of misconfiguration
// (docs/audit-findings.md explains each).
const (
	ReflectedOriginWithCredentials = "reflected-origin-with-credentials"
	ReflectedOrigin                = "reflected-origin"
	NullOriginTrusted              = "null-origin-trusted"
	SuffixMatch                    = "suffix-match"
	PrefixMatch                    = "prefix-match"
	UnescapedDotMatch              = "unescaped-dot-match"
	AnySubdomainTrusted            = "any-subdomain-trusted"
	HTTPOriginTrusted              = "http-origin-trusted"
	OtherPortTrusted               = "other-port-trusted"
	MissingVaryOrigin              = "missing-vary-origin"
	WildcardWithCredentials        = "wildcard-with-credentials"
	PreflightAllowsEverything      = "preflight-allows-everything"
	PreflightAuthRequired          = "preflight-auth-required"
	WildcardHeadersAuthorization   = "wildcard-headers-authorization"
	MaxAgeCapped                   = "max-age-capped"
)

// IDs lists every finding ID, most severe kind first.
func IDs() []string {
	return []string{ReflectedOriginWithCredentials, NullOriginTrusted, SuffixMatch, PrefixMatch, UnescapedDotMatch,
		ReflectedOrigin, AnySubdomainTrusted, HTTPOriginTrusted, MissingVaryOrigin, WildcardWithCredentials,
		PreflightAuthRequired, WildcardHeadersAuthorization, OtherPortTrusted, PreflightAllowsEverything, MaxAgeCapped}
}

// Finding is one misconfiguration.
type Finding struct {
	// ID names the kind of finding, e.g. "reflected-origin".
	ID       string   `json:"id"`
	Severity Severity `json:"severity"`
	Title    string   `json:"title"`
	// Request is the exact request that shows it.
	Request Request `json:"request"`
	// Browsers says what each browser does with it.
	Browsers []Browser `json:"browsers"`
	// Why it matters.
	Why string `json:"why"`
	// Demo, where there is one, shows the consequence (the cache poisoning
	// a missing Vary allows).
	Demo string `json:"demo,omitempty"`
}

// Request is a fetch a page at Origin makes.
type Request struct {
	Origin      string      `json:"origin"`
	Method      string      `json:"method"`
	URL         string      `json:"url"`
	Header      http.Header `json:"header,omitempty"`
	Credentials string      `json:"credentials"`
}

func (r Request) String() string {
	s := fmt.Sprintf("fetch(%q, {method: %q, credentials: %q", r.URL, r.Method, r.Credentials)
	for _, k := range sortedKeys(r.Header) {
		s += fmt.Sprintf(", header %s: %s", k, r.Header.Get(k))
	}
	return s + "}) from a page at " + r.Origin
}

// Browser is what one browser does with a request.
type Browser struct {
	Name        string `json:"browser"`
	Preflighted bool   `json:"preflighted"`
	// Sent: the request itself goes on the wire (Withheld when the audit
	// held back the unsafe request a browser would send).
	Sent     bool `json:"sent"`
	Withheld bool `json:"withheld,omitempty"`
	Readable bool `json:"readable"`
	// Outcome says it in words: "script reads the response (status 200)"
	// or "blocked: MissingAllowOriginHeader: …".
	Outcome string `json:"outcome"`
	// Wire holds the requests sent and the answers.
	Wire []corstest.Exchange `json:"wire"`
}

// Report is the audit's outcome: findings most severe first.
type Report struct {
	URL      string    `json:"url"`
	Origin   string    `json:"origin"`
	Findings []Finding `json:"findings"`
	// Probes is how many requests the audit made, per browser.
	Probes int `json:"probes"`
}

// Highest returns the highest severity found, 0 for none.
func (r *Report) Highest() Severity {
	var s Severity
	for _, f := range r.Findings {
		s = max(s, f.Severity)
	}
	return s
}

// Options tune Run.
type Options struct {
	// Profiles are the browsers to simulate; nil means Chromium, Firefox
	// and WebKit. The first decides whether a finding holds; every one is
	// reported.
	Profiles []profile.Profile
	// Unsafe sends the unsafe requests (PUT, CORSIMPROBE, …) a browser
	// would send after a passing preflight. Off by default.
	Unsafe bool
	// ClientOptions are passed to every fetch.NewClient.
	ClientOptions []fetch.Option
}

// The probes' own names, chosen to be valid and unlikely to be allowed on
// purpose.
const (
	// probeMethod is a method no server lists.
	probeMethod = "CORSIMPROBE"
	// probeHeader is a request header no server lists.
	probeHeader = "X-Corsim-Probe"
	// unrelatedOrigin stands for any other site.
	unrelatedOrigin = "https://corsim-audit.attacker.test"
)

// Run audits the resource at target.URL for the site at siteOrigin.
func Run(ctx context.Context, target corstest.Target, siteOrigin string, opts Options) (*Report, error) {
	site, err := origin.Parse(siteOrigin)
	if err != nil {
		return nil, fmt.Errorf("audit: origin: %w", err)
	}
	if site.IsOpaque() {
		return nil, errors.New(`audit: origin: "null" is not a site origin`)
	}
	if target.Transport == nil || target.URL == "" {
		return nil, errors.New("audit: the target needs a URL and a transport")
	}
	target.SafeOnly = !opts.Unsafe
	profiles := opts.Profiles
	if len(profiles) == 0 {
		profiles = []profile.Profile{profile.Chromium(), profile.Firefox(), profile.WebKit()}
	}
	a := &auditor{ctx: ctx, target: target, profiles: profiles, clientOpts: opts.ClientOptions, site: site}
	if err := a.run(); err != nil {
		return nil, err
	}
	sort.SliceStable(a.findings, func(i, j int) bool { return a.findings[i].Severity > a.findings[j].Severity })
	return &Report{URL: target.URL, Origin: site.String(), Findings: a.findings, Probes: a.probes}, nil
}

type auditor struct {
	ctx        context.Context
	target     corstest.Target
	profiles   []profile.Profile
	clientOpts []fetch.Option
	site       origin.Origin
	findings   []Finding
	probes     int
}

// probe is one request run under every profile.
type probe struct {
	req      Request
	browsers []Browser
	steps    []corstest.StepResult
}

// first is the deciding browser's result.
func (p *probe) first() corstest.StepResult { return p.steps[0] }

func (p *probe) readable() bool { return p.steps[0].Readable }

// actual is the raw answer to the request itself (not the preflight).
func (p *probe) actual() *corstest.Exchange {
	w := p.steps[0].Wire
	for i := len(w) - 1; i >= 0; i-- {
		if !w[i].Preflight && !w[i].Withheld && w[i].Err == nil {
			return &w[i]
		}
	}
	return nil
}

// preflight is the raw answer to the preflight, if one was sent.
func (p *probe) preflight() *corstest.Exchange {
	for i, x := range p.steps[0].Wire {
		if x.Preflight && x.Err == nil {
			return &p.steps[0].Wire[i]
		}
	}
	return nil
}

func (a *auditor) probe(o origin.Origin, method string, header http.Header, creds fetch.Credentials) (*probe, error) {
	req := fetch.Request{URL: a.target.URL, Method: method, Header: header, Credentials: creds}
	c := corstest.Case{Name: method, Origin: o, Steps: []corstest.Step{{Request: req}}}
	p := &probe{req: Request{Origin: o.String(), Method: method, URL: a.target.URL, Header: header, Credentials: string(creds)}}
	for _, prof := range a.profiles {
		res, err := corstest.RunCase(a.ctx, c, a.target, prof, a.clientOpts...)
		if err != nil {
			return nil, err
		}
		s := res.Steps[0]
		if err := transportFailure(s); err != nil {
			return nil, err
		}
		p.steps = append(p.steps, s)
		p.browsers = append(p.browsers, describe(prof.Name, s))
	}
	a.probes++
	return p, nil
}

// transportFailure is the error of a request that could not be sent, other
// than one the audit withheld: the audit cannot go on without answers.
func transportFailure(s corstest.StepResult) error {
	for _, x := range s.Wire {
		if x.Err != nil && !x.Withheld {
			return &NetworkError{Method: x.Method, URL: x.URL, Err: x.Err}
		}
	}
	return nil
}

// NetworkError is a request the server did not answer.
type NetworkError struct {
	Method, URL string
	Err         error
}

func (e *NetworkError) Error() string {
	return fmt.Sprintf("audit: %s %s: no answer: %v", e.Method, e.URL, e.Err)
}

func (e *NetworkError) Unwrap() error { return e.Err }

func describe(name string, s corstest.StepResult) Browser {
	b := Browser{Name: name, Preflighted: s.Preflighted, Sent: s.Sent, Readable: s.Readable, Wire: s.Wire}
	for _, x := range s.Wire {
		if x.Withheld {
			b.Withheld = true
		}
	}
	var ce *enforce.Error
	switch {
	case s.Readable:
		b.Outcome = fmt.Sprintf("script reads the response (status %d)", lastStatus(s))
		if len(s.Headers) > 0 {
			b.Outcome += " and headers " + strings.Join(s.Headers, ", ")
		}
	case b.Withheld:
		b.Outcome = "the preflight passes: the browser sends the request (the audit withheld it: only safe methods)"
	case errors.As(s.Err, &ce):
		b.Outcome = "blocked: " + string(ce.Reason) + ": " + ce.Sentence()
	case s.Err != nil:
		b.Outcome = "fetch rejects: " + s.Err.Error()
	default:
		b.Outcome = "opaque response"
	}
	return b
}

func lastStatus(s corstest.StepResult) int {
	if len(s.Wire) == 0 {
		return 0
	}
	return s.Wire[len(s.Wire)-1].Status
}

func (a *auditor) add(f Finding, p *probe) {
	for _, g := range a.findings {
		if g.ID == f.ID {
			return // one finding of each kind
		}
	}
	if p != nil {
		f.Request = p.req
		f.Browsers = p.browsers
	}
	a.findings = append(a.findings, f)
}

func sortedKeys(h http.Header) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// capsOf says which browsers cap or refuse an Access-Control-Max-Age
// value, from each profile's cache rule.
func capsOf(profiles []profile.Profile, values []string) (stated string, capped []string) {
	stated = strings.Join(values, ", ")
	specAge, ok := preflightcache.ParseMaxAge(preflightcache.MaxAgeSpec, values)
	if !ok {
		return stated, nil
	}
	for _, p := range profiles {
		age, cacheable := preflightcache.ParseMaxAge(p.Cache.MaxAge, values)
		if cacheable && age < specAge {
			capped = append(capped, fmt.Sprintf("%s caches it for %v", p.Name, age))
		}
	}
	return stated, capped
}
