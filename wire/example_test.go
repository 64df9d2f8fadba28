package wire_test

import (
	"fmt"

	"github.com/corsim/corsim/wire"
)

func ExamplePolicy_Read() {
	raw := wire.AppendResponse(nil, 200, [][2]string{{"Access-Control-Allow-Origin", "*"}, {" X-Foo", "1"}}, []byte("ok"), false)
	resp, _ := wire.Chromium().Read(raw)
	fmt.Printf("%d %q\n", resp.Status, resp.Header.Get("Access-Control-Allow-Origin"))
	_, err := wire.Chromium().Read(wire.AppendResponse(nil, 200, [][2]string{{"X-Foo", "a\x00"}}, nil, false))
	fmt.Println(err)
	// Output:
	// 200 "* X-Foo: 1"
	// wire: the response head holds a NUL byte (net::ERR_INVALID_HTTP_RESPONSE)
}
