package safelist_test

import (
	"fmt"

	"github.com/corsim/corsim/safelist"
)

func ExampleRules_ExplainRequestHeader() {
	fmt.Println(safelist.Rules{}.ExplainRequestHeader("Content-Type", "application/json"))
	fmt.Printf("%q\n", safelist.Rules{}.ExplainRequestHeader("Content-Type", "text/plain;charset=UTF-8"))
	// Output:
	// its essence "application/json" is not application/x-www-form-urlencoded, multipart/form-data or text/plain
	// ""
}
