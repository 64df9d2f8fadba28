package main

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/corsim/corsim/scenario"
)

// mixed draws combinations of document origin, target, method, headers,
// credentials and server answers from a fixed seed: a differential probe
// for interactions no hand-written case covers. The seed is fixed so the
// inputs, and so the recordings, are reproducible.
func (g *gen) mixed(n int) {
	r := rand.New(rand.NewPCG(2026, 11))
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	for i := 0; i < n; i++ {
		doc := pick(A, A, "https://a.test", "null", "http://a.test:8081")
		target := pick("http://b.test/r", "http://b.test/r", "http://a.test/r", "https://b.test/r", "http://c.test:8081/r")
		if strings.HasPrefix(doc, "https") && strings.HasPrefix(target, "http:") {
			target = "https://b.test/r"
		}
		method := pick("GET", "GET", "HEAD", "POST", "PUT", "DELETE", "patch")
		creds := pick("", "omit", "include", "same-origin")
		var headers []string
		switch r.IntN(5) {
		case 1:
			headers = []string{"X-Foo", "1"}
		case 2:
			headers = []string{"Content-Type", "application/json"}
		case 3:
			headers = []string{"Authorization", "Bearer t"}
		case 4:
			headers = []string{"Accept-Language", "en_US", "X-Bar", "2"}
		}
		allowOrigin := func() string {
			if doc == "null" {
				return pick("null", "null", "*", A, "")
			}
			return pick(doc, doc, doc, "*", "null", doc+"/", "")
		}
		answer := func(extra ...string) []scenario.Header {
			var hs []string
			if v := allowOrigin(); v != "" {
				hs = append(hs, "Access-Control-Allow-Origin", v)
			}
			if r.IntN(2) == 0 {
				hs = append(hs, "Access-Control-Allow-Credentials", pick("true", "true", "TRUE"))
			}
			return h(append(hs, extra...)...)
		}
		pre := answer("Access-Control-Allow-Methods", pick("PUT, DELETE, patch", "*", "PUT", "GET", ""),
			"Access-Control-Allow-Headers", pick("X-Foo, Content-Type, Authorization, X-Bar, Accept-Language", "*", "X-Foo", ""),
			"Access-Control-Max-Age", pick("", "0", "10"))
		rules := []scenario.Rule{{Method: "OPTIONS", URL: target, Status: []int{204, 200, 204, 404}[r.IntN(4)], Headers: pre}}
		upper := strings.ToUpper(method)
		if method == "patch" {
			upper = "patch"
		}
		status := []int{200, 200, 200, 302, 307, 404}[r.IntN(6)]
		actualHeaders := answer("Content-Type", "text/plain", "X-Secret", "1", "Access-Control-Expose-Headers", pick("X-Secret", "*", ""))
		if status == 302 || status == 307 {
			next := pick("http://c.test/final", "http://b.test/final", "http://a.test/final", "https://b.test/final")
			if strings.HasPrefix(doc, "https") {
				next = "https://b.test/final"
			}
			actualHeaders = append(actualHeaders, scenario.Header{Name: "Location", Value: next})
			nextMethod := upper
			if status == 302 && upper == "POST" {
				nextMethod = "GET"
			}
			rules = append(rules,
				scenario.Rule{Method: "OPTIONS", URL: next, Status: 204, Headers: answer("Access-Control-Allow-Methods", "PUT, DELETE, patch", "Access-Control-Allow-Headers", "*")},
				rule(nextMethod, next, 200, answer("Content-Type", "text/plain")))
		}
		rules = append(rules, rule(upper, target, status, actualHeaders))
		f := scenario.Fetch{URL: target, Method: method, Credentials: creds, Headers: h(headers...)}
		if len(headers) == 0 {
			f.Headers = nil
		}
		if upper == "POST" || upper == "PUT" {
			f.Body = body("payload")
		}
		if r.IntN(8) == 0 && (upper == "GET" || upper == "HEAD" || upper == "POST") {
			f.Mode = "no-cors"
			f.Headers = nil
		}
		steps := []scenario.Step{step(0, f)}
		if r.IntN(3) == 0 {
			steps = append(steps, step(0.5, f))
		}
		g.add("mixed", doc, fmt.Sprintf("Mixed %03d: %s %s from %s, credentials %q, headers %q", i, method, target, doc, creds, strings.Join(headers, ":")), rules, steps...)
	}
}

// mixedCache draws preflight-cache sequences: several requests to one URL
// over a few seconds, varying method, headers and credentials, against
// preflight answers that change per step. It probes what the cache keeps,
// replaces and erases.
func (g *gen) mixedCache(n int) {
	r := rand.New(rand.NewPCG(2026, 12))
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	for i := 0; i < n; i++ {
		doc := pick(A, A, "null")
		allow := doc
		preflight := func() scenario.Rule {
			hs := []string{"Access-Control-Allow-Origin", allow,
				"Access-Control-Allow-Methods", pick("PUT", "PUT, DELETE", "DELETE", "*", "PUT, patch"),
				"Access-Control-Allow-Headers", pick("X-Foo", "X-Foo, X-Bar", "*", "", "Authorization, X-Foo"),
				"Access-Control-Max-Age", pick("1", "2", "10", "", "0")}
			if r.IntN(2) == 0 {
				hs = append(hs, "Access-Control-Allow-Credentials", "true")
			}
			return rule("OPTIONS", B, 204, h(hs...))
		}
		actualFor := func(m string) scenario.Rule {
			return rule(m, B, 200, h("Access-Control-Allow-Origin", allow, "Access-Control-Allow-Credentials", "true"))
		}
		rules := []scenario.Rule{preflight(), actualFor("PUT"), actualFor("DELETE"), actualFor("patch"), actualFor("GET"), actualFor("POST")}
		var steps []scenario.Step
		at := 0.0
		var desc []string
		for s, count := 0, 2+r.IntN(3); s < count; s++ {
			f := scenario.Fetch{URL: B, Method: pick("PUT", "PUT", "DELETE", "patch", "GET", "POST"), Credentials: pick("omit", "include", "")}
			switch r.IntN(4) {
			case 1:
				f.Headers = h("X-Foo", "1")
			case 2:
				f.Headers = h("X-Foo", "1", "X-Bar", "2")
			case 3:
				f.Headers = h("Authorization", "Bearer t")
			}
			st := step(at, f)
			if s > 0 && r.IntN(3) == 0 {
				st.Server = []scenario.Rule{preflight()}
			}
			steps = append(steps, st)
			desc = append(desc, fmt.Sprintf("%s@%gs", f.Method, at))
			at += []float64{0.3, 0.5, 1.2, 2.5}[r.IntN(4)]
		}
		g.add("mixed-cache", doc, fmt.Sprintf("Mixed cache %03d from %s: %s", i, doc, strings.Join(desc, ", ")), rules, steps...)
	}
}
