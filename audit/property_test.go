package audit

import (
	"context"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/corsim/corsim/corstest"
	"github.com/corsim/corsim/internal/refserver"
	"github.com/corsim/corsim/origin"
)

func genSite() *rapid.Generator[string] {
	return rapid.Custom(func(t *rapid.T) string {
		scheme := rapid.SampledFrom([]string{"http", "https"}).Draw(t, "scheme")
		labels := rapid.SliceOfN(rapid.SampledFrom([]string{"app", "www", "example", "com", "test", "co", "uk"}), 1, 4).Draw(t, "labels")
		host := strings.Join(labels, ".")
		if rapid.Bool().Draw(t, "ip") {
			host = rapid.SampledFrom([]string{"127.0.0.1", "[::1]"}).Draw(t, "addr")
		}
		s := scheme + "://" + host
		if rapid.Bool().Draw(t, "hasPort") {
			s += ":" + rapid.SampledFrom([]string{"3000", "8443"}).Draw(t, "port")
		}
		return origin.MustParse(s).String()
	})
}

// A server that allows exactly the site gives no finding, whatever the
// site and the rest of its configuration.
func TestCorrectServerHasNoFindingProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		site := genSite().Draw(t, "site")
		cfg := refserver.Config{
			Origins:     []string{site},
			Methods:     rapid.SliceOfDistinct(rapid.SampledFrom([]string{"PUT", "DELETE", "PATCH"}), rapid.ID[string]).Draw(t, "methods"),
			Headers:     rapid.SliceOfDistinct(rapid.SampledFrom([]string{"Authorization", "Content-Type", "X-Token"}), rapid.ID[string]).Draw(t, "headers"),
			Credentials: rapid.Bool().Draw(t, "credentials"),
			MaxAge:      rapid.SampledFrom([]int{0, 5, 600}).Draw(t, "maxAge"),
		}
		rep, err := Run(context.Background(), corstest.Handler(apiURL, cfg.Wrap(ok)), site, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range rep.Findings {
			t.Errorf("%s: %s (%s)", f.ID, f.Title, f.Request)
		}
	})
}

// Reflecting every origin is found, high with credentials and medium
// without, for any site.
func TestReflectionIsAlwaysFoundProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		site := genSite().Draw(t, "site")
		creds := rapid.Bool().Draw(t, "credentials")
		cfg := refserver.Config{Origins: []string{site}, Credentials: creds, Match: refserver.MatchReflect}
		rep, err := Run(context.Background(), corstest.Handler(apiURL, cfg.Wrap(ok)), site, Options{})
		if err != nil {
			t.Fatal(err)
		}
		want := "reflected-origin"
		if creds {
			want = "reflected-origin-with-credentials"
		}
		if len(rep.Findings) == 0 || rep.Findings[0].ID != want {
			t.Fatalf("findings %v, want %s first", rep.Findings, want)
		}
		if (rep.Highest() == High) != creds {
			t.Fatalf("highest %v with credentials %v", rep.Highest(), creds)
		}
	})
}
