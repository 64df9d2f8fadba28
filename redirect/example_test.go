package redirect_test

import (
	"fmt"
	"net/http"

	"github.com/corsim/corsim/internal/weburl"
	"github.com/corsim/corsim/origin"
	"github.com/corsim/corsim/redirect"
)

func ExampleMethodRewrite() {
	fmt.Println(redirect.MethodRewrite(303, "PUT"))
	fmt.Println(redirect.MethodRewrite(307, "PUT"))
	// Output:
	// GET true
	// PUT false
}

func ExampleTainted() {
	b, _ := weburl.Parse("http://b.test/r")
	c, _ := weburl.Parse("http://c.test/final")
	fmt.Println(redirect.Tainted(origin.MustParse("http://a.test"), []*weburl.URL{b, c}))
	// Output: true
}

func ExampleIsRedirectStatus() {
	fmt.Println(redirect.IsRedirectStatus(302), redirect.IsRedirectStatus(300))
	// Output: true false
}

// Two equal Location lines: the standard fails the redirect, Chromium and
// Firefox follow the one location they name.
func ExamplePolicy_LocationURL() {
	cur, _ := weburl.Parse("http://b.test/start")
	h := http.Header{"Location": {"/next", "/next"}}
	_, err := redirect.Policy{DuplicateLocation: redirect.DuplicateLocationFailsRedirect}.LocationURL(302, h, cur)
	fmt.Println(err)
	u, _ := redirect.Policy{DuplicateLocation: redirect.DuplicateLocationDistinctFails}.LocationURL(302, h, cur)
	fmt.Println(u)
	// Output:
	// redirect: the response has more than one Location line
	// http://b.test/next
}
