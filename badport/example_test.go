package badport_test

import (
	"fmt"

	"github.com/corsim/corsim/badport"
)

func ExamplePolicy_Blocked() {
	chromium := badport.Policy{Unblocked: [4]uint16{4190}}
	fmt.Println(chromium.Blocked(25), chromium.Blocked(4190), chromium.Blocked(8080))
	// Output: true false false
}
