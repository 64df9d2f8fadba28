package main

import (
	"fmt"
	"strings"

	"github.com/corsim/corsim/scenario"
)

// Format-2 cases: the cookies a browser sends and stores on fetch() and
// the request headers it adds (Cookie, Referer, Sec-Fetch-*), in
// categories "cookies" and "metadata". Hosts: the page at a.test; api.a.test
// is same-site with it, b.test cross-site.
const (
	pageS     = "https://a.test"
	sameOrigS = "https://a.test/r"
	sameSiteS = "https://api.a.test/r"
	crossS    = "https://b.test/r"
)

// add2 records a format-2 scenario.
func (g *gen) add2(category, origin, name string, cookies []scenario.Cookie, server []scenario.Rule, steps ...scenario.Step) {
	g.add(category, origin, name, server, steps...)
	s := g.cases[len(g.cases)-1].s
	s.Format = 2
	s.Cookies = cookies
}

// hostRoot is the "/" URL of url's origin, where a first-party visit sets
// a cookie.
func hostRoot(url string) string {
	i := strings.Index(url[len("https://"):], "/")
	if strings.HasPrefix(url, "http://") {
		i = strings.Index(url[len("http://"):], "/") + len("http://")
	} else {
		i += len("https://")
	}
	return url[:i] + "/"
}

// credRule answers a credentialed CORS request from origin at url.
func credRule(method, origin, url string, extra ...string) scenario.Rule {
	return rule(method, url, 200, h(append([]string{"Access-Control-Allow-Origin", origin, "Access-Control-Allow-Credentials", "true", "Content-Type", "text/plain"}, extra...)...))
}

// credSteps fetches url once with each credentials mode.
func credSteps(url string) []scenario.Step {
	return []scenario.Step{
		step(0, scenario.Fetch{URL: url, Credentials: "omit"}),
		step(0.2, scenario.Fetch{URL: url, Credentials: "same-origin"}),
		step(0.4, scenario.Fetch{URL: url, Credentials: "include"}),
	}
}

func (g *gen) cookies() {
	const cat = "cookies"
	targets := []struct{ label, url string }{{"same-origin", sameOrigS}, {"same-site", sameSiteS}, {"cross-site", crossS}}
	attrs := []struct{ label, set string }{
		{"no SameSite", "c=1"},
		{"SameSite=Lax", "c=1; SameSite=Lax"},
		{"SameSite=Strict", "c=1; SameSite=Strict"},
		{"SameSite=None; Secure", "c=1; SameSite=None; Secure"},
		{"SameSite=None without Secure", "c=1; SameSite=None"},
		{"Secure, no SameSite", "c=1; Secure"},
	}
	// Each credentials mode against a target holding one cookie.
	for _, t := range targets {
		for _, a := range attrs {
			g.add2(cat, pageS, fmt.Sprintf("https page, cookie %q held for the %s target, GET with credentials omit, same-origin, include", a.set, t.label),
				[]scenario.Cookie{{URL: hostRoot(t.url), Set: a.set}},
				[]scenario.Rule{credRule("GET", pageS, t.url)}, credSteps(t.url)...)
		}
	}
	// Several cookies at once: which of them, in which order.
	all := []scenario.Cookie{}
	for i, a := range attrs {
		all = append(all, scenario.Cookie{URL: "", Set: strings.Replace(a.set, "c=1", fmt.Sprintf("c%d=1", i), 1)})
	}
	for _, t := range targets {
		cs := make([]scenario.Cookie, len(all))
		for i, c := range all {
			c.URL = hostRoot(t.url)
			cs[i] = c
		}
		g.add2(cat, pageS, fmt.Sprintf("https page, six cookies with every SameSite held for the %s target, GET with credentials include", t.label),
			cs, []scenario.Rule{credRule("GET", pageS, t.url)}, step(0, scenario.Fetch{URL: t.url, Credentials: "include"}))
	}
	// Secure cookies over http.
	const pageH = "http://a.test"
	for _, t := range []struct{ label, url string }{{"same-origin", "http://a.test/r"}, {"same-site", "http://api.a.test/r"}, {"cross-site", "http://b.test/r"}} {
		https := "https" + strings.TrimPrefix(hostRoot(t.url), "http")
		g.add2(cat, pageH, fmt.Sprintf("http page, Secure and plain cookies set over https for the %s target, GET over http with credentials include", t.label),
			[]scenario.Cookie{{URL: https, Set: "s=1; Secure"}, {URL: https, Set: "p=1"}, {URL: hostRoot(t.url), Set: "h=1"}},
			[]scenario.Rule{credRule("GET", pageH, t.url)}, step(0, scenario.Fetch{URL: t.url, Credentials: "include"}))
	}
	// Cookie prefixes, Domain and Path.
	for _, set := range []string{
		"__Host-x=1; Secure; Path=/",
		"__Host-x=1; Secure; Path=/; Domain=api.a.test",
		"__Host-x=1; Path=/",
		"__Host-x=1; Secure; Path=/r",
		"__Secure-x=1; Secure",
		"__Secure-x=1",
		"x=1; Domain=a.test",
		"x=1; Path=/other",
		"x=1; Path=/r",
		"x=1; Max-Age=0",
		"x=1; HttpOnly",
	} {
		g.add2(cat, pageS, fmt.Sprintf("cookie %q set by a first-party visit to https://api.a.test/, same-site GET with credentials include", set),
			[]scenario.Cookie{{URL: "https://api.a.test/", Set: set}},
			[]scenario.Rule{credRule("GET", pageS, sameSiteS)}, step(0, scenario.Fetch{URL: sameSiteS, Credentials: "include"}))
	}
	g.add2(cat, pageS, "cookie with Domain=a.test set by the page's own site is sent to api.a.test and to a.test",
		[]scenario.Cookie{{URL: "https://a.test/", Set: "d=1; Domain=a.test; SameSite=Lax"}, {URL: "https://a.test/", Set: "h=1"}},
		[]scenario.Rule{credRule("GET", pageS, sameSiteS), credRule("GET", pageS, sameOrigS)},
		step(0, scenario.Fetch{URL: sameSiteS, Credentials: "include"}), step(0.2, get(sameOrigS)))
	// Set-Cookie on responses, including ones whose CORS check fails.
	for _, t := range targets[1:] {
		for _, creds := range []string{"include", "omit", "same-origin"} {
			for _, acao := range []bool{false, true} {
				label := "without ACAO (the CORS check fails)"
				hs := []string{"Set-Cookie", "n=1; SameSite=None; Secure", "Set-Cookie", "l=1; SameSite=Lax", "Set-Cookie", "u=1", "Content-Type", "text/plain"}
				if acao {
					label = "with ACAO and ACAC"
					hs = append(hs, "Access-Control-Allow-Origin", pageS, "Access-Control-Allow-Credentials", "true")
				}
				g.add2(cat, pageS, fmt.Sprintf("%s response %s sets three cookies on a GET with credentials %s, then a credentialed GET shows which were stored", t.label, label, creds),
					nil,
					[]scenario.Rule{rule("GET", t.url+"/set", 200, h(hs...)), credRule("GET", pageS, t.url+"/echo")},
					step(0, scenario.Fetch{URL: t.url + "/set", Credentials: creds}),
					step(0.3, scenario.Fetch{URL: t.url + "/echo", Credentials: "include"}))
			}
		}
	}
	g.add2(cat, pageS, "same-origin response sets cookies on a GET with credentials same-origin, then they are sent back",
		nil,
		[]scenario.Rule{rule("GET", sameOrigS+"/set", 200, h("Set-Cookie", "l=1; SameSite=Lax", "Set-Cookie", "s=1; SameSite=Strict", "Set-Cookie", "u=1")), rule("GET", sameOrigS+"/echo", 200, h("Content-Type", "text/plain"))},
		step(0, get(sameOrigS+"/set")), step(0.3, get(sameOrigS+"/echo")))
	g.add2(cat, pageS, "no-cors GET with credentials include to a cross-site URL sets a cookie, then a same-site GET to it",
		nil,
		[]scenario.Rule{rule("GET", crossS+"/set", 200, h("Set-Cookie", "n=1; SameSite=None; Secure")), credRule("GET", pageS, crossS+"/echo")},
		step(0, scenario.Fetch{URL: crossS + "/set", Mode: "no-cors", Credentials: "include"}),
		step(0.3, scenario.Fetch{URL: crossS + "/echo", Credentials: "include"}))
	// Preflights never carry cookies.
	for _, t := range targets[1:] {
		g.add2(cat, pageS, fmt.Sprintf("preflighted PUT with credentials include to the %s target holding cookies: the preflight carries none", t.label),
			[]scenario.Cookie{{URL: hostRoot(t.url), Set: "n=1; SameSite=None; Secure"}, {URL: hostRoot(t.url), Set: "u=1"}},
			[]scenario.Rule{
				rule("OPTIONS", t.url, 204, h("Access-Control-Allow-Origin", pageS, "Access-Control-Allow-Credentials", "true", "Access-Control-Allow-Methods", "PUT")),
				credRule("PUT", pageS, t.url)},
			step(0, scenario.Fetch{URL: t.url, Method: "PUT", Credentials: "include"}))
	}
	// Redirect chains.
	chains := []struct {
		label string
		hops  []string
	}{
		{"same-site to same-site", []string{sameSiteS + "/1", sameSiteS + "/2"}},
		{"same-site to cross-site to same-site", []string{sameSiteS + "/1", crossS + "/2", sameSiteS + "/3"}},
		{"cross-site to same-site", []string{crossS + "/1", sameSiteS + "/2"}},
		{"same-origin to same-site", []string{sameOrigS + "/1", sameSiteS + "/2"}},
	}
	for _, c := range chains {
		var rules []scenario.Rule
		for i, u := range c.hops {
			acao := pageS
			if i > 0 && c.hops[0] != sameOrigS+"/1" {
				acao = "null" // a cross-origin hop taints the origin
			}
			if i+1 < len(c.hops) {
				rules = append(rules, rule("GET", u, 302, h("Location", c.hops[i+1], "Access-Control-Allow-Origin", acao, "Access-Control-Allow-Credentials", "true")))
			} else {
				rules = append(rules, credRule("GET", acao, u))
			}
		}
		g.add2(cat, pageS, fmt.Sprintf("GET with credentials include redirected %s, every host holding Lax, Strict, None and default cookies", c.label),
			[]scenario.Cookie{
				{URL: "https://api.a.test/", Set: "l=1; SameSite=Lax"}, {URL: "https://api.a.test/", Set: "s=1; SameSite=Strict"},
				{URL: "https://api.a.test/", Set: "n=1; SameSite=None; Secure"}, {URL: "https://api.a.test/", Set: "u=1"},
				{URL: "https://b.test/", Set: "bl=1; SameSite=Lax"}, {URL: "https://b.test/", Set: "bn=1; SameSite=None; Secure"},
				{URL: "https://a.test/", Set: "al=1; SameSite=Lax"}},
			rules, step(0, scenario.Fetch{URL: c.hops[0], Credentials: "include"}))
	}
}

func (g *gen) metadata() {
	const cat = "metadata"
	const pageH = "http://a.test"
	type tc struct {
		label, origin string
		fetch         scenario.Fetch
		rules         []scenario.Rule
	}
	cases := []tc{
		{"same-origin GET", pageS, get(sameOrigS), []scenario.Rule{rule("GET", sameOrigS, 200, nil)}},
		{"same-site GET", pageS, get(sameSiteS), []scenario.Rule{credRule("GET", pageS, sameSiteS)}},
		{"cross-site GET", pageS, get(crossS), []scenario.Rule{credRule("GET", pageS, crossS)}},
		{"cross-site GET to http (a downgrade)", pageS, get("http://b.test/r"), []scenario.Rule{credRule("GET", pageS, "http://b.test/r")}},
		{"same-origin no-cors GET", pageS, scenario.Fetch{URL: sameOrigS, Mode: "no-cors"}, []scenario.Rule{rule("GET", sameOrigS, 200, nil)}},
		{"same-site no-cors GET", pageS, scenario.Fetch{URL: sameSiteS, Mode: "no-cors"}, []scenario.Rule{rule("GET", sameSiteS, 200, nil)}},
		{"cross-site no-cors POST", pageS, scenario.Fetch{URL: crossS, Mode: "no-cors", Method: "POST", Body: body("x")}, []scenario.Rule{rule("POST", crossS, 200, nil)}},
		{"same-origin mode same-origin GET", pageS, scenario.Fetch{URL: sameOrigS, Mode: "same-origin"}, []scenario.Rule{rule("GET", sameOrigS, 200, nil)}},
		{"cross-site mode same-origin GET (refused before the wire)", pageS, scenario.Fetch{URL: crossS, Mode: "same-origin"}, []scenario.Rule{rule("GET", crossS, 200, nil)}},
		{"same-site preflighted PUT", pageS, scenario.Fetch{URL: sameSiteS, Method: "PUT"}, []scenario.Rule{permissivePreflight(pageS, sameSiteS), credRule("PUT", pageS, sameSiteS)}},
		{"cross-site preflighted PUT with credentials include", pageS, scenario.Fetch{URL: crossS, Method: "PUT", Credentials: "include"},
			[]scenario.Rule{rule("OPTIONS", crossS, 204, h("Access-Control-Allow-Origin", pageS, "Access-Control-Allow-Credentials", "true", "Access-Control-Allow-Methods", "PUT")), credRule("PUT", pageS, crossS)}},
		{"cross-site GET, CORS check fails", pageS, get(crossS), []scenario.Rule{rule("GET", crossS, 200, nil)}},
		{"http page, cross-site GET to http", pageH, get("http://b.test/r"), []scenario.Rule{credRule("GET", pageH, "http://b.test/r")}},
		{"http page, same-origin GET", pageH, get("http://a.test/r"), []scenario.Rule{rule("GET", "http://a.test/r", 200, nil)}},
		{"http page, cross-site GET to https", pageH, get(crossS), []scenario.Rule{credRule("GET", pageH, crossS)}},
		{"http page, same-site no-cors GET to https", pageH, scenario.Fetch{URL: sameSiteS, Mode: "no-cors"}, []scenario.Rule{rule("GET", sameSiteS, 200, nil)}},
		{"redirect same-origin to cross-site", pageS, get(sameOrigS + "/1"), []scenario.Rule{
			rule("GET", sameOrigS+"/1", 302, h("Location", crossS+"/2")), credRule("GET", pageS, crossS+"/2")}},
		{"redirect cross-site to same-origin", pageS, get(crossS + "/1"), []scenario.Rule{
			rule("GET", crossS+"/1", 302, h("Location", sameOrigS+"/2", "Access-Control-Allow-Origin", pageS)), credRule("GET", "null", sameOrigS+"/2")}},
		{"redirect same-site to same-origin", pageS, get(sameSiteS + "/1"), []scenario.Rule{
			rule("GET", sameSiteS+"/1", 302, h("Location", sameOrigS+"/2", "Access-Control-Allow-Origin", pageS)), credRule("GET", "null", sameOrigS+"/2")}},
		{"redirect same-origin to same-site", pageS, get(sameOrigS + "/1"), []scenario.Rule{
			rule("GET", sameOrigS+"/1", 302, h("Location", sameSiteS+"/2")), credRule("GET", pageS, sameSiteS+"/2")}},
		{"redirect same-origin to same-origin", pageS, get(sameOrigS + "/1"), []scenario.Rule{
			rule("GET", sameOrigS+"/1", 302, h("Location", sameOrigS+"/2")), rule("GET", sameOrigS+"/2", 200, nil)}},
		{"redirect same-site to same-site", pageS, get(sameSiteS + "/1"), []scenario.Rule{
			rule("GET", sameSiteS+"/1", 302, h("Location", sameSiteS+"/2", "Access-Control-Allow-Origin", pageS)), credRule("GET", pageS, sameSiteS+"/2")}},
		{"redirect same-site to cross-site to same-site", pageS, get(sameSiteS + "/1"), []scenario.Rule{
			rule("GET", sameSiteS+"/1", 302, h("Location", crossS+"/2", "Access-Control-Allow-Origin", pageS)),
			rule("GET", crossS+"/2", 302, h("Location", sameSiteS+"/3", "Access-Control-Allow-Origin", "null")),
			credRule("GET", "null", sameSiteS+"/3")}},
		{"no-cors redirect same-origin to cross-site to same-origin", pageS, scenario.Fetch{URL: sameOrigS + "/1", Mode: "no-cors"}, []scenario.Rule{
			rule("GET", sameOrigS+"/1", 302, h("Location", crossS+"/2")),
			rule("GET", crossS+"/2", 302, h("Location", sameOrigS+"/3")),
			rule("GET", sameOrigS+"/3", 200, nil)}},
		{"https page, redirect to http downgrade", pageS, get(sameSiteS + "/1"), []scenario.Rule{
			rule("GET", sameSiteS+"/1", 302, h("Location", "http://b.test/2", "Access-Control-Allow-Origin", pageS)), credRule("GET", "null", "http://b.test/2")}},
	}
	for _, c := range cases {
		g.add2(cat, c.origin, fmt.Sprintf("%s page: %s, its Sec-Fetch-* and Referer", c.origin, c.label), nil, c.rules, step(0, c.fetch))
	}
}
