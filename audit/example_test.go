package audit_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/corsim/corsim/audit"
	"github.com/corsim/corsim/corstest"
)

func Example() {
	// A handler that echoes any Origin and allows credentials.
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		w.Header().Set("Vary", "Origin")
		w.Write([]byte(`{"balance": 100}`))
	})
	rep, err := audit.Run(context.Background(), corstest.Handler("https://api.example/account", api), "https://app.example", audit.Options{})
	if err != nil {
		panic(err)
	}
	for _, f := range rep.Findings {
		fmt.Printf("%s %s: %s\n", f.Severity, f.ID, f.Request)
		for _, b := range f.Browsers {
			fmt.Printf("  %s: %s\n", b.Name, b.Outcome)
		}
	}
	// Output:
	// high reflected-origin-with-credentials: fetch("https://api.example/account", {method: "GET", credentials: "include"}) from a page at https://corsim-audit.attacker.test
	//   chromium: script reads the response (status 200) and headers content-type
	//   firefox: script reads the response (status 200) and headers content-type
	//   webkit: script reads the response (status 200) and headers content-type
	// high null-origin-trusted: fetch("https://api.example/account", {method: "GET", credentials: "include"}) from a page at null
	//   chromium: script reads the response (status 200) and headers content-type
	//   firefox: script reads the response (status 200) and headers content-type
	//   webkit: script reads the response (status 200) and headers content-type
}
