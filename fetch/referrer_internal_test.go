package fetch

import (
	"net/http"
	"strings"
	"testing"
)

// FuzzPolicyFromHeader checks the Referrer-Policy parser against a literal
// reading of Referrer Policy §8.1: split every line on commas, strip
// spaces and tabs, the last token that is a policy wins.
func FuzzPolicyFromHeader(f *testing.F) {
	for _, s := range []string{"no-referrer", "unsafe-url, bogus", "origin,,strict-origin", " same-origin\t", "NO-REFERRER", ""} {
		f.Add(s, "origin")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		h := http.Header{"Referrer-Policy": {a, b}}
		got := policyFromHeader(h)
		var want ReferrerPolicy
		for _, line := range []string{a, b} {
			for _, tok := range strings.Split(line, ",") {
				tok = strings.Trim(tok, " \t")
				switch tok {
				case "no-referrer", "no-referrer-when-downgrade", "same-origin", "origin", "strict-origin",
					"origin-when-cross-origin", "strict-origin-when-cross-origin", "unsafe-url":
					want = ReferrerPolicy(tok)
				}
			}
		}
		if got != want {
			t.Fatalf("policyFromHeader(%q, %q) = %q, want %q", a, b, got, want)
		}
	})
}
