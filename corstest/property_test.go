package corstest

import (
	"context"
	"net/http"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/corsim/corsim/internal/refserver"
	"github.com/corsim/corsim/profile"
)

// genPolicy draws a valid policy.
func genPolicy() *rapid.Generator[Policy] {
	return rapid.Custom(func(t *rapid.T) Policy {
		return Policy{
			Origins:        canonical(rapid.SliceOfNDistinct(genOrigin(), 1, 3, rapid.ID[string]).Draw(t, "origins")),
			Methods:        rapid.SliceOfDistinct(rapid.SampledFrom([]string{"PUT", "DELETE", "PATCH", "POST", "PROPFIND"}), rapid.ID[string]).Draw(t, "methods"),
			Headers:        rapid.SliceOfDistinct(rapid.SampledFrom([]string{"X-Token", "Content-Type", "Authorization", "X-Requested-With"}), rapid.ID[string]).Draw(t, "headers"),
			Credentials:    rapid.Bool().Draw(t, "credentials"),
			ExposedHeaders: rapid.SliceOfDistinct(rapid.SampledFrom([]string{"X-Total", "X-Request-Id"}), rapid.ID[string]).Draw(t, "exposed"),
			MaxAge:         time.Duration(rapid.SampledFrom([]int{0, 60, 600}).Draw(t, "maxAge")) * time.Second,
		}
	})
}

// genProfile draws one browser: each iteration runs under one, to keep the
// property quick; over the iterations all are drawn.
func genProfile() *rapid.Generator[profile.Profile] {
	return rapid.SampledFrom([]profile.Profile{profile.Chromium(), profile.Firefox(), profile.WebKit(), profile.Spec()})
}

// A server that does exactly what the policy says gives no mismatch under
// any browser, whatever the policy.
func TestCorrectServerPassesAnyPolicyProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genPolicy().Draw(t, "policy")
		if len(p.Origins) == 0 {
			t.Fatalf("genOrigin drew no canonical origin")
		}
		h := correctConfig(p).Wrap(Endpoint(items))
		target := Handler(apiURL, h)
		target.Marked = true
		rep, err := Run(context.Background(), p, target, Options{Profiles: []profile.Profile{genProfile().Draw(t, "profile")}})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range rep.Failures() {
			t.Errorf("%s", f)
		}
	})
}

// A server that reflects every origin leaks to some hostile origin,
// whatever the policy.
func TestReflectingServerAlwaysLeaksProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genPolicy().Draw(t, "policy")
		if len(p.Origins) == 0 {
			t.Fatalf("genOrigin drew no canonical origin")
		}
		cfg := correctConfig(p)
		cfg.Match = refserver.MatchReflect
		target := Handler(apiURL, cfg.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})))
		rep, err := Run(context.Background(), p, target, Options{Profiles: []profile.Profile{genProfile().Draw(t, "profile")}})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rep.Results {
			for _, m := range r.Mismatches {
				if m.Kind == Leaked && r.Case.Hostile != "" {
					return
				}
			}
		}
		t.Fatalf("no hostile origin leaked")
	})
}
