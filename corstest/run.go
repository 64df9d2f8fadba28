package corstest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/corsim/corsim/enforce"
	"github.com/corsim/corsim/fetch"
	"github.com/corsim/corsim/profile"
)

// Options tune Run. The zero value runs every case under Chromium,
// Firefox and WebKit.
type Options struct {
	// Profiles are the browsers to simulate; nil means Chromium, Firefox
	// and WebKit.
	Profiles []profile.Profile
	// ClientOptions are passed to every fetch.NewClient, after the profile:
	// the place for a cookie jar once the engine has one.
	ClientOptions []fetch.Option
}

func (o Options) profiles() []profile.Profile {
	if len(o.Profiles) > 0 {
		return o.Profiles
	}
	return []profile.Profile{profile.Chromium(), profile.Firefox(), profile.WebKit()}
}

// Report is the outcome of Run.
type Report struct {
	Policy  Policy
	URL     string
	Results []Result
}

// Failed returns the results with at least one mismatch.
func (r *Report) Failed() []Result {
	var out []Result
	for _, x := range r.Results {
		if len(x.Mismatches) > 0 {
			out = append(out, x)
		}
	}
	return out
}

// Result is one case under one profile.
type Result struct {
	Case    Case
	Profile string
	Steps   []StepResult
	// Mismatches are where the browser's behaviour differs from the
	// policy; Notes are facts worth knowing that the policy does not rule
	// on (a foreign simple POST that reached the handler without
	// Policy.ProtectWrites).
	Mismatches []Mismatch
	Notes      []string
}

// StepResult is what the browser did for one step.
type StepResult struct {
	// Wire holds every request that went on the wire, preflight first.
	Wire []Exchange
	// Preflighted: a preflight was sent.
	Preflighted bool
	// Sent: the request itself went on the wire.
	Sent bool
	// Reached: the request itself reached the handler.
	Reached bool
	// Readable: script got the response (fetch resolved with a readable
	// response).
	Readable bool
	// Headers are the response header names script can read, lower case.
	Headers []string
	// Err is why fetch rejected, nil when it resolved.
	Err   error
	Trace *fetch.Trace
}

// MismatchKind classifies a difference between browser and policy.
type MismatchKind string

const (
	// Blocked: the policy allows the request but the browser blocks it
	// (or the server refuses it).
	Blocked MismatchKind = "blocked"
	// Leaked: the browser lets script read a response the policy
	// forbids.
	Leaked MismatchKind = "leaked"
	// HiddenHeader: the policy exposes a header the server sent, but script
	// cannot read it.
	HiddenHeader MismatchKind = "hidden-header"
	// ExtraHeader: script can read a header the policy does not expose.
	ExtraHeader MismatchKind = "extra-header"
	// SideEffect: an unsafe request from an origin the policy does not
	// allow reached the handler (Policy.ProtectWrites).
	SideEffect MismatchKind = "side-effect"
	// CacheShort: the browser preflights again within Policy.MaxAge.
	CacheShort MismatchKind = "cache-short"
	// CacheLong: the browser still uses a preflight older than
	// Policy.MaxAge.
	CacheLong MismatchKind = "cache-long"
)

// Mismatch is one difference, at one step of a case.
type Mismatch struct {
	Kind   MismatchKind
	Step   int
	Detail string
}

func (m Mismatch) String() string { return string(m.Kind) + ": " + m.Detail }

// Run runs every case of the policy's matrix against the target under each
// profile. It returns an error only for an invalid policy or target; what
// the browsers do, failures included, is in the report.
func Run(ctx context.Context, p Policy, t Target, opts Options) (*Report, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if t.Transport == nil {
		return nil, errors.New("corstest: Target.Transport is nil")
	}
	if t.URL == "" {
		return nil, errors.New("corstest: Target.URL is empty")
	}
	rep := &Report{Policy: p, URL: t.URL}
	for _, c := range Cases(p, t.URL) {
		for _, prof := range opts.profiles() {
			res, err := RunCase(ctx, c, t, prof, opts.ClientOptions...)
			if err != nil {
				return nil, err
			}
			judge(p, prof, &res)
			rep.Results = append(rep.Results, res)
		}
	}
	return rep, nil
}

// RunCase runs one case under one profile, each step on a virtual clock
// that starts at a fixed instant, with a fresh preflight cache, and
// records what the browser did. It does not judge the result.
func RunCase(ctx context.Context, c Case, t Target, prof profile.Profile, opts ...fetch.Option) (Result, error) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	start := now
	rec := &Recorder{Next: t.Transport, Marked: t.Marked, SafeOnly: t.SafeOnly, Document: c.Origin}
	all := append([]fetch.Option{fetch.WithProfile(prof)}, opts...)
	client, err := fetch.NewClient(c.Origin, rec, func() time.Time { return now }, all...)
	if err != nil {
		return Result{}, fmt.Errorf("corstest: case %q: %w", c.Name, err)
	}
	res := Result{Case: c, Profile: prof.Name}
	for _, st := range c.Steps {
		now = start.Add(st.At)
		rec.Reset()
		resp, tr, err := client.FetchTrace(ctx, &st.Request)
		res.Steps = append(res.Steps, observe(rec.Exchanges, resp, tr, err))
	}
	return res, nil
}

// observe sums up one fetch from its wire exchanges and its outcome.
func observe(wire []Exchange, resp *fetch.Response, tr *fetch.Trace, err error) StepResult {
	s := StepResult{Wire: wire, Err: err, Trace: tr}
	for _, x := range wire {
		if x.Preflight {
			s.Preflighted = true
			continue
		}
		if !x.Withheld {
			s.Sent = true
		}
		if x.Reached {
			s.Reached = true
		}
	}
	if err == nil && resp != nil && resp.Type != fetch.TypeOpaque && resp.Type != fetch.TypeOpaqueRedirect {
		s.Readable = true
		s.Headers = resp.HeaderNames()
	}
	return s
}

// judge compares a result, simulated under prof, with the policy.
func judge(p Policy, prof profile.Profile, r *Result) {
	w := r.Case.Want
	for i, s := range r.Steps {
		add := func(k MismatchKind, format string, a ...any) {
			r.Mismatches = append(r.Mismatches, Mismatch{Kind: k, Step: i, Detail: fmt.Sprintf(format, a...)})
		}
		switch {
		case w.Readable && !s.Readable:
			add(Blocked, "the policy allows it, but %s", whyBlocked(s))
		case w.Readable && s.Sent && !s.Reached:
			add(Blocked, "the policy allows it, but it did not reach the handler (status %d)", lastStatus(s))
		case !w.Readable && s.Readable:
			add(Leaked, "the policy forbids it, but script can read the response (status %d)", lastStatus(s))
		}
		if s.Readable && !w.SameOrigin {
			actual := actualHeader(s)
			for _, name := range s.Headers {
				if !p.exposes(name) {
					add(ExtraHeader, "script can read %s, which the policy does not expose", name)
				}
			}
			for _, name := range p.ExposedHeaders {
				if _, sent := actual[http.CanonicalHeaderKey(name)]; sent && !contains(s.Headers, strings.ToLower(name)) {
					add(HiddenHeader, "the server sent %s, which the policy exposes, but script cannot read it", name)
				}
			}
		}
		if w.Foreign && w.Write && s.Reached {
			msg := fmt.Sprintf("a %s from %s, an origin the policy does not allow, reached the handler (status %d); script cannot read the answer, but the side effect happened", r.Case.Steps[i].Request.Method, r.Case.Origin, lastStatus(s))
			if p.ProtectWrites {
				add(SideEffect, "%s", msg)
			} else {
				r.Notes = append(r.Notes, msg)
			}
		}
		// The cache's verdicts count from the last preflight whose result
		// the browser kept: Firefox drops a key's first result whatever
		// the server says (preflightcache.Policy.FirstResultUnused).
		kept := keptPreflight(r, i, prof.Cache.FirstResultUnused)
		if kept < 0 {
			continue
		}
		age := r.Case.Steps[i].At - r.Case.Steps[kept].At
		switch r.Case.Steps[i].Preflight {
		case PreflightCached:
			if s.Preflighted && age < p.MaxAge {
				add(CacheShort, "preflighted again after %v, within Max-Age %v", age, p.MaxAge)
			}
		case PreflightExpired:
			if !s.Preflighted && s.Sent && age > p.MaxAge && !r.has(CacheLong) {
				add(CacheLong, "no preflight after %v, past Max-Age %v: the server's Access-Control-Max-Age is longer than the policy's", age, p.MaxAge)
			}
		}
	}
}

// has reports whether r already holds a mismatch of kind k.
func (r *Result) has(k MismatchKind) bool {
	for _, m := range r.Mismatches {
		if m.Kind == k {
			return true
		}
	}
	return false
}

// keptPreflight returns the last step before step i whose preflight
// passed and whose result the browser kept, or -1. When firstDropped, the
// case's first such preflight caches nothing.
func keptPreflight(r *Result, i int, firstDropped bool) int {
	kept := -1
	for j := range i {
		if !r.Steps[j].Preflighted || !r.Steps[j].Readable {
			continue
		}
		if firstDropped {
			firstDropped = false
			continue
		}
		kept = j
	}
	return kept
}

func whyBlocked(s StepResult) string {
	var ce *enforce.Error
	if errors.As(s.Err, &ce) {
		return "the browser blocks it: " + string(ce.Reason) + ": " + ce.Sentence()
	}
	if s.Err != nil {
		return "fetch rejects: " + s.Err.Error()
	}
	return "the response is opaque"
}

func lastStatus(s StepResult) int {
	if len(s.Wire) == 0 {
		return 0
	}
	return s.Wire[len(s.Wire)-1].Status
}

// actualHeader is the raw header of the last non-preflight answer.
func actualHeader(s StepResult) http.Header {
	for i := len(s.Wire) - 1; i >= 0; i-- {
		if !s.Wire[i].Preflight {
			return s.Wire[i].ResponseHeader
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	i := sort.SearchStrings(list, s)
	return i < len(list) && list[i] == s
}
