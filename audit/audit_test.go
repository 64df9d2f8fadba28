package audit

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/corsim/corsim/corstest"
	"github.com/corsim/corsim/internal/refserver"
)

const (
	apiURL = "https://api.example.com/items"
	site   = "https://app.example.com"
)

var ok = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"items":[]}`))
})

// authFirst refuses every request without Authorization, preflights
// included, before the CORS middleware sees it.
func authFirst(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			http.Error(w, "log in", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// writesNeedAuth refuses every request but GET without Authorization with
// 403, preflights included, before the CORS middleware sees it.
func writesNeedAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Header.Get("Authorization") == "" {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func correct() refserver.Config {
	return refserver.Config{
		Origins:     []string{site},
		Methods:     []string{"PUT", "DELETE"},
		Headers:     []string{"Authorization", "Content-Type"},
		Credentials: true,
		MaxAge:      600,
	}
}

func ids(r *Report) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Severity.String()+" "+f.ID)
	}
	return out
}

func TestAuditFindsEachMisconfiguration(t *testing.T) {
	tests := []struct {
		name    string
		mistake func(*refserver.Config)
		wrap    func(http.Handler) http.Handler
		want    []string
	}{
		{name: "correct server", want: nil},
		{name: "origin reflected with credentials", mistake: func(c *refserver.Config) { c.Match = refserver.MatchReflect },
			want: []string{"high reflected-origin-with-credentials"}},
		{name: "origin reflected without credentials", mistake: func(c *refserver.Config) { c.Match = refserver.MatchReflect; c.Credentials = false },
			want: []string{"medium reflected-origin"}},
		{name: "null trusted", mistake: func(c *refserver.Config) { c.TrustNull = true },
			want: []string{"high null-origin-trusted"}},
		{name: "suffix match", mistake: func(c *refserver.Config) { c.Match = refserver.MatchSuffix },
			want: []string{"high suffix-match", "medium any-subdomain-trusted", "medium http-origin-trusted"}},
		{name: "prefix match", mistake: func(c *refserver.Config) { c.Match = refserver.MatchPrefix },
			want: []string{"high prefix-match", "low other-port-trusted"}},
		{name: "unescaped dot", mistake: func(c *refserver.Config) { c.Match = refserver.MatchRegexp },
			want: []string{"high unescaped-dot-match"}},
		{name: "any subdomain", mistake: func(c *refserver.Config) { c.Match = refserver.MatchSubdomain },
			want: []string{"medium any-subdomain-trusted"}},
		{name: "http origin trusted", mistake: func(c *refserver.Config) { c.Match = refserver.MatchAnyScheme },
			want: []string{"medium http-origin-trusted"}},
		{name: "no Vary", mistake: func(c *refserver.Config) { c.NoVary = true },
			want: []string{"medium missing-vary-origin"}},
		{name: "every method and header", mistake: func(c *refserver.Config) { c.AnyMethod = true; c.AnyHeader = true },
			want: []string{"low preflight-allows-everything"}},
		{name: "auth before CORS", wrap: authFirst,
			want: []string{"medium preflight-auth-required"}},
		{name: "auth before CORS refusing writes with 403, GET public", wrap: writesNeedAuth,
			want: []string{"medium preflight-auth-required"}},
		{name: "a correct server that refuses unlisted preflights with 403", mistake: func(c *refserver.Config) {
			c.Headers = []string{"Content-Type"}
			c.PreflightFailStatus = http.StatusForbidden
		}, want: nil},
		{name: "no Vary, a default origin without Origin", mistake: func(c *refserver.Config) { c.NoVary = true; c.DefaultOrigin = true },
			want: []string{"medium missing-vary-origin"}},
		{name: "wildcard with credentials", mistake: func(c *refserver.Config) { c.WildcardOrigin = true },
			want: []string{"medium wildcard-with-credentials"}},
		{name: "max age capped", mistake: func(c *refserver.Config) { c.MaxAge = 86400 },
			want: []string{"low max-age-capped"}},
		{name: "wildcard allow-headers", mistake: func(c *refserver.Config) { c.WildcardHeaders = true; c.Credentials = false },
			want: []string{"medium wildcard-headers-authorization", "low preflight-allows-everything"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := correct()
			if tt.mistake != nil {
				tt.mistake(&cfg)
			}
			h := cfg.Wrap(ok)
			if tt.wrap != nil {
				h = tt.wrap(h)
			}
			rep, err := Run(context.Background(), corstest.Handler(apiURL, h), site, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, ids(rep)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
				for _, f := range rep.Findings {
					t.Logf("%s: %s\n  %s", f.ID, f.Title, f.Request)
				}
			}
		})
	}
}

func TestEveryFindingIsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/audit-findings.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range IDs() {
		if !strings.Contains(string(doc), "| `"+id+"` |") {
			t.Errorf("docs/audit-findings.md has no row for %s", id)
		}
	}
	src, err := os.ReadFile("checks.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range IDs() {
		if !strings.Contains(string(src), idConst(id)) {
			t.Errorf("finding %s is never raised in checks.go", id)
		}
	}
}

// idConst is the Go name of a finding ID constant.
func idConst(id string) string {
	var b strings.Builder
	for _, w := range strings.Split(id, "-") {
		switch w {
		case "http":
			b.WriteString("HTTP")
		default:
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}
