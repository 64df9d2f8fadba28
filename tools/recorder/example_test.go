package main

import (
	"fmt"
	"strings"

	"github.com/corsim/corsim/scenario"
)

// A rule is written exactly as listed: a repeated header stays two lines in
// its own case, and nothing (Date, Content-Length, Connection) is added.
func Example_appendResponse() {
	body := "ok"
	r := scenario.Rule{Status: 200, Headers: []scenario.Header{
		{Name: "access-control-allow-origin", Value: "http://a.test"},
		{Name: "Access-Control-Allow-Origin", Value: "http://c.test"},
	}, Body: &body}
	fmt.Printf("%q\n", appendResponse(nil, r, false))
	// Output:
	// "HTTP/1.1 200 OK\r\naccess-control-allow-origin: http://a.test\r\nAccess-Control-Allow-Origin: http://c.test\r\n\r\nok"
}

// A classic mistake: a rule's method is matched exactly, as sent on the
// wire. fetch("…", {method: "put"}) sends "PUT" (Fetch: normalize a method
// upper-cases DELETE, GET, HEAD, OPTIONS, POST and PUT), so a rule for
// "put" never answers; "patch" is sent as written.
func Example_matchRule() {
	rules := []scenario.Rule{
		{Method: "put", URL: "http://b.test/r", Status: 200},
		{Method: "PATCH", URL: "http://b.test:80/r", Status: 200},
	}
	_, ok := matchRule("PUT", "http://b.test/r", rules)
	fmt.Println("PUT matches the rule for put:", ok)
	_, ok = matchRule("PATCH", "http://b.test/r", rules)
	fmt.Println("PATCH matches the rule spelled with :80:", ok)
	// Output:
	// PUT matches the rule for put: false
	// PATCH matches the rule spelled with :80: true
}

// Scenario files keep header pairs and readable header names on one line.
func Example_formatScenario() {
	status := 200
	names := []string{"content-type"}
	wire := []scenario.WireRequest{{Method: "GET", URL: "http://b.test/r", Headers: map[string]string{"origin": "http://a.test"}}}
	s := &scenario.Scenario{
		Format: 1, Name: "Cross-origin GET", Origin: "http://a.test", Browser: "chromium 156.0.8078.79",
		Server: []scenario.Rule{{Method: "GET", URL: "http://b.test/r", Status: 200, Headers: []scenario.Header{
			{Name: "Access-Control-Allow-Origin", Value: "*"}}}},
		Steps: []scenario.Step{{Fetch: scenario.Fetch{URL: "http://b.test/r"},
			Expect: scenario.Expect{Outcome: "ok", Status: &status, Headers: &names, Wire: &wire}}},
	}
	out, err := formatScenario(s)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(strings.ReplaceAll(string(out), " ", "·"))
	// Output:
	// {
	// ··"format":·1,
	// ··"name":·"Cross-origin·GET",
	// ··"origin":·"http://a.test",
	// ··"browser":·"chromium·156.0.8078.79",
	// ··"server":·[
	// ····{
	// ······"method":·"GET",
	// ······"url":·"http://b.test/r",
	// ······"status":·200,
	// ······"headers":·[
	// ········["Access-Control-Allow-Origin",·"*"]
	// ······]
	// ····}
	// ··],
	// ··"steps":·[
	// ····{
	// ······"at":·0,
	// ······"fetch":·{
	// ········"url":·"http://b.test/r"
	// ······},
	// ······"expect":·{
	// ········"outcome":·"ok",
	// ········"status":·200,
	// ········"headers":·["content-type"],
	// ········"wire":·[
	// ··········{
	// ············"method":·"GET",
	// ············"url":·"http://b.test/r",
	// ············"headers":·{
	// ··············"origin":·"http://a.test"
	// ············}
	// ··········}
	// ········]
	// ······}
	// ····}
	// ··]
	// }
}
