package corstest

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/corsim/corsim/internal/refserver"
)

// kinds lists the mismatch kinds of a report, each once, sorted.
func kinds(rep *Report) []string {
	set := map[string]bool{}
	for _, r := range rep.Results {
		for _, m := range r.Mismatches {
			set[string(m.Kind)] = true
		}
	}
	var out []string
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestMismatchKinds(t *testing.T) {
	tests := []struct {
		name    string
		policy  func(*Policy)
		mistake func(*refserver.Config)
		want    []string
	}{
		{name: "correct", want: nil},
		{name: "exposes nothing", mistake: func(c *refserver.Config) { c.Expose = nil }, want: []string{"hidden-header"}},
		{name: "exposes an internal header", mistake: func(c *refserver.Config) { c.Expose = []string{"X-Total", "X-Internal"} }, want: []string{"extra-header"}},
		{name: "allows every method", mistake: func(c *refserver.Config) { c.AnyMethod = true }, want: []string{"leaked"}},
		{name: "no credentials", mistake: func(c *refserver.Config) { c.Credentials = false }, want: []string{"blocked"}},
		{name: "credentials the policy does not allow", policy: func(p *Policy) { p.Credentials = false }, want: []string{"leaked"}},
		{name: "Max-Age longer than meant", mistake: func(c *refserver.Config) { c.MaxAge = 3600 }, want: []string{"cache-long"}},
		{name: "no Max-Age", mistake: func(c *refserver.Config) { c.MaxAge = 0 }, want: []string{"cache-short"}},
		{name: "a method missing", mistake: func(c *refserver.Config) { c.Methods = []string{"PUT"} }, want: []string{"blocked"}},
		{name: "a suffix match", mistake: func(c *refserver.Config) { c.Match = refserver.MatchSuffix }, want: []string{"leaked"}},
		{name: "foreign writes reach the handler", policy: func(p *Policy) { p.ProtectWrites = true }, want: []string{"side-effect"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := appPolicy
			cfg := correctConfig(p)
			if tt.policy != nil {
				tt.policy(&p)
			}
			if tt.mistake != nil {
				tt.mistake(&cfg)
			}
			target := Handler(apiURL, cfg.Wrap(Endpoint(items)))
			target.Marked = true
			rep, err := Run(context.Background(), p, target, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, kinds(rep)); diff != "" {
				t.Errorf("mismatch kinds (-want +got):\n%s", diff)
				for _, f := range rep.Failures() {
					t.Log(f)
				}
			}
		})
	}
}

func TestWebKitCapsMaxAge(t *testing.T) {
	p := appPolicy
	p.MaxAge = time.Hour // WebKit caches preflights 600 s at most
	cfg := correctConfig(p)
	rep, err := Run(context.Background(), p, Handler(apiURL, cfg.Wrap(items)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Failures() {
		got = append(got, fmt.Sprintf("%v %s", f.Profiles, f.Mismatches[0].Kind))
	}
	if diff := cmp.Diff([]string{"[webkit] cache-short"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestPolicyValidate(t *testing.T) {
	err := Policy{Origins: []string{"https://App.example", "null", "https://a.test/"}, Methods: []string{"CONNECT", "P UT"}, Headers: []string{"X Bad"}, MaxAge: -time.Second}.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`Policy.Origins[0]: "https://App.example" is not what browsers send; they send "https://app.example"`,
		`Policy.Origins[1]: "null" is not an origin a policy can name`,
		`Policy.Origins[2]: "https://a.test/" is not what browsers send; they send "https://a.test"`,
		`Policy.Methods[0]: "CONNECT" is a forbidden method`,
		`Policy.Methods[1]: "P UT" is not a method token`,
		`Policy.Headers[0]: "X Bad" is not a header name`,
		`Policy.MaxAge -1s is negative`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if _, err := Run(context.Background(), Policy{Origins: []string{"null"}}, Handler(apiURL, items), Options{}); err == nil {
		t.Error("Run accepted an invalid policy")
	}
}

// fakeTB records what Test reports.
type fakeTB struct {
	testing.TB
	errors, logs []string
	fatal        bool
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Errorf(format string, a ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, a...))
}
func (f *fakeTB) Logf(format string, a ...any) { f.logs = append(f.logs, fmt.Sprintf(format, a...)) }
func (f *fakeTB) Fatalf(format string, a ...any) {
	f.fatal = true
	f.errors = append(f.errors, fmt.Sprintf(format, a...))
}

func TestTestHelperReportsOneLinePerFailingCase(t *testing.T) {
	cfg := correctConfig(appPolicy)
	cfg.Match = refserver.MatchSuffix
	tb := &fakeTB{}
	Test(tb, appPolicy, Handler(apiURL, cfg.Wrap(items)))
	if len(tb.errors) == 0 {
		t.Fatal("no failure reported")
	}
	first := strings.SplitN(tb.errors[0], "\n", 2)
	want := "GET, credentials omit from http://app.example (other-scheme) [chromium, firefox, webkit]: leaked: the policy forbids it, but script can read the response (status 200)"
	if first[0] != want {
		t.Errorf("first line:\n got %s\nwant %s", first[0], want)
	}
	if !strings.Contains(first[1], "request GET https://api.example/items → 200 (Access-Control-Allow-Origin: http://app.example;") ||
		!strings.Contains(first[1], "Fetch §4.10 CORS check — passes") {
		t.Errorf("trace:\n%s", first[1])
	}
	if !strings.Contains(strings.Join(tb.errors, "\n"), "GET, credentials omit from https://evilapp.example (suffix) [chromium, firefox, webkit]: leaked") {
		t.Errorf("the suffix origin is not reported:\n%s", strings.Join(tb.errors, "\n"))
	}
	for _, e := range tb.errors {
		if strings.Count(strings.SplitN(e, "\n", 2)[0], "[") != 1 {
			t.Errorf("not one summary line: %s", e)
		}
	}
	if len(tb.logs) == 0 || !strings.HasPrefix(tb.logs[0], "note: ") {
		t.Errorf("notes: %q", tb.logs)
	}
	tb = &fakeTB{}
	Test(tb, Policy{Origins: []string{"https://App.example"}}, Handler(apiURL, items))
	if !tb.fatal {
		t.Error("an invalid policy is not fatal")
	}
}

func TestSummary(t *testing.T) {
	cfg := correctConfig(appPolicy)
	cfg.Expose = nil
	target := Handler(apiURL, cfg.Wrap(Endpoint(items)))
	target.Marked = true
	rep, err := Run(context.Background(), appPolicy, target, Options{})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(rep.String()), "\n")
	if len(lines) != len(rep.Results) {
		t.Fatalf("%d lines for %d results", len(lines), len(rep.Results))
	}
	wantCred := "chromium PUT, credentials include from https://app.example: preflight yes, sent yes, reached yes, readable yes (content-type); MISMATCH hidden-header: the server sent X-Total, which the policy exposes, but script cannot read it"
	if !slices.Contains(lines, wantCred) {
		t.Errorf("want the line %q among:\n%s", wantCred, rep)
	}
}
