package origin

import "testing"

// TestNoAllocs makes the hot paths' allocation behaviour part of the test
// suite, as net/netip does.
func TestNoAllocs(t *testing.T) {
	a := MustParse("https://a.example:8443")
	b := MustParse("https://a.example:8443")
	v6 := MustParse("http://[::1]:3000")
	buf := make([]byte, 0, 64)
	var sink bool
	var s string

	tests := []struct {
		name string
		f    func()
	}{
		{"Parse_domain", func() { a, _ = Parse("https://a.example:8443") }},
		{"Parse_ipv4", func() { _, _ = Parse("http://127.0.0.1:3000") }},
		{"Parse_ipv6", func() { v6, _ = Parse("http://[::1]:3000") }},
		{"Parse_null", func() { _, _ = Parse("null") }},
		{"String", func() { s = a.String() }},
		{"Scheme", func() { s = a.Scheme() }},
		{"Host", func() { s = v6.Host() }},
		{"Port", func() { _, sink = a.Port() }},
		{"EffectivePort", func() { _ = a.EffectivePort() }},
		{"AppendTo", func() { buf = a.AppendTo(buf[:0]) }},
		{"SameOrigin", func() { sink = a.SameOrigin(b) }},
		{"equal_operator", func() { sink = a == b }},
		{"IsPotentiallyTrustworthy", func() { sink = v6.IsPotentiallyTrustworthy() }},
		{"OpaqueFromID", func() { sink = OpaqueFromID(1) == OpaqueFromID(1) }},
		{"CanonicalHost_canonical_ascii", func() { s, _ = CanonicalHost("a.example") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := testing.AllocsPerRun(100, tt.f); n != 0 {
				t.Errorf("%s allocates %v times per run, want 0", tt.name, n)
			}
		})
	}
	_, _ = sink, s
}
