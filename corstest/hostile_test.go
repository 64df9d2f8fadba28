package corstest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/corsim/corsim/origin"
)

func hostileStrings(allowed ...string) []string {
	var out []string
	for _, h := range HostileOrigins(allowed) {
		out = append(out, string(h.Kind)+" "+h.Origin.String())
	}
	return out
}

func TestHostileOrigins(t *testing.T) {
	tests := []struct {
		name    string
		allowed []string
		want    []string
	}{
		{"https host of three labels", []string{"https://app.example.com"}, []string{
			"null null",
			"other-scheme http://app.example.com",
			"other-port https://app.example.com:8443",
			"suffix https://evilapp.example.com",
			"suffix https://evilexample.com",
			"prefix https://app.example.com.attacker.test",
			"unescaped-dot https://appxexample.com",
			"unescaped-dot https://app.examplexcom",
			"sibling-subdomain https://corsim-attacker.example.com",
			"child-subdomain https://corsim-attacker.app.example.com",
		}},
		{"http with a port", []string{"http://localhost:3000"}, []string{
			"null null",
			"other-scheme https://localhost:3000",
			"other-port http://localhost:3001",
			"suffix http://evillocalhost:3000",
			"prefix http://localhost.attacker.test:3000",
			"child-subdomain http://corsim-attacker.localhost:3000",
		}},
		{"an IP address gets no renamed hosts", []string{"http://127.0.0.1:8080"}, []string{
			"null null",
			"other-scheme https://127.0.0.1:8080",
			"other-port http://127.0.0.1:8081",
		}},
		{"both schemes allowed: neither is hostile", []string{"https://a.test", "http://a.test"}, []string{
			"null null",
			"other-port https://a.test:8443",
			"suffix https://evila.test",
			"prefix https://a.test.attacker.test",
			"unescaped-dot https://axtest",
			"sibling-subdomain https://corsim-attacker.test",
			"child-subdomain https://corsim-attacker.a.test",
			"other-port http://a.test:8080",
			"suffix http://evila.test",
			"prefix http://a.test.attacker.test",
			"unescaped-dot http://axtest",
			"sibling-subdomain http://corsim-attacker.test",
			"child-subdomain http://corsim-attacker.a.test",
		}},
		{"what does not parse is skipped", []string{"https://App.example", "null", ""}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, hostileStrings(tt.allowed...)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// genOrigin draws a serialized origin over a small alphabet, so that
// generated lists often hold each other's variants.
func genOrigin() *rapid.Generator[string] {
	return rapid.Custom(func(t *rapid.T) string {
		scheme := rapid.SampledFrom([]string{"http", "https"}).Draw(t, "scheme")
		labels := rapid.SliceOfN(rapid.SampledFrom([]string{"a", "b", "app", "evilapp", "example", "com", "test", "corsim-attacker", "x"}), 1, 4).Draw(t, "labels")
		host := strings.Join(labels, ".")
		if rapid.Bool().Draw(t, "ip") {
			host = rapid.SampledFrom([]string{"127.0.0.1", "[::1]", "10.0.0.7"}).Draw(t, "addr")
		}
		s := scheme + "://" + host
		if rapid.Bool().Draw(t, "hasPort") {
			s += ":" + rapid.SampledFrom([]string{"8080", "8081", "8443", "3000", "65535"}).Draw(t, "port")
		}
		return s
	})
}

// canonical keeps what a browser could send.
func canonical(list []string) []string {
	var out []string
	for _, s := range list {
		if o, err := origin.Parse(s); err == nil && o.String() == s {
			out = append(out, s)
		}
	}
	return out
}

func TestHostileNeverAllowedProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		allowed := canonical(rapid.SliceOfN(genOrigin(), 1, 4).Draw(t, "allowed"))
		seen := map[string]bool{}
		for _, h := range HostileOrigins(allowed) {
			s := h.Origin.String()
			for _, a := range allowed {
				if s == a {
					t.Fatalf("%s origin %s is allowed", h.Kind, s)
				}
			}
			if seen[s] {
				t.Fatalf("%s returned twice", s)
			}
			seen[s] = true
			if !h.Origin.IsOpaque() {
				if back, err := origin.Parse(s); err != nil || back != h.Origin {
					t.Fatalf("%s origin %s does not round-trip: %v", h.Kind, s, err)
				}
			}
		}
	})
}

func FuzzHostileOrigins(f *testing.F) {
	f.Add("https://app.example.com", "http://localhost:3000")
	f.Add("http://[::1]:80", "null")
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, h := range HostileOrigins([]string{a, b}) {
			if s := h.Origin.String(); s == a || s == b {
				t.Fatalf("%s origin %s is allowed", h.Kind, s)
			}
		}
	})
}

func FuzzPolicyValidate(f *testing.F) {
	f.Add("https://app.example", "PUT", "X-Token")
	f.Add("https://App.example:443/", "CONNECT", "X Bad")
	f.Add("null", "", "")
	f.Fuzz(func(t *testing.T, o, method, header string) {
		p := Policy{Origins: []string{o}, Methods: []string{method}, Headers: []string{header}}
		if p.Validate() != nil {
			return
		}
		// An accepted origin is what browsers send: it round-trips.
		back, err := origin.Parse(o)
		if err != nil || back.String() != o {
			t.Fatalf("accepted origin %q does not round-trip (%v)", o, err)
		}
		if len(Cases(p, "https://api.example/items")) == 0 {
			t.Fatalf("no cases for a valid policy")
		}
	})
}
