package origin

import "testing"

var (
	benchOrigin Origin
	benchBool   bool
	benchString string
)

func BenchmarkParse(b *testing.B) {
	for _, bb := range []struct{ name, in string }{
		{"domain", "https://www.example.com"},
		{"domain_port", "http://localhost:3000"},
		{"ipv4", "http://192.168.0.1:8080"},
		{"ipv6", "http://[2001:db8::1]:8080"},
		{"null", "null"},
		{"punycode", "https://xn--mnchen-3ya.de"},
		{"trailing_slash", "https://www.example.com/"},
		{"upper_case_host", "https://WWW.EXAMPLE.COM"},
		{"hostile_long", "https://" + string(make([]byte, MaxLength))},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchOrigin, _ = Parse(bb.in)
			}
		})
	}
}

func BenchmarkCanonicalHost(b *testing.B) {
	for _, bb := range []struct{ name, in string }{
		{"ascii", "www.example.com"},
		{"upper_case", "WWW.EXAMPLE.COM"},
		{"idn", "bücher.example"},
		{"ipv4_hex", "0x7f.1"},
		{"ipv6", "[0:0:0:0:0:0:0:1]"},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchString, _ = CanonicalHost(bb.in)
			}
		})
	}
}

func BenchmarkSameOrigin(b *testing.B) {
	x, y := MustParse("https://a.example"), MustParse("https://a.example")
	b.ReportAllocs()
	for b.Loop() {
		benchBool = x.SameOrigin(y)
	}
}

func BenchmarkSameSite(b *testing.B) {
	x, y := MustParse("https://a.example.co.uk"), MustParse("https://b.example.co.uk")
	b.ReportAllocs()
	for b.Loop() {
		benchBool = x.SameSite(y)
	}
}

func BenchmarkTuple(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchOrigin, _ = Tuple("https", "www.example.com", 8443)
	}
}
