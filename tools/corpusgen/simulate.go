package main

import (
	"fmt"
	"strings"

	"github.com/corsim/corsim/redirect"
	"github.com/corsim/corsim/scenario"
)

// The cases below probe what a script can pass to fetch() and what a server
// can put on the wire that the engine once refused to load (issue 7,
// section 3), and the corners section 4 names: modes across redirects,
// preflights after a redirect, repeated request headers, safelist byte
// limits, Range forms, control bytes in console lines, and the order in
// which a disallowed header is named. They are recorded in all three
// browsers under the same relative paths.

const C = "http://c.test/r"

// acao is a response that passes the CORS check for A.
func acao(extra ...string) []scenario.Header {
	return h(append([]string{"Access-Control-Allow-Origin", A, "Content-Type", "text/plain"}, extra...)...)
}

// raw is a rule with exactly the given status, headers and optional body.
func raw(method, url string, status int, headers []scenario.Header, b *string) scenario.Rule {
	if headers == nil {
		headers = []scenario.Header{}
	}
	return scenario.Rule{Method: method, URL: url, Status: status, Headers: headers, Body: b}
}

// typeErrors: what the Request constructor and the Headers API reject
// before anything is sent, and the arguments they quietly accept.
func (g *gen) typeErrors() {
	ok := []scenario.Rule{rule("GET", B, 200, acao()), rule("POST", B, 200, acao()), permissivePreflight(A, B), rule("PUT", B, 200, acao())}
	for _, name := range []string{"X Foo", "X@Foo", "", "X-Fóo", "X-Foo:", "(X)", "X\tFoo"} {
		g.add("typeerror", A, fmt.Sprintf("GET with a request header named %q", name), ok,
			step(0, scenario.Fetch{URL: B, Headers: h(name, "1")}))
	}
	// Values with other control bytes (0x01, 0x7F) are left out: fetch()
	// sends them, but the recorder's Go server refuses such a request and
	// closes the connection, which would record the server, not the browser.
	for _, v := range []string{"a\x00b", "a\rb", "a\nb", "a\r\nb", " 1\r\n", "\t1 ", "é"} {
		g.add("typeerror", A, fmt.Sprintf("GET with X-Foo value %q", v), ok,
			step(0, scenario.Fetch{URL: B, Headers: h("X-Foo", v)}))
	}
	for _, m := range []string{"CONNECT", "connect", "TRACE", "track", "GE T", "", "G\u00e9T", "patch", "Delete"} {
		g.add("typeerror", A, fmt.Sprintf("fetch with method %q", m), ok,
			step(0, scenario.Fetch{URL: B, Method: m}))
	}
	for _, m := range []string{"GET", "HEAD", "get", "head"} {
		g.add("typeerror", A, fmt.Sprintf("%s with a string body", m), ok,
			step(0, scenario.Fetch{URL: B, Method: m, Body: body("x")}))
	}
	g.add("typeerror", A, "GET with an empty string body", ok, step(0, scenario.Fetch{URL: B, Body: body("")}))
	for _, u := range []string{"http://exa mple.test/r", "http://[::1", "http://b.test:99999/r", "http://b.test:65536/r", "ht tp://b.test/r", "http://", "http://b.test%00/r", "//b.test/r", "/r", "r", "", "?q=1", "#frag"} {
		g.add("typeerror", A, fmt.Sprintf("fetch of the URL %q", u), []scenario.Rule{
			rule("GET", B, 200, acao()), rule("GET", "http://a.test/r", 200, h("Content-Type", "text/plain")),
			rule("GET", "http://a.test/", 200, h("Content-Type", "text/plain")), rule("GET", "http://a.test/?q=1", 200, h("Content-Type", "text/plain")),
		}, step(0, get(u)))
	}
	for _, u := range []string{"http://u:p@b.test/r", "http://u@b.test/r", "http://:p@b.test/r", "http://u:p@a.test/r"} {
		g.add("typeerror", A, fmt.Sprintf("fetch of a URL with credentials %q", u), ok, step(0, get(u)))
	}
	for _, u := range []string{"data:,hello", "data:text/html,<b>x</b>", "about:blank", "ftp://b.test/r", "file:///etc/hostname", "javascript:1", "ws://b.test/r", "blob:http://a.test/x", "mailto:x@b.test"} {
		for _, mode := range []string{"cors", "no-cors", "same-origin"} {
			g.add("typeerror", A, fmt.Sprintf("%s fetch of the URL %q", mode, u), nil,
				step(0, scenario.Fetch{URL: u, Mode: mode}))
		}
	}
	for _, f := range []scenario.Fetch{
		{URL: B, Mode: "navigate"}, {URL: B, Mode: "websocket"}, {URL: B, Mode: "CORS"}, {URL: B, Mode: "bogus"},
		{URL: B, Credentials: "bogus"}, {URL: B, Credentials: "Include"}, {URL: B, Redirect: "bogus"}, {URL: B, Redirect: "FOLLOW"},
		{URL: B, Mode: "no-cors", Method: "PUT"}, {URL: B, Mode: "no-cors", Method: "DELETE"}, {URL: B, Mode: "no-cors", Redirect: "manual"},
		{URL: B, Mode: "no-cors", Redirect: "error"}, {URL: B, Mode: "no-cors", Method: "patch"},
		{URL: B, Mode: "same-origin", Credentials: "omit"}, {URL: "http://a.test/r", Mode: "same-origin", Redirect: "manual"},
		{URL: B, Mode: "no-cors", Headers: h("X-Foo", "1", "Accept", "x/y")},
	} {
		g.add("typeerror", A, fmt.Sprintf("fetch with mode %q, credentials %q, redirect %q, method %q, headers %v", f.Mode, f.Credentials, f.Redirect, f.Method, f.Headers), append(ok, rule("GET", "http://a.test/r", 200, nil), rule("DELETE", B, 200, nil)), step(0, f))
	}
}

// statuses: every kind of status line a server can send, on a simple
// request, on a no-cors request and on a preflight.
func (g *gen) statuses() {
	for _, st := range []int{0, 1, 10, 99, 100, 101, 102, 103, 199, 200, 201, 203, 204, 205, 206, 226, 299, 300, 304, 305, 306, 309, 399, 400, 407, 418, 499, 599, 600, 699, 700, 999, 1000, 1200, 2000, 99999} {
		g.add("status", A, fmt.Sprintf("GET answered %d with ACAO the origin and a body", st),
			[]scenario.Rule{raw("GET", B, st, acao(), body("ok"))}, step(0, get(B)))
	}
	for _, st := range []int{0, 100, 101, 204, 600, 999, 1000} {
		g.add("status", A, fmt.Sprintf("no-cors GET answered %d", st),
			[]scenario.Rule{raw("GET", B, st, h("Content-Type", "text/plain"), body("ok"))}, step(0, scenario.Fetch{URL: B, Mode: "no-cors"}))
		g.add("status", A, fmt.Sprintf("same-origin GET answered %d", st),
			[]scenario.Rule{raw("GET", "http://a.test/r", st, h("Content-Type", "text/plain"), body("ok"))}, step(0, get("http://a.test/r")))
	}
	for _, st := range []int{204, 205, 304} {
		g.add("status", A, fmt.Sprintf("GET answered %d with a body and Content-Length", st),
			[]scenario.Rule{raw("GET", B, st, acao("Content-Length", "2"), body("ok"))}, step(0, get(B)))
	}
	g.add("status", A, "HEAD answered 600 with ACAO the origin",
		[]scenario.Rule{raw("HEAD", B, 600, acao(), nil)}, step(0, scenario.Fetch{URL: B, Method: "HEAD"}))
	// Preflight statuses.
	for _, st := range []int{0, 100, 101, 199, 200, 203, 204, 206, 299, 300, 301, 302, 303, 304, 307, 308, 401, 403, 407, 600, 999, 1000} {
		hs := []string{"Access-Control-Allow-Origin", A, "Access-Control-Allow-Methods", "PUT"}
		if st >= 300 && st < 400 {
			hs = append(hs, "Location", C)
		}
		if st == 401 {
			hs = append(hs, "WWW-Authenticate", `Basic realm="x"`)
		}
		if st == 407 {
			hs = append(hs, "Proxy-Authenticate", `Basic realm="x"`)
		}
		g.add("preflight-status", A, fmt.Sprintf("PUT whose preflight is answered %d with ACAO the origin and Allow-Methods PUT", st),
			[]scenario.Rule{raw("OPTIONS", B, st, h(hs...), nil), rule("PUT", B, 200, acao()), rule("OPTIONS", C, 204, h("Access-Control-Allow-Origin", "*", "Access-Control-Allow-Methods", "PUT"))},
			step(0, scenario.Fetch{URL: B, Method: "PUT"}))
	}
	g.add("preflight-status", A, "PUT whose preflight is answered 407 without any CORS header",
		[]scenario.Rule{raw("OPTIONS", B, 407, h("Proxy-Authenticate", `Basic realm="x"`), nil), rule("PUT", B, 200, acao())},
		step(0, scenario.Fetch{URL: B, Method: "PUT"}))
	g.add("preflight-status", A, "PUT whose preflight is answered 401 without any CORS header",
		[]scenario.Rule{raw("OPTIONS", B, 401, h("WWW-Authenticate", `Basic realm="x"`), nil), rule("PUT", B, 200, acao())},
		step(0, scenario.Fetch{URL: B, Method: "PUT"}))
	g.add("status", A, "GET answered 407 with Proxy-Authenticate and ACAO the origin",
		[]scenario.Rule{raw("GET", B, 407, acao("Proxy-Authenticate", `Basic realm="x"`), body("ok"))}, step(0, get(B)))
	g.add("status", A, "GET answered 401 with WWW-Authenticate and ACAO the origin",
		[]scenario.Rule{raw("GET", B, 401, acao("WWW-Authenticate", `Basic realm="x"`), body("ok"))}, step(0, get(B)))
}

// invalidResponses: header bytes a browser may treat as an invalid
// response, a dropped line, or a header like any other.
func (g *gen) invalidResponses() {
	for _, c := range []struct{ name, value string }{
		{"X Foo", "1"}, {"X@Foo", "1"}, {"", "1"}, {"X-Foo ", "1"}, {" X-Foo", "1"}, {"X-Fóo", "1"}, {"X\x00Foo", "1"},
		{"X-Foo", "a\x00b"}, {"X-Foo", "a\rb"}, {"X-Foo", "a\x01b"}, {"X-Foo", "a\x7fb"}, {"X-Foo", "\xff"},
		{"X-Foo", "a\r\n b"}, {"X-Foo", "a\r\n\tb"}, {"X-Foo", "a\r\nX-Bar: 2"}, {"X-Foo", "a\nX-Bar: 2"},
		{"X-Foo: 1\r\nX-Bar", "2"}, {"X-Foo", "a\r\n\r\n"},
	} {
		g.add("invalid-response", A, fmt.Sprintf("GET answered 200 with ACAO * and a header line %q: %q", c.name, c.value),
			[]scenario.Rule{raw("GET", B, 200, h("Access-Control-Allow-Origin", "*", c.name, c.value, "Access-Control-Expose-Headers", "*", "X-After", "1"), body("ok"))},
			step(0, get(B)))
	}
	for _, c := range [][]string{
		{"Content-Length", "2", "Content-Length", "3"},
		{"Content-Length", "2", "Content-Length", "2"},
		{"Content-Length", "2, 2"},
		{"Content-Length", "-1"},
		{"Content-Length", "x"},
		{"Content-Length", "99"},
		{"Transfer-Encoding", "chunked"},
		{"Transfer-Encoding", "bogus"},
		{"Content-Disposition", "inline", "Content-Disposition", "attachment"},
		{"Location", "http://c.test/a", "Location", "http://c.test/b"},
		{"Content-Encoding", "gzip"},
		{"Content-Encoding", "bogus"},
	} {
		g.add("invalid-response", A, fmt.Sprintf("GET answered 200 with ACAO the origin and %q", strings.Join(c, ": ")),
			[]scenario.Rule{raw("GET", B, 200, acao(c...), body("ok"))}, step(0, get(B)))
	}
	g.add("invalid-response", A, "GET answered 302 with two different Location lines",
		[]scenario.Rule{raw("GET", B, 302, acao("Location", "http://c.test/a", "Location", "http://c.test/b"), nil),
			rule("GET", "http://c.test/a", 200, h("Access-Control-Allow-Origin", "*")), rule("GET", "http://c.test/b", 200, h("Access-Control-Allow-Origin", "*"))},
		step(0, get(B)))
	g.add("invalid-response", A, "GET answered 302 with the same Location twice",
		[]scenario.Rule{raw("GET", B, 302, acao("Location", "http://c.test/a", "Location", "http://c.test/a"), nil),
			rule("GET", "http://c.test/a", 200, h("Access-Control-Allow-Origin", "*"))},
		step(0, get(B)))
	for _, v := range []string{"http://a.test\x01", "http://a.test\x7f", "http://a.te\tst", "\x01", "http://a.test\x00"} {
		g.add("console-control", A, fmt.Sprintf("GET answered with ACAO %q", v),
			[]scenario.Rule{raw("GET", B, 200, h("Access-Control-Allow-Origin", v), body("ok"))}, step(0, get(B)))
		g.add("console-control", A, fmt.Sprintf("PUT whose preflight answers ACAO %q", v),
			[]scenario.Rule{raw("OPTIONS", B, 204, h("Access-Control-Allow-Origin", v, "Access-Control-Allow-Methods", "PUT"), nil), rule("PUT", B, 200, acao())},
			step(0, scenario.Fetch{URL: B, Method: "PUT"}))
	}
	for _, v := range []string{"tr\x01ue", "true\x7f"} {
		g.add("console-control", A, fmt.Sprintf("credentialed GET answered with ACAC %q", v),
			[]scenario.Rule{raw("GET", B, 200, h("Access-Control-Allow-Origin", A, "Access-Control-Allow-Credentials", v), body("ok"))}, step(0, scenario.Fetch{URL: B, Credentials: "include"}))
	}
	for _, v := range []string{"PUT\x01", "X-Foo\x01"} {
		g.add("console-control", A, fmt.Sprintf("PUT with X-Foo whose preflight answers Allow-Methods and Allow-Headers %q", v),
			[]scenario.Rule{raw("OPTIONS", B, 204, h("Access-Control-Allow-Origin", A, "Access-Control-Allow-Methods", v, "Access-Control-Allow-Headers", v), nil), rule("PUT", B, 200, acao())},
			step(0, scenario.Fetch{URL: B, Method: "PUT", Headers: h("X-Foo", "1")}))
	}
}

// badPorts: ports the Fetch standard blocks, on the first request and on a
// redirect, and ports near them that are not blocked.
func (g *gen) badPorts() {
	for _, p := range []int{0, 1, 7, 21, 25, 79, 110, 143, 179, 427, 554, 587, 993, 1719, 2049, 3659, 4045, 4190, 5060, 6000, 6566, 6665, 6679, 6697, 10080, 6664, 6670, 8080, 10081} {
		u := fmt.Sprintf("http://b.test:%d/r", p)
		g.add("bad-port", A, fmt.Sprintf("GET to port %d", p),
			[]scenario.Rule{rule("GET", u, 200, h("Access-Control-Allow-Origin", "*"))}, step(0, get(u)))
	}
	for _, p := range []int{25, 6000, 10080} {
		u := fmt.Sprintf("http://b.test:%d/r", p)
		g.add("bad-port", A, fmt.Sprintf("GET redirected 302 to port %d", p),
			[]scenario.Rule{rule("GET", B, 302, h("Access-Control-Allow-Origin", "*", "Location", u)), rule("GET", u, 200, h("Access-Control-Allow-Origin", "*"))},
			step(0, get(B)))
		g.add("bad-port", A, fmt.Sprintf("no-cors GET to port %d", p),
			[]scenario.Rule{rule("GET", u, 200, nil)}, step(0, scenario.Fetch{URL: u, Mode: "no-cors"}))
		g.add("bad-port", A, fmt.Sprintf("no-cors GET redirected 302 to port %d", p),
			[]scenario.Rule{rule("GET", B, 302, h("Location", u)), rule("GET", u, 200, nil)}, step(0, scenario.Fetch{URL: B, Mode: "no-cors"}))
		g.add("bad-port", A, fmt.Sprintf("GET redirected 302 to port %d with redirect manual", p),
			[]scenario.Rule{rule("GET", B, 302, h("Access-Control-Allow-Origin", "*", "Location", u)), rule("GET", u, 200, h("Access-Control-Allow-Origin", "*"))},
			step(0, scenario.Fetch{URL: B, Redirect: "manual"}))
		g.add("bad-port", A, fmt.Sprintf("PUT to port %d", p),
			[]scenario.Rule{permissivePreflight(A, u), rule("PUT", u, 200, acao())}, step(0, scenario.Fetch{URL: u, Method: "PUT"}))
		su := fmt.Sprintf("http://a.test:%d/r", p)
		g.add("bad-port", A, fmt.Sprintf("same-origin-host GET to port %d", p),
			[]scenario.Rule{rule("GET", su, 200, h("Access-Control-Allow-Origin", "*"))}, step(0, get(su)))
	}
	g.add("bad-port", A, "https GET to port 993", []scenario.Rule{rule("GET", "https://b.test:993/r", 200, h("Access-Control-Allow-Origin", "*"))}, step(0, get("https://b.test:993/r")))
}

// redirectRules: credentials and schemes in a Location, across modes and
// starting points.
func (g *gen) redirectRules() {
	type start struct{ label, url string }
	starts := []start{{"same-origin", "http://a.test/r"}, {"cross-origin", B}}
	locs := []string{"http://u:p@c.test/r", "http://u@c.test/r", "//u:p@c.test/r", "http://u:p@a.test/f", "http://u:p@b.test/r2",
		"data:,hello", "about:blank", "ftp://c.test/r", "file:///etc/hostname", "javascript:1", "blob:http://a.test/x", "mailto:x@c.test", "ws://c.test/r", "wss://c.test/r", "foo:bar", "http:", "http://[::1", "https://c.test:99999/r"}
	for _, s := range starts {
		for _, loc := range locs {
			for _, mode := range []string{"cors", "no-cors", "same-origin"} {
				rules := []scenario.Rule{
					rule("GET", s.url, 302, h("Access-Control-Allow-Origin", "*", "Location", loc)),
					rule("GET", C, 200, h("Access-Control-Allow-Origin", "*")),
					rule("GET", "http://a.test/f", 200, h("Access-Control-Allow-Origin", "*")),
					rule("GET", "http://b.test/r2", 200, h("Access-Control-Allow-Origin", "*")),
				}
				g.add("redirect-rules", A, fmt.Sprintf("%s %s GET redirected 302 to %q", s.label, mode, loc), rules,
					step(0, scenario.Fetch{URL: s.url, Mode: mode}))
			}
			for _, rm := range []string{"manual", "error"} {
				g.add("redirect-rules", A, fmt.Sprintf("%s GET with redirect %s, 302 to %q", s.label, rm, loc),
					[]scenario.Rule{rule("GET", s.url, 302, h("Access-Control-Allow-Origin", "*", "Location", loc))},
					step(0, scenario.Fetch{URL: s.url, Redirect: rm}))
			}
		}
	}
}

// externalSchemeRedirects: no-cors requests redirected to mailto: and other
// schemes a browser hands to another program, across redirect statuses,
// methods and chains (Firefox makes some of them twice).
func (g *gen) externalSchemeRedirects() {
	const mailto = "mailto:x@c.test"
	for _, loc := range []string{"tel:1", "sms:1", "irc:x", "news:x", "webcal:x", "magnet:?x", "xmpp:x", "geo:1,2", "market:x", "mailto:", "MAILTO:x@c.test"} {
		g.add("redirect-rules", A, fmt.Sprintf("no-cors GET redirected 302 to %q", loc),
			[]scenario.Rule{rule("GET", B, 302, h("Access-Control-Allow-Origin", "*", "Location", loc))}, step(0, scenario.Fetch{URL: B, Mode: "no-cors"}))
	}
	for _, mode := range []string{"cors", "same-origin"} {
		g.add("redirect-rules", A, fmt.Sprintf("%s GET redirected 302 to %q", mode, "tel:1"),
			[]scenario.Rule{rule("GET", B, 302, h("Access-Control-Allow-Origin", "*", "Location", "tel:1"))}, step(0, scenario.Fetch{URL: B, Mode: mode}))
	}
	for _, st := range []int{301, 303, 307, 308} {
		g.add("redirect-rules", A, fmt.Sprintf("no-cors GET redirected %d to %q", st, mailto),
			[]scenario.Rule{rule("GET", B, st, h("Access-Control-Allow-Origin", "*", "Location", mailto))}, step(0, scenario.Fetch{URL: B, Mode: "no-cors"}))
	}
	chains := []struct {
		label, method string
		status        int
		hops          []string
	}{
		{"b", "POST", 307, []string{B}},
		{"b", "POST", 303, []string{B}},
		{"a→b", "GET", 302, []string{"http://a.test/f", B}},
		{"b→c", "GET", 302, []string{B, C}},
		{"b→a", "GET", 302, []string{B, "http://a.test/f"}},
		{"a→b", "POST", 307, []string{"http://a.test/f", B}},
		{"b→c", "POST", 307, []string{B, C}},
		{"a→b", "POST", 302, []string{"http://a.test/f", B}},
	}
	for _, c := range chains {
		var rules []scenario.Rule
		method := c.method
		for i, u := range c.hops {
			next := mailto
			if i+1 < len(c.hops) {
				next = c.hops[i+1]
			}
			rules = append(rules, rule(method, u, c.status, h("Access-Control-Allow-Origin", "*", "Location", next)))
			method, _ = redirect.MethodRewrite(c.status, method)
		}
		f := scenario.Fetch{URL: c.hops[0], Mode: "no-cors", Method: c.method}
		if c.method == "POST" {
			f.Body = body("x")
		}
		g.add("redirect-rules", A, fmt.Sprintf("no-cors %s %s redirected %d, then to %q", c.method, c.label, c.status, mailto), rules, step(0, f))
	}
}

// modesAcrossRedirects: no-cors and same-origin requests that redirect.
func (g *gen) modesAcrossRedirects() {
	chains := []struct {
		label string
		hops  []string
	}{
		{"a→b", []string{"http://a.test/r", B}},
		{"b→a", []string{B, "http://a.test/f"}},
		{"a→b→a", []string{"http://a.test/r", B, "http://a.test/f"}},
		{"a→a", []string{"http://a.test/r", "http://a.test/f"}},
		{"b→c", []string{B, C}},
		{"b→b", []string{B, "http://b.test/f"}},
	}
	for _, c := range chains {
		for _, mode := range []string{"no-cors", "same-origin"} {
			for _, m := range []struct {
				method string
				status int
			}{{"GET", 302}, {"POST", 302}, {"POST", 303}, {"POST", 307}, {"HEAD", 301}} {
				var rules []scenario.Rule
				for i, u := range c.hops {
					if i+1 < len(c.hops) {
						rules = append(rules, raw(m.method, u, m.status, h("Location", c.hops[i+1], "Access-Control-Allow-Origin", "*"), nil))
					} else {
						for _, fm := range []string{"GET", "POST", "HEAD"} {
							rules = append(rules, rule(fm, u, 200, h("Access-Control-Allow-Origin", "*", "Content-Type", "text/plain", "X-Secret", "1")))
						}
					}
				}
				f := scenario.Fetch{URL: c.hops[0], Mode: mode, Method: m.method}
				if m.method == "POST" {
					f.Body = body("x")
				}
				g.add("modes-redirect", A, fmt.Sprintf("%s %s %s redirected %d", mode, m.method, c.label, m.status), rules, step(0, f))
			}
		}
	}
}

// preflightAfterRedirect: a request that needs a preflight only meets one
// after a redirect, or meets a second one there.
func (g *gen) preflightAfterRedirect() {
	for _, st := range []int{301, 302, 307, 308} {
		for _, pacao := range []string{"null", A, "*"} {
			g.add("preflight-after-redirect", A, fmt.Sprintf("PUT with X-Foo preflighted at b, redirected %d to c, c's preflight ACAO %s", st, pacao),
				[]scenario.Rule{
					permissivePreflight(A, B),
					raw("PUT", B, st, h("Access-Control-Allow-Origin", A, "Location", C), nil),
					rule("OPTIONS", C, 204, h("Access-Control-Allow-Origin", pacao, "Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "X-Foo")),
					rule("PUT", C, 200, h("Access-Control-Allow-Origin", pacao)),
					rule("GET", C, 200, h("Access-Control-Allow-Origin", pacao)),
				}, step(0, scenario.Fetch{URL: B, Method: "PUT", Headers: h("X-Foo", "1"), Body: body("x")}))
		}
	}
	for _, pacao := range []string{"null", A, "*"} {
		g.add("preflight-after-redirect", A, fmt.Sprintf("same-origin PUT with X-Foo redirected 307 to b, b's preflight ACAO %s", pacao),
			[]scenario.Rule{
				raw("PUT", "http://a.test/r", 307, h("Location", B), nil),
				rule("OPTIONS", B, 204, h("Access-Control-Allow-Origin", pacao, "Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "X-Foo")),
				rule("PUT", B, 200, h("Access-Control-Allow-Origin", pacao)),
			}, step(0, scenario.Fetch{URL: "http://a.test/r", Method: "PUT", Headers: h("X-Foo", "1")}))
		g.add("preflight-after-redirect", A, fmt.Sprintf("GET with X-Foo preflighted at b, redirected 302 to c, c's preflight ACAO %s", pacao),
			[]scenario.Rule{
				permissivePreflight(A, B),
				raw("GET", B, 302, h("Access-Control-Allow-Origin", A, "Location", C), nil),
				rule("OPTIONS", C, 204, h("Access-Control-Allow-Origin", pacao, "Access-Control-Allow-Headers", "X-Foo")),
				rule("GET", C, 200, h("Access-Control-Allow-Origin", pacao)),
			}, step(0, scenario.Fetch{URL: B, Headers: h("X-Foo", "1")}))
		g.add("preflight-after-redirect", A, fmt.Sprintf("GET with X-Foo preflighted at b, redirected 302 back to b, second preflight ACAO %s", pacao),
			[]scenario.Rule{
				permissivePreflight(A, B),
				raw("GET", B, 302, h("Access-Control-Allow-Origin", A, "Location", "http://b.test/f"), nil),
				rule("OPTIONS", "http://b.test/f", 204, h("Access-Control-Allow-Origin", pacao, "Access-Control-Allow-Headers", "X-Foo")),
				rule("GET", "http://b.test/f", 200, h("Access-Control-Allow-Origin", pacao)),
			}, step(0, scenario.Fetch{URL: B, Headers: h("X-Foo", "1")}))
	}
}

// requestHeaders: repeated and case-variant request headers, the byte
// limits of safelisted values, Range forms, and which disallowed header a
// browser names first.
func (g *gen) requestHeaders() {
	pf := []scenario.Rule{permissivePreflight(A, B), rule("GET", B, 200, acao()), rule("POST", B, 200, acao())}
	none := []scenario.Rule{rule("GET", B, 200, acao()), rule("POST", B, 200, acao())}
	for _, hs := range [][]string{
		{"X-Foo", "1", "x-foo", "2"},
		{"X-Foo", "1", "X-FOO", "2", "x-Foo", "3"},
		{"Accept", "text/plain", "accept", "text/html"},
		{"Accept-Language", "en", "ACCEPT-LANGUAGE", "fr"},
		{"Content-Language", "en", "content-language", "fr"},
		{"X-B", "1", "x-a", "2", "X-b", "3"},
		{"Range", "bytes=0-1", "range", "bytes=2-3"},
		{"Accept", "x", "X-Foo", "1", "accept", "y"},
	} {
		for _, rs := range []struct {
			label string
			rules []scenario.Rule
		}{{"permissive preflight", pf}, {"no preflight answer", none}} {
			g.add("request-headers", A, fmt.Sprintf("GET with headers %q, %s", hs, rs.label), rs.rules, step(0, scenario.Fetch{URL: B, Headers: h(hs...)}))
		}
	}
	for _, hs := range [][]string{
		{"Content-Type", "text/plain", "content-type", "text/html"},
		{"Content-Type", "text/plain", "CONTENT-TYPE", "text/plain"},
		{"content-type", "application/x-www-form-urlencoded"},
	} {
		for _, rs := range []struct {
			label string
			rules []scenario.Rule
		}{{"permissive preflight", pf}, {"no preflight answer", none}} {
			g.add("request-headers", A, fmt.Sprintf("POST with headers %q, %s", hs, rs.label), rs.rules, step(0, scenario.Fetch{URL: B, Method: "POST", Headers: h(hs...), Body: body("x")}))
		}
	}
	// Byte limits: a value of exactly 128 bytes and one of 129, and totals
	// around 1024.
	for _, name := range []string{"Accept", "Accept-Language", "Content-Language", "Content-Type"} {
		for _, n := range []int{127, 128, 129} {
			v := limitValue(name, n)
			method, b := "GET", (*string)(nil)
			if name == "Content-Type" {
				method, b = "POST", body("x")
			}
			g.add("safelist-limits", A, fmt.Sprintf("%s with %s of %d bytes, no preflight answer", method, name, n), none,
				step(0, scenario.Fetch{URL: B, Method: method, Headers: h(name, v), Body: b}))
		}
	}
	for _, total := range []int{1023, 1024, 1025} {
		hs := nineSafelisted(total)
		g.add("safelist-limits", A, fmt.Sprintf("POST with nine safelisted values totalling %d bytes, no preflight answer", total), none,
			step(0, scenario.Fetch{URL: B, Method: "POST", Headers: h(hs...), Body: body("x")}))
	}
	for _, lines := range []int{2, 9} {
		var hs []string
		for i := 0; i < lines; i++ {
			hs = append(hs, "Content-Language", limitValue("Content-Language", 120))
		}
		g.add("safelist-limits", A, fmt.Sprintf("GET with %d Content-Language lines of 120 bytes, no preflight answer", lines), none,
			step(0, scenario.Fetch{URL: B, Headers: h(hs...)}))
	}
	for _, v := range []string{"bytes=0-", "bytes=0-0", "bytes=5-10", "bytes=-5", "bytes=0-1,2-3", "bytes=0-1, 2-3", "Bytes=0-1", "BYTES=0-1", "bytes = 0-1", "bytes=0- 1",
		"bytes=10-5", "bytes=0-9223372036854775807", "bytes=0-9223372036854775808", "bytes=9223372036854775807-", "bytes=", "bytes=-", "bytes=a-b", "bytes=+1-2", "bytes=0x1-2", "items=0-1", "bytes=0-1;", "bytes=1"} {
		g.add("range", A, fmt.Sprintf("GET with Range %q, no preflight answer", v), none, step(0, scenario.Fetch{URL: B, Headers: h("Range", v)}))
	}
	g.add("range", A, "GET with Range bytes=0-1, answered 206",
		[]scenario.Rule{raw("GET", B, 206, acao("Content-Range", "bytes 0-1/10"), body("ok"))}, step(0, scenario.Fetch{URL: B, Headers: h("Range", "bytes=0-1")}))
	g.add("range", A, "no-cors GET with Range bytes=0-1 and bytes=-5 in turn",
		[]scenario.Rule{rule("GET", B, 200, nil)}, step(0, scenario.Fetch{URL: B, Mode: "no-cors", Headers: h("Range", "bytes=0-1")}),
		step(0.1, scenario.Fetch{URL: B, Mode: "no-cors", Headers: h("Range", "bytes=-5")}))
	// Which disallowed header is named first.
	for _, c := range []struct {
		req   []string
		allow string
	}{
		{[]string{"X-B", "1", "X-A", "1", "X-C", "1"}, ""},
		{[]string{"X-B", "1", "X-A", "1", "X-C", "1"}, "X-A"},
		{[]string{"X-B", "1", "X-A", "1", "X-C", "1"}, "X-C"},
		{[]string{"X-Z", "1", "Accept", "x/y", "X-A", "1"}, "X-A"},
		{[]string{"X-Z", "1", "Content-Type", "application/json", "X-A", "1"}, "X-A, X-Z"},
		{[]string{"x-b", "1", "X-a", "1"}, "X-C"},
	} {
		g.add("disallowed-order", A, fmt.Sprintf("GET with headers %q, preflight Allow-Headers %q", c.req, c.allow),
			[]scenario.Rule{raw("OPTIONS", B, 204, h("Access-Control-Allow-Origin", A, "Access-Control-Allow-Headers", c.allow), nil), rule("GET", B, 200, acao())},
			step(0, scenario.Fetch{URL: B, Headers: h(c.req...)}))
	}
	g.add("disallowed-order", A, "PATCH with X-B and X-A, preflight Allow-Methods PUT and no Allow-Headers",
		[]scenario.Rule{raw("OPTIONS", B, 204, h("Access-Control-Allow-Origin", A, "Access-Control-Allow-Methods", "PUT"), nil)},
		step(0, scenario.Fetch{URL: B, Method: "PATCH", Headers: h("X-B", "1", "X-A", "1")}))
}

// nineSafelisted returns nine headers Chromium safelists (four standard,
// Range, four client hints), none over 128 bytes, whose values add up to
// total bytes, as alternating names and values.
func nineSafelisted(total int) []string {
	makers := []struct{ name, prefix, fill, suffix string }{
		{"Accept", "text/html;q=", "a", ""}, {"Accept-Language", "en-", "a", ""}, {"Content-Language", "de-", "a", ""},
		{"Content-Type", "text/plain; x=", "a", ""}, {"Range", "bytes=", "0", "1-"}, {"Device-Memory", "", "0", "8"},
		{"Width", "", "0", "1"}, {"Viewport-Width", "", "0", "1"}, {"DPR", "", "0", "2"},
	}
	var hs []string
	left := total
	for i, m := range makers {
		size := left / (len(makers) - i)
		left -= size
		hs = append(hs, m.name, m.prefix+strings.Repeat(m.fill, size-len(m.prefix)-len(m.suffix))+m.suffix)
	}
	return hs
}

// limitValue is a safelisted value of name that is exactly n bytes long.
func limitValue(name string, n int) string {
	prefix := map[string]string{"Accept": "text/", "Accept-Language": "en-", "Content-Language": "en-", "Content-Type": "text/plain;x="}[name]
	if n < len(prefix) {
		return prefix[:n]
	}
	return prefix + strings.Repeat("a", n-len(prefix))
}
