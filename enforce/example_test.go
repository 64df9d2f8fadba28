package enforce_test

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/corsim/corsim/enforce"
)

func ExampleCORSCheck() {
	h := http.Header{"Access-Control-Allow-Origin": {"http://a.test"}}
	fmt.Println(enforce.CORSCheck(enforce.Chromium, h, "http://a.test", false, 200) == nil)
	// Output: true
}

// The classic mistake: a trailing slash is not the origin.
func ExampleCORSCheck_trailingSlash() {
	h := http.Header{"Access-Control-Allow-Origin": {"http://a.test/"}}
	err := enforce.CORSCheck(enforce.Chromium, h, "http://a.test", false, 200)
	fmt.Println(err)
	// Output: AllowOriginMismatch: Access-Control-Allow-Origin "http://a.test/" does not equal the request origin "http://a.test"
}

// The other classic mistake: `*` with credentials.
func ExampleCORSCheck_wildcardWithCredentials() {
	h := http.Header{"Access-Control-Allow-Origin": {"*"}, "Access-Control-Allow-Credentials": {"true"}}
	err := enforce.CORSCheck(enforce.Chromium, h, "http://a.test", true, 200)
	var cerr *enforce.Error
	if errors.As(err, &cerr) {
		cerr.URL = "http://b.test/r"
		fmt.Println(cerr.Reason)
		fmt.Println(cerr.Console())
	}
	// Output:
	// WildcardOriginNotAllowed
	// Access to fetch at 'http://b.test/r' from origin 'http://a.test' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.
}

func ExampleCheckPreflight() {
	resp := enforce.PreflightResponse{Status: 204, Header: http.Header{
		"Access-Control-Allow-Origin":  {"http://a.test"},
		"Access-Control-Allow-Methods": {"PUT"},
	}}
	req := enforce.PreflightRequest{Method: "PUT", UnsafeHeaderNames: []string{"x-foo"}, Origin: "http://a.test"}
	_, err := enforce.CheckPreflight(enforce.PreflightPolicy{Browser: enforce.Chromium}, req, resp)
	fmt.Println(err)
	// Output: HeaderDisallowedByPreflightResponse: the request header "x-foo" is not listed in the preflight response's Access-Control-Allow-Headers
}

func ExampleExposedHeaderNames() {
	h := http.Header{
		"Content-Type":                  {"text/plain"},
		"X-Secret":                      {"1"},
		"X-Other":                       {"2"},
		"Access-Control-Expose-Headers": {"X-Secret"},
	}
	fmt.Println(enforce.ExposedHeaderNames(enforce.TaintCORS, h, false))
	// Output: [content-type x-secret]
}

func ExampleCORSExposedHeaderNameList() {
	h := http.Header{"Access-Control-Expose-Headers": {"X-Secret, X-Other"}}
	fmt.Println(enforce.CORSExposedHeaderNameList(h, false))
	// Output: [X-Secret X-Other]
}

func ExampleError_Console() {
	e := &enforce.Error{Reason: enforce.PreflightMissingAllowOriginHeader, Origin: "http://a.test", URL: "http://b.test/r", Browser: enforce.Chromium}
	fmt.Println(e.Console())
	// Output: Access to fetch at 'http://b.test/r' from origin 'http://a.test' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.
}
