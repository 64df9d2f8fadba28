package corstest_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/corsim/corsim/corstest"
)

// A CORS middleware with the classic mistake: it trusts any origin that
// ends with the site's host.
func suffixCORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Origin")
		if o := r.Header.Get("Origin"); strings.HasSuffix(o, "://app.example") || strings.HasSuffix(o, "app.example") {
			w.Header().Set("Access-Control-Allow-Origin", o)
			w.Header().Set("Access-Control-Allow-Credentials", "true")
		}
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Methods", "PUT")
			w.Header().Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func Example() {
	policy := corstest.Policy{
		Origins:     []string{"https://app.example"},
		Methods:     []string{"PUT"},
		Credentials: true,
		MaxAge:      10 * time.Minute,
	}
	save := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("saved")) })
	target := corstest.Handler("https://api.example/items/1", suffixCORS(corstest.Endpoint(save)))
	target.Marked = true // the endpoint is wrapped: "reached the handler" is exact

	// In a test: corstest.Test(t, policy, target) reports the same lines
	// with t.Errorf, each followed by the browser's trace.
	report, err := corstest.Run(context.Background(), policy, target, corstest.Options{})
	if err != nil {
		panic(err)
	}
	failures := report.Failures()
	fmt.Println(strings.SplitN(failures[0].String(), "\n", 2)[0])
	var origins []string
	count := map[string]int{}
	for _, f := range failures {
		from := f.Case[strings.Index(f.Case, " from ")+len(" from "):]
		if count[from] == 0 {
			origins = append(origins, from)
		}
		count[from]++
	}
	for _, o := range origins {
		fmt.Printf("%s: %d failing cases\n", o, count[o])
	}
	// Output:
	// GET, credentials omit from http://app.example (other-scheme) [chromium, firefox, webkit]: leaked: the policy forbids it, but script can read the response (status 200)
	// http://app.example (other-scheme): 5 failing cases
	// https://evilapp.example (suffix): 5 failing cases
	// https://corsim-attacker.app.example (child-subdomain): 5 failing cases
}
