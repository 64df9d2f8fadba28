package httpheader_test

import (
	"fmt"
	"net/http"

	"github.com/corsim/corsim/internal/httpheader"
)

func ExampleIsTokenByte() {
	fmt.Println(httpheader.IsTokenByte('*'), httpheader.IsTokenByte('/'))
	// Output: true false
}

func ExampleIsToken() {
	fmt.Println(httpheader.IsToken("X-Custom"))
	// A classic mistake: a list is not a token.
	fmt.Println(httpheader.IsToken("GET, PUT"))
	// Output:
	// true
	// false
}

func ExampleIsHTTPWhitespaceByte() {
	fmt.Println(httpheader.IsHTTPWhitespaceByte('\n'), httpheader.IsHTTPWhitespaceByte('\f'))
	// Output: true false
}

func ExampleIsHTTPTabOrSpace() {
	fmt.Println(httpheader.IsHTTPTabOrSpace('\t'), httpheader.IsHTTPTabOrSpace('\n'))
	// Output: true false
}

func ExampleTrimHTTPWhitespace() {
	fmt.Printf("%q\n", httpheader.TrimHTTPWhitespace("\r\n text/plain \t"))
	// Output: "text/plain"
}

func ExampleTrimHTTPTabOrSpace() {
	fmt.Printf("%q\n", httpheader.TrimHTTPTabOrSpace("\t x \n"))
	// Output: "x \n"
}

func ExampleEqualFoldASCII() {
	fmt.Println(httpheader.EqualFoldASCII("Content-Type", "content-type"))
	// Only ASCII letters fold: the Kelvin sign is not a "k".
	fmt.Println(httpheader.EqualFoldASCII("\u212a", "k"))
	// Output:
	// true
	// false
}

func ExampleHasPrefixFoldASCII() {
	fmt.Println(httpheader.HasPrefixFoldASCII("Sec-Fetch-Mode", "sec-"))
	// Output: true
}

func ExampleLowerASCII() {
	fmt.Println(httpheader.LowerASCII("X-Custom-Header"))
	// Output: x-custom-header
}

func ExampleUpperASCII() {
	fmt.Println(httpheader.UpperASCII("patch"))
	// Output: PATCH
}

func ExampleLines() {
	h := http.Header{"X-Foo": {"a"}, "x-foo": {"b", "c"}}
	fmt.Printf("%q\n", httpheader.Lines(h, "X-FOO"))
	// Output: ["a" "b" "c"]
}

func ExampleGet() {
	h := http.Header{"Access-Control-Allow-Origin": {"https://a.test", "https://b.test"}}
	v, ok := httpheader.Get(h, "access-control-allow-origin")
	// Two lines combine into one value that can never equal an origin.
	fmt.Printf("%q %v\n", v, ok)
	_, ok = httpheader.Get(h, "Access-Control-Allow-Credentials")
	fmt.Println(ok)
	// Output:
	// "https://a.test, https://b.test" true
	// false
}

func ExampleGetDecodeSplit() {
	h := http.Header{"X-Http-Method-Override": {`"TRACE, x", PUT`}}
	values, ok := httpheader.GetDecodeSplit(h, "X-HTTP-Method-Override")
	fmt.Printf("%q %v\n", values, ok)
	// Output: ["\"TRACE, x\"" "PUT"] true
}

func ExampleDecodeSplit() {
	fmt.Printf("%q\n", httpheader.DecodeSplit("nosniff, ,x"))
	// Output: ["nosniff" "" "x"]
}

func ExampleExtractHeaderListValues() {
	h := http.Header{"Access-Control-Allow-Methods": {"PUT,, DELETE,"}}
	values, present, err := httpheader.ExtractHeaderListValues(h, "Access-Control-Allow-Methods")
	fmt.Printf("%q %v %v\n", values, present, err)

	// A classic mistake: separating methods with spaces instead of commas.
	h = http.Header{"Access-Control-Allow-Methods": {"PUT DELETE"}}
	_, _, err = httpheader.ExtractHeaderListValues(h, "Access-Control-Allow-Methods")
	fmt.Println(err)
	// Output:
	// ["PUT" "DELETE"] true <nil>
	// httpheader: Access-Control-Allow-Methods element "PUT DELETE" in "PUT DELETE" is not a token
}

func ExampleListError() {
	err := error(&httpheader.ListError{Header: "Access-Control-Allow-Headers", Line: "a b", Element: "a b"})
	fmt.Println(err)
	// Output: httpheader: Access-Control-Allow-Headers element "a b" in "a b" is not a token
}

func ExampleContainsFold() {
	fmt.Println(httpheader.ContainsFold([]string{"X-Foo", "Content-Type"}, "x-foo"))
	fmt.Println(httpheader.ContainsFold([]string{"X-Foo"}, "x-foo2"))
	// Output:
	// true
	// false
}
