package origin

import "testing"

func TestIsPotentiallyTrustworthy(t *testing.T) {
	tests := []struct {
		name string
		o    Origin
		want bool
	}{
		{"https", MustParse("https://example.com"), true},
		{"wss", MustParse("wss://example.com"), true},
		{"http", MustParse("http://example.com"), false},
		{"ws", MustParse("ws://example.com"), false},
		{"ipv4_loopback", MustParse("http://127.0.0.1"), true},
		{"ipv4_loopback_range", MustParse("http://127.255.0.9:8080"), true},
		{"ipv4_loopback_short_form", Must(Tuple("http", "127.1", -1)), true},
		{"ipv4_not_loopback", MustParse("http://128.0.0.1"), false},
		{"domain_starting_127_is_not_an_address", MustParse("http://127.example"), false},
		{"ipv6_loopback", MustParse("http://[::1]"), true},
		{"ipv6_not_loopback", MustParse("http://[::2]"), false},
		{"ipv4_mapped_loopback_is_not_listed", MustParse("http://[::ffff:7f00:1]"), false},
		{"localhost", MustParse("http://localhost:3000"), true},
		{"localhost_trailing_dot", MustParse("http://localhost."), true},
		{"subdomain_of_localhost", MustParse("http://app.localhost"), true},
		{"subdomain_of_localhost_trailing_dot", MustParse("http://app.localhost."), true},
		{"localhost_lookalike", MustParse("http://localhost.example.com"), false},
		{"localhost_suffix_without_dot", MustParse("http://notlocalhost"), false},
		{"file_tuple", Must(Tuple("file", "server", -1)), true},
		{"opaque", OpaqueFromID(0), false},
		{"zero", Origin{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.o.IsPotentiallyTrustworthy(); got != tt.want {
				t.Errorf("%v.IsPotentiallyTrustworthy() = %v, want %v", tt.o, got, tt.want)
			}
		})
	}
}
