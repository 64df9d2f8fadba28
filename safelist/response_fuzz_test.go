package safelist

import (
	"strings"
	"testing"
)

// FuzzIsCORSSafelistedResponseHeaderName checks the predicate against the
// standard's definition transcribed
// (https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name):
// one of seven names, or a byte-case-insensitive match for an item of the
// exposed list that is not a forbidden response-header name; so never
// Set-Cookie or Set-Cookie2, and blind to ASCII case.
func FuzzIsCORSSafelistedResponseHeaderName(f *testing.F) {
	f.Add("X-Foo", "x-foo\nx-bar")
	f.Add("Set-Cookie", "set-cookie")
	f.Add("SET-COOKIE2", "*\nSet-Cookie2")
	f.Add("content-TYPE", "")
	f.Add("*", "*")
	f.Add("K", "\u212a") // the Kelvin sign folds to k in Unicode, not in ASCII
	f.Fuzz(func(t *testing.T, name, list string) {
		var exposed []string
		if list != "" {
			exposed = strings.Split(list, "\n")
		}
		got := IsCORSSafelistedResponseHeaderName(name, exposed)
		lower := func(s string) string {
			b := []byte(s)
			for i, c := range b {
				if 'A' <= c && c <= 'Z' {
					b[i] = c + 0x20
				}
			}
			return string(b)
		}
		n := lower(name)
		want := false
		switch n {
		case "cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma":
			want = true
		default:
			for _, e := range exposed {
				e = lower(e)
				if e == n && e != "set-cookie" && e != "set-cookie2" {
					want = true
				}
			}
		}
		if got != want {
			t.Fatalf("IsCORSSafelistedResponseHeaderName(%q, %q) = %v, want %v", name, exposed, got, want)
		}
		if got && (n == "set-cookie" || n == "set-cookie2") {
			t.Fatalf("%q is safelisted", name)
		}
		upper := []byte(name)
		for i, c := range upper {
			if 'a' <= c && c <= 'z' {
				upper[i] = c - 0x20
			}
		}
		if IsCORSSafelistedResponseHeaderName(string(upper), exposed) != got || IsCORSSafelistedResponseHeaderName(n, exposed) != got {
			t.Fatalf("the verdict for %q depends on ASCII case", name)
		}
	})
}
