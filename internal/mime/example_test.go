package mime_test

import (
	"fmt"

	"github.com/corsim/corsim/internal/mime"
)

func ExampleParse() {
	t, ok := mime.Parse(`Text/Plain; Charset="UTF-8"; charset=latin1`)
	fmt.Println(ok, t.Type, t.Subtype, t.Params)
	// A classic mistake: two MIME types in one value is not a list to pick from.
	_, ok = mime.Parse("application/json, text/plain")
	fmt.Println(ok)
	// Output:
	// true text plain [{charset UTF-8}]
	// false
}

func ExampleType_String() {
	t, _ := mime.Parse(`text/plain;x="a b";y="token"`)
	fmt.Println(t.String())
	// Output: text/plain;x="a b";y=token
}

func ExampleType_Essence() {
	t, _ := mime.Parse("Multipart/Form-Data; boundary=x")
	fmt.Println(t.Essence())
	// Output: multipart/form-data
}

func ExampleEssence() {
	e, ok := mime.Essence("text/plain;charset=UTF-8")
	fmt.Println(e, ok)
	// Output: text/plain true
}

func ExampleRawEssence() {
	e, ok := mime.RawEssence(" Text/Plain ;charset=UTF-8")
	fmt.Println(e, ok)
	// Output: Text/Plain true
}

func ExampleIsQuotedStringTokenByte() {
	fmt.Println(mime.IsQuotedStringTokenByte(' '), mime.IsQuotedStringTokenByte('\n'))
	// Output: true false
}
