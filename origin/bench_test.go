package origin

import (
	"net/url"
	"testing"
)

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

// BenchmarkOriginParse parses serialized origins already in canonical form,
// as servers and scenario files usually write them.
func BenchmarkOriginParse(b *testing.B) {
	for _, bb := range []struct{ name, in string }{
		{"http", "http://a.test"},
		{"https_port", "https://api.example.com:8443"},
		{"ipv4", "http://127.0.0.1:8080"},
		{"null", "null"},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchOrigin, _ = Parse(bb.in)
			}
		})
	}
}

// BenchmarkOriginFromURL takes the origin of URLs whose origin is written
// in canonical form: FromURLString on the string, and FromURL on a URL
// net/url already parsed (which must build the serialization, one
// allocation).
func BenchmarkOriginFromURL(b *testing.B) {
	for _, bb := range []struct{ name, in string }{
		{"http", "http://a.test/r?x=1"},
		{"https_port", "https://api.example.com:8443/items/1"},
		{"ipv4", "http://127.0.0.1:8080/"},
	} {
		b.Run("string/"+bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchOrigin, _ = FromURLString(bb.in)
			}
		})
		u, err := url.Parse(bb.in)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("net_url/"+bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchOrigin = FromURL(u)
			}
		})
	}
}
