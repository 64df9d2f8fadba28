package servertest

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	chicors "github.com/go-chi/cors"
	jub0bs "github.com/jub0bs/cors"
	rscors "github.com/rs/cors"

	"github.com/corsim/corsim/audit"
	"github.com/corsim/corsim/corstest"
)

var update = flag.Bool("update", false, "rewrite ../docs/server-libraries.md")

const (
	site   = "https://app.example.com"
	apiURL = "https://api.example.com/items"
)

// meant is what the developer of every configuration below means: the site
// may GET, POST, PUT and DELETE with X-Token and JSON bodies, with
// credentials, read X-Total, and cache preflights for ten minutes.
var meant = corstest.Policy{
	Origins:        []string{site},
	Methods:        []string{"PUT", "DELETE"},
	Headers:        []string{"X-Token", "Content-Type"},
	Credentials:    true,
	ExposedHeaders: []string{"X-Total"},
	MaxAge:         10 * time.Minute,
}

// protected is meant plus a CSRF defence: foreign writes must not reach
// the handler.
var protected = func() corstest.Policy { p := meant; p.ProtectWrites = true; return p }()

// noCrossOrigin is a server with no CORS at all that must refuse foreign
// writes (http.CrossOriginProtection alone).
var noCrossOrigin = corstest.Policy{ProtectWrites: true}

// endpoint is the handler that does the work.
var endpoint = corstest.Endpoint(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Total", "3")
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`[1,2,3]`))
}))

type config struct {
	lib, name string
	correct   bool
	policy    corstest.Policy
	handler   func(t *testing.T) http.Handler
}

func rsCorrect() rscors.Options {
	return rscors.Options{
		AllowedOrigins: []string{site}, AllowedMethods: []string{"GET", "POST", "PUT", "DELETE"},
		AllowedHeaders: []string{"X-Token", "Content-Type"}, ExposedHeaders: []string{"X-Total"},
		AllowCredentials: true, MaxAge: 600,
	}
}

func chiCorrect() chicors.Options {
	return chicors.Options{
		AllowedOrigins: []string{site}, AllowedMethods: []string{"GET", "POST", "PUT", "DELETE"},
		AllowedHeaders: []string{"X-Token", "Content-Type"}, ExposedHeaders: []string{"X-Total"},
		AllowCredentials: true, MaxAge: 600,
	}
}

func jubCorrect() jub0bs.Config {
	return jub0bs.Config{
		Origins: []string{site}, Methods: []string{"PUT", "DELETE"},
		RequestHeaders: []string{"X-Token", "Content-Type"}, ResponseHeaders: []string{"X-Total"},
		Credentialed: true, MaxAgeInSeconds: 600,
	}
}

func rs(mod func(*rscors.Options)) func(*testing.T) http.Handler {
	return func(*testing.T) http.Handler {
		o := rsCorrect()
		if mod != nil {
			mod(&o)
		}
		return rscors.New(o).Handler(endpoint)
	}
}

func chi(mod func(*chicors.Options)) func(*testing.T) http.Handler {
	return func(*testing.T) http.Handler {
		o := chiCorrect()
		if mod != nil {
			mod(&o)
		}
		return chicors.New(o).Handler(endpoint)
	}
}

func jub(mod func(*jub0bs.Config)) func(*testing.T) http.Handler {
	return func(t *testing.T) http.Handler {
		c := jubCorrect()
		if mod != nil {
			mod(&c)
		}
		m, err := jub0bs.NewMiddleware(c)
		if err != nil {
			t.Fatalf("jub0bs/cors refuses the configuration: %v", err)
		}
		return m.Wrap(endpoint)
	}
}

// cop is http.CrossOriginProtection around next, trusting the origins.
func cop(t *testing.T, next http.Handler, bypass string, trusted ...string) http.Handler {
	c := http.NewCrossOriginProtection()
	for _, o := range trusted {
		if err := c.AddTrustedOrigin(o); err != nil {
			t.Fatal(err)
		}
	}
	if bypass != "" {
		c.AddInsecureBypassPattern(bypass)
	}
	return c.Handler(next)
}

// authFirst is an authentication middleware that runs before CORS: it
// refuses every request without Authorization, preflights included.
func authFirst(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

var configs = []config{
	{lib: "github.com/rs/cors", name: "the policy, exactly", correct: true, policy: meant, handler: rs(nil)},
	{lib: "github.com/rs/cors", name: "the policy, with http.CrossOriginProtection trusting the site", correct: true, policy: protected,
		handler: func(t *testing.T) http.Handler {
			return rscors.New(rsCorrect()).Handler(cop(t, endpoint, "", site))
		}},
	{lib: "github.com/rs/cors", name: `AllowedOrigins ["*"] with AllowCredentials`, policy: meant,
		handler: rs(func(o *rscors.Options) { o.AllowedOrigins = []string{"*"} })},
	{lib: "github.com/rs/cors", name: `AllowOriginFunc: strings.HasSuffix(origin, "app.example.com")`, policy: meant,
		handler: rs(func(o *rscors.Options) {
			o.AllowOriginFunc = func(origin string) bool { return strings.HasSuffix(origin, "app.example.com") }
		})},
	{lib: "github.com/rs/cors", name: `AllowedOrigins ["https://*.example.com"]`, policy: meant,
		handler: rs(func(o *rscors.Options) { o.AllowedOrigins = []string{"https://*.example.com"} })},
	{lib: "github.com/rs/cors", name: `AllowedOrigins ["null", site]`, policy: meant,
		handler: rs(func(o *rscors.Options) { o.AllowedOrigins = []string{"null", site} })},
	{lib: "github.com/rs/cors", name: `AllowedHeaders ["*"]`, policy: meant,
		handler: rs(func(o *rscors.Options) { o.AllowedHeaders = []string{"*"} })},
	{lib: "github.com/rs/cors", name: "MaxAge 86400", policy: meant,
		handler: rs(func(o *rscors.Options) { o.MaxAge = 86400 })},
	{lib: "github.com/rs/cors", name: "authentication middleware before CORS", policy: meant,
		handler: func(t *testing.T) http.Handler { return authFirst(rs(nil)(t)) }},
	{lib: "github.com/rs/cors", name: "http.CrossOriginProtection without AddTrustedOrigin(site)", policy: protected,
		handler: func(t *testing.T) http.Handler { return rscors.New(rsCorrect()).Handler(cop(t, endpoint, "")) }},

	{lib: "github.com/go-chi/cors", name: "the policy, exactly", correct: true, policy: meant, handler: chi(nil)},
	{lib: "github.com/go-chi/cors", name: `AllowedOrigins ["*"] with AllowCredentials`, policy: meant,
		handler: chi(func(o *chicors.Options) { o.AllowedOrigins = []string{"*"} })},
	{lib: "github.com/go-chi/cors", name: `AllowOriginFunc: strings.HasPrefix(origin, site)`, policy: meant,
		handler: chi(func(o *chicors.Options) {
			o.AllowOriginFunc = func(_ *http.Request, origin string) bool { return strings.HasPrefix(origin, site) }
		})},
	{lib: "github.com/go-chi/cors", name: "AllowOriginFunc: a regexp with an unescaped dot", policy: meant,
		handler: chi(func(o *chicors.Options) {
			re := regexp.MustCompile(`^https://app.example.com$`)
			o.AllowOriginFunc = func(_ *http.Request, origin string) bool { return re.MatchString(origin) }
		})},
	{lib: "github.com/go-chi/cors", name: `AllowedOrigins [site, "http://app.example.com"]`, policy: meant,
		handler: chi(func(o *chicors.Options) { o.AllowedOrigins = []string{site, "http://app.example.com"} })},
	{lib: "github.com/go-chi/cors", name: "ExposedHeaders forgotten", policy: meant,
		handler: chi(func(o *chicors.Options) { o.ExposedHeaders = nil })},

	{lib: "github.com/jub0bs/cors", name: "the policy, exactly", correct: true, policy: meant, handler: jub(nil)},
	{lib: "github.com/jub0bs/cors", name: `Origins ["https://*.example.com"]`, policy: meant,
		handler: jub(func(c *jub0bs.Config) { c.Origins = []string{"https://*.example.com"} })},
	{lib: "github.com/jub0bs/cors", name: `Origins, Methods and RequestHeaders ["*"], no credentials`, policy: meant,
		handler: jub(func(c *jub0bs.Config) {
			c.Origins, c.Methods, c.RequestHeaders, c.Credentialed = []string{"*"}, []string{"*"}, []string{"*"}, false
		})},
	{lib: "github.com/jub0bs/cors", name: "MaxAgeInSeconds 86400", policy: meant,
		handler: jub(func(c *jub0bs.Config) { c.MaxAgeInSeconds = 86400 })},
	{lib: "github.com/jub0bs/cors", name: `Origins [site, "http://app.example.com"], DangerouslyTolerateInsecureOrigins`, policy: meant,
		handler: jub(func(c *jub0bs.Config) {
			c.Origins = []string{site, "http://app.example.com"}
			c.DangerouslyTolerateInsecureOrigins = true
		})},

	{lib: "net/http CrossOriginProtection", name: "no CORS, CrossOriginProtection", correct: true, policy: noCrossOrigin,
		handler: func(t *testing.T) http.Handler { return cop(t, endpoint, "") }},
	{lib: "net/http CrossOriginProtection", name: `AddInsecureBypassPattern("POST /items")`, policy: noCrossOrigin,
		handler: func(t *testing.T) http.Handler { return cop(t, endpoint, "POST /items") }},
	{lib: "net/http CrossOriginProtection", name: `AddTrustedOrigin("http://api.example.com")`, policy: noCrossOrigin,
		handler: func(t *testing.T) http.Handler { return cop(t, endpoint, "", "http://api.example.com") }},
}

// outcome is what the oracle says of one configuration.
type outcome struct {
	cases, failing int
	kinds          map[corstest.MismatchKind]int // failing results per kind
	notes          int
	first          string // the first failure's line
	findings       []string
}

func judge(t *testing.T, c config) outcome {
	target := corstest.Handler(apiURL, c.handler(t))
	target.Marked = true
	rep, err := corstest.Run(context.Background(), c.policy, target, corstest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	o := outcome{kinds: map[corstest.MismatchKind]int{}}
	seen := map[string]bool{}
	for _, r := range rep.Results {
		if !seen[r.Case.Name] {
			seen[r.Case.Name] = true
			o.cases++
		}
		o.notes += len(r.Notes)
	}
	failures := rep.Failures()
	failingCases := map[string]bool{}
	for _, f := range failures {
		failingCases[f.Case] = true
		for _, m := range f.Mismatches {
			o.kinds[m.Kind]++
		}
	}
	o.failing = len(failingCases)
	if len(failures) > 0 {
		o.first = strings.SplitN(failures[0].String(), "\n", 2)[0]
	}
	arep, err := audit.Run(context.Background(), corstest.Handler(apiURL, c.handler(t)), site, audit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range arep.Findings {
		o.findings = append(o.findings, f.Severity.String()+" "+f.ID)
	}
	return o
}

func TestLibraries(t *testing.T) {
	var doc strings.Builder
	doc.WriteString(docHeader)
	lib := ""
	for _, c := range configs {
		var o outcome
		t.Run(c.lib+"/"+c.name, func(t *testing.T) {
			o = judge(t, c)
			switch {
			case c.correct && (o.failing > 0 || len(o.findings) > 0):
				t.Errorf("a correct configuration: %d failing cases (first: %s), findings %v", o.failing, o.first, o.findings)
			case !c.correct && o.failing == 0 && len(o.findings) == 0:
				t.Errorf("a misconfiguration went unnoticed")
			}
		})
		if c.lib != lib {
			lib = c.lib
			fmt.Fprintf(&doc, "\n## %s\n\n| configuration | corstest: failing cases (mismatches by kind) | audit findings |\n|---|---|---|\n", lib)
		}
		fmt.Fprintf(&doc, "| %s%s | %s | %s |\n", mark(c.correct), escape(c.name), escape(o.summary()), escape(strings.Join(o.findings, ", ")))
	}
	doc.WriteString("\n## First failing case of each misconfiguration\n\n")
	for _, c := range configs {
		if o := judgeQuiet(t, c); o.first != "" {
			fmt.Fprintf(&doc, "- %s, %s:\n  `%s`\n", c.lib, c.name, o.first)
		}
	}
	const path = "../docs/server-libraries.md"
	if *update {
		if err := os.WriteFile(path, []byte(doc.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if string(got) != doc.String() {
		t.Errorf("%s is out of date: run (cd servertest && go test -update) and review the diff", path)
	}
}

func judgeQuiet(t *testing.T, c config) outcome { return judge(t, c) }

func (o outcome) summary() string {
	if o.failing == 0 {
		s := fmt.Sprintf("none of %d", o.cases)
		if o.notes > 0 {
			s += fmt.Sprintf(" (%d notes: foreign simple writes reach the handler)", o.notes)
		}
		return s
	}
	var kinds []string
	for k, n := range o.kinds {
		kinds = append(kinds, fmt.Sprintf("%s %d", k, n))
	}
	sort.Strings(kinds)
	return fmt.Sprintf("%d of %d (%s)", o.failing, o.cases, strings.Join(kinds, ", "))
}

func mark(correct bool) string {
	if correct {
		return "✓ "
	}
	return ""
}

func escape(s string) string {
	if s == "" {
		return "none"
	}
	return strings.ReplaceAll(s, "|", `\|`)
}

const docHeader = `# corsim against real server libraries

Generated by ` + "`(cd servertest && go test -update)`" + `; ` + "`go test`" + ` there fails when
this file is out of date. Every configuration serves https://api.example.com/items
in process (no sockets) and is judged twice:

- by ` + "`corstest.Run`" + ` against the policy its developer means: origin
  https://app.example.com may GET, POST, PUT and DELETE with X-Token and
  Content-Type, with credentials, may read X-Total, and preflights are cached
  for ten minutes (for the CrossOriginProtection rows: no cross-origin access,
  and foreign writes must not reach the handler), under Chromium, Firefox and
  WebKit;
- by ` + "`audit.Run`" + ` for the site https://app.example.com, with no policy.

"Failing cases" counts cases (of the matrix the policy generates) that fail
under at least one browser; the kinds count failing (case, browser) results.
"Notes" are foreign simple POSTs that reached the handler where the policy does
not ask for a CSRF defence: CORS never prevents those. ✓ marks the correct
configurations, which must show nothing.

Requests carry Sec-Fetch-Site as browsers send it (corstest's recorder adds it
until the fetch engine sends the Fetch Metadata headers itself), so
CrossOriginProtection decides as it does with real browsers: on Sec-Fetch-Site.
This matters: a page at http://api.example.com is cross-site to
https://api.example.com (same site is schemeful), but CrossOriginProtection's
fallback, comparing the Origin header's host with Host, ignores the scheme and
would let its POST through.
`
