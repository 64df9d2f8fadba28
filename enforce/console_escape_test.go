package enforce

import "testing"

// Chromium writes control characters of a header value as \uXXXX in its
// console line (recorded: testdata/chromium/console-control/).
func TestEscapeControls(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://a.test", "http://a.test"},
		{"http://a.test\x01", `http://a.test\u0001`},
		{"http://a.te\tst", `http://a.te\u0009st`},
		{"true\x7f", `true\u007F`},
		{"\x00\x1f", `\u0000\u001F`},
		{"é", "é"},
	}
	for _, tt := range tests {
		if got := escapeControls(tt.in); got != tt.want {
			t.Errorf("escapeControls(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestChromiumConsoleEscapesTheValueOnly(t *testing.T) {
	e := &Error{Reason: AllowOriginMismatch, Param: "http://a.te\tst", URL: "http://b.test/r", Initiator: "http://a.test", Browser: Chromium}
	want := `Access to fetch at 'http://b.test/r' from origin 'http://a.test' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'http://a.te\u0009st' that is not equal to the supplied origin. Have the server send the header with a valid value.`
	if got := e.Console(); got != want {
		t.Errorf("Console() = %q\nwant %q", got, want)
	}
	if e.Param != "http://a.te\tst" {
		t.Errorf("Console changed Param to %q", e.Param)
	}
}
