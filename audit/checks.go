package audit

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/corsim/corsim/corstest"
	"github.com/corsim/corsim/fetch"
	"github.com/corsim/corsim/origin"
	"github.com/corsim/corsim/profile"
)

const (
	omit    = fetch.CredentialsOmit
	include = fetch.CredentialsInclude
)

// run sends the probes and records the findings, in a fixed order.
func (a *auditor) run() error {
	site := a.site
	base, err := a.probe(site, "GET", nil, omit)
	if err != nil {
		return err
	}
	baseCred, err := a.probe(site, "GET", nil, include)
	if err != nil {
		return err
	}
	reflected, unrelated, err := a.checkReflection()
	if err != nil {
		return err
	}
	// A server that reflects every origin trusts every derived one too:
	// only null, which any site can send from a sandboxed iframe, is
	// reported beside the reflection.
	if err := a.checkDerivedOrigins(reflected); err != nil {
		return err
	}
	if err := a.checkVary(base, unrelated); err != nil {
		return err
	}
	a.checkWildcardWithCredentials(base, baseCred)
	return a.checkPreflights(base, baseCred)
}

// acao is the Access-Control-Allow-Origin value of an answer.
func acao(x *corstest.Exchange) string {
	if x == nil {
		return ""
	}
	return strings.Join(x.ResponseHeader.Values("Access-Control-Allow-Origin"), ", ")
}

// quoteACAO shows an answer's Access-Control-Allow-Origin for a sentence.
func quoteACAO(x *corstest.Exchange) string {
	if x == nil || x.ResponseHeader.Values("Access-Control-Allow-Origin") == nil {
		return "absent"
	}
	return fmt.Sprintf("%q", acao(x))
}

// echoes reports whether the probe's answer names the probe's own origin
// (not "*"): the server decided this origin may read.
func echoes(p *probe) bool {
	return p.readable() && acao(p.actual()) == p.req.Origin
}

// checkReflection asks from an origin unrelated to the site.
func (a *auditor) checkReflection() (bool, *probe, error) {
	evil := origin.MustParse(unrelatedOrigin)
	cred, err := a.probe(evil, "GET", nil, include)
	if err != nil {
		return false, nil, err
	}
	if echoes(cred) {
		a.add(Finding{
			ID: ReflectedOriginWithCredentials, Severity: High,
			Title: "any origin is reflected in Access-Control-Allow-Origin, with Access-Control-Allow-Credentials: true",
			Why:   "every site the user visits can read this resource with the user's cookies: the server echoes whatever Origin it gets instead of checking it against a list",
		}, cred)
		return true, cred, nil
	}
	plain, err := a.probe(evil, "GET", nil, omit)
	if err != nil {
		return false, nil, err
	}
	if echoes(plain) {
		a.add(Finding{
			ID: ReflectedOrigin, Severity: Medium,
			Title: "any origin is reflected in Access-Control-Allow-Origin",
			Why:   "every site can read this resource from the user's browser, which reaches what the user's network reaches (an intranet, an IP allow-list); the server echoes Origin instead of checking it, and turning on credentials would make it high",
		}, plain)
		return true, plain, nil
	}
	return false, plain, nil
}

// derived says what finding an origin of each hostile kind gives when
// trusted.
var derived = map[corstest.HostileKind]struct {
	id         string
	title, why string
	plain      Severity // without credentials
	credential Severity // with
}{
	corstest.HostileNull: {NullOriginTrusted, "the null origin is trusted",
		"every sandboxed iframe, data: and file: document sends Origin: null, so any site can obtain it with <iframe sandbox>", Medium, High},
	corstest.HostileSuffix: {SuffixMatch, "an origin that merely ends with the site's host is trusted",
		"the origin check matches a suffix: anyone can register a domain that ends with the trusted host", Medium, High},
	corstest.HostilePrefix: {PrefixMatch, "an origin that merely begins with the site's origin is trusted",
		"the origin check matches a prefix: anyone can make a host under their own domain that begins with the trusted origin", Medium, High},
	corstest.HostileUnescapedDot: {UnescapedDotMatch, "an origin with a letter in place of a dot of the site's host is trusted",
		"the origin check is a regular expression with an unescaped '.', which matches any character: anyone can register such a domain", Medium, High},
	corstest.HostileChild: {AnySubdomainTrusted, "any subdomain is trusted",
		"every subdomain can read this resource: one with an XSS or taken over (a dangling DNS record) reads it too", Low, Medium},
	corstest.HostileSibling: {AnySubdomainTrusted, "any subdomain of the parent domain is trusted",
		"every subdomain of the parent can read this resource: one with an XSS or taken over (a dangling DNS record) reads it too", Low, Medium},
	corstest.HostileScheme: {HTTPOriginTrusted, "the site's host over plain http is trusted by an https site",
		"anyone on the network path (public Wi-Fi) can inject script into the http page and read this resource from it", Low, Medium},
	corstest.HostilePort: {OtherPortTrusted, "the site's host on another port is trusted",
		"another service on the same host, possibly less trusted, can read this resource", Low, Low},
}

// checkDerivedOrigins asks from each hostile origin derived from the site.
func (a *auditor) checkDerivedOrigins(reflected bool) error {
	hostile := corstest.HostileOrigins([]string{a.site.String()})
	// Subdomains first: an origin that trusts every subdomain of
	// example.com also trusts evilapp.example.com, which is no suffix bug.
	sort.SliceStable(hostile, func(i, j int) bool { return subdomainKind(hostile[i].Kind) && !subdomainKind(hostile[j].Kind) })
	var trustedParents []string
	for _, h := range hostile {
		d, ok := derived[h.Kind]
		if !ok || reflected && h.Kind != corstest.HostileNull {
			continue
		}
		if h.Kind == corstest.HostileScheme && (a.site.Scheme() != "https" || h.Origin.Scheme() != "http") {
			continue // an https origin trusted by an http site is not a weakness
		}
		if h.Kind == corstest.HostileSuffix && underAny(h.Origin.Host(), trustedParents) {
			continue
		}
		cred, err := a.probe(h.Origin, "GET", nil, include)
		if err != nil {
			return err
		}
		trusted := true
		if echoes(cred) {
			a.add(Finding{ID: d.id, Severity: d.credential, Title: d.title + ", with credentials", Why: d.why}, cred)
		} else {
			plain, err := a.probe(h.Origin, "GET", nil, omit)
			if err != nil {
				return err
			}
			trusted = echoes(plain)
			if trusted {
				a.add(Finding{ID: d.id, Severity: d.plain, Title: d.title, Why: d.why}, plain)
			}
		}
		if trusted && subdomainKind(h.Kind) {
			host := h.Origin.Host()
			trustedParents = append(trustedParents, host[strings.IndexByte(host, '.')+1:])
		}
	}
	return nil
}

func subdomainKind(k corstest.HostileKind) bool {
	return k == corstest.HostileSibling || k == corstest.HostileChild
}

// underAny reports whether host is a subdomain of one of parents.
func underAny(host string, parents []string) bool {
	for _, p := range parents {
		if strings.HasSuffix(host, "."+p) {
			return true
		}
	}
	return false
}

// variesOnOrigin reports whether Vary names Origin (or is "*").
func variesOnOrigin(h http.Header) bool {
	for _, v := range h.Values("Vary") {
		for _, f := range strings.Split(v, ",") {
			f = strings.TrimSpace(f)
			if f == "*" || strings.EqualFold(f, "Origin") {
				return true
			}
		}
	}
	return false
}

// checkVary compares the site's answer with the answer to a request
// without Origin (a link followed, an <img>): when they differ and the
// site's answer has no Vary: Origin, a shared cache can serve one to the
// other.
func (a *auditor) checkVary(base, unrelated *probe) error {
	mine := base.actual()
	if mine == nil || variesOnOrigin(mine.ResponseHeader) {
		return nil
	}
	req, err := http.NewRequestWithContext(a.ctx, http.MethodGet, a.target.URL, nil)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	rec := &corstest.Recorder{Next: a.target.Transport, SafeOnly: true}
	resp, err := rec.RoundTrip(req)
	if err != nil {
		return &NetworkError{Method: "GET", URL: a.target.URL, Err: err}
	}
	resp.Body.Close()
	other, otherDesc := rec.Exchanges[0], "a request without Origin (a link followed, an <img>)"
	if acao(mine) == acao(&other) {
		// The same answer without Origin; compare with another site's.
		x := unrelated.actual()
		if x == nil || acao(x) == acao(mine) {
			return nil // the answer does not depend on Origin
		}
		other, otherDesc = *x, "a request from "+unrelatedOrigin
	}
	demo, err := a.poisonDemo(other, otherDesc)
	if err != nil {
		return err
	}
	a.add(Finding{
		ID: MissingVaryOrigin, Severity: Medium,
		Title: "Access-Control-Allow-Origin depends on Origin but the response has no Vary: Origin",
		Why: fmt.Sprintf("a shared cache (CDN, proxy) or the browser's HTTP cache keys this response on its URL only: the answer to %s (Access-Control-Allow-Origin %s) can be served to the site's fetch, which then fails, and an answer meant for one origin can be served to another",
			otherDesc, quoteACAO(&other)),
		Demo: demo,
	}, base)
	return nil
}

// poisonDemo runs the site's fetch against a cache that holds the answer
// to a request without Origin.
func (a *auditor) poisonDemo(cached corstest.Exchange, desc string) (string, error) {
	stale := corstest.Target{URL: a.target.URL, Transport: cachedAnswer(cached)}
	c := corstest.Case{Origin: a.site, Steps: []corstest.Step{{Request: fetch.Request{URL: a.target.URL}}}}
	var lines []string
	for _, prof := range a.profiles {
		res, err := corstest.RunCase(a.ctx, c, stale, prof, a.clientOpts...)
		if err != nil {
			return "", err
		}
		lines = append(lines, prof.Name+": "+describe(prof.Name, res.Steps[0]).Outcome)
	}
	return fmt.Sprintf("a cache stored the answer to GET %s for %s (Access-Control-Allow-Origin %s, no Vary: Origin) and serves it to fetch(%q) from a page at %s: %s",
		a.target.URL, desc, quoteACAO(&cached), a.target.URL, a.site, strings.Join(lines, "; ")), nil
}

// cachedAnswer is a transport that answers every request with one stored
// response, as a cache keyed on the URL alone does.
type cachedAnswer corstest.Exchange

func (c cachedAnswer) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	return &http.Response{
		StatusCode: c.Status, Status: fmt.Sprintf("%d %s", c.Status, http.StatusText(c.Status)),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: c.ResponseHeader.Clone(), Body: http.NoBody, Request: req,
	}, nil
}

// checkWildcardWithCredentials looks at the site's answers for `*` with
// Access-Control-Allow-Credentials: true.
func (a *auditor) checkWildcardWithCredentials(base, baseCred *probe) {
	for _, p := range []*probe{baseCred, base} {
		x := p.actual()
		if x == nil || acao(x) != "*" || x.ResponseHeader.Get("Access-Control-Allow-Credentials") != "true" {
			continue
		}
		a.add(Finding{
			ID: WildcardWithCredentials, Severity: Medium,
			Title: "Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true",
			Why:   "browsers never accept * for a credentialed request (CORS check, step 3): credentialed fetches from every origin fail; to allow credentials the server must name the origin",
		}, baseCred)
		return
	}
}

// checkPreflights sends the preflights: an unknown method, an unknown
// header, Authorization against a wildcard, and the common authenticated
// JSON PUT.
func (a *auditor) checkPreflights(base, baseCred *probe) error {
	site := a.site
	anyMethod, err := a.probe(site, probeMethod, nil, omit)
	if err != nil {
		return err
	}
	anyHeader, err := a.probe(site, "GET", http.Header{probeHeader: {"1"}}, omit)
	if err != nil {
		return err
	}
	auth, err := a.probe(site, "GET", http.Header{"Authorization": {"Bearer corsim-probe"}}, omit)
	if err != nil {
		return err
	}
	put, err := a.probe(site, "PUT", http.Header{"Authorization": {"Bearer corsim-probe"}, "Content-Type": {"application/json"}}, include)
	if err != nil {
		return err
	}
	// Preflights a site commonly needs, to read the Max-Age of one that
	// passes.
	var common []*probe
	for _, c := range []struct {
		method string
		header http.Header
	}{
		{"PUT", nil},
		{"DELETE", nil},
		{"POST", http.Header{"Content-Type": {"application/json"}}},
	} {
		p, err := a.probe(site, c.method, c.header, omit)
		if err != nil {
			return err
		}
		common = append(common, p)
	}
	passes := func(p *probe) bool {
		return p.readable() || p.browsers[0].Withheld || p.first().Sent && p.first().Preflighted
	}
	switch m, h := passes(anyMethod), passes(anyHeader); {
	case m && h:
		a.add(Finding{ID: PreflightAllowsEverything, Severity: Low,
			Title: fmt.Sprintf("preflights allow every method and every header (%s, %s)", probeMethod, probeHeader),
			Why:   "the server approves whatever the preflight asks for, so its list of methods and headers protects nothing: a page allowed to read can also send any request it likes"}, anyMethod)
	case m:
		a.add(Finding{ID: PreflightAllowsEverything, Severity: Low,
			Title: fmt.Sprintf("preflights allow every method (%s)", probeMethod),
			Why:   "the server approves whatever method the preflight asks for, so its list of methods protects nothing"}, anyMethod)
	case h:
		a.add(Finding{ID: PreflightAllowsEverything, Severity: Low,
			Title: fmt.Sprintf("preflights allow every request header (%s)", probeHeader),
			Why:   "the server approves whatever headers the preflight asks for, so its list of headers protects nothing"}, anyHeader)
	}
	// Authentication before CORS: a 401 to a preflight; or a 403 to a
	// preflight when something other than CORS refuses it. A CORS library
	// refusing a preflight answers 403 too (github.com/jub0bs/cors), so a
	// 403 counts only when the site's plain GET is refused the same way
	// without CORS headers, or when the site may read (its GET is
	// readable) and even the least a CORS library approves, a preflight
	// asking for GET and no header, is refused.
	mine := base.actual()
	getRefused := mine != nil && (mine.Status == 401 || mine.Status == 403) && acao(mine) == ""
	for _, p := range []*probe{put, auth} {
		x := p.preflight()
		if x == nil {
			continue
		}
		gated := x.Status == http.StatusUnauthorized
		if x.Status == http.StatusForbidden && !gated {
			if getRefused {
				gated = true
			} else if base.readable() || baseCred.readable() {
				status, err := a.minimalPreflight()
				if err != nil {
					return err
				}
				gated = status == http.StatusUnauthorized || status == http.StatusForbidden
			}
		}
		if gated {
			a.add(Finding{ID: PreflightAuthRequired, Severity: Medium,
				Title: fmt.Sprintf("preflights are refused with %d: authentication runs before CORS", x.Status),
				Why:   "browsers never send cookies or Authorization with a preflight (CORS-preflight fetch, step 1: credentials mode omit), so a server that authenticates it first refuses every preflighted request: every PUT, DELETE and every fetch with Authorization or a JSON body fails"}, p)
			break
		}
	}
	// `*` with credentials on a preflight answer.
	for _, p := range []*probe{put, auth, anyHeader, anyMethod} {
		if x := p.preflight(); x != nil && acao(x) == "*" && x.ResponseHeader.Get("Access-Control-Allow-Credentials") == "true" {
			a.add(Finding{
				ID: WildcardWithCredentials, Severity: Medium,
				Title: "Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true",
				Why:   "browsers never accept * for a credentialed request (CORS check, step 3): credentialed fetches from every origin fail; to allow credentials the server must name the origin",
			}, put)
			break
		}
	}
	// Access-Control-Allow-Headers: * and Authorization.
	if x := auth.preflight(); x != nil && acao(x) != "" && wildcardOnly(x.ResponseHeader) {
		twice, err := a.authTwice()
		if err != nil {
			return err
		}
		a.add(Finding{ID: WildcardHeadersAuthorization, Severity: Medium,
			Title: "Access-Control-Allow-Headers: * is expected to allow Authorization",
			Why: "the standard says * never covers Authorization, which must be listed by name (CORS-preflight fetch, step 7.7: CORS non-wildcard request-header name), and with credentials * is no wildcard at all; " +
				"browsers let it through on a fresh preflight today, Firefox with a deprecation warning (CORSAllowHeaderFromPreflightDeprecation), " +
				"some do not let a cached * cover it and preflight every such request (see each browser), and a browser that follows the standard (the spec profile) blocks it: list Authorization by name"}, twice)
	}
	// Max-Age that browsers cap.
	for _, p := range append(common, put, auth, anyHeader, anyMethod) {
		x := p.preflight()
		if x == nil {
			continue
		}
		values := x.ResponseHeader.Values("Access-Control-Max-Age")
		if len(values) == 0 {
			continue
		}
		stated, capped := capsOf(a.profiles, values)
		if len(capped) > 0 {
			a.add(Finding{ID: MaxAgeCapped, Severity: Low,
				Title: fmt.Sprintf("Access-Control-Max-Age %s is longer than browsers cache preflights", stated),
				Why:   "browsers cap the preflight cache without a word (" + strings.Join(capped, "; ") + "): the server preflights more often than its Max-Age says, and a smaller Max-Age that every browser honours says what actually happens"}, p)
			break
		}
	}
	return nil
}

// wildcardOnly reports whether Access-Control-Allow-Headers is * without
// Authorization listed by name.
func wildcardOnly(h http.Header) bool {
	star, named := false, false
	for _, v := range h.Values("Access-Control-Allow-Headers") {
		for _, f := range strings.Split(v, ",") {
			switch f = strings.TrimSpace(f); {
			case f == "*":
				star = true
			case strings.EqualFold(f, "Authorization"):
				named = true
			}
		}
	}
	return star && !named
}

// minimalPreflight sends the preflight every CORS configuration that lets
// the site read approves, asking for GET and no header (browsers never
// send it: the audit's own diagnostic), and returns its status.
func (a *auditor) minimalPreflight() (int, error) {
	req, err := http.NewRequestWithContext(a.ctx, http.MethodOptions, a.target.URL, nil)
	if err != nil {
		return 0, fmt.Errorf("audit: %w", err)
	}
	req.Header.Set("Origin", a.site.String())
	req.Header.Set("Access-Control-Request-Method", "GET")
	rec := &corstest.Recorder{Next: a.target.Transport, SafeOnly: true, Document: a.site}
	resp, err := rec.RoundTrip(req)
	if err != nil {
		return 0, &NetworkError{Method: "OPTIONS", URL: a.target.URL, Err: err}
	}
	resp.Body.Close()
	a.probes++
	return resp.StatusCode, nil
}

// authTwice fetches with Authorization twice, one second apart, under each
// profile and the standard's, to show how each treats a `*` that is meant
// to cover it, fresh and cached.
func (a *auditor) authTwice() (*probe, error) {
	header := http.Header{"Authorization": {"Bearer corsim-probe"}}
	req := fetch.Request{URL: a.target.URL, Header: header, Credentials: omit}
	c := corstest.Case{Origin: a.site, Steps: []corstest.Step{{Request: req}, {At: time.Second, Request: req}}}
	p := &probe{req: Request{Origin: a.site.String(), Method: "GET", URL: a.target.URL, Header: header, Credentials: string(omit)}}
	profiles := a.profiles
	if !slices.ContainsFunc(profiles, func(p profile.Profile) bool { return p.Name == "spec" }) {
		profiles = append(slices.Clip(profiles), profile.Spec())
	}
	for _, prof := range profiles {
		res, err := corstest.RunCase(a.ctx, c, a.target, prof, a.clientOpts...)
		if err != nil {
			return nil, err
		}
		if err := transportFailure(res.Steps[0]); err != nil {
			return nil, err
		}
		b := describe(prof.Name, res.Steps[0])
		if res.Steps[0].Readable {
			if res.Steps[1].Preflighted {
				b.Outcome += "; a second request 1s later is preflighted again: the cached * does not serve it"
			} else {
				b.Outcome += "; a second request 1s later uses the cached preflight"
			}
		}
		p.steps = append(p.steps, res.Steps[0])
		p.browsers = append(p.browsers, b)
	}
	a.probes++
	return p, nil
}
