package weburl_test

import (
	"fmt"

	"github.com/corsim/corsim/internal/weburl"
)

func ExampleParse() {
	u, err := weburl.Parse(" HTTPS://Example.COM:443\\a\\..\\b?q=1#top ")
	fmt.Println(u, err)
	// Output: https://example.com/b?q=1#top <nil>
}

// net/url and the URL standard disagree on "http:example.com": without a
// base, a special URL missing its slashes still has a host.
func ExampleParse_missingSlashes() {
	u, _ := weburl.Parse("https:example.com/x")
	fmt.Println(u.Host(), u.Path())
	// Output: example.com /x
}

// A relative URL needs a base: use Resolve.
func ExampleParse_relative() {
	_, err := weburl.Parse("/login")
	fmt.Println(err)
	// Output: weburl: cannot parse "/login": relative URL without a base
}

func ExampleURL_Resolve() {
	base, _ := weburl.Parse("https://api.example.com/v1/items")
	for _, location := range []string{"../v2/items", "//cdn.example.net/x", "http:other.example/"} {
		u, _ := base.Resolve(location)
		fmt.Println(u)
	}
	// Output:
	// https://api.example.com/v2/items
	// https://cdn.example.net/x
	// http://other.example/
}

func ExampleURL_String() {
	u, _ := weburl.Parse("http://example.com/a b?c d#e f")
	fmt.Println(u.String())
	// Output: http://example.com/a%20b?c%20d#e%20f
}

func ExampleURL_StringWithoutFragment() {
	u, _ := weburl.Parse("https://example.com/page#section")
	fmt.Println(u.StringWithoutFragment())
	// Output: https://example.com/page
}

func ExampleURL_Scheme() {
	u, _ := weburl.Parse("WSS://example.com/chat")
	fmt.Println(u.Scheme())
	// Output: wss
}

func ExampleURL_Host() {
	u, _ := weburl.Parse("http://0x7f.1:8080/")
	fmt.Println(u.Host())
	// Output: 127.0.0.1
}

func ExampleURL_Port() {
	a, _ := weburl.Parse("https://example.com:443/")
	b, _ := weburl.Parse("https://example.com:8443/")
	fmt.Printf("%q %q\n", a.Port(), b.Port())
	// Output: "" "8443"
}

func ExampleURL_Path() {
	u, _ := weburl.Parse("https://example.com/a/./b/../c")
	d, _ := weburl.Parse("data:text/plain,hi")
	fmt.Println(u.Path(), d.Path())
	// Output: /a/c text/plain,hi
}

func ExampleURL_RawQuery() {
	u, _ := weburl.Parse("https://example.com/?q=it's")
	fmt.Println(u.RawQuery())
	// Output: q=it%27s
}

func ExampleURL_Fragment() {
	u, _ := weburl.Parse("https://example.com/#a b")
	fmt.Println(u.Fragment())
	// Output: a%20b
}

func ExampleURL_Username() {
	u, _ := weburl.Parse("https://jo@hn:pw@example.com/")
	fmt.Println(u.Username())
	// Output: jo%40hn
}

func ExampleURL_Password() {
	u, _ := weburl.Parse("https://john:p@ss@example.com/")
	fmt.Println(u.Password())
	// Output: p%40ss
}

func ExampleURL_IncludesCredentials() {
	a, _ := weburl.Parse("https://user@example.com/")
	b, _ := weburl.Parse("https://:@example.com/")
	fmt.Println(a.IncludesCredentials(), b.IncludesCredentials())
	// Output: true false
}

func ExampleURL_IsHTTPScheme() {
	for _, s := range []string{"https://a.example/", "ws://a.example/", "data:,x"} {
		u, _ := weburl.Parse(s)
		fmt.Println(u.IsHTTPScheme())
	}
	// Output:
	// true
	// false
	// false
}

func ExampleURL_Origin() {
	for _, s := range []string{"https://user@Example.com:443/x", "blob:https://a.example/uuid", "data:,x"} {
		u, _ := weburl.Parse(s)
		fmt.Println(u.Origin())
	}
	// Output:
	// https://example.com
	// https://a.example
	// null
}

func ExampleURL_StdURL() {
	u, _ := weburl.Parse("http://bücher.example:8080/a b?x")
	s := u.StdURL()
	fmt.Println(s.Host, s.RequestURI())
	// Output: xn--bcher-kva.example:8080 /a%20b?x
}

func ExampleURL_WithoutCredentials() {
	u, _ := weburl.Parse("https://user:secret@example.com/x")
	fmt.Println(u.WithoutCredentials())
	// Output: https://example.com/x
}
