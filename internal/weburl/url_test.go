package weburl

import (
	"errors"
	"strings"
	"testing"

	"github.com/corsim/corsim/origin"
	"github.com/google/go-cmp/cmp"
)

// components is a comparable view of a URL for cmp.
type components struct {
	Href, WithoutFragment                               string
	Scheme, Username, Password, Host, Port, Path, Query string
	Fragment                                            string
	Credentials, HTTP                                   bool
	Origin                                              string
}

func componentsOf(u *URL) components {
	return components{
		Href: u.String(), WithoutFragment: u.StringWithoutFragment(),
		Scheme: u.Scheme(), Username: u.Username(), Password: u.Password(),
		Host: u.Host(), Port: u.Port(), Path: u.Path(), Query: u.RawQuery(), Fragment: u.Fragment(),
		Credentials: u.IncludesCredentials(), HTTP: u.IsHTTPScheme(),
		Origin: u.Origin().String(),
	}
}

func TestComponents(t *testing.T) {
	tests := []struct {
		name, in string
		want     components
	}{
		{"full_https_url", "HTTPS://user:pa%20ss@EXAMPLE.com:8443/a/./b/../c?q=1#frag", components{
			Href: "https://user:pa%20ss@example.com:8443/a/c?q=1#frag", WithoutFragment: "https://user:pa%20ss@example.com:8443/a/c?q=1",
			Scheme: "https", Username: "user", Password: "pa%20ss", Host: "example.com", Port: "8443", Path: "/a/c", Query: "q=1", Fragment: "frag",
			Credentials: true, HTTP: true, Origin: "https://example.com:8443"}},
		{"empty_path_becomes_slash", "http://example.com", components{
			Href: "http://example.com/", WithoutFragment: "http://example.com/",
			Scheme: "http", Host: "example.com", Path: "/", HTTP: true, Origin: "http://example.com"}},
		{"default_port_removed", "https://example.com:443/", components{
			Href: "https://example.com/", WithoutFragment: "https://example.com/",
			Scheme: "https", Host: "example.com", Path: "/", HTTP: true, Origin: "https://example.com"}},
		{"backslashes_are_slashes", "https:\\\\example.com\\a\\b", components{
			Href: "https://example.com/a/b", WithoutFragment: "https://example.com/a/b",
			Scheme: "https", Host: "example.com", Path: "/a/b", HTTP: true, Origin: "https://example.com"}},
		{"empty_query_and_fragment_are_kept", "http://a.example/?#", components{
			Href: "http://a.example/?#", WithoutFragment: "http://a.example/?",
			Scheme: "http", Host: "a.example", Path: "/", HTTP: true, Origin: "http://a.example"}},
		{"ws_is_not_http", "ws://a.example:80/chat", components{
			Href: "ws://a.example/chat", WithoutFragment: "ws://a.example/chat",
			Scheme: "ws", Host: "a.example", Path: "/chat", Origin: "ws://a.example"}},
		{"data_url_is_opaque", "data:text/plain,hello world", components{
			Href: "data:text/plain,hello world", WithoutFragment: "data:text/plain,hello world",
			Scheme: "data", Path: "text/plain,hello world", Origin: "null"}},
		{"javascript_url", "JavaScript:alert(1)", components{
			Href: "javascript:alert(1)", WithoutFragment: "javascript:alert(1)",
			Scheme: "javascript", Path: "alert(1)", Origin: "null"}},
		{"about_blank", "about:blank", components{
			Href: "about:blank", WithoutFragment: "about:blank", Scheme: "about", Path: "blank", Origin: "null"}},
		{"blob_of_https", "blob:https://a.example:8443/uuid", components{
			Href: "blob:https://a.example:8443/uuid", WithoutFragment: "blob:https://a.example:8443/uuid",
			Scheme: "blob", Path: "https://a.example:8443/uuid", Origin: "https://a.example:8443"}},
		{"blob_of_data_is_opaque", "blob:data:,x", components{
			Href: "blob:data:,x", WithoutFragment: "blob:data:,x", Scheme: "blob", Path: "data:,x", Origin: "null"}},
		{"file_localhost_is_empty_host", "file://localhost/etc/hosts", components{
			Href: "file:///etc/hosts", WithoutFragment: "file:///etc/hosts", Scheme: "file", Path: "/etc/hosts", Origin: "null"}},
		{"non_special_keeps_opaque_host", "git://GitHub.com/whatwg/url.git", components{
			Href: "git://GitHub.com/whatwg/url.git", WithoutFragment: "git://GitHub.com/whatwg/url.git",
			Scheme: "git", Host: "GitHub.com", Path: "/whatwg/url.git", Origin: "null"}},
		{"ipv6_host", "http://[0:0::1]:8080/", components{
			Href: "http://[::1]:8080/", WithoutFragment: "http://[::1]:8080/",
			Scheme: "http", Host: "[::1]", Port: "8080", Path: "/", HTTP: true, Origin: "http://[::1]:8080"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, componentsOf(u)); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// TestSpecChanges pins behaviour the URL standard changed after the
// web-platform-tests revision ported in wpt_test.go.
func TestSpecChanges(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// "^" joined the path percent-encode set.
		{"caret_in_path_is_encoded", "https://example.com/a^b", "https://example.com/a%5Eb"},
		{"caret_in_query_is_not_encoded", "https://example.com/?a^b", "https://example.com/?a^b"},
		// A space in an opaque path is encoded when "?" or "#" follows it,
		// so that serializing and reparsing keeps it.
		{"opaque_path_space_before_fragment", "data:text/plain,a #f", "data:text/plain,a%20#f"},
		{"opaque_path_space_before_query", "data:text/plain,a ?q", "data:text/plain,a%20?q"},
		{"opaque_path_inner_space_is_kept", "data:text/plain,a b", "data:text/plain,a b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, u.String()); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestParseInvalidUTF8(t *testing.T) {
	u, err := Parse("http://a.example/\xff?\xfe#\xc3")
	if err != nil {
		t.Fatal(err)
	}
	want := "http://a.example/%EF%BF%BD?%EF%BF%BD#%EF%BF%BD"
	if diff := cmp.Diff(want, u.String()); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if _, err := Parse("http://a\xff.example/"); err == nil {
		t.Error("invalid UTF-8 in a host parsed")
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"relative_url_without_base", "/path", `weburl: cannot parse "/path": relative URL without a base`},
		{"scheme_relative_without_base", "//example.com", `weburl: cannot parse "//example.com": relative URL without a base`},
		{"missing_host", "https://", `weburl: cannot parse "https://": missing host`},
		{"credentials_without_host", "https://user@/", `weburl: cannot parse "https://user@/": credentials without a host`},
		{"port_without_host", "https://:443/", `weburl: cannot parse "https://:443/": port without a host`},
		{"bad_port", "https://a.example:44x/", `weburl: cannot parse "https://a.example:44x/": invalid code point 'x' in port`},
		{"port_out_of_range", "https://a.example:65536/", `weburl: cannot parse "https://a.example:65536/": port out of range 0-65535`},
		{"invalid_host", "https://a b/", `weburl: cannot parse "https://a b/": invalid host "a b": forbidden domain code point " "`},
		{"forbidden_opaque_host", "sc://a^b/", `weburl: cannot parse "sc://a^b/": forbidden host code point '^' in host "a^b"`},
		{"ipv6_zone", "http://[fe80::1%25eth0]/", `weburl: cannot parse "http://[fe80::1%25eth0]/": invalid host "[fe80::1%25eth0]": IPv6 address has an invalid code point "%"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := Parse(tt.in)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) = %v, %v; want *ParseError", tt.in, u, err)
			}
			if pe.Input != tt.in {
				t.Errorf("ParseError.Input = %q, want %q", pe.Input, tt.in)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("message mismatch (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("relative_against_opaque_base", func(t *testing.T) {
		base, _ := Parse("data:text/plain,x")
		_, err := base.Resolve("foo")
		want := `weburl: cannot parse "foo": relative URL with a base that cannot be a base ("data:text/plain,x")`
		if err == nil || err.Error() != want {
			t.Errorf("Resolve error = %v, want %s", err, want)
		}
	})
}

func TestParseCapsInputLength(t *testing.T) {
	long := "https://a.example/" + strings.Repeat("a", MaxLength)
	_, err := Parse(long)
	var pe *ParseError
	if !errors.As(err, &pe) || !strings.HasSuffix(pe.Reason, "longer than 2097152 bytes") {
		t.Errorf("Parse(long) error = %v, want a length error", err)
	}
	if got := err.Error(); len(got) > 300 {
		t.Errorf("error message is %d bytes long; want the input truncated", len(got))
	}
}

// TestResolveLocation covers Location header values a redirect can carry.
func TestResolveLocation(t *testing.T) {
	base, err := Parse("https://api.example.com/v1/items?page=2#top")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, ref, want string
	}{
		{"absolute_other_origin", "https://cdn.example.net/x", "https://cdn.example.net/x"},
		{"scheme_relative", "//cdn.example.net/x", "https://cdn.example.net/x"},
		{"path_absolute", "/v2/items", "https://api.example.com/v2/items"},
		{"path_relative", "other", "https://api.example.com/v1/other"},
		{"dot_dot", "../v2/", "https://api.example.com/v2/"},
		{"query_only", "?page=3", "https://api.example.com/v1/items?page=3"},
		{"fragment_only", "#bottom", "https://api.example.com/v1/items?page=2#bottom"},
		{"empty_is_the_base_without_fragment", "", "https://api.example.com/v1/items?page=2"},
		{"backslash_path", "\\v3", "https://api.example.com/v3"},
		{"same_scheme_without_slashes_is_relative", "https:v4", "https://api.example.com/v1/v4"},
		{"other_special_scheme_without_slashes", "http:evil.example/x", "http://evil.example/x"},
		{"data_url", "data:text/plain,hi", "data:text/plain,hi"},
		{"credentials", "https://user:pw@other.example/", "https://user:pw@other.example/"},
		{"whitespace_is_trimmed", "  /v5\t\n ", "https://api.example.com/v5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := base.Resolve(tt.ref)
			if err != nil {
				t.Fatalf("Resolve(%q): %v", tt.ref, err)
			}
			if diff := cmp.Diff(tt.want, u.String()); diff != "" {
				t.Errorf("Resolve(%q) mismatch (-want +got):\n%s", tt.ref, diff)
			}
		})
	}
	if base.String() != "https://api.example.com/v1/items?page=2#top" {
		t.Errorf("Resolve changed the base to %q", base)
	}
}

func TestOriginOfOpaqueURLsIsID0(t *testing.T) {
	for _, raw := range []string{"data:,x", "about:blank", "file:///x", "blob:null/uuid", "sc://host/"} {
		u, err := Parse(raw)
		if err != nil {
			t.Fatalf("Parse(%q): %v", raw, err)
		}
		if o := u.Origin(); o != origin.OpaqueFromID(0) {
			t.Errorf("Parse(%q).Origin() = %#v, want origin.OpaqueFromID(0)", raw, o)
		}
	}
}

func TestStdURL(t *testing.T) {
	tests := []struct {
		name, in              string
		str, host, requestURI string
		user                  string // net/url's User.String(), "" if nil
	}{
		{"plain", "https://a.example/p?q=1#f", "https://a.example/p?q=1#f", "a.example", "/p?q=1", ""},
		{"port_in_host", "http://a.example:8080/", "http://a.example:8080/", "a.example:8080", "/", ""},
		{"default_port_dropped", "http://a.example:80/", "http://a.example/", "a.example", "/", ""},
		{"encoded_path_kept", "https://a.example/a%2Fb/%20c", "https://a.example/a%2Fb/%20c", "a.example", "/a%2Fb/%20c", ""},
		{"whatwg_encoded_path", "https://a.example/a b/é", "https://a.example/a%20b/%C3%A9", "a.example", "/a%20b/%C3%A9", ""},
		{"empty_query_kept", "https://a.example/?", "https://a.example/?", "a.example", "/?", ""},
		{"credentials", "https://us%40er:p%3Aw@a.example/", "https://us%40er:p%3Aw@a.example/", "a.example", "/", "us%40er:p%3Aw"},
		{"ipv6", "http://[::1]:3000/x", "http://[::1]:3000/x", "[::1]:3000", "/x", ""},
		{"idn", "https://bücher.example/", "https://xn--bcher-kva.example/", "xn--bcher-kva.example", "/", ""},
		{"opaque_path", "data:text/plain,hi", "data:text/plain,hi", "", "text/plain,hi", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			s := u.StdURL()
			user := ""
			if s.User != nil {
				user = s.User.String()
			}
			got := []string{s.String(), s.Host, s.RequestURI(), user}
			want := []string{tt.str, tt.host, tt.requestURI, tt.user}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("StdURL of %q mismatch (-want +got):\n%s", tt.in, diff)
			}
			s.Path = "/changed"
			if u.Path() == "/changed" {
				t.Error("StdURL shares state with the URL")
			}
		})
	}
}

func TestWithoutCredentials(t *testing.T) {
	u, err := Parse("https://user:pw@a.example:8443/p?q#f")
	if err != nil {
		t.Fatal(err)
	}
	c := u.WithoutCredentials()
	got := componentsOf(c)
	want := components{
		Href: "https://a.example:8443/p?q#f", WithoutFragment: "https://a.example:8443/p?q",
		Scheme: "https", Host: "a.example", Port: "8443", Path: "/p", Query: "q", Fragment: "f",
		HTTP: true, Origin: "https://a.example:8443",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("WithoutCredentials mismatch (-want +got):\n%s", diff)
	}
	if !u.IncludesCredentials() || u.String() != "https://user:pw@a.example:8443/p?q#f" {
		t.Errorf("WithoutCredentials changed the original to %q", u)
	}
	// A non-special URL with a null host whose path starts with an empty
	// segment keeps its "/." prefix.
	n, _ := Parse("web+demo:/.//not-a-host/")
	if got := n.WithoutCredentials().String(); got != "web+demo:/.//not-a-host/" {
		t.Errorf("WithoutCredentials of %q = %q", n, got)
	}
}

// TestEncodeSets checks the tables against predicates written from the
// URL standard's definitions.
func TestEncodeSets(t *testing.T) {
	c0 := func(c int) bool { return c < 0x20 || c > 0x7e }
	in := func(c int, chars string) bool { return c < 0x80 && strings.IndexByte(chars, byte(c)) >= 0 }
	fragment := func(c int) bool { return c0(c) || in(c, " \"<>`") }
	query := func(c int) bool { return c0(c) || in(c, " \"#<>") }
	specialQuery := func(c int) bool { return query(c) || c == '\'' }
	path := func(c int) bool { return query(c) || in(c, "?^`{}") }
	userinfo := func(c int) bool {
		return path(c) || in(c, "/:;=@|") || (c >= '[' && c <= ']')
	}
	sets := []struct {
		name  string
		table *encodeSet
		spec  func(int) bool
	}{
		{"c0_control", &c0ControlSet, c0},
		{"fragment", &fragmentSet, fragment},
		{"query", &querySet, query},
		{"special_query", &specialQuerySet, specialQuery},
		{"path", &pathSet, path},
		{"userinfo", &userinfoSet, userinfo},
	}
	for _, s := range sets {
		for c := range 256 {
			if s.table[c] != s.spec(c) {
				t.Errorf("%s set: byte %#x is %v, want %v", s.name, c, s.table[c], s.spec(c))
			}
		}
	}
}
