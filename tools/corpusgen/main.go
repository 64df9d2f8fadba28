// Command corpusgen writes the inputs of new conformance scenarios: server
// rules and fetch steps without `expect`. The recorder
// (tools/recorder) runs them through real Chromium and fills in `expect`;
// only recorded files enter testdata/chromium.
//
//	go run ./tools/corpusgen -out DIR
//
// The cases aim where the shared corpus is thin: non-default ports, opaque
// origins, https, IDN hosts, long preflight-cache sequences, mixed redirect
// chains, and every per-value rule of the safelist.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/corsim/corsim/scenario"
)

func main() {
	out := flag.String("out", "", "folder to write the scenario inputs into (one sub-folder per category)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "corpusgen: -out is required")
		os.Exit(2)
	}
	g := &gen{seen: map[string]bool{}}
	g.all()
	for _, c := range g.cases {
		path := filepath.Join(*out, c.category, c.file+".json")
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			fmt.Fprintln(os.Stderr, "corpusgen:", err)
			os.Exit(1)
		}
		b, err := json.MarshalIndent(c.s, "", "  ")
		if err != nil {
			fmt.Fprintln(os.Stderr, "corpusgen:", err)
			os.Exit(1)
		}
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "corpusgen:", err)
			os.Exit(1)
		}
	}
	fmt.Fprintf(os.Stderr, "corpusgen: %d scenarios\n", len(g.cases))
}

type genCase struct {
	category, file string
	s              *scenario.Scenario
}

type gen struct {
	cases []genCase
	seen  map[string]bool
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// add records a scenario under category, named from its title.
func (g *gen) add(category, origin, name string, server []scenario.Rule, steps ...scenario.Step) {
	slug := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if len(slug) > 100 {
		slug = strings.TrimRight(slug[:100], "-")
	}
	file := slug
	for i := 2; g.seen[category+"/"+file]; i++ {
		file = fmt.Sprintf("%s-%d", slug, i)
	}
	g.seen[category+"/"+file] = true
	if server == nil {
		server = []scenario.Rule{}
	}
	g.cases = append(g.cases, genCase{category, file, &scenario.Scenario{Format: 1, Name: name, Origin: origin, Server: server, Steps: steps}})
}

// h builds header pairs from alternating names and values.
func h(kv ...string) []scenario.Header {
	out := []scenario.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, scenario.Header{Name: kv[i], Value: kv[i+1]})
	}
	return out
}

func body(s string) *string { return &s }

func rule(method, url string, status int, headers []scenario.Header) scenario.Rule {
	if headers == nil {
		headers = []scenario.Header{}
	}
	r := scenario.Rule{Method: method, URL: url, Status: status, Headers: headers}
	if method != "OPTIONS" && method != "HEAD" && status != 204 && status != 304 {
		r.Body = body("ok")
	}
	return r
}

func step(at float64, f scenario.Fetch) scenario.Step { return scenario.Step{At: at, Fetch: f} }

func get(url string) scenario.Fetch { return scenario.Fetch{URL: url} }

const (
	A = "http://a.test"
	B = "http://b.test/r"
)

// permissivePreflight answers every preflight from origin to url.
func permissivePreflight(origin, url string, extra ...string) scenario.Rule {
	return rule("OPTIONS", url, 204, h(append([]string{
		"Access-Control-Allow-Origin", origin,
		"Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, PATCH",
		"Access-Control-Allow-Headers", "*"}, extra...)...))
}

func (g *gen) all() {
	g.ports()
	g.opaqueOrigin()
	g.https()
	g.idn()
	g.cache()
	g.redirects()
	g.preflight()
	g.safelist()
	g.expose()
	g.methods()
	g.modes()
	g.simple()
	g.checkMatrix()
	g.forbidden()
	g.typeErrors()
	g.statuses()
	g.invalidResponses()
	g.badPorts()
	g.redirectRules()
	g.externalSchemeRedirects()
	g.modesAcrossRedirects()
	g.preflightAfterRedirect()
	g.requestHeaders()
	g.disallowedOrder("a", 1, 30, A, "http://b.test/", 8)
	g.disallowedOrder("b", 2, 25, A, "http://b.test/", 8)
	g.disallowedOrderEntries()
	g.disallowedOrder("c", 3, 8, "https://a.test", "https://b.test/", 8)
	g.disallowedOrder("d", 4, 6, A, "https://b.test/", 8)
	g.disallowedOrder("e", 5, 10, "https://a.test", "https://b.test/", 8)
	g.disallowedOrder("f", 6, 6, A, "https://b.test/", 8)
	g.disallowedOrderAfterRedirect()
	// Recorded after the model was settled, as a last check; up to 20
	// unsafe headers fill tables of 32 and 64 buckets.
	g.disallowedOrder("g", 7, 12, A, "http://b.test/", 20)
	g.disallowedOrder("h", 8, 8, "https://a.test", "https://b.test/", 20)
	g.disallowedOrderOverLimit("over", 9, 8)
	// Recorded after the rule for names over the limit was added.
	g.disallowedOrderOverLimit("overb", 10, 6)
	g.mixed(150)
	g.mixedCache(80)
	g.cookies()
	g.metadata()
}
