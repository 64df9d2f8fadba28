package profile_test

import (
	"fmt"

	"github.com/corsim/corsim/profile"
)

func ExampleForBrowser() {
	p, _ := profile.ForBrowser("firefox 153.7.0")
	fmt.Println(p.Name, p.Preflight.WildcardCoversAuthorization)
	// Output: firefox true
}

func ExampleByName() {
	_, err := profile.ByName("safari")
	fmt.Println(err)
	// Output: profile: unknown browser "safari" (want one of chromium, firefox, webkit, spec)
}
