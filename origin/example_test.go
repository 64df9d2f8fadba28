package origin_test

import (
	"encoding/json"
	"fmt"
	"net/url"

	"github.com/corsim/corsim/origin"
)

func ExampleParse() {
	o, err := origin.Parse("https://api.example.com:8443")
	fmt.Println(o.Scheme(), o.Host(), o.EffectivePort(), err)
	// Output: https api.example.com 8443 <nil>
}

// A trailing slash is the most common Access-Control-Allow-Origin mistake:
// the browser compares the header byte for byte with the serialized origin,
// which never has one.
func ExampleParse_trailingSlash() {
	_, err := origin.Parse("https://example.com/")
	fmt.Println(err)
	// Output: origin: cannot parse "https://example.com/": trailing slash
}

// Browsers omit the scheme's default port when they serialize an origin, so
// "https://example.com:443" never matches.
func ExampleParse_defaultPort() {
	_, err := origin.Parse("https://example.com:443")
	fmt.Println(err)
	// Output: origin: cannot parse "https://example.com:443": default port must be omitted
}

// Scheme and host are serialized in lower case.
func ExampleParse_upperCase() {
	_, err := origin.Parse("https://Example.com")
	fmt.Println(err)
	// Output: origin: cannot parse "https://Example.com": upper-case host
}

// "null" is what a browser sends for an opaque origin (a sandboxed iframe, a
// data: URL, a redirect-tainted request). Allowing it allows all of them.
func ExampleParse_null() {
	o, _ := origin.Parse("null")
	fmt.Println(o.IsOpaque(), o == origin.OpaqueFromID(0), o.SameOrigin(origin.NewOpaque()))
	// Output: true true false
}

// A list of origins is not an origin: Access-Control-Allow-Origin takes
// exactly one.
func ExampleParse_list() {
	_, err := origin.Parse("https://a.example, https://b.example")
	fmt.Println(err)
	// Output: origin: cannot parse "https://a.example, https://b.example": more than one origin (a list is not an origin)
}

func ExampleMustParse() {
	allowed := map[origin.Origin]bool{
		origin.MustParse("https://app.example"): true,
	}
	o, _ := origin.FromURLString("https://app.example/login")
	fmt.Println(allowed[o])
	// Output: true
}

func ExampleTuple() {
	o, err := origin.Tuple("HTTPS", "Bücher.example", 443)
	fmt.Println(o, err)
	// Output: https://xn--bcher-kva.example <nil>
}

func ExampleTuple_ipAddresses() {
	v4, _ := origin.Tuple("http", "0x7f.1", 3000)
	v6, _ := origin.Tuple("http", "[0:0::1]", -1)
	fmt.Println(v4, v6)
	// Output: http://127.0.0.1:3000 http://[::1]
}

func ExampleNewOpaque() {
	a, b := origin.NewOpaque(), origin.NewOpaque()
	fmt.Println(a, a.SameOrigin(a), a.SameOrigin(b))
	// Output: null true false
}

func ExampleOpaqueFromID() {
	fmt.Println(origin.OpaqueFromID(1) == origin.OpaqueFromID(1), origin.OpaqueFromID(1) == origin.OpaqueFromID(2))
	// Output: true false
}

func ExampleFromURL() {
	for _, raw := range []string{
		"https://user@Example.com:443/a?b#c",
		"blob:https://example.com/7b6c-11e9",
		"data:text/plain,hi",
	} {
		u, _ := url.Parse(raw)
		fmt.Println(origin.FromURL(u))
	}
	// Output:
	// https://example.com
	// https://example.com
	// null
}

func ExampleFromURLString() {
	o, err := origin.FromURLString("http://localhost:8080/index.html")
	fmt.Println(o, err)
	// Output: http://localhost:8080 <nil>
}

func ExampleCanonicalHost() {
	for _, h := range []string{"EXAMPLE.com", "münchen.de", "2130706433", "[0:0::1]", "a b"} {
		c, err := origin.CanonicalHost(h)
		fmt.Printf("%q %v\n", c, err)
	}
	// Output:
	// "example.com" <nil>
	// "xn--mnchen-3ya.de" <nil>
	// "127.0.0.1" <nil>
	// "[::1]" <nil>
	// "" origin: cannot parse "a b": forbidden domain code point " "
}

func ExampleOrigin_IsValid() {
	var zero origin.Origin
	fmt.Println(zero.IsValid(), origin.MustParse("https://a.example").IsValid(), origin.NewOpaque().IsValid())
	// Output: false true true
}

func ExampleOrigin_IsOpaque() {
	fmt.Println(origin.MustParse("null").IsOpaque(), origin.MustParse("https://a.example").IsOpaque())
	// Output: true false
}

func ExampleOrigin_Scheme() {
	fmt.Printf("%q %q\n", origin.MustParse("wss://a.example").Scheme(), origin.NewOpaque().Scheme())
	// Output: "wss" ""
}

func ExampleOrigin_Host() {
	fmt.Println(origin.MustParse("http://[2001:db8::1]:8080").Host())
	// Output: [2001:db8::1]
}

func ExampleOrigin_Port() {
	fmt.Println(origin.MustParse("https://a.example:8443").Port())
	fmt.Println(origin.MustParse("https://a.example").Port())
	// Output:
	// 8443 true
	// 0 false
}

func ExampleOrigin_EffectivePort() {
	fmt.Println(origin.MustParse("https://a.example").EffectivePort(), origin.MustParse("http://a.example").EffectivePort())
	// Output: 443 80
}

func ExampleOrigin_String() {
	var zero origin.Origin
	fmt.Printf("%q %q %q\n", origin.MustParse("http://a.example:81"), origin.NewOpaque(), zero)
	// Output: "http://a.example:81" "null" ""
}

func ExampleOrigin_AppendTo() {
	b := []byte("Origin: ")
	b = origin.MustParse("https://a.example").AppendTo(b)
	fmt.Println(string(b))
	// Output: Origin: https://a.example
}

func ExampleOrigin_MarshalText() {
	data, _ := json.Marshal(map[string]origin.Origin{"origin": origin.MustParse("https://a.example")})
	fmt.Println(string(data))
	// Output: {"origin":"https://a.example"}
}

func ExampleOrigin_UnmarshalText() {
	var cfg struct{ Allowed []origin.Origin }
	err := json.Unmarshal([]byte(`{"Allowed": ["https://a.example", "https://b.example/"]}`), &cfg)
	fmt.Println(err)
	// Output: origin: cannot parse "https://b.example/": trailing slash
}

func ExampleOrigin_SameOrigin() {
	a := origin.MustParse("https://example.com")
	fmt.Println(a.SameOrigin(origin.MustParse("https://example.com")))
	fmt.Println(a.SameOrigin(origin.MustParse("http://example.com")))
	fmt.Println(a.SameOrigin(origin.MustParse("https://www.example.com")))
	// Output:
	// true
	// false
	// false
}

func ExampleOrigin_SameSite() {
	a := origin.MustParse("https://app.example.co.uk")
	fmt.Println(a.SameSite(origin.MustParse("https://api.example.co.uk:8443")))
	fmt.Println(a.SameSite(origin.MustParse("http://api.example.co.uk")))
	fmt.Println(origin.MustParse("https://a.github.io").SameSite(origin.MustParse("https://b.github.io")))
	// Output:
	// true
	// false
	// false
}

func ExampleOrigin_SchemelesslySameSite() {
	a := origin.MustParse("https://app.example.com")
	fmt.Println(a.SchemelesslySameSite(origin.MustParse("http://api.example.com")))
	// Output: true
}

func ExampleOrigin_IsPotentiallyTrustworthy() {
	for _, s := range []string{"https://a.example", "http://a.example", "http://localhost:3000", "http://127.0.0.1", "null"} {
		fmt.Println(s, origin.MustParse(s).IsPotentiallyTrustworthy())
	}
	// Output:
	// https://a.example true
	// http://a.example false
	// http://localhost:3000 true
	// http://127.0.0.1 true
	// null false
}
