package corstest

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/corsim/corsim/fetch"
	"github.com/corsim/corsim/origin"
	"github.com/corsim/corsim/safelist"
)

// Case is one thing a page does: one fetch, or a sequence of fetches on a
// clock (to exercise the preflight cache), from one document origin.
type Case struct {
	// Name says what the case does, e.g. "PUT with X-Token from
	// https://app.example, credentials include".
	Name string
	// Origin is the origin of the document that fetches.
	Origin origin.Origin
	// Hostile says how Origin was derived from an allowed origin; "" when
	// Origin is allowed.
	Hostile HostileKind
	// Steps are the fetches, in order.
	Steps []Step
	// Want is what the policy means for every step.
	Want Want
}

// Step is one fetch of a case, At after the case starts.
type Step struct {
	At      time.Duration
	Request fetch.Request
	// Preflight is what the policy means for the preflight of this step:
	// PreflightAny when it does not care.
	Preflight PreflightWant
}

// PreflightWant is what a step expects of the preflight.
type PreflightWant uint8

const (
	// PreflightAny: the policy says nothing about it.
	PreflightAny PreflightWant = iota
	// PreflightCached: a preflight for this request was cached by an
	// earlier step within Policy.MaxAge, so the browser should send none.
	PreflightCached
	// PreflightExpired: the earlier preflight is older than Policy.MaxAge,
	// so the browser should preflight again.
	PreflightExpired
)

// Want is what the policy means for a case.
type Want struct {
	// Readable: script may read the response.
	Readable bool
	// Write: the request uses an unsafe method (not GET, HEAD or OPTIONS),
	// so reaching the handler is a side effect.
	Write bool
	// Foreign: the document's origin is not one the policy allows.
	Foreign bool
	// SameOrigin: the document is the server's own origin; CORS does not
	// apply, script reads every header.
	SameOrigin bool
}

// The probes the matrix uses where it needs something the policy does not
// allow.
const (
	unlistedHeader = "X-Corsim-Unlisted"
	probeValue     = "corsim"
)

// unlistedMethods are tried in order; the first the policy does not allow
// is the matrix's "method not allowed".
var unlistedMethods = [...]string{"DELETE", "PATCH", "PUT", "PROPFIND"}

// Cases generates the browser-side matrix of policy p for the resource at
// url. The order is fixed: allowed origins first, then hostile ones.
func Cases(p Policy, url string) []Case {
	var cases []Case
	add := func(o origin.Origin, hostile HostileKind, name string, steps ...Step) {
		r := steps[0].Request
		from := fmt.Sprintf("%s from %s", name, o)
		if hostile != "" {
			from += fmt.Sprintf(" (%s)", hostile)
		}
		cases = append(cases, Case{
			Name:    from,
			Origin:  o,
			Hostile: hostile,
			Steps:   steps,
			Want:    p.want(o, hostile, r),
		})
	}
	creds := []fetch.Credentials{fetch.CredentialsOmit, fetch.CredentialsInclude}
	req := func(method string, c fetch.Credentials, header ...string) fetch.Request {
		r := fetch.Request{URL: url, Method: method, Credentials: c, Header: http.Header{}}
		for _, h := range header {
			r.Header.Set(h, headerValue(h))
		}
		if method == "POST" || method == "PUT" || method == "PATCH" {
			r.Body, r.BodyIsText = []byte(probeValue), true
		}
		return r
	}
	label := func(method string, c fetch.Credentials, header ...string) string {
		s := method
		if len(header) > 0 {
			s += " with " + strings.Join(header, ", ")
		}
		return s + ", credentials " + string(c)
	}
	one := func(r fetch.Request) Step { return Step{Request: r} }
	unlisted := ""
	for _, m := range unlistedMethods {
		if !p.allowsMethod(m) {
			unlisted = m
			break
		}
	}
	for i, a := range p.Origins {
		o, err := parseOrigin(a)
		if err != nil {
			continue
		}
		for _, c := range creds {
			add(o, "", label("GET", c), one(req("GET", c)))
			add(o, "", label("POST", c), one(req("POST", c)))
			for _, m := range p.Methods {
				add(o, "", label(m, c), one(req(m, c)))
			}
			for _, h := range p.Headers {
				add(o, "", label("GET", c, h), one(req("GET", c, h)))
			}
			if i > 0 {
				continue // the first allowed origin gets the refusals and the cache
			}
			if unlisted != "" {
				add(o, "", label(unlisted, c)+" (method not allowed)", one(req(unlisted, c)))
			}
			if !containsFold(p.Headers, unlistedHeader) {
				add(o, "", label("GET", c, unlistedHeader)+" (header not allowed)", one(req("GET", c, unlistedHeader)))
			}
		}
		if i == 0 && p.MaxAge > 0 {
			if r, ok := p.preflighted(url); ok {
				c := fetch.CredentialsOmit
				if p.Credentials {
					c = fetch.CredentialsInclude
				}
				r.Credentials = c
				// The fourth step lets a browser that drops a key's first
				// result (Firefox) show an over-long Max-Age too: its
				// result kept from the second step is past Max-Age there.
				late := p.MaxAge/2 + p.MaxAge + time.Second
				name := fmt.Sprintf("%s four times (0, %v, %v, %v: preflight cached for Max-Age %v)", r.Method, p.MaxAge/2, p.MaxAge+time.Second, late, p.MaxAge)
				add(o, "", name, Step{Request: r}, Step{At: p.MaxAge / 2, Request: r, Preflight: PreflightCached},
					Step{At: p.MaxAge + time.Second, Request: r, Preflight: PreflightExpired}, Step{At: late, Request: r, Preflight: PreflightExpired})
			}
		}
	}
	// The server's own origin: same-origin requests are always readable,
	// and a CSRF defence must let them through.
	self, selfErr := origin.FromURLString(url)
	if selfErr == nil && !self.IsOpaque() {
		for _, m := range []string{"GET", "POST"} {
			r := req(m, fetch.CredentialsSameOrigin)
			cases = append(cases, Case{
				Name:   fmt.Sprintf("%s from %s (same origin)", label(m, r.Credentials), self),
				Origin: self,
				Steps:  []Step{one(r)},
				Want:   Want{Readable: true, Write: m == "POST", SameOrigin: true},
			})
		}
	}
	// Hostile origins imitate the allowed ones, or the server's own origin
	// when the policy allows none.
	bases := p.Origins
	if len(bases) == 0 && selfErr == nil && !self.IsOpaque() {
		bases = []string{self.String()}
	}
	for _, h := range HostileOrigins(bases) {
		o := h.Origin
		for _, c := range creds {
			add(o, h.Kind, label("GET", c), one(req("GET", c)))
			add(o, h.Kind, label("POST", c), one(req("POST", c)))
		}
		if r, ok := p.preflighted(url); ok {
			r.Credentials = fetch.CredentialsInclude
			add(o, h.Kind, label(r.Method, r.Credentials, headerNames(r.Header)...), one(r))
		}
	}
	return cases
}

// preflighted returns the policy's first allowed preflighted request: an
// allowed method, else an allowed CORS-unsafe header.
func (p Policy) preflighted(url string) (fetch.Request, bool) {
	r := fetch.Request{URL: url, Method: "GET", Header: http.Header{}}
	for _, m := range p.Methods {
		if !safelist.IsCORSSafelistedMethod(m) {
			r.Method = m
			if m == "POST" || m == "PUT" || m == "PATCH" {
				r.Body, r.BodyIsText = []byte(probeValue), true
			}
			return r, true
		}
	}
	for _, h := range p.Headers {
		r.Header.Set(h, headerValue(h))
		if len(safelist.CORSUnsafeRequestHeaderNames(r.Header)) > 0 {
			return r, true
		}
		r.Header.Del(h)
	}
	return r, false
}

// headerValue is the value a case sends in header name: one that makes
// Content-Type CORS-unsafe, as a JSON body does.
func headerValue(name string) string {
	if strings.EqualFold(name, "Content-Type") {
		return "application/json"
	}
	return probeValue
}

func headerNames(h http.Header) []string {
	var names []string
	for k := range h {
		names = append(names, k)
	}
	return names
}

// want is what the policy means for request r from document origin o.
func (p Policy) want(o origin.Origin, hostile HostileKind, r fetch.Request) Want {
	allowed := hostile == "" && p.allowsOrigin(o.String())
	ok := allowed &&
		p.allowsMethod(r.Method) &&
		p.allowsHeaders(r.Header) &&
		(r.Credentials != fetch.CredentialsInclude || p.Credentials)
	m := safelist.NormalizeMethod(r.Method)
	return Want{Readable: ok, Write: m != "GET" && m != "HEAD" && m != "OPTIONS", Foreign: !allowed}
}
