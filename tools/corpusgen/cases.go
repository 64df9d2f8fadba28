package main

import (
	"fmt"
	"strings"

	"github.com/corsim/corsim/scenario"
)

func (g *gen) ports() {
	const doc = "http://a.test:8081"
	for _, acao := range []string{doc, A, doc + "/", "*", "http://a.test:8082"} {
		g.add("ports", doc, fmt.Sprintf("Page on port 8081, GET to http://b.test:8082, ACAO %s", acao),
			[]scenario.Rule{rule("GET", "http://b.test:8082/r", 200, h("Access-Control-Allow-Origin", acao, "Content-Type", "text/plain"))},
			step(0, get("http://b.test:8082/r")))
	}
	g.add("ports", doc, "Page on port 8081, GET to the same host on port 80, ACAO absent",
		[]scenario.Rule{rule("GET", "http://a.test/r", 200, h("Content-Type", "text/plain"))}, step(0, get("http://a.test/r")))
	g.add("ports", doc, "Page on port 8081, GET to the same host on port 80, ACAO the page origin",
		[]scenario.Rule{rule("GET", "http://a.test/r", 200, h("Access-Control-Allow-Origin", doc, "Content-Type", "text/plain"))}, step(0, get("http://a.test/r")))
	g.add("ports", doc, "Page on port 8081, same-origin GET is basic",
		[]scenario.Rule{rule("GET", doc+"/r", 200, h("Content-Type", "text/plain", "X-Secret", "1"))}, step(0, get(doc+"/r")))
	for _, acao := range []string{"http://a.test:80", A} {
		g.add("ports", A, fmt.Sprintf("GET to http://b.test:80/r with an explicit default port, ACAO %s", acao),
			[]scenario.Rule{rule("GET", B, 200, h("Access-Control-Allow-Origin", acao, "Content-Type", "text/plain"))}, step(0, get("http://b.test:80/r")))
	}
	g.add("ports", doc, "Page on port 8081, preflighted PUT to http://b.test:8082, ACAO the page origin on both",
		[]scenario.Rule{
			rule("OPTIONS", "http://b.test:8082/r", 204, h("Access-Control-Allow-Origin", doc, "Access-Control-Allow-Methods", "PUT")),
			rule("PUT", "http://b.test:8082/r", 200, h("Access-Control-Allow-Origin", doc, "Content-Type", "text/plain"))},
		step(0, scenario.Fetch{URL: "http://b.test:8082/r", Method: "PUT"}))
	g.add("ports", doc, "Page on port 8081, preflighted PUT to http://b.test:8082, preflight ACAO without the port",
		[]scenario.Rule{
			rule("OPTIONS", "http://b.test:8082/r", 204, h("Access-Control-Allow-Origin", A, "Access-Control-Allow-Methods", "PUT")),
			rule("PUT", "http://b.test:8082/r", 200, h("Access-Control-Allow-Origin", doc))},
		step(0, scenario.Fetch{URL: "http://b.test:8082/r", Method: "PUT"}))
	g.add("ports", A, "GET to http://b.test:8082 redirected 302 to http://b.test:8081, ACAO the origin on both",
		[]scenario.Rule{
			rule("GET", "http://b.test:8082/r", 302, h("Access-Control-Allow-Origin", A, "Location", "http://b.test:8081/r")),
			rule("GET", "http://b.test:8081/r", 200, h("Access-Control-Allow-Origin", A))},
		step(0, get("http://b.test:8082/r")))
	g.add("ports", A, "GET to http://b.test:8082 redirected 302 to http://b.test:8081, final ACAO null",
		[]scenario.Rule{
			rule("GET", "http://b.test:8082/r", 302, h("Access-Control-Allow-Origin", A, "Location", "http://b.test:8081/r")),
			rule("GET", "http://b.test:8081/r", 200, h("Access-Control-Allow-Origin", "null"))},
		step(0, get("http://b.test:8082/r")))
}

func (g *gen) opaqueOrigin() {
	const null = "null"
	g.add("opaque-origin", null, "opaque-origin PUT with X-Foo, preflight ACAO null and Allow-Headers X-Foo, repeated at 0.5 s",
		[]scenario.Rule{
			rule("OPTIONS", B, 204, h("Access-Control-Allow-Origin", "null", "Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "X-Foo")),
			rule("PUT", B, 200, h("Access-Control-Allow-Origin", "null"))},
		step(0, scenario.Fetch{URL: B, Method: "PUT", Headers: h("X-Foo", "1")}),
		step(0.5, scenario.Fetch{URL: B, Method: "PUT", Headers: h("X-Foo", "1")}))
	for _, c := range []struct{ acao, acac string }{{"null", "true"}, {"*", "true"}, {"null", ""}, {"http://a.test", "true"}} {
		hs := []string{"Access-Control-Allow-Origin", c.acao, "Content-Type", "text/plain"}
		if c.acac != "" {
			hs = append(hs, "Access-Control-Allow-Credentials", c.acac)
		}
		g.add("opaque-origin", null, fmt.Sprintf("opaque-origin credentials include GET, ACAO %s, ACAC %q", c.acao, c.acac),
			[]scenario.Rule{rule("GET", B, 200, h(hs...))}, step(0, scenario.Fetch{URL: B, Credentials: "include"}))
	}
	g.add("opaque-origin", null, "opaque-origin POST with a text body, ACAO null",
		[]scenario.Rule{rule("POST", B, 200, h("Access-Control-Allow-Origin", "null"))}, step(0, scenario.Fetch{URL: B, Method: "POST", Body: body("x")}))
	g.add("opaque-origin", null, "opaque-origin no-cors POST with a text body sends Origin null",
		[]scenario.Rule{rule("POST", B, 200, nil)}, step(0, scenario.Fetch{URL: B, Method: "POST", Mode: "no-cors", Body: body("x")}))
	g.add("opaque-origin", null, "opaque-origin GET, ACAO null, Access-Control-Expose-Headers '*'",
		[]scenario.Rule{rule("GET", B, 200, h("Access-Control-Allow-Origin", "null", "Access-Control-Expose-Headers", "*", "X-Secret", "1"))}, step(0, get(B)))
	g.add("opaque-origin", null, "opaque-origin GET redirected 302 to http://c.test, final ACAO absent",
		[]scenario.Rule{rule("GET", B, 302, h("Access-Control-Allow-Origin", "null", "Location", "http://c.test/r")), rule("GET", "http://c.test/r", 200, nil)},
		step(0, get(B)))
	g.add("opaque-origin", null, "opaque-origin preflighted PUT, preflight ACAO null, actual ACAO *",
		[]scenario.Rule{rule("OPTIONS", B, 204, h("Access-Control-Allow-Origin", "null", "Access-Control-Allow-Methods", "PUT")), rule("PUT", B, 200, h("Access-Control-Allow-Origin", "*"))},
		step(0, scenario.Fetch{URL: B, Method: "PUT"}))
	g.add("opaque-origin", null, "opaque-origin preflighted PUT with credentials include, preflight ACAO *",
		[]scenario.Rule{rule("OPTIONS", B, 204, h("Access-Control-Allow-Origin", "*", "Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Credentials", "true")), rule("PUT", B, 200, h("Access-Control-Allow-Origin", "null"))},
		step(0, scenario.Fetch{URL: B, Method: "PUT", Credentials: "include"}))
	g.add("opaque-origin", null, "opaque-origin preflighted DELETE, preflight answered 500 with ACAO null",
		[]scenario.Rule{rule("OPTIONS", B, 500, h("Access-Control-Allow-Origin", "null", "Access-Control-Allow-Methods", "DELETE"))},
		step(0, scenario.Fetch{URL: B, Method: "DELETE"}))
	g.add("opaque-origin", null, "opaque-origin GET, ACAO 'null' on two header lines",
		[]scenario.Rule{rule("GET", B, 200, h("Access-Control-Allow-Origin", "null", "Access-Control-Allow-Origin", "null"))}, step(0, get(B)))
	g.add("opaque-origin", null, "opaque-origin GET, ACAO 'NULL' in upper case",
		[]scenario.Rule{rule("GET", B, 200, h("Access-Control-Allow-Origin", "NULL"))}, step(0, get(B)))
	g.add("opaque-origin", null, "opaque-origin POST application/json preflighted, ACAO null, Allow-Headers content-type",
		[]scenario.Rule{rule("OPTIONS", B, 204, h("Access-Control-Allow-Origin", "null", "Access-Control-Allow-Headers", "content-type")), rule("POST", B, 200, h("Access-Control-Allow-Origin", "null"))},
		step(0, scenario.Fetch{URL: B, Method: "POST", Headers: h("Content-Type", "application/json"), Body: body("{}")}))
}

func (g *gen) https() {
	const doc = "https://a.test"
	const bs = "https://b.test/r"
	for _, acao := range []string{"https://a.test:443", "http://a.test", "*"} {
		g.add("https", doc, fmt.Sprintf("https page GET to https://b.test, ACAO %s", acao),
			[]scenario.Rule{rule("GET", bs, 200, h("Access-Control-Allow-Origin", acao, "Content-Type", "text/plain"))}, step(0, get(bs)))
	}
	g.add("https", doc, "https page preflighted DELETE to https://b.test, ACAO the https origin on both",
		[]scenario.Rule{rule("OPTIONS", bs, 204, h("Access-Control-Allow-Origin", doc, "Access-Control-Allow-Methods", "DELETE")), rule("DELETE", bs, 200, h("Access-Control-Allow-Origin", doc))},
		step(0, scenario.Fetch{URL: bs, Method: "DELETE"}))
	g.add("https", doc, "https page POST to http://b.test is mixed content",
		[]scenario.Rule{rule("POST", B, 200, h("Access-Control-Allow-Origin", doc))}, step(0, scenario.Fetch{URL: B, Method: "POST", Body: body("x")}))
	g.add("https", doc, "https page no-cors GET to http://b.test is mixed content",
		[]scenario.Rule{rule("GET", B, 200, nil)}, step(0, scenario.Fetch{URL: B, Mode: "no-cors"}))
	g.add("https", doc, "https page GET to https://b.test redirected 302 to http://c.test",
		[]scenario.Rule{rule("GET", bs, 302, h("Access-Control-Allow-Origin", doc, "Location", "http://c.test/r")), rule("GET", "http://c.test/r", 200, h("Access-Control-Allow-Origin", "*"))},
		step(0, get(bs)))
	g.add("https", A, "http page preflighted PUT to https://b.test, ACAO the http origin on both",
		[]scenario.Rule{rule("OPTIONS", bs, 204, h("Access-Control-Allow-Origin", A, "Access-Control-Allow-Methods", "PUT")), rule("PUT", bs, 200, h("Access-Control-Allow-Origin", A))},
		step(0, scenario.Fetch{URL: bs, Method: "PUT"}))
	g.add("https", doc, "https page GET to https://b.test:8443, ACAO the https origin",
		[]scenario.Rule{rule("GET", "https://b.test:8443/r", 200, h("Access-Control-Allow-Origin", doc))}, step(0, get("https://b.test:8443/r")))
	g.add("https", doc, "https page same-origin GET to https://a.test is basic",
		[]scenario.Rule{rule("GET", "https://a.test/r", 200, h("X-Secret", "1"))}, step(0, get("https://a.test/r")))
	g.add("https", doc, "https page GET to https://a.test redirected 302 to https://b.test then back to https://a.test, final ACAO null",
		[]scenario.Rule{
			rule("GET", "https://a.test/r", 302, h("Location", bs)),
			rule("GET", bs, 302, h("Access-Control-Allow-Origin", doc, "Location", "https://a.test/final")),
			rule("GET", "https://a.test/final", 200, h("Access-Control-Allow-Origin", "null"))},
		step(0, get("https://a.test/r")))
}

func (g *gen) idn() {
	const idnURL = "http://xn--bcher-kva.test/r"
	g.add("idn", A, "GET to an IDN host written in Unicode, ACAO the origin",
		[]scenario.Rule{rule("GET", idnURL, 200, h("Access-Control-Allow-Origin", A, "Content-Type", "text/plain"))}, step(0, get("http://bücher.test/r")))
	g.add("idn", A, "GET to an IDN host written in punycode, ACAO absent",
		[]scenario.Rule{rule("GET", idnURL, 200, h("Content-Type", "text/plain"))}, step(0, get(idnURL)))
	g.add("idn", "http://xn--bcher-kva.test", "Page on an IDN host, GET to http://b.test, ACAO the punycode origin",
		[]scenario.Rule{rule("GET", B, 200, h("Access-Control-Allow-Origin", "http://xn--bcher-kva.test"))}, step(0, get(B)))
	g.add("idn", "http://xn--bcher-kva.test", "Page on an IDN host, GET to http://b.test, ACAO the origin in upper case",
		[]scenario.Rule{rule("GET", B, 200, h("Access-Control-Allow-Origin", "http://XN--BCHER-KVA.TEST"))}, step(0, get(B)))
	g.add("idn", A, "GET to a host written in upper case, ACAO the origin",
		[]scenario.Rule{rule("GET", B, 200, h("Access-Control-Allow-Origin", A))}, step(0, get("http://B.TEST/r")))
	g.add("idn", A, "Preflighted PUT to an IDN host, ACAO the origin on both",
		[]scenario.Rule{rule("OPTIONS", idnURL, 204, h("Access-Control-Allow-Origin", A, "Access-Control-Allow-Methods", "PUT")), rule("PUT", idnURL, 200, h("Access-Control-Allow-Origin", A))},
		step(0, scenario.Fetch{URL: "http://bücher.test/r", Method: "PUT"}))
}

// put is a preflighted PUT with the given headers and credentials.
func put(creds string, headers ...string) scenario.Fetch {
	return scenario.Fetch{URL: B, Method: "PUT", Credentials: creds, Headers: h(headers...)}
}

func preflightRule(extra ...string) scenario.Rule {
	return rule("OPTIONS", B, 204, h(append([]string{"Access-Control-Allow-Origin", A}, extra...)...))
}

func actual(method string, extra ...string) scenario.Rule {
	return rule(method, B, 200, h(append([]string{"Access-Control-Allow-Origin", A, "Content-Type", "text/plain"}, extra...)...))
}

func (g *gen) cache() {
	// Methods added over time.
	g.add("cache", A, "Cache sequence: PUT, then DELETE with a preflight allowing both, then PUT and DELETE again",
		[]scenario.Rule{preflightRule("Access-Control-Allow-Methods", "PUT", "Access-Control-Max-Age", "10"), actual("PUT"), actual("DELETE")},
		step(0, put("")),
		scenario.Step{At: 0.3, Fetch: scenario.Fetch{URL: B, Method: "DELETE"}, Server: []scenario.Rule{preflightRule("Access-Control-Allow-Methods", "PUT, DELETE", "Access-Control-Max-Age", "10")}},
		step(0.6, put("")),
		step(0.9, scenario.Fetch{URL: B, Method: "DELETE"}))
	g.add("cache", A, "Cache sequence: X-A cached, then X-A and X-B preflighted, then X-B alone",
		[]scenario.Rule{preflightRule("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "X-A", "Access-Control-Max-Age", "10"), actual("PUT")},
		step(0, put("", "X-A", "1")),
		scenario.Step{At: 0.3, Fetch: put("", "X-A", "1", "X-B", "2"), Server: []scenario.Rule{preflightRule("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "X-A, X-B", "Access-Control-Max-Age", "10")}},
		step(0.6, put("", "X-B", "2")),
		step(0.9, put("", "X-A", "1")))
	// Credentials on and off.
	credPre := preflightRule("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Credentials", "true", "Access-Control-Max-Age", "10")
	credAct := actual("PUT", "Access-Control-Allow-Credentials", "true")
	g.add("cache", A, "Cache sequence: credentialed PUT, then uncredentialed, then credentialed again",
		[]scenario.Rule{credPre, credAct}, step(0, put("include")), step(0.3, put("omit")), step(0.6, put("include")))
	g.add("cache", A, "Cache sequence: uncredentialed PUT, then credentialed, then uncredentialed again",
		[]scenario.Rule{credPre, credAct}, step(0, put("omit")), step(0.3, put("include")), step(0.6, put("omit")))
	g.add("cache", A, "Cache sequence: same-origin credentials PUT then include PUT",
		[]scenario.Rule{credPre, credAct}, step(0, put("same-origin")), step(0.3, put("include")))
	// Max-Age values.
	for _, ma := range []string{"3", " 3", "+3", "3.5", "010", "1e1", "0x10", "", "3, 4", "9999999999999999999999"} {
		g.add("cache", A, fmt.Sprintf("Preflight with Access-Control-Max-Age %q: reused at 1 s? and at 4 s?", ma),
			[]scenario.Rule{preflightRule("Access-Control-Allow-Methods", "PUT", "Access-Control-Max-Age", ma), actual("PUT")},
			step(0, put("")), step(1, put("")), step(4, put("")))
	}
	g.add("cache", A, "Preflight with Access-Control-Max-Age on two lines '3' and '3': reused at 1 s?",
		[]scenario.Rule{preflightRule("Access-Control-Allow-Methods", "PUT", "Access-Control-Max-Age", "3", "Access-Control-Max-Age", "3"), actual("PUT")},
		step(0, put("")), step(1, put("")))
	// Keys.
	g.add("cache", A, "Preflight cached for /r?x=1; a PUT to /r?x=2 at 0.3 s needs its own",
		[]scenario.Rule{
			rule("OPTIONS", B+"?x=1", 204, h("Access-Control-Allow-Origin", A, "Access-Control-Allow-Methods", "PUT", "Access-Control-Max-Age", "10")),
			rule("OPTIONS", B+"?x=2", 204, h("Access-Control-Allow-Origin", A, "Access-Control-Allow-Methods", "PUT", "Access-Control-Max-Age", "10")),
			rule("PUT", B+"?x=1", 200, h("Access-Control-Allow-Origin", A)), rule("PUT", B+"?x=2", 200, h("Access-Control-Allow-Origin", A))},
		step(0, scenario.Fetch{URL: B + "?x=1", Method: "PUT"}), step(0.3, scenario.Fetch{URL: B + "?x=2", Method: "PUT"}), step(0.6, scenario.Fetch{URL: B + "?x=1", Method: "PUT"}))
	g.add("cache", A, "Preflight cached for 'patch'; 'PATCH' at 0.3 s",
		[]scenario.Rule{preflightRule("Access-Control-Allow-Methods", "patch, PATCH", "Access-Control-Max-Age", "10"), actual("patch"), actual("PATCH")},
		step(0, scenario.Fetch{URL: B, Method: "patch"}), step(0.3, scenario.Fetch{URL: B, Method: "PATCH"}), step(0.6, scenario.Fetch{URL: B, Method: "patch"}))
	g.add("cache", A, "Preflight with Allow-Methods '*' cached; DELETE and PATCH at 0.3 s and 0.6 s",
		[]scenario.Rule{preflightRule("Access-Control-Allow-Methods", "*", "Access-Control-Max-Age", "10"), actual("PUT"), actual("DELETE"), actual("PATCH")},
		step(0, put("")), step(0.3, scenario.Fetch{URL: B, Method: "DELETE"}), step(0.6, scenario.Fetch{URL: B, Method: "PATCH"}))
	g.add("cache", A, "Preflight with Allow-Headers '*' cached; PUT with Authorization at 0.3 s",
		[]scenario.Rule{preflightRule("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "*", "Access-Control-Max-Age", "10"), actual("PUT")},
		step(0, put("", "X-Foo", "1")), step(0.3, put("", "Authorization", "Bearer t")), step(0.6, put("", "X-Foo", "2")))
	g.add("cache", A, "Preflight for PUT with Authorization under Allow-Headers '*', repeated at 0.3 s",
		[]scenario.Rule{preflightRule("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "*", "Access-Control-Max-Age", "10"), actual("PUT")},
		step(0, put("", "Authorization", "Bearer t")), step(0.3, put("", "Authorization", "Bearer t")))
	g.add("cache", A, "Preflight for PUT with Authorization listed explicitly, repeated at 0.3 s",
		[]scenario.Rule{preflightRule("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "Authorization", "Access-Control-Max-Age", "10"), actual("PUT")},
		step(0, put("", "Authorization", "Bearer t")), step(0.3, put("", "Authorization", "Bearer u")))
	g.add("cache", A, "POST with X-Foo preflighted and cached; POST with X-Foo again at 0.3 s",
		[]scenario.Rule{preflightRule("Access-Control-Allow-Headers", "X-Foo", "Access-Control-Max-Age", "10"), actual("POST")},
		step(0, scenario.Fetch{URL: B, Method: "POST", Headers: h("X-Foo", "1"), Body: body("x")}),
		step(0.3, scenario.Fetch{URL: B, Method: "POST", Headers: h("X-Foo", "1"), Body: body("x")}))
	g.add("cache", A, "GET with X-Foo preflighted and cached; PUT with X-Foo at 0.3 s needs a preflight for the method",
		[]scenario.Rule{preflightRule("Access-Control-Allow-Headers", "X-Foo", "Access-Control-Max-Age", "10"), actual("GET"), actual("PUT")},
		step(0, scenario.Fetch{URL: B, Headers: h("X-Foo", "1")}), step(0.3, put("", "X-Foo", "1")))
	g.add("cache", A, "Cache sequence: PUT cached, DELETE rejected by a new preflight, PUT again at 0.6 s",
		[]scenario.Rule{preflightRule("Access-Control-Allow-Methods", "PUT", "Access-Control-Max-Age", "10"), actual("PUT"), actual("DELETE")},
		step(0, put("")), step(0.3, scenario.Fetch{URL: B, Method: "DELETE"}), step(0.6, put("")))
	g.add("cache", A, "Cache sequence: PUT cached, X-Foo added at 0.3 s is rejected, PUT without X-Foo at 0.6 s",
		[]scenario.Rule{preflightRule("Access-Control-Allow-Methods", "PUT", "Access-Control-Max-Age", "10"), actual("PUT")},
		step(0, put("")), step(0.3, put("", "X-Foo", "1")), step(0.6, put("")))
	g.add("cache", A, "Preflight cached with Max-Age 2; requests at 0.5, 1, 1.5, 2.5 and 3 s",
		[]scenario.Rule{preflightRule("Access-Control-Allow-Methods", "PUT", "Access-Control-Max-Age", "2"), actual("PUT")},
		step(0, put("")), step(0.5, put("")), step(1, put("")), step(1.5, put("")), step(2.5, put("")), step(3, put("")))
	g.add("cache", A, "Preflight cached for b.test; a PUT to c.test at 0.3 s needs its own",
		[]scenario.Rule{preflightRule("Access-Control-Allow-Methods", "PUT", "Access-Control-Max-Age", "10"), actual("PUT"),
			rule("OPTIONS", "http://c.test/r", 204, h("Access-Control-Allow-Origin", A, "Access-Control-Allow-Methods", "PUT")), rule("PUT", "http://c.test/r", 200, h("Access-Control-Allow-Origin", A))},
		step(0, put("")), step(0.3, scenario.Fetch{URL: "http://c.test/r", Method: "PUT"}))
	g.add("cache", A, "Preflight fails without Access-Control-Allow-Origin; the same PUT at 0.3 s is preflighted again",
		[]scenario.Rule{rule("OPTIONS", B, 204, h("Access-Control-Allow-Methods", "PUT", "Access-Control-Max-Age", "10")), actual("PUT")},
		step(0, put("")), step(0.3, put("")))
	g.add("cache", A, "Preflight cached, then the same PUT with credentials include at 0.3 s, preflight lacks ACAC",
		[]scenario.Rule{preflightRule("Access-Control-Allow-Methods", "PUT", "Access-Control-Max-Age", "10"), actual("PUT")},
		step(0, put("omit")), step(0.3, put("include")))
	g.add("cache", A, "Preflight for X-Foo cached; X-FOO in upper case at 0.3 s",
		[]scenario.Rule{preflightRule("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "x-foo", "Access-Control-Max-Age", "10"), actual("PUT")},
		step(0, put("", "x-foo", "1")), step(0.3, put("", "X-FOO", "1")))
	g.add("cache", A, "Content-Type application/json preflighted and cached; text/xml at 0.3 s",
		[]scenario.Rule{preflightRule("Access-Control-Allow-Headers", "Content-Type", "Access-Control-Max-Age", "10"), actual("POST")},
		step(0, scenario.Fetch{URL: B, Method: "POST", Headers: h("Content-Type", "application/json"), Body: body("{}")}),
		step(0.3, scenario.Fetch{URL: B, Method: "POST", Headers: h("Content-Type", "text/xml"), Body: body("<a/>")}))
}

func (g *gen) redirects() {
	type hop struct {
		url, acao string
	}
	chains := []struct {
		name string
		hops []hop // the last hop answers 200
	}{
		{"same-origin to b.test to a.test, final ACAO null", []hop{{"http://a.test/r", ""}, {"http://b.test/r", A}, {"http://a.test/final", "null"}}},
		{"same-origin to b.test to a.test, final ACAO the origin", []hop{{"http://a.test/r", ""}, {"http://b.test/r", A}, {"http://a.test/final", A}}},
		{"same-origin to a.test/r2 to b.test, final ACAO the origin", []hop{{"http://a.test/r", ""}, {"http://a.test/r2", ""}, {"http://b.test/final", A}}},
		{"b.test to b.test/r2 to c.test, final ACAO null", []hop{{"http://b.test/r", A}, {"http://b.test/r2", A}, {"http://c.test/final", "null"}}},
		{"b.test to b.test/r2 to c.test, final ACAO the origin", []hop{{"http://b.test/r", A}, {"http://b.test/r2", A}, {"http://c.test/final", A}}},
		{"b.test to a.test to b.test, ACAO null after the first hop", []hop{{"http://b.test/r", A}, {"http://a.test/mid", "null"}, {"http://b.test/final", "null"}}},
		{"b.test to c.test to c.test/r2, ACAO * throughout", []hop{{"http://b.test/r", "*"}, {"http://c.test/mid", "*"}, {"http://c.test/final", "*"}}},
		{"b.test to c.test, redirect hop ACAO null", []hop{{"http://b.test/r", "null"}, {"http://c.test/final", "null"}}},
		{"b.test to https b.test, final ACAO null", []hop{{"http://b.test/r", A}, {"https://b.test/final", "null"}}},
		{"a.test to b.test to c.test, final ACAO null", []hop{{"http://a.test/r", ""}, {"http://b.test/mid", A}, {"http://c.test/final", "null"}}},
	}
	for _, c := range chains {
		var rules []scenario.Rule
		for i, hp := range c.hops {
			hs := []string{}
			if hp.acao != "" {
				hs = append(hs, "Access-Control-Allow-Origin", hp.acao)
			}
			if i+1 < len(c.hops) {
				rules = append(rules, rule("GET", hp.url, 302, h(append(hs, "Location", c.hops[i+1].url)...)))
			} else {
				rules = append(rules, rule("GET", hp.url, 200, h(append(hs, "Content-Type", "text/plain")...)))
			}
		}
		g.add("redirect", A, "Redirect chain: "+c.name, rules, step(0, get(c.hops[0].url)))
	}
	for _, status := range []int{301, 302, 303, 307, 308} {
		for _, m := range []string{"POST", "PUT"} {
			f := scenario.Fetch{URL: B, Method: m, Body: body("hello")}
			rules := []scenario.Rule{
				rule("OPTIONS", B, 204, h("Access-Control-Allow-Origin", A, "Access-Control-Allow-Methods", "PUT")),
				rule(m, B, status, h("Access-Control-Allow-Origin", A, "Location", "http://b.test/final")),
				rule("OPTIONS", "http://b.test/final", 204, h("Access-Control-Allow-Origin", A, "Access-Control-Allow-Methods", "PUT")),
				rule("GET", "http://b.test/final", 200, h("Access-Control-Allow-Origin", A, "Content-Type", "text/plain")),
				rule(m, "http://b.test/final", 200, h("Access-Control-Allow-Origin", A, "Content-Type", "text/html")),
			}
			g.add("redirect", A, fmt.Sprintf("Cross-origin %s with a text body redirected %d to the same target origin", m, status), rules, step(0, f))
		}
		g.add("redirect", A, fmt.Sprintf("Same-origin POST redirected %d to b.test, ACAO the origin", status),
			[]scenario.Rule{rule("POST", "http://a.test/r", status, h("Location", "http://b.test/final")),
				rule("GET", "http://b.test/final", 200, h("Access-Control-Allow-Origin", A, "Content-Type", "text/plain")),
				rule("POST", "http://b.test/final", 200, h("Access-Control-Allow-Origin", A, "Content-Type", "text/html"))},
			step(0, scenario.Fetch{URL: "http://a.test/r", Method: "POST", Body: body("hello")}))
	}
	for _, loc := range []string{"/final", "final", "//c.test/final", "http://b.test/final#frag", "?q=1"} {
		g.add("redirect", A, fmt.Sprintf("Cross-origin GET redirected 302 to the relative location %q", loc),
			[]scenario.Rule{rule("GET", B, 302, h("Access-Control-Allow-Origin", A, "Location", loc)),
				rule("GET", "http://b.test/final", 200, h("Access-Control-Allow-Origin", A)),
				rule("GET", "http://c.test/final", 200, h("Access-Control-Allow-Origin", "null")),
				rule("GET", "http://b.test/r?q=1", 200, h("Access-Control-Allow-Origin", A))},
			step(0, get(B)))
	}
	// 20 redirects is the limit: 20 followed succeed.
	var chain []scenario.Rule
	for i := 0; i < 20; i++ {
		chain = append(chain, rule("GET", fmt.Sprintf("http://a.test/c%d", i), 302, h("Location", fmt.Sprintf("http://a.test/c%d", i+1))))
	}
	chain = append(chain, rule("GET", "http://a.test/c20", 200, h("Content-Type", "text/plain")))
	g.add("redirect", A, "Same-origin GET through a chain of 20 redirects", chain, step(0, get("http://a.test/c0")))
	g.add("redirect", A, "Cross-origin GET with redirect manual answered 302 is an opaque redirect",
		[]scenario.Rule{rule("GET", B, 302, h("Access-Control-Allow-Origin", A, "Location", "http://b.test/final"))}, step(0, scenario.Fetch{URL: B, Redirect: "manual"}))
	g.add("redirect", A, "Cross-origin GET with redirect manual answered 302 without ACAO",
		[]scenario.Rule{rule("GET", B, 302, h("Location", "http://b.test/final"))}, step(0, scenario.Fetch{URL: B, Redirect: "manual"}))
	g.add("redirect", A, "Same-origin GET with redirect error answered 302",
		[]scenario.Rule{rule("GET", "http://a.test/r", 302, h("Location", "http://a.test/final"))}, step(0, scenario.Fetch{URL: "http://a.test/r", Redirect: "error"}))
	g.add("redirect", A, "Same-origin GET with redirect manual answered 302",
		[]scenario.Rule{rule("GET", "http://a.test/r", 302, h("Location", "http://a.test/final"))}, step(0, scenario.Fetch{URL: "http://a.test/r", Redirect: "manual"}))
	g.add("redirect", A, "No-cors GET redirected 302 from b.test to c.test is opaque",
		[]scenario.Rule{rule("GET", B, 302, h("Location", "http://c.test/final")), rule("GET", "http://c.test/final", 200, nil)}, step(0, scenario.Fetch{URL: B, Mode: "no-cors"}))
	g.add("redirect", A, "Same-origin PUT with X-Foo redirected 307 to b.test is preflighted there",
		[]scenario.Rule{rule("PUT", "http://a.test/r", 307, h("Location", "http://b.test/final")),
			rule("OPTIONS", "http://b.test/final", 204, h("Access-Control-Allow-Origin", A, "Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "X-Foo")),
			rule("PUT", "http://b.test/final", 200, h("Access-Control-Allow-Origin", A))},
		step(0, scenario.Fetch{URL: "http://a.test/r", Method: "PUT", Headers: h("X-Foo", "1")}))
	g.add("redirect", A, "Preflighted PUT with Authorization redirected 307 to c.test",
		[]scenario.Rule{
			rule("OPTIONS", B, 204, h("Access-Control-Allow-Origin", A, "Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "Authorization")),
			rule("PUT", B, 307, h("Access-Control-Allow-Origin", A, "Location", "http://c.test/final")),
			rule("OPTIONS", "http://c.test/final", 204, h("Access-Control-Allow-Origin", "null", "Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "Authorization")),
			rule("PUT", "http://c.test/final", 200, h("Access-Control-Allow-Origin", "null"))},
		step(0, scenario.Fetch{URL: B, Method: "PUT", Headers: h("Authorization", "Bearer t")}))
	g.add("redirect", A, "Preflighted PUT redirected 303 becomes a GET",
		[]scenario.Rule{
			rule("OPTIONS", B, 204, h("Access-Control-Allow-Origin", A, "Access-Control-Allow-Methods", "PUT")),
			rule("PUT", B, 303, h("Access-Control-Allow-Origin", A, "Location", "http://b.test/final")),
			rule("GET", "http://b.test/final", 200, h("Access-Control-Allow-Origin", A))},
		step(0, scenario.Fetch{URL: B, Method: "PUT", Body: body("x")}))
	g.add("redirect", A, "Preflighted PUT whose actual response redirects 307 to c.test without a preflight answer there",
		[]scenario.Rule{
			rule("OPTIONS", B, 204, h("Access-Control-Allow-Origin", A, "Access-Control-Allow-Methods", "PUT")),
			rule("PUT", B, 307, h("Access-Control-Allow-Origin", A, "Location", "http://c.test/final"))},
		step(0, scenario.Fetch{URL: B, Method: "PUT"}))
	g.add("redirect", A, "Cross-origin GET redirected 302 to a URL with userinfo on another origin",
		[]scenario.Rule{rule("GET", B, 302, h("Access-Control-Allow-Origin", A, "Location", "http://user:pass@c.test/final"))}, step(0, get(B)))
	g.add("redirect", A, "Same-origin GET redirected 302 to a same-origin URL with userinfo",
		[]scenario.Rule{rule("GET", "http://a.test/r", 302, h("Location", "http://user:pass@a.test/final")), rule("GET", "http://a.test/final", 200, nil)},
		step(0, get("http://a.test/r")))
	g.add("redirect", A, "Cross-origin GET redirected 302 with an empty Location",
		[]scenario.Rule{rule("GET", B, 302, h("Access-Control-Allow-Origin", A, "Location", ""))}, step(0, get(B)))
	g.add("redirect", A, "Cross-origin GET redirected 308 to about:blank",
		[]scenario.Rule{rule("GET", B, 308, h("Access-Control-Allow-Origin", A, "Location", "about:blank"))}, step(0, get(B)))
	g.add("redirect", A, "Cross-origin GET redirected 302 to a data: URL",
		[]scenario.Rule{rule("GET", B, 302, h("Access-Control-Allow-Origin", A, "Location", "data:text/plain,hi"))}, step(0, get(B)))
}

func (g *gen) preflight() {
	for _, v := range []string{"", ",", "PUT,", " PUT ", "PUT;", "PUT DELETE", `"PUT"`, "PUT, , DELETE", "put", "PUT,*", "GET"} {
		g.add("preflight", A, fmt.Sprintf("PUT, preflight Access-Control-Allow-Methods %q", v),
			[]scenario.Rule{preflightRule("Access-Control-Allow-Methods", v), actual("PUT")}, step(0, put("")))
	}
	for _, v := range []string{"", ",", "X-Foo,", "X-Foo X-Bar", "x-foo, x-foo", "X-Foo ,X-Bar", "X-Foo, (bad)", "*,X-Foo", "X-Bar"} {
		g.add("preflight", A, fmt.Sprintf("PUT with X-Foo, preflight Access-Control-Allow-Headers %q", v),
			[]scenario.Rule{preflightRule("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", v), actual("PUT")}, step(0, put("", "X-Foo", "1")))
	}
	for _, status := range []int{200, 201, 206, 299, 300, 302, 404, 500, 503} {
		g.add("preflight", A, fmt.Sprintf("PUT, preflight answered %d with permissive headers and no Location", status),
			[]scenario.Rule{rule("OPTIONS", B, status, h("Access-Control-Allow-Origin", A, "Access-Control-Allow-Methods", "PUT")), actual("PUT")}, step(0, put("")))
	}
	for _, v := range []string{"*", "", " http://a.test", "http://a.test, http://a.test", "null"} {
		g.add("preflight", A, fmt.Sprintf("PUT, preflight Access-Control-Allow-Origin %q", v),
			[]scenario.Rule{rule("OPTIONS", B, 204, h("Access-Control-Allow-Origin", v, "Access-Control-Allow-Methods", "PUT")), actual("PUT")}, step(0, put("")))
	}
	g.add("preflight", A, "PUT with credentials include, preflight ACAO *",
		[]scenario.Rule{rule("OPTIONS", B, 204, h("Access-Control-Allow-Origin", "*", "Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Credentials", "true")), actual("PUT")}, step(0, put("include")))
	g.add("preflight", A, "PUT with credentials include, preflight ACAO on two lines",
		[]scenario.Rule{rule("OPTIONS", B, 204, h("Access-Control-Allow-Origin", A, "Access-Control-Allow-Origin", A, "Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Credentials", "true")), actual("PUT")}, step(0, put("include")))
	for _, v := range []string{"false", "true, true", "1"} {
		g.add("preflight", A, fmt.Sprintf("PUT with credentials include, preflight Access-Control-Allow-Credentials %q", v),
			[]scenario.Rule{preflightRule("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Credentials", v), actual("PUT", "Access-Control-Allow-Credentials", "true")}, step(0, put("include")))
	}
	g.add("preflight", A, "PUT with credentials omit, preflight Access-Control-Allow-Credentials 'false'",
		[]scenario.Rule{preflightRule("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Credentials", "false"), actual("PUT")}, step(0, put("omit")))
	g.add("preflight", A, "PUT with Authorization, preflight Allow-Headers 'Authorization'",
		[]scenario.Rule{preflightRule("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "Authorization"), actual("PUT")}, step(0, put("", "Authorization", "Bearer t")))
	g.add("preflight", A, "PUT with Authorization and credentials include, preflight Allow-Headers '*'",
		[]scenario.Rule{preflightRule("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "*", "Access-Control-Allow-Credentials", "true"), actual("PUT", "Access-Control-Allow-Credentials", "true")},
		step(0, put("include", "Authorization", "Bearer t")))
	g.add("preflight", A, "GET with Authorization only, preflight Allow-Headers '*'",
		[]scenario.Rule{preflightRule("Access-Control-Allow-Headers", "*"), actual("GET")}, step(0, scenario.Fetch{URL: B, Headers: h("Authorization", "Bearer t")}))
	g.add("preflight", A, "PUT with X-Foo and X-Bar, preflight allows X-Bar only",
		[]scenario.Rule{preflightRule("Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "X-Bar"), actual("PUT")}, step(0, put("", "X-Foo", "1", "X-Bar", "2")))
	g.add("preflight", A, "DELETE with X-Foo, preflight allows neither",
		[]scenario.Rule{preflightRule(), actual("DELETE")}, step(0, scenario.Fetch{URL: B, Method: "DELETE", Headers: h("X-Foo", "1")}))
	g.add("preflight", A, "PUT, preflight Access-Control-Allow-Methods on two lines 'GET' and 'PUT, (bad)'",
		[]scenario.Rule{preflightRule("Access-Control-Allow-Methods", "GET", "Access-Control-Allow-Methods", "PUT, (bad)"), actual("PUT")}, step(0, put("")))
	g.add("preflight", A, "PUT, the actual response lacks ACAO after a passing preflight",
		[]scenario.Rule{preflightRule("Access-Control-Allow-Methods", "PUT"), rule("PUT", B, 200, nil)}, step(0, put("")))
	g.add("preflight", A, "PUT, the actual response answers 500 with ACAO",
		[]scenario.Rule{preflightRule("Access-Control-Allow-Methods", "PUT"), rule("PUT", B, 500, h("Access-Control-Allow-Origin", A))}, step(0, put("")))
}

func (g *gen) safelist() {
	// 0x7F is left out: the recorder's server refuses such a request line,
	// so a recording would show the server, not the browser.
	unsafe := []string{`"`, "(", ")", ":", "<", ">", "?", "@", "[", `\`, "]", "{", "}", "\t", ";", ",", "/", "="}
	for _, b := range unsafe {
		g.add("safelist", A, fmt.Sprintf("GET with Accept containing %q, permissive preflight answer", b),
			[]scenario.Rule{permissivePreflight(A, B), actual("GET")}, step(0, scenario.Fetch{URL: B, Headers: h("Accept", "text/html"+b+"x")}))
	}
	for _, v := range []string{"en-US,fr;q=0.5", "*", "en us", "en_US", "en/US", "en(US)", `"en"`, "de-DE.utf8", "en=1;q=*"} {
		for _, name := range []string{"Accept-Language", "Content-Language"} {
			g.add("safelist", A, fmt.Sprintf("GET with %s %q, permissive preflight answer", name, v),
				[]scenario.Rule{permissivePreflight(A, B), actual("GET")}, step(0, scenario.Fetch{URL: B, Headers: h(name, v)}))
		}
	}
	for _, v := range []string{"multipart/form-data; boundary=x", "application/x-www-form-urlencoded;charset=UTF-8", "TEXT/PLAIN", `text/plain;charset="utf-8"`,
		"text/plain ; charset=utf-8", "text/plain;", "text/plain;charset", "text/plain, text/html", "text/html;text/plain", "text / plain",
		"application/json;x=text/plain", "text/plain;a=\"b;c\"", "Multipart/Form-Data", "text/plain\t", "text/plain;charset=utf-8;charset=latin1", "application/x-www-form-urlencoded;a=@"} {
		g.add("safelist", A, fmt.Sprintf("POST with Content-Type %q, permissive preflight answer", v),
			[]scenario.Rule{permissivePreflight(A, B), actual("POST")}, step(0, scenario.Fetch{URL: B, Method: "POST", Headers: h("Content-Type", v), Body: body("x")}))
	}
	for _, v := range []string{"bytes=0-", "bytes=-5", "bytes=0-1,2-3", "Bytes=0-1", "bytes=00-01", "bytes= 0-1", "bytes=1-1", "bytes=0-1 ", "bytes=99999999999999999999-", "items=0-1", "bytes=0-1-2"} {
		g.add("safelist", A, fmt.Sprintf("GET with Range %q, permissive preflight answer", v),
			[]scenario.Rule{permissivePreflight(A, B), actual("GET")}, step(0, scenario.Fetch{URL: B, Headers: h("Range", v)}))
	}
	hints := []struct{ name, value string }{
		{"Device-Memory", "8"}, {"Device-Memory", "0.5"}, {"Device-Memory", "abc"}, {"DPR", "2"}, {"DPR", "x"},
		{"Width", "100"}, {"Width", "-1"}, {"Viewport-Width", "1024"}, {"RTT", "50"}, {"RTT", "5.5"}, {"Downlink", "1.5"},
		{"ECT", "4g"}, {"ECT", "5g"}, {"Save-Data", "off"}, {"Intervention", "<x>"}, {"X-Requested-With", "XMLHttpRequest"}, {"Cache-Control", "max-age=0"},
	}
	for _, hn := range hints {
		g.add("safelist", A, fmt.Sprintf("GET with %s %q, permissive preflight answer", hn.name, hn.value),
			[]scenario.Rule{permissivePreflight(A, B), actual("GET")}, step(0, scenario.Fetch{URL: B, Headers: h(hn.name, hn.value)}))
	}
	// The 1024-byte total of safelisted values.
	pad := func(prefix string, n int, fill string, suffix string) string {
		return prefix + strings.Repeat(fill, n-len(prefix)-len(suffix)) + suffix
	}
	for _, total := range []int{1020, 1024, 1030} {
		// Nine safelisted headers (four standard, five Chromium client
		// hints), sizes spread so that none exceeds 128 bytes.
		makers := []struct {
			name         string
			prefix, fill string
			suffix       string
		}{
			{"Accept", "text/html;q=", "a", ""}, {"Accept-Language", "en-", "a", ""}, {"Content-Language", "de-", "a", ""},
			{"Content-Type", "text/plain; x=", "a", ""}, {"Range", "bytes=", "0", "1-"}, {"Device-Memory", "", "0", "8"},
			{"Width", "", "0", "1"}, {"Viewport-Width", "", "0", "1"}, {"DPR", "", "0", "2"},
		}
		var headers []string
		left := total
		for i, m := range makers {
			size := left / (len(makers) - i)
			left -= size
			headers = append(headers, m.name, pad(m.prefix, size, m.fill, m.suffix))
		}
		g.add("safelist", A, fmt.Sprintf("POST with nine safelisted headers totalling %d bytes, permissive preflight answer", total),
			[]scenario.Rule{permissivePreflight(A, B), actual("POST")}, step(0, scenario.Fetch{URL: B, Method: "POST", Headers: h(headers...), Body: body("x")}))
	}
	g.add("safelist", A, "GET with Accept set twice, permissive preflight answer",
		[]scenario.Rule{permissivePreflight(A, B), actual("GET")}, step(0, scenario.Fetch{URL: B, Headers: h("Accept", "text/html", "Accept", "text/plain")}))
	g.add("safelist", A, "POST with Content-Type application/json then text/plain, permissive preflight answer",
		[]scenario.Rule{permissivePreflight(A, B), actual("POST")}, step(0, scenario.Fetch{URL: B, Method: "POST", Headers: h("Content-Type", "application/json", "Content-Type", "text/plain"), Body: body("x")}))
	g.add("safelist", A, "GET with an empty Accept value, permissive preflight answer",
		[]scenario.Rule{permissivePreflight(A, B), actual("GET")}, step(0, scenario.Fetch{URL: B, Headers: h("Accept", "")}))
}

func (g *gen) expose() {
	resp := func(extra ...string) []scenario.Header {
		return h(append([]string{"Access-Control-Allow-Origin", A, "Content-Type", "text/plain", "X-Secret", "1", "X-Other", "2", "Set-Cookie", "a=b"}, extra...)...)
	}
	for _, v := range []string{"x-secret", " X-Secret ", "X-Secret;", "*, X-Secret", "Content-Type, X-Secret", "X-Secret,X-Other,", "**", "X-Other, *"} {
		for _, creds := range []string{"omit", "include"} {
			extra := []string{"Access-Control-Expose-Headers", v}
			if creds == "include" {
				extra = append(extra, "Access-Control-Allow-Credentials", "true")
			}
			g.add("expose", A, fmt.Sprintf("GET credentials %s, Access-Control-Expose-Headers %q", creds, v),
				[]scenario.Rule{{Method: "GET", URL: B, Status: 200, Headers: resp(extra...), Body: body("ok")}}, step(0, scenario.Fetch{URL: B, Credentials: creds}))
		}
	}
	g.add("expose", A, "GET with ACAO *, Access-Control-Expose-Headers '*'",
		[]scenario.Rule{{Method: "GET", URL: B, Status: 200, Headers: h("Access-Control-Allow-Origin", "*", "Access-Control-Expose-Headers", "*", "X-Secret", "1"), Body: body("ok")}}, step(0, get(B)))
	g.add("expose", A, "Redirected GET, only the final response's Access-Control-Expose-Headers counts",
		[]scenario.Rule{rule("GET", B, 302, h("Access-Control-Allow-Origin", A, "Access-Control-Expose-Headers", "X-Secret", "Location", "http://b.test/final")),
			rule("GET", "http://b.test/final", 200, h("Access-Control-Allow-Origin", A, "X-Secret", "1", "X-Other", "2", "Access-Control-Expose-Headers", "X-Other"))},
		step(0, get(B)))
}

func (g *gen) methods() {
	for _, m := range []string{"Delete", "Options", "hEAD", "Post", "pUt", "MKCOL", "Patch"} {
		g.add("methods", A, fmt.Sprintf("Cross-origin fetch with method %q, preflight allows the normalized and the raw method", m),
			[]scenario.Rule{permissivePreflight(A, B, "Access-Control-Max-Age", "0"), rule("OPTIONS", B, 204, nil),
				rule(strings.ToUpper(m), B, 200, h("Access-Control-Allow-Origin", A)), rule(m, B, 200, h("Access-Control-Allow-Origin", A))},
			step(0, scenario.Fetch{URL: B, Method: m}))
	}
	for _, m := range []string{"track", "CONNECT", "Trace"} {
		g.add("methods", A, fmt.Sprintf("Cross-origin fetch with forbidden method %q is rejected", m), nil, step(0, scenario.Fetch{URL: B, Method: m}))
	}
	g.add("methods", A, "Cross-origin fetch with method 'MKCOL', preflight Allow-Methods 'mkcol'",
		[]scenario.Rule{preflightRule("Access-Control-Allow-Methods", "mkcol"), actual("MKCOL")}, step(0, scenario.Fetch{URL: B, Method: "MKCOL"}))
	g.add("methods", A, "Cross-origin HEAD with X-Foo, preflight Allow-Headers X-Foo and no Allow-Methods",
		[]scenario.Rule{preflightRule("Access-Control-Allow-Headers", "X-Foo"), rule("HEAD", B, 200, h("Access-Control-Allow-Origin", A))},
		step(0, scenario.Fetch{URL: B, Method: "HEAD", Headers: h("X-Foo", "1")}))
}

func (g *gen) modes() {
	g.add("modes", A, "No-cors POST with Content-Type application/json drops the header and sends text/plain",
		[]scenario.Rule{rule("POST", B, 200, nil)}, step(0, scenario.Fetch{URL: B, Method: "POST", Mode: "no-cors", Headers: h("Content-Type", "application/json"), Body: body("{}")}))
	g.add("modes", A, "No-cors GET with X-Foo drops the header",
		[]scenario.Rule{rule("GET", B, 200, nil)}, step(0, scenario.Fetch{URL: B, Mode: "no-cors", Headers: h("X-Foo", "1")}))
	g.add("modes", A, "No-cors POST with Content-Type multipart/form-data",
		[]scenario.Rule{rule("POST", B, 200, nil)}, step(0, scenario.Fetch{URL: B, Method: "POST", Mode: "no-cors", Headers: h("Content-Type", "multipart/form-data; boundary=x"), Body: body("x")}))
	g.add("modes", A, "Same-origin mode GET redirected 302 to b.test",
		[]scenario.Rule{rule("GET", "http://a.test/r", 302, h("Location", "http://b.test/final")), rule("GET", "http://b.test/final", 200, h("Access-Control-Allow-Origin", A))},
		step(0, scenario.Fetch{URL: "http://a.test/r", Mode: "same-origin"}))
	g.add("modes", A, "Same-origin mode GET redirected 302 within the origin",
		[]scenario.Rule{rule("GET", "http://a.test/r", 302, h("Location", "http://a.test/final")), rule("GET", "http://a.test/final", 200, h("X-Secret", "1"))},
		step(0, scenario.Fetch{URL: "http://a.test/r", Mode: "same-origin"}))
	g.add("modes", A, "Same-origin mode GET to b.test is rejected",
		[]scenario.Rule{rule("GET", B, 200, h("Access-Control-Allow-Origin", A))}, step(0, scenario.Fetch{URL: B, Mode: "same-origin"}))
	g.add("modes", A, "No-cors same-origin GET redirected to b.test is opaque",
		[]scenario.Rule{rule("GET", "http://a.test/r", 302, h("Location", "http://b.test/final")), rule("GET", "http://b.test/final", 200, h("Access-Control-Allow-Origin", A))},
		step(0, scenario.Fetch{URL: "http://a.test/r", Mode: "no-cors"}))
	g.add("modes", A, "CORS-mode GET redirected from b.test back to a.test with ACAO *",
		[]scenario.Rule{rule("GET", B, 302, h("Access-Control-Allow-Origin", A, "Location", "http://a.test/final")), rule("GET", "http://a.test/final", 200, h("Access-Control-Allow-Origin", "*", "X-Secret", "1"))},
		step(0, get(B)))
	g.add("modes", A, "No-cors GET with credentials include is opaque",
		[]scenario.Rule{rule("GET", B, 200, h("Access-Control-Allow-Origin", A))}, step(0, scenario.Fetch{URL: B, Mode: "no-cors", Credentials: "include"}))
	g.add("modes", A, "No-cors POST with Accept-Language containing '_' drops the header",
		[]scenario.Rule{rule("POST", B, 200, nil)}, step(0, scenario.Fetch{URL: B, Method: "POST", Mode: "no-cors", Headers: h("Accept-Language", "en_US"), Body: body("x")}))
}

func (g *gen) simple() {
	for _, v := range []string{"http://a.test:80", "http://a.test.", "http://a.test/path", " *", "*,*", "http://a.test\t", "HTTP://A.TEST:80", "a.test", "http:/a.test", "//a.test", "http://*.test", "https://a.test"} {
		g.add("simple", A, fmt.Sprintf("Cross-origin GET, Access-Control-Allow-Origin %q", v),
			[]scenario.Rule{rule("GET", B, 200, h("Access-Control-Allow-Origin", v, "Content-Type", "text/plain"))}, step(0, get(B)))
	}
	for _, v := range []string{"tr ue", "true\t", "yes"} {
		g.add("simple", A, fmt.Sprintf("Cross-origin GET with credentials include, Access-Control-Allow-Credentials %q", v),
			[]scenario.Rule{rule("GET", B, 200, h("Access-Control-Allow-Origin", A, "Access-Control-Allow-Credentials", v))}, step(0, scenario.Fetch{URL: B, Credentials: "include"}))
	}
	g.add("simple", A, "Cross-origin GET with credentials include, ACAO * and no ACAC",
		[]scenario.Rule{rule("GET", B, 200, h("Access-Control-Allow-Origin", "*"))}, step(0, scenario.Fetch{URL: B, Credentials: "include"}))
	for _, status := range []int{201, 206, 400, 401, 403, 500} {
		g.add("simple", A, fmt.Sprintf("Cross-origin GET answered %d with ACAO the origin", status),
			[]scenario.Rule{rule("GET", B, status, h("Access-Control-Allow-Origin", A, "Content-Type", "text/plain"))}, step(0, get(B)))
		g.add("simple", A, fmt.Sprintf("Cross-origin GET answered %d without ACAO", status),
			[]scenario.Rule{rule("GET", B, status, h("Content-Type", "text/plain"))}, step(0, get(B)))
	}
	g.add("simple", A, "Cross-origin POST with an empty text body and ACAO *",
		[]scenario.Rule{rule("POST", B, 200, h("Access-Control-Allow-Origin", "*"))}, step(0, scenario.Fetch{URL: B, Method: "POST", Body: body("")}))
	g.add("simple", A, "Cross-origin GET with a query and a fragment",
		[]scenario.Rule{rule("GET", B+"?a=1", 200, h("Access-Control-Allow-Origin", A))}, step(0, get(B+"?a=1#frag")))
}

// checkMatrix crosses the inputs of the CORS check: method, credentials
// mode, Access-Control-Allow-Origin and Access-Control-Allow-Credentials.
func (g *gen) checkMatrix() {
	for _, m := range []string{"GET", "HEAD", "POST"} {
		for _, creds := range []string{"omit", "same-origin", "include"} {
			for _, acao := range []string{A, "*", "null", ""} {
				for _, acac := range []string{"true", ""} {
					hs := []string{"Content-Type", "text/plain"}
					if acao != "" {
						hs = append(hs, "Access-Control-Allow-Origin", acao)
					}
					if acac != "" {
						hs = append(hs, "Access-Control-Allow-Credentials", acac)
					}
					f := scenario.Fetch{URL: B, Method: m, Credentials: creds}
					if m == "POST" {
						f.Body = body("x")
					}
					name := fmt.Sprintf("CORS check matrix: %s, credentials %s, ACAO %q, ACAC %q", m, creds, acao, acac)
					g.add("check-matrix", A, name, []scenario.Rule{rule(m, B, 200, h(hs...))}, step(0, f))
				}
			}
		}
	}
}

// forbidden covers the forbidden request-header names and the
// method-override headers, each with a permissive preflight answer so that a
// header that is not dropped shows up as a preflight.
func (g *gen) forbidden() {
	for _, hv := range [][2]string{
		{"User-Agent", "corsim-test"}, {"Cookie", "a=b"}, {"Cookie2", "a=b"}, {"Sec-Foo", "1"}, {"Proxy-Foo", "1"},
		{"Accept-Charset", "utf-8"}, {"Accept-Encoding", "identity"}, {"Content-Length", "5"}, {"Date", "Thu, 01 Jan 1970 00:00:00 GMT"},
		{"Expect", "100-continue"}, {"Referer", "http://evil.test/"}, {"Trailer", "X-Foo"}, {"Upgrade", "h2c"}, {"Via", "1.1 x"},
		{"Connection", "close"}, {"Access-Control-Request-Headers", "x-foo"}, {"X-HTTP-Method", "GET"}, {"X-HTTP-Method-Override", "PUT"},
		{"X-Method-Override", "connect"}, {"X-HTTP-Method-Override", "GET, TRACK"}, {"X-HTTP-Method", "trace"},
	} {
		g.add("forbidden", A, fmt.Sprintf("Cross-origin GET with script-set header %s: %s, permissive preflight answer", hv[0], hv[1]),
			[]scenario.Rule{permissivePreflight(A, B), actual("GET")}, step(0, scenario.Fetch{URL: B, Headers: h(hv[0], hv[1])}))
	}
	g.add("forbidden", A, "Cross-origin POST with script-set Content-Length and a text body",
		[]scenario.Rule{permissivePreflight(A, B), actual("POST")}, step(0, scenario.Fetch{URL: B, Method: "POST", Headers: h("Content-Length", "1"), Body: body("hello")}))
	g.add("forbidden", A, "Cross-origin HEAD with a body is rejected", nil, step(0, scenario.Fetch{URL: B, Method: "HEAD", Body: body("x")}))
	g.add("forbidden", A, "Cross-origin fetch to a URL with credentials is rejected", nil, step(0, get("http://user:pass@b.test/r")))
}
