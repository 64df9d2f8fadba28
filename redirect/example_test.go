package redirect_test

import (
	"fmt"

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
