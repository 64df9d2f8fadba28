package corstest

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// Failure is one failing case: the same mismatches under one or more
// profiles.
type Failure struct {
	Case       string
	Profiles   []string
	Mismatches []Mismatch
	// Trace is the short trace of the first profile's failing step: one
	// line per decision.
	Trace string
}

// String is the failure on one line, then its trace indented.
func (f Failure) String() string {
	var ms []string
	for _, m := range f.Mismatches {
		ms = append(ms, m.String())
	}
	s := fmt.Sprintf("%s [%s]: %s", f.Case, strings.Join(f.Profiles, ", "), strings.Join(ms, "; "))
	if f.Trace != "" {
		s += "\n" + f.Trace
	}
	return s
}

// Failures groups the failed results by case, merging profiles that fail
// the same way, in case order.
func (r *Report) Failures() []Failure {
	var out []Failure
	index := map[string]int{}
	for _, res := range r.Failed() {
		key := res.Case.Name + "\x00" + mismatchKey(res.Mismatches)
		if i, ok := index[key]; ok {
			out[i].Profiles = append(out[i].Profiles, res.Profile)
			continue
		}
		index[key] = len(out)
		out = append(out, Failure{Case: res.Case.Name, Profiles: []string{res.Profile}, Mismatches: res.Mismatches, Trace: shortTrace(res.Steps[res.Mismatches[0].Step])})
	}
	return out
}

func mismatchKey(ms []Mismatch) string {
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "%d %s\n", m.Step, m)
	}
	return b.String()
}

// shortTrace renders a step's wire exchanges and decisions compactly.
func shortTrace(s StepResult) string {
	var b strings.Builder
	for _, x := range s.Wire {
		kind := "request"
		if x.Preflight {
			kind = "preflight"
		}
		switch {
		case x.Withheld:
			fmt.Fprintf(&b, "    %s %s %s: not sent (unsafe method withheld)\n", kind, x.Method, x.URL)
		case x.Err != nil:
			fmt.Fprintf(&b, "    %s %s %s: %v\n", kind, x.Method, x.URL, x.Err)
		default:
			fmt.Fprintf(&b, "    %s %s %s → %d%s\n", kind, x.Method, x.URL, x.Status, corsHeaders(x))
		}
	}
	if s.Trace != nil {
		for i, st := range s.Trace.Steps {
			mark := " "
			if st.Blocked {
				mark = "✗"
			}
			fmt.Fprintf(&b, "    %2d. %s %s — %s\n", i+1, mark, st.Section, st.Outcome)
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// corsHeaders lists the CORS response headers of an exchange.
func corsHeaders(x Exchange) string {
	var parts []string
	for _, name := range []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Expose-Headers", "Access-Control-Max-Age", "Vary"} {
		if v, ok := x.ResponseHeader[name]; ok {
			parts = append(parts, name+": "+strings.Join(v, ", "))
		}
	}
	if len(parts) == 0 {
		return " (no CORS headers)"
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

// Test runs the policy's matrix against the target and reports each
// failing case with t.Errorf: one line naming the case, the browsers and
// the mismatches, then the browser's wire exchanges and decisions. Notes
// go to t.Logf. An invalid policy or target is reported with t.Fatalf.
func Test(t testing.TB, p Policy, target Target, opts ...Options) *Report {
	t.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	rep, err := Run(context.Background(), p, target, o)
	if err != nil {
		t.Fatalf("corstest: %v", err)
		return nil
	}
	for _, f := range rep.Failures() {
		t.Errorf("%s", f)
	}
	seen := map[string]bool{}
	for _, res := range rep.Results {
		for _, n := range res.Notes {
			if !seen[res.Case.Name+n] {
				seen[res.Case.Name+n] = true
				t.Logf("note: %s: %s", res.Case.Name, n)
			}
		}
	}
	return rep
}

// Summary says on one line what the browser did at each step of the
// result: preflight, request sent, handler reached, response and headers
// readable, and the mismatches.
func (r Result) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-8s %s:", r.Profile, r.Case.Name)
	yes := map[bool]string{true: "yes", false: "no"}
	for i, s := range r.Steps {
		if len(r.Steps) > 1 {
			fmt.Fprintf(&b, " [step %d at %v]", i, r.Case.Steps[i].At)
		}
		fmt.Fprintf(&b, " preflight %s, sent %s, reached %s, readable %s", yes[s.Preflighted], yes[s.Sent], yes[s.Reached], yes[s.Readable])
		if s.Readable {
			fmt.Fprintf(&b, " (%s)", strings.Join(s.Headers, ", "))
		}
	}
	for _, m := range r.Mismatches {
		fmt.Fprintf(&b, "; MISMATCH %s", m)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "; note: %s", n)
	}
	return b.String()
}

// String lists every result, one line each.
func (r *Report) String() string {
	var b strings.Builder
	for _, res := range r.Results {
		b.WriteString(res.Summary())
		b.WriteByte('\n')
	}
	return b.String()
}
