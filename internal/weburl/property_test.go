package weburl

import (
	"strconv"
	"strings"
	"testing"

	"github.com/corsim/corsim/origin"
	"pgregory.net/rapid"
)

// genURLString draws URL-like strings assembled from the pieces the parser
// treats specially.
func genURLString() *rapid.Generator[string] {
	piece := func(options ...string) *rapid.Generator[string] {
		return rapid.SampledFrom(options)
	}
	return rapid.Custom(func(t *rapid.T) string {
		var b strings.Builder
		b.WriteString(piece("http", "https", "HTTP", "ws", "wss", "ftp", "file", "data", "blob", "sc", "about", "javascript", "").Draw(t, "scheme"))
		b.WriteString(piece("://", ":", ":/", ":\\\\", ":///", "//", "/", "").Draw(t, "sep"))
		if rapid.Bool().Draw(t, "userinfo") {
			b.WriteString(piece("user", "u:p", ":", "a@b", "ü:%41", "").Draw(t, "user"))
			b.WriteString("@")
		}
		b.WriteString(rapid.OneOf(
			piece("example.com", "EXAMPLE.com", "a.b", "localhost", "127.1", "0x7f.0.0.1", "[::1]", "[0:0::1]", "bücher.example", "xn--bcher-kva.example", "a%2Eb", "", "1.2.3.4.", "%"),
			rapid.StringMatching(`[a-zA-Z0-9.\-%]{0,8}`),
		).Draw(t, "host"))
		if rapid.Bool().Draw(t, "hasPort") {
			b.WriteString(piece(":", ":80", ":443", ":8080", ":0", ":65536", ":08").Draw(t, "port"))
		}
		segs := rapid.SliceOfN(rapid.OneOf(
			piece(".", "..", "%2e", ".%2E", "a", "b c", "é", "C|", "c:", "\\", "", "^", "{}"),
			rapid.StringMatching(`[a-z%0-9 ]{0,4}`),
		), 0, 4).Draw(t, "segments")
		for _, s := range segs {
			b.WriteString(piece("/", "\\").Draw(t, "slash"))
			b.WriteString(s)
		}
		if rapid.Bool().Draw(t, "hasQuery") {
			b.WriteString("?" + piece("", "a=b", "'", " x", "é", "#?").Draw(t, "query"))
		}
		if rapid.Bool().Draw(t, "hasFragment") {
			b.WriteString("#" + piece("", "f", " `<", "#", "é").Draw(t, "fragment"))
		}
		if rapid.Bool().Draw(t, "noise") {
			s := b.String()
			i := rapid.IntRange(0, len(s)).Draw(t, "at")
			return s[:i] + piece("\t", "\n", " ", "\x00", "%", "@", ":", "[", "]", "#", "?").Draw(t, "insert") + s[i:]
		}
		return b.String()
	})
}

// checkURL states the invariants every parsed URL satisfies.
func checkURL(t interface{ Fatalf(string, ...any) }, u *URL) {
	href := u.String()
	// The serializer's output is ASCII without control characters.
	for i := 0; i < len(href); i++ {
		if href[i] < 0x20 || href[i] > 0x7e {
			t.Fatalf("%q contains byte %#x", href, href[i])
		}
	}
	// Serializing then parsing gives the same URL.
	again, err := Parse(href)
	if err != nil {
		t.Fatalf("Parse(%q) of a serialized URL failed: %v", href, err)
	}
	if componentsOf(again) != componentsOf(u) {
		t.Fatalf("reparse of %q differs:\n%+v\n%+v", href, componentsOf(again), componentsOf(u))
	}
	// An absolute URL's serialization ignores any base.
	for _, base := range []string{"http://other.example/a/b", "sc:/x", "file:///C:/x"} {
		b, _ := Parse(base)
		if r, err := b.Resolve(href); err != nil || r.String() != href {
			t.Fatalf("Resolve(%q) against %q = %v, %v", href, base, r, err)
		}
	}
	// The fragment is the only difference between String and
	// StringWithoutFragment.
	swf := u.StringWithoutFragment()
	if !strings.HasPrefix(href, swf) || (href != swf && href != swf+"#"+u.Fragment()) {
		t.Fatalf("String %q and StringWithoutFragment %q disagree", href, swf)
	}
	// Special URLs: canonical host, no default port, path starting "/".
	if isSpecialScheme(u.Scheme()) {
		if !strings.HasPrefix(u.Path(), "/") {
			t.Fatalf("special URL %q has path %q", href, u.Path())
		}
		if d, ok := defaultPort(u.Scheme()); ok && u.Port() != "" && u.Port() == strconv.Itoa(d) {
			t.Fatalf("%q keeps the default port", href)
		}
		if u.Host() != "" {
			if c, err := origin.CanonicalHost(u.Host()); err != nil || c != u.Host() {
				t.Fatalf("%q has a non-canonical host %q", href, u.Host())
			}
		}
	}
	// Tuple-origin URLs: the origin is the start of the URL.
	o := u.Origin()
	if !o.IsOpaque() {
		if o.Host() != u.Host() && u.Scheme() != "blob" {
			t.Fatalf("Origin(%q).Host() = %q, URL host %q", href, o.Host(), u.Host())
		}
		if p, err := origin.Parse(o.String()); err != nil || p != o {
			t.Fatalf("origin %q of %q does not parse back: %v", o, href, err)
		}
		if u.Scheme() != "blob" && !u.IncludesCredentials() && !strings.HasPrefix(href, o.String()+"/") {
			t.Fatalf("%q does not start with its origin %q", href, o)
		}
	}
	// WithoutCredentials keeps everything else.
	w := u.WithoutCredentials()
	if w.IncludesCredentials() || w.Origin() != o || w.Path() != u.Path() || w.RawQuery() != u.RawQuery() {
		t.Fatalf("WithoutCredentials(%q) = %q", href, w)
	}
	if r, err := Parse(w.String()); err != nil || r.String() != w.String() {
		t.Fatalf("WithoutCredentials(%q) = %q does not reparse: %v", href, w, err)
	}
}

func TestParsedURLInvariants(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genURLString().Draw(t, "url")
		u, err := Parse(s)
		if err != nil {
			if _, ok := err.(*ParseError); !ok {
				t.Fatalf("Parse(%q) error %v is %T", s, err, err)
			}
			return
		}
		checkURL(t, u)
	})
}

func TestResolvedURLInvariants(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		base, err := Parse(genURLString().Draw(t, "base"))
		if err != nil {
			t.Skip("base does not parse")
		}
		ref := genURLString().Draw(t, "ref")
		u, err := base.Resolve(ref)
		if err != nil {
			return
		}
		checkURL(t, u)
	})
}

func FuzzParse(f *testing.F) {
	for _, tt := range urlTests {
		f.Add(tt.in)
	}
	f.Add("http://b.test/items/1?q=a")
	f.Add("https://127.0.0.1:8443/a/b")
	f.Fuzz(func(t *testing.T, s string) {
		// The canonical fast path is the state machine's answer, when it
		// gives one.
		if fast := parseCanonical(s); fast != nil {
			slow, err := parseStateMachine(s, nil)
			if err != nil || *fast != *slow {
				t.Fatalf("parseCanonical(%q) = %#v, the state machine: %#v, %v", s, *fast, slow, err)
			}
		}
		u, err := Parse(s)
		if err != nil {
			if _, ok := err.(*ParseError); !ok {
				t.Fatalf("Parse(%q) error %v is %T", s, err, err)
			}
			return
		}
		checkURL(t, u)
	})
}

func FuzzResolve(f *testing.F) {
	for _, tt := range urlTests {
		if tt.base != "" {
			f.Add(tt.base, tt.in)
		}
	}
	f.Fuzz(func(t *testing.T, base, ref string) {
		b, err := Parse(base)
		if err != nil {
			return
		}
		u, err := b.Resolve(ref)
		if err != nil {
			return
		}
		checkURL(t, u)
	})
}

// genNearCanonicalURL draws http(s) URLs in canonical form, each piece now
// and then replaced by one of the bytes or shapes that make a URL not
// canonical.
func genNearCanonicalURL() *rapid.Generator[string] {
	return rapid.Custom(func(t *rapid.T) string {
		// odd draws a normal piece, or one time in six an odd one.
		odd := func(label string, normal, odd *rapid.Generator[string]) string {
			if rapid.IntRange(0, 5).Draw(t, label+"-odd") == 0 {
				return odd.Draw(t, label)
			}
			return normal.Draw(t, label)
		}
		var b strings.Builder
		b.WriteString(odd("scheme", rapid.SampledFrom([]string{"http://", "https://"}),
			rapid.SampledFrom([]string{"HTTP://", "http:/", "ws://", "https:", "http://u@"})))
		ipv4 := rapid.IntRange(0, 3).Draw(t, "ipv4") == 0
		if ipv4 {
			b.WriteString(rapid.SampledFrom([]string{"127.0.0.1", "1.2.3.4", "255.255.255.255", "01.2.3.4", "256.1.1.1", "1.2.3", "1.2.3.4.5", "0x7f.0.0.1", "1.2.3.04", "0.0.0.0", "1.2.3.4."}).Draw(t, "ipv4-host"))
		}
		for i := range rapid.IntRange(0, 4).Draw(t, "labels") {
			if ipv4 && i == 0 {
				// Now and then a name label after the address.
				if !rapid.Bool().Draw(t, "after-ipv4") {
					break
				}
			}
			if i > 0 || ipv4 {
				b.WriteString(".")
			}
			b.WriteString(odd("label", rapid.StringMatching(`[a-z][a-z0-9\-]{0,5}`),
				rapid.SampledFrom([]string{"", "xn--bcher-kva", "xn--", "0x7f", "1", "12", "1a", "A", "a_b", "-", strings.Repeat("a", 64)})))
		}
		if rapid.Bool().Draw(t, "hasPort") {
			b.WriteString(odd("port", rapid.SampledFrom([]string{":8080", ":1", ":65535", ":443", ":80"}),
				rapid.SampledFrom([]string{":", ":0", ":08", ":65536", ":123456", ":99999"})))
		}
		for _, s := range rapid.SliceOfN(rapid.Just(""), 0, 4).Draw(t, "segments") {
			b.WriteString("/" + s + odd("segment", rapid.StringMatching(`[a-zA-Z0-9\-._~!$&()*+,;=:@]{0,5}`),
				rapid.SampledFrom([]string{".", "..", "%2e", "%2E.", ".%2e", "%41", "%g1", "%", "a b", "é", "\\", "|", "^", "`", "{", "\"", "'", "\t"})))
		}
		if rapid.Bool().Draw(t, "hasQuery") {
			b.WriteString("?" + odd("query", rapid.StringMatching(`[a-zA-Z0-9\-._~!$&()*+,;=:@/?]{0,6}`),
				rapid.SampledFrom([]string{"'", "a b", "<", "#f", "%zz", "%41", "é", "\"", "`"})))
		}
		return b.String()
	})
}

// The canonical fast path returns exactly what the state machine returns,
// whenever it returns anything.
func TestParseCanonicalAgreesWithTheParser(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		raw := rapid.OneOf(genNearCanonicalURL(), genURLString()).Draw(t, "url")
		fast := parseCanonical(raw)
		if fast == nil {
			return
		}
		slow, err := parseStateMachine(raw, nil)
		if err != nil {
			t.Fatalf("parseCanonical(%q) = %q, the parser fails: %v", raw, fast, err)
		}
		if *fast != *slow {
			t.Fatalf("parseCanonical(%q):\n fast %#v\n slow %#v", raw, *fast, *slow)
		}
	})
}

// The origin read from the start of the serialization is the one built
// from the URL's scheme, host and port.
func TestOriginIsTheTupleOrigin(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		raw := rapid.OneOf(genNearCanonicalURL(), genURLString()).Draw(t, "url")
		u, err := Parse(raw)
		if err != nil || !isSpecialScheme(u.Scheme()) || u.Scheme() == "file" {
			return
		}
		want, err := origin.Tuple(u.Scheme(), u.Host(), u.port)
		if err != nil {
			t.Fatalf("Tuple(%q, %q, %d): %v", u.Scheme(), u.Host(), u.port, err)
		}
		if got := u.Origin(); got != want {
			t.Fatalf("Origin of %q = %v, want %v", raw, got, want)
		}
	})
}
