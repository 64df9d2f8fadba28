package playground_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/corsim/corsim/playground"
)

func ExampleRun() {
	resp, _, err := playground.Run(context.Background(), playground.RunRequest{
		Profile: "firefox",
		Scenario: `{"format": 1, "name": "credentials with a wildcard", "origin": "http://a.test",
		  "server": [{"method": "GET", "url": "http://b.test/me", "status": 200,
		    "headers": [["Access-Control-Allow-Origin", "*"], ["Access-Control-Allow-Credentials", "true"]]}],
		  "steps": [{"at": 0, "fetch": {"url": "http://b.test/me", "credentials": "include"}, "expect": {}}]}`,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	step := resp.Steps[0]
	fmt.Println(step.Verdict)
	fmt.Println("fix:", step.Block.Fix)
	// Output:
	// fetch() rejects with a network error (TypeError) — CORS error WildcardOriginNotAllowed
	// fix: send Access-Control-Allow-Origin: http://a.test instead of "*" (a credentialed request needs the exact origin)
}

func ExampleHandler() {
	srv := httptest.NewServer(playground.Handler())
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/api/run", "application/json", strings.NewReader(`{"scenario": "{\"format\": 2}"}`))
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	fmt.Println(resp.Status)
	// Output:
	// 400 Bad Request
}
