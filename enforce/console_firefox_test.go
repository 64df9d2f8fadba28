package enforce

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Firefox's lines, byte for byte as recorded under testdata/firefox.
func TestFirefoxConsoleLines(t *testing.T) {
	const corb = "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://b.test/r. (Reason: "
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"a preflight answered 0 names status 0",
			(&Error{Browser: Firefox, FirefoxReason: FirefoxPreflightDidNotSucceed, URL: "http://b.test/r", Status: 0}).Console(),
			corb + "CORS preflight response did not succeed). Status code: 0."},
		{"missing ACAO names its status",
			(&Error{Browser: Firefox, FirefoxReason: FirefoxMissingAllowOrigin, URL: "http://b.test/r", Status: 404}).Console(),
			corb + "CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 404."},
		{"did not succeed has no status, whatever the response's",
			(&Error{Browser: Firefox, FirefoxReason: FirefoxDidNotSucceed, URL: "http://b.test/r", Status: 302}).Console(),
			corb + "CORS request did not succeed). Status code: (null)."},
		{"did not succeed line", FirefoxDidNotSucceedLine("http://b.test/r"),
			corb + "CORS request did not succeed). Status code: (null)."},
		{"same-origin line", FirefoxSameOriginLine("http://a.test/", "http://b.test/r"),
			"Security Error: Content at http://a.test/ may not load data from http://b.test/r."},
		{"load URI line", FirefoxLoadURILine("http://b.test/r", "file:///etc/hostname"),
			"Security Error: Content at http://b.test/r may not load or link to file:///etc/hostname."},
		{"mixed content line", FirefoxMixedActiveContentLine("http://b.test/r"),
			"Blocked loading mixed active content “http://b.test/r”"},
	}
	for _, tt := range tests {
		if d := cmp.Diff(tt.want, tt.got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, d)
		}
	}
}
