package safelist_test

import (
	"fmt"
	"net/http"

	"github.com/corsim/corsim/safelist"
)

func ExampleIsCORSSafelistedMethod() {
	fmt.Println(safelist.IsCORSSafelistedMethod("POST"))
	// A classic mistake: methods are case-sensitive; normalize first.
	fmt.Println(safelist.IsCORSSafelistedMethod("post"))
	fmt.Println(safelist.IsCORSSafelistedMethod(safelist.NormalizeMethod("post")))
	// Output:
	// true
	// false
	// true
}

func ExampleIsForbiddenMethod() {
	fmt.Println(safelist.IsForbiddenMethod("Trace"), safelist.IsForbiddenMethod("PATCH"))
	// Output: true false
}

func ExampleNormalizeMethod() {
	fmt.Println(safelist.NormalizeMethod("delete"))
	// PATCH is not in the list, so "patch" stays lower case (and likely 405s).
	fmt.Println(safelist.NormalizeMethod("patch"))
	// Output:
	// DELETE
	// patch
}

func ExampleIsCORSUnsafeRequestHeaderByte() {
	fmt.Println(safelist.IsCORSUnsafeRequestHeaderByte('"'), safelist.IsCORSUnsafeRequestHeaderByte(';'))
	// Output: true false
}

func ExampleIsCORSSafelistedRequestHeader() {
	fmt.Println(safelist.IsCORSSafelistedRequestHeader("Content-Type", "text/plain;charset=UTF-8"))
	// A classic mistake: JSON bodies are not "simple" and need a preflight.
	fmt.Println(safelist.IsCORSSafelistedRequestHeader("Content-Type", "application/json"))
	// Suffix ranges are not safelisted.
	fmt.Println(safelist.IsCORSSafelistedRequestHeader("Range", "bytes=-500"))
	// Output:
	// true
	// false
	// false
}

func ExampleRules_IsCORSSafelistedRequestHeader() {
	chromium := safelist.Rules{ChromiumClientHints: true}
	fmt.Println(safelist.IsCORSSafelistedRequestHeader("Save-Data", "on"))
	fmt.Println(chromium.IsCORSSafelistedRequestHeader("Save-Data", "on"))
	// Output:
	// false
	// true
}

func ExampleIsCORSNonWildcardRequestHeaderName() {
	// Access-Control-Allow-Headers: * never covers Authorization.
	fmt.Println(safelist.IsCORSNonWildcardRequestHeaderName("Authorization"))
	// Output: true
}

func ExampleIsPrivilegedNoCORSRequestHeaderName() {
	fmt.Println(safelist.IsPrivilegedNoCORSRequestHeaderName("range"))
	// Output: true
}

func ExampleIsNoCORSSafelistedRequestHeaderName() {
	fmt.Println(safelist.IsNoCORSSafelistedRequestHeaderName("Content-Language"), safelist.IsNoCORSSafelistedRequestHeaderName("Range"))
	// Output: true false
}

func ExampleIsNoCORSSafelistedRequestHeader() {
	fmt.Println(safelist.IsNoCORSSafelistedRequestHeader("Accept", "image/*"))
	fmt.Println(safelist.IsNoCORSSafelistedRequestHeader("Range", "bytes=0-1"))
	// Output:
	// true
	// false
}

func ExampleIsForbiddenRequestHeader() {
	fmt.Println(safelist.IsForbiddenRequestHeader("Sec-Fetch-Site", "none"))
	fmt.Println(safelist.IsForbiddenRequestHeader("X-HTTP-Method-Override", "PUT, TRACE"))
	fmt.Println(safelist.IsForbiddenRequestHeader("User-Agent", "bot"))
	// Output:
	// true
	// true
	// false
}

func ExampleRules_IsForbiddenRequestHeader() {
	chromium := safelist.Rules{ForbidUserAgent: true}
	fmt.Println(chromium.IsForbiddenRequestHeader("User-Agent", "bot"))
	// Output: true
}

func ExampleIsForbiddenResponseHeaderName() {
	fmt.Println(safelist.IsForbiddenResponseHeaderName("Set-Cookie"))
	// Output: true
}

func ExampleIsCORSSafelistedResponseHeaderName() {
	exposed := []string{"X-Request-Id", "Set-Cookie"}
	fmt.Println(safelist.IsCORSSafelistedResponseHeaderName("Content-Type", nil))
	fmt.Println(safelist.IsCORSSafelistedResponseHeaderName("x-request-id", exposed))
	// A classic mistake: exposing Set-Cookie has no effect.
	fmt.Println(safelist.IsCORSSafelistedResponseHeaderName("Set-Cookie", exposed))
	// Output:
	// true
	// true
	// false
}

func ExampleCORSUnsafeRequestHeaderNames() {
	h := http.Header{
		"Content-Type": {"application/json"},
		"X-Request-Id": {"42"},
		"Accept":       {"*/*"},
	}
	names := safelist.CORSUnsafeRequestHeaderNames(h)
	fmt.Printf("%q\n", names)
	fmt.Println(safelist.SerializeNames(names))
	// Output:
	// ["content-type" "x-request-id"]
	// content-type,x-request-id
}

func ExampleRules_CORSUnsafeRequestHeaderNames() {
	h := http.Header{"Content-Type": {"text/plain", "text/plain"}}
	fmt.Printf("%q\n", safelist.CORSUnsafeRequestHeaderNames(h))
	firefox := safelist.Rules{ReplaceSingletonRequestHeaders: true}
	fmt.Printf("%q\n", firefox.CORSUnsafeRequestHeaderNames(h))
	// Output:
	// ["content-type"]
	// []
}

func ExampleRules_CORSUnsafeNotForbiddenRequestHeaderNames() {
	h := http.Header{"Cookie": {"a=b"}, "X-Foo": {"1"}}
	fmt.Printf("%q\n", safelist.Rules{}.CORSUnsafeNotForbiddenRequestHeaderNames(h))
	// Output: ["x-foo"]
}

func ExampleSerializeNames() {
	// No space after the comma, unlike a combined header value.
	fmt.Println(safelist.SerializeNames([]string{"authorization", "x-foo"}))
	// Output: authorization,x-foo
}

func ExampleCombineRequestHeader() {
	h := http.Header{"Accept-Language": {"en", "fr"}}
	fmt.Println(safelist.CombineRequestHeader(h, "accept-language"))
	// Output: en, fr
}

func ExampleRules_CombineRequestHeader() {
	h := http.Header{"Content-Type": {"application/json", "text/plain"}}
	firefox := safelist.Rules{ReplaceSingletonRequestHeaders: true}
	fmt.Println(safelist.CombineRequestHeader(h, "Content-Type"))
	fmt.Println(firefox.CombineRequestHeader(h, "Content-Type"))
	// Output:
	// application/json, text/plain
	// text/plain
}

func ExampleParseSingleRangeHeaderValue() {
	r, ok := safelist.ParseSingleRangeHeaderValue("bytes=500-", false)
	fmt.Printf("%+v %v\n", r, ok)
	_, ok = safelist.ParseSingleRangeHeaderValue("bytes = 0-1", false)
	fmt.Println(ok)
	// Output:
	// {Start:500 End:0 HasStart:true HasEnd:false} true
	// false
}

// A PUT with a JSON body and a custom header needs a preflight, whose
// Access-Control-Request-Headers lists the unsafe names.
func ExampleClassifyRequest() {
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("X-Request-Id", "42")
	h.Set("Accept", "*/*")
	c := safelist.ClassifyRequest("PUT", h)
	fmt.Println(c.NeedsPreflight(), c.SafelistedMethod, c.UnsafeHeaderNames)
	// Output: true false content-type,x-request-id
}
