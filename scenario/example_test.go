package scenario_test

import (
	"context"
	"fmt"

	"github.com/corsim/corsim/profile"
	"github.com/corsim/corsim/scenario"
)

func ExampleReplay() {
	s, err := scenario.Parse("example.json", []byte(`{
	  "format": 1, "name": "PUT without Access-Control-Allow-Methods", "origin": "http://a.test",
	  "server": [{"method": "OPTIONS", "url": "http://b.test/r", "status": 204,
	              "headers": [["Access-Control-Allow-Origin", "http://a.test"]]}],
	  "steps": [{"at": 0, "fetch": {"url": "http://b.test/r", "method": "PUT"}, "expect": {}}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	obs, _ := scenario.Replay(context.Background(), s, profile.Chromium())
	o := obs[0].Observed
	fmt.Println(o.Outcome, *o.Error)
	fmt.Println(*o.Console)
	// Output:
	// network-error MethodDisallowedByPreflightResponse
	// Access to fetch at 'http://b.test/r' from origin 'http://a.test' has been blocked by CORS policy: Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.
}

func ExampleParse_unknownField() {
	_, err := scenario.Parse("typo.json", []byte(`{"format": 1, "name": "n", "origin": "http://a.test",
	  "steps": [{"at": 0, "fetch": {"url": "http://b.test/r", "metod": "PUT"}, "expect": {}}]}`))
	fmt.Println(err)
	// Output: typo.json:2:60: steps[0].fetch.metod: unknown field "metod" (allowed: body, credentials, headers, method, mode, redirect, url)
}

func ExampleCompare() {
	want, got := 204, 200
	for _, m := range scenario.Compare(scenario.Expect{Status: &want}, scenario.Expect{Status: &got}) {
		fmt.Println(m)
	}
	// Output: status: expected 204, observed 200
}

func ExampleObservation_unscripted() {
	s, _ := scenario.Parse("example.json", []byte(`{
	  "format": 1, "name": "a PUT whose preflight no rule answers", "origin": "http://a.test",
	  "server": [{"method": "PUT", "url": "http://b.test/r", "status": 200, "headers": []}],
	  "steps": [{"at": 0, "fetch": {"url": "http://b.test/r", "method": "PUT"}, "expect": {}}]}`))
	obs, _ := scenario.Replay(context.Background(), s, profile.Chromium())
	for _, r := range obs[0].Unscripted {
		fmt.Println("no rule answered", r.Method, r.URL, "so it got 404 with nothing")
	}
	// Output: no rule answered OPTIONS http://b.test/r so it got 404 with nothing
}

func ExampleExpect_HasFields() {
	s, _ := scenario.Parse("example.json", []byte(`{"format": 1, "name": "n", "origin": "http://a.test",
	  "steps": [{"at": 0, "fetch": {"url": "http://b.test/r"}, "expect": {}},
	            {"at": 0, "fetch": {"url": "http://b.test/r"}, "expect": {"outcome": "network-error"}}]}`))
	for i, st := range s.Steps {
		fmt.Println(i, st.Expect.HasFields())
	}
	// Output:
	// 0 false
	// 1 true
}

// The loader refuses what a JSON decoder would silently change, naming the
// place: a key given twice (the decoder keeps the last) and invalid UTF-8
// (the decoder reads U+FFFD).
func ExampleParse_silentChangesAreErrors() {
	_, err := scenario.Parse("twice.json", []byte(`{"format": 1, "name": "first",
  "name": "second"}`))
	fmt.Println(err)
	_, err = scenario.Parse("latin1.json", []byte("{\"format\": 1, \"name\": \"caf\xe9\"}"))
	fmt.Println(err)
	// Output:
	// twice.json:2:3: duplicate key "name" (first at line 1, column 15); a JSON reader would silently keep only the last
	// latin1.json:1:27: invalid UTF-8 (byte 0xe9); a scenario file must be UTF-8 text
}
