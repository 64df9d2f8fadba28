package diagram_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/corsim/corsim/diagram"
	"github.com/corsim/corsim/enforce"
	"github.com/corsim/corsim/profile"
	"github.com/corsim/corsim/scenario"
)

// The classic mistake: the preflight answer allows the method but names no
// origin.
func ExampleFix() {
	err := &enforce.Error{Reason: enforce.PreflightMissingAllowOriginHeader, Origin: "http://a.test"}
	fmt.Println(diagram.Fix(err))
	err = &enforce.Error{Reason: enforce.AllowOriginMismatch, Origin: "http://a.test", Param: "http://a.test/"}
	fmt.Println(diagram.Fix(err))
	// Output:
	// on the OPTIONS (preflight) response, send Access-Control-Allow-Origin: http://a.test
	// send Access-Control-Allow-Origin: http://a.test (not "http://a.test/")
}

func ExampleRender() {
	s, err := scenario.Parse("example.json", []byte(`{"format": 1, "name": "PUT without a preflight answer", "origin": "http://a.test",
	  "server": [{"method": "OPTIONS", "url": "http://b.test/r", "status": 404, "headers": []}],
	  "steps": [{"at": 0, "fetch": {"url": "http://b.test/r", "method": "PUT"}, "expect": {}}]}`))
	if err != nil {
		panic(err)
	}
	svg, err := diagram.Render(context.Background(), s, profile.Chromium())
	if err != nil {
		panic(err)
	}
	fmt.Println(bytes.HasPrefix(svg, []byte("<svg")))
	fmt.Println(bytes.Contains(svg, []byte("✗ blocked: PreflightMissingAllowOriginHeader")))
	// Output:
	// true
	// true
}

func ExampleFromReplay() {
	s, _ := scenario.Parse("example.json", []byte(`{"format": 1, "name": "simple GET", "origin": "http://a.test",
	  "server": [{"method": "GET", "url": "http://b.test/r", "status": 200, "headers": [["Access-Control-Allow-Origin", "*"]]}],
	  "steps": [{"at": 0, "fetch": {"url": "http://b.test/r"}, "expect": {}}]}`))
	obs, _ := scenario.Replay(context.Background(), s, profile.Chromium())
	d := diagram.FromReplay(s, profile.Chromium(), obs)
	for _, a := range d.Steps[0].Arrows {
		fmt.Println(a.Lines[0])
	}
	// Output:
	// fetch("http://b.test/r")
	// GET /r
	// 200 OK
	// resolves: cors response, status 200
}

// A method missing from Access-Control-Allow-Methods: the change adds it to
// the preflight answer's list.
func ExampleFixFor() {
	c, ok := diagram.FixFor(&enforce.Error{Reason: enforce.MethodDisallowedByPreflightResponse, Param: "DELETE"})
	fmt.Println(ok, c.Preflight, c.Header, c.Value, c.Append)
	fmt.Println(c.Text)
	_, ok = diagram.FixFor(&enforce.Error{Reason: enforce.DisallowedByMode})
	fmt.Println(ok)
	// Output:
	// true true Access-Control-Allow-Methods DELETE true
	// add DELETE to Access-Control-Allow-Methods on the OPTIONS (preflight) response
	// false
}
