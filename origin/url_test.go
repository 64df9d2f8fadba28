package origin

import (
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestFromURL(t *testing.T) {
	tests := []struct {
		name, raw string
		want      string // serialization; "null" for opaque
	}{
		{"https", "https://example.com/path?q#f", "https://example.com"},
		{"default_port_dropped", "https://example.com:443/", "https://example.com"},
		{"port_kept", "http://example.com:8080/", "http://example.com:8080"},
		{"port_leading_zeros", "http://example.com:0080/", "http://example.com"},
		{"empty_port", "http://example.com:/", "http://example.com"},
		{"userinfo_dropped", "https://user:pass@example.com/", "https://example.com"},
		{"host_canonicalized", "http://EXAMPLE.com/", "http://example.com"},
		{"ipv4_canonicalized", "http://0x7f.1/", "http://127.0.0.1"},
		{"ipv6_canonicalized", "http://[0:0::1]:3000/", "http://[::1]:3000"},
		{"idn_punycoded", "https://bücher.example/", "https://xn--bcher-kva.example"},
		{"ws", "ws://example.com/", "ws://example.com"},
		{"wss_default_port", "wss://example.com:443/", "wss://example.com"},
		{"ftp", "ftp://example.com:21/", "ftp://example.com"},
		{"blob_of_https", "blob:https://example.com/7b6c-11e9", "https://example.com"},
		{"blob_of_http_with_port", "blob:http://example.com:8080/uuid", "http://example.com:8080"},
		{"blob_of_file_is_opaque", "blob:file:///uuid", "null"},
		{"blob_of_data_is_opaque", "blob:data:text/plain,x", "null"},
		{"blob_garbage_is_opaque", "blob:uuid", "null"},
		{"file_is_opaque", "file:///etc/passwd", "null"},
		{"data_is_opaque", "data:text/plain,hello", "null"},
		{"about_is_opaque", "about:blank", "null"},
		{"javascript_is_opaque", "javascript:alert(1)", "null"},
		{"unknown_scheme_is_opaque", "chrome-extension://abcdef/page.html", "null"},
		{"zone_id_is_invalid_so_opaque", "http://[fe80::1%25en0]/", "null"},
		{"empty_host_is_opaque", "http:///path", "null"},
		{"port_out_of_range_is_opaque", "http://example.com:65536/", "null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := url.Parse(tt.raw)
			if err != nil {
				t.Fatalf("url.Parse(%q): %v", tt.raw, err)
			}
			o := FromURL(u)
			if diff := cmp.Diff(tt.want, o.String()); diff != "" {
				t.Errorf("FromURL(%q) mismatch (-want +got):\n%s", tt.raw, diff)
			}
			if tt.want == "null" {
				if !o.IsOpaque() {
					t.Errorf("FromURL(%q) is not opaque", tt.raw)
				}
				if o == FromURL(u) {
					t.Errorf("FromURL(%q) returned the same opaque origin twice", tt.raw)
				}
			} else if o != MustParse(tt.want) {
				t.Errorf("FromURL(%q) = %#v, want MustParse(%q)", tt.raw, o, tt.want)
			}
		})
	}
}

func TestFromURLHandBuiltURLs(t *testing.T) {
	tests := []struct {
		name string
		u    *url.URL
		want string
	}{
		{"nil_url_is_invalid", nil, ""},
		{"upper_case_scheme", &url.URL{Scheme: "HTTPS", Host: "example.com"}, "https://example.com"},
		{"percent_in_host_is_opaque", &url.URL{Scheme: "https", Host: "ex%41mple.com"}, "null"},
		{"forbidden_host_is_opaque", &url.URL{Scheme: "http", Host: "a^b"}, "null"},
		{"non_numeric_port_is_opaque", &url.URL{Scheme: "https", Host: "example.com:https"}, "null"},
		{"blob_with_path_form", &url.URL{Scheme: "blob", Path: "https://example.com/x"}, "https://example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FromURL(tt.u).String(); got != tt.want {
				t.Errorf("FromURL(%v) = %q, want %q", tt.u, got, tt.want)
			}
		})
	}
}

func TestFromURLString(t *testing.T) {
	o, err := FromURLString("https://example.com/a")
	if err != nil || o != MustParse("https://example.com") {
		t.Errorf("FromURLString = %v, %v", o, err)
	}
	if o, err := FromURLString("https://exa mple.com/\x7f"); err == nil {
		t.Errorf("FromURLString of an unparsable URL = %v, nil; want error", o)
	}
}

// The allocation-free path of FromURLString gives what net/url's path
// gives, for URLs built from canonical and non-canonical pieces alike.
func TestFromURLStringFastPathAgreesWithNetURL(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		raw := rapid.SampledFrom([]string{"http://", "https://", "HTTP://", "ftp://", "http:/", "https:"}).Draw(t, "scheme") +
			rapid.SampledFrom([]string{"", "user@", "u:p@"}).Draw(t, "userinfo") +
			rapid.SampledFrom([]string{"a.test", "A.test", "127.0.0.1", "[::1]", "xn--mnchen-3ya.de", "a..b", "a%2eb", ""}).Draw(t, "host") +
			rapid.SampledFrom([]string{"", ":80", ":443", ":8080", ":0080", ":", ":99999"}).Draw(t, "port") +
			rapid.SampledFrom([]string{"", "/", "/r?x=1", "?q", "#f", "\\\\r", "/a/../b"}).Draw(t, "rest")
		fast, fastOK := canonicalPrefixOrigin(raw)
		if !fastOK {
			return
		}
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatalf("fast path took %q, which net/url refuses: %v", raw, err)
		}
		if slow := FromURL(u); slow != fast {
			t.Fatalf("FromURLString(%q): fast path %v, net/url path %v", raw, fast, slow)
		}
	})
}

func TestFromURLStringFastPathTakes(t *testing.T) {
	for raw, want := range map[string]bool{
		"http://a.test/r?x=1":       true,
		"https://a.test:8443":       true,
		"http://a.test:80/":         false, // default port: not canonical
		"http://A.test/":            false,
		"http://u@a.test/":          false,
		"http://a.test\\r":          false,
		"https://[::1]:8443/#frag":  true,
		"ftp://a.test/":             false,
		"https://xn--mnchen-3ya.de": true,
	} {
		if _, ok := canonicalPrefixOrigin(raw); ok != want {
			t.Errorf("canonicalPrefixOrigin(%q) took it: %v, want %v", raw, ok, want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { FromURLString("https://a.test:8443/items/1") }); n != 0 {
		t.Errorf("FromURLString on a canonical URL allocates %v times, want 0", n)
	}
}
