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
	f.Fuzz(func(t *testing.T, s string) {
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
