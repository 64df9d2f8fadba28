package weburl

import (
	"strings"
	"testing"
)

var benchURL *URL

func BenchmarkParse(b *testing.B) {
	for _, bb := range []struct{ name, in string }{
		{"typical", "https://api.example.com/v1/items/42?expand=owner#top"},
		{"idn", "https://bücher.example/katalog"},
		{"ipv6", "http://[2001:db8::1]:8080/"},
		{"data", "data:text/plain;base64,aGVsbG8="},
		{"hostile_dots", "https://a.example/" + strings.Repeat("../", 2000)},
		{"hostile_long_host", "https://" + strings.Repeat("a.", 1000) + "example/"},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchURL, _ = Parse(bb.in)
			}
		})
	}
}

func BenchmarkResolve(b *testing.B) {
	base, _ := Parse("https://api.example.com/v1/items/42")
	b.ReportAllocs()
	for b.Loop() {
		benchURL, _ = base.Resolve("../43?x=1")
	}
}
