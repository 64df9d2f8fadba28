package servertest_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	chicors "github.com/go-chi/cors"
	jub0bs "github.com/jub0bs/cors"
	rscors "github.com/rs/cors"

	"github.com/corsim/corsim/audit"
	"github.com/corsim/corsim/corstest"
)

// Example_libraries checks four servers against one policy: rs/cors
// configured as meant, go-chi/cors with a suffix check, jub0bs/cors trusting
// every subdomain, and http.CrossOriginProtection with a bypass.
func Example_libraries() {
	fmt.Print(librariesReport())
	// Output:
	// rs/cors: 0 failing
	// go-chi/cors: 15 failing
	//   GET, credentials omit from http://app.example.com (other-scheme) [chromium, firefox, webkit]: leaked: the policy forbids it, but script can read the response (status 200)
	//   audit: high suffix-match: fetch("https://api.example.com/items", {method: "GET", credentials: "include"}) from a page at https://evilapp.example.com
	//   audit: medium any-subdomain-trusted: fetch("https://api.example.com/items", {method: "GET", credentials: "include"}) from a page at https://corsim-attacker.app.example.com
	//   audit: medium http-origin-trusted: fetch("https://api.example.com/items", {method: "GET", credentials: "include"}) from a page at http://app.example.com
	// jub0bs/cors: 15 failing
	//   GET, credentials omit from https://evilapp.example.com (suffix) [chromium, firefox, webkit]: leaked: the policy forbids it, but script can read the response (status 200)
	//   audit: medium any-subdomain-trusted: fetch("https://api.example.com/items", {method: "GET", credentials: "include"}) from a page at https://corsim-attacker.example.com
	// CrossOriginProtection: 20 failing
	//   POST, credentials omit from null (null) [chromium, firefox, webkit]: side-effect: a POST from null, an origin the policy does not allow, reached the handler (status 200); script cannot read the answer, but the side effect happened
}

// librariesReport is the body of Example_libraries; the README shows its
// output, and TestREADME keeps that honest.
func librariesReport() string {
	var out strings.Builder
	policy := corstest.Policy{
		Origins:        []string{"https://app.example.com"},
		Methods:        []string{"PUT"},
		Headers:        []string{"Content-Type"},
		Credentials:    true,
		ExposedHeaders: []string{"X-Total"},
		MaxAge:         10 * time.Minute,
	}
	items := corstest.Endpoint(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Total", "3")
		w.Write([]byte(`[1,2,3]`))
	}))

	rs := rscors.New(rscors.Options{
		AllowedOrigins: []string{"https://app.example.com"}, AllowedMethods: []string{"GET", "POST", "PUT"},
		AllowedHeaders: []string{"Content-Type"}, ExposedHeaders: []string{"X-Total"},
		AllowCredentials: true, MaxAge: 600,
	}).Handler(items)

	chi := chicors.New(chicors.Options{
		AllowOriginFunc: func(_ *http.Request, origin string) bool {
			return strings.HasSuffix(origin, "app.example.com") // the bug
		},
		AllowedMethods: []string{"GET", "POST", "PUT"}, AllowedHeaders: []string{"Content-Type"},
		ExposedHeaders: []string{"X-Total"}, AllowCredentials: true, MaxAge: 600,
	}).Handler(items)

	jub, _ := jub0bs.NewMiddleware(jub0bs.Config{
		Origins: []string{"https://*.example.com"}, // every subdomain
		Methods: []string{"PUT"}, RequestHeaders: []string{"Content-Type"},
		ResponseHeaders: []string{"X-Total"}, Credentialed: true, MaxAgeInSeconds: 600,
	})

	csrf := http.NewCrossOriginProtection()
	csrf.AddInsecureBypassPattern("POST /items") // the bug

	for _, s := range []struct {
		name    string
		policy  corstest.Policy
		handler http.Handler
	}{
		{"rs/cors", policy, rs},
		{"go-chi/cors", policy, chi},
		{"jub0bs/cors", policy, jub.Wrap(items)},
		{"CrossOriginProtection", corstest.Policy{ProtectWrites: true}, csrf.Handler(items)},
	} {
		target := corstest.Handler("https://api.example.com/items", s.handler)
		target.Marked = true
		report, _ := corstest.Run(context.Background(), s.policy, target, corstest.Options{})
		failures := report.Failures()
		fmt.Fprintf(&out, "%s: %d failing\n", s.name, len(failures))
		if len(failures) > 0 {
			fmt.Fprintln(&out, "  "+strings.SplitN(failures[0].String(), "\n", 2)[0])
		}
		findings, _ := audit.Run(context.Background(), target, "https://app.example.com", audit.Options{})
		for _, f := range findings.Findings {
			fmt.Fprintf(&out, "  audit: %s %s: %s\n", f.Severity, f.ID, f.Request)
		}
	}
	return out.String()
}

func TestREADME(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if want := "```\n" + librariesReport() + "```\n"; !strings.Contains(string(readme), want) {
		t.Errorf("README.md does not show the output of Example_libraries as it is now:\n%s", want)
	}
}
