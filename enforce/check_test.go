package enforce

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/corsim/corsim/internal/benchcpu"
)

func hdr(pairs ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(pairs); i += 2 {
		h.Add(pairs[i], pairs[i+1])
	}
	return h
}

type checkWant struct {
	Reason  Reason
	Firefox string
	Param   string
}

func TestCORSCheck(t *testing.T) {
	const origin = "http://a.test"
	tests := []struct {
		name string
		h    http.Header
		cred bool
		want *checkWant // nil: success
	}{
		{"exact_origin_passes", hdr("Access-Control-Allow-Origin", origin), false, nil},
		{"wildcard_without_credentials_passes", hdr("Access-Control-Allow-Origin", "*"), false, nil},
		{"wildcard_with_credentials_is_blocked", hdr("Access-Control-Allow-Origin", "*", "Access-Control-Allow-Credentials", "true"), true,
			&checkWant{WildcardOriginNotAllowed, FirefoxNotSupportingCredentials, "*"}},
		{"missing_header_is_blocked", hdr("Content-Type", "text/plain"), false,
			&checkWant{MissingAllowOriginHeader, FirefoxMissingAllowOrigin, ""}},
		{"trailing_slash_is_a_mismatch", hdr("Access-Control-Allow-Origin", origin+"/"), false,
			&checkWant{AllowOriginMismatch, FirefoxAllowOriginNotMatching, origin + "/"}},
		{"upper_case_host_is_a_mismatch", hdr("Access-Control-Allow-Origin", "http://A.TEST"), false,
			&checkWant{AllowOriginMismatch, FirefoxAllowOriginNotMatching, "http://A.TEST"}},
		{"null_is_a_mismatch_for_a_tuple_origin", hdr("Access-Control-Allow-Origin", "null"), false,
			&checkWant{AllowOriginMismatch, FirefoxAllowOriginNotMatching, "null"}},
		{"two_lines_combine_into_multiple_values", hdr("Access-Control-Allow-Origin", origin, "Access-Control-Allow-Origin", "http://c.test"), false,
			&checkWant{MultipleAllowOriginValues, FirefoxAllowOriginNotMatching, "http://a.test, http://c.test"}},
		{"comma_list_in_one_line_is_multiple_values", hdr("Access-Control-Allow-Origin", "*, http://a.test"), false,
			&checkWant{MultipleAllowOriginValues, FirefoxAllowOriginNotMatching, "*, http://a.test"}},
		{"not_a_url_is_invalid", hdr("Access-Control-Allow-Origin", "a.test"), false,
			&checkWant{InvalidAllowOriginValue, FirefoxAllowOriginNotMatching, "a.test"}},
		{"credentials_need_allow_credentials", hdr("Access-Control-Allow-Origin", origin), true,
			&checkWant{InvalidAllowCredentials, FirefoxMissingAllowCredentials, ""}},
		{"allow_credentials_is_case_sensitive", hdr("Access-Control-Allow-Origin", origin, "Access-Control-Allow-Credentials", "TRUE"), true,
			&checkWant{InvalidAllowCredentials, FirefoxMissingAllowCredentials, "TRUE"}},
		{"two_allow_credentials_lines_fail", hdr("Access-Control-Allow-Origin", origin, "Access-Control-Allow-Credentials", "true", "Access-Control-Allow-Credentials", "true"), true,
			&checkWant{InvalidAllowCredentials, FirefoxMissingAllowCredentials, "true, true"}},
		{"credentials_with_true_pass", hdr("Access-Control-Allow-Origin", origin, "Access-Control-Allow-Credentials", "true"), true, nil},
		{"allow_credentials_false_is_ignored_without_credentials", hdr("Access-Control-Allow-Origin", origin, "Access-Control-Allow-Credentials", "false"), false, nil},
		{"lower_case_header_name_is_found", http.Header{"access-control-allow-origin": {origin}}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CORSCheck(Chromium, tt.h, origin, tt.cred, 200)
			var got *checkWant
			if err != nil {
				got = &checkWant{err.Reason, err.FirefoxReason, err.Param}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("CORSCheck mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCORSCheckFirefoxCountsHeaderLines(t *testing.T) {
	h := hdr("Access-Control-Allow-Origin", "http://a.test", "Access-Control-Allow-Origin", "http://a.test")
	err := CORSCheck(Firefox, h, "http://a.test", false, 200)
	if err == nil || err.FirefoxReason != FirefoxMultipleAllowOrigin {
		t.Fatalf("Firefox: two Access-Control-Allow-Origin lines: got %v, want %s", err, FirefoxMultipleAllowOrigin)
	}
	err.URL = "http://b.test/r"
	if got, want := err.Console(), "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://b.test/r. (Reason: Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed)."; got != want {
		t.Errorf("console:\n got %q\nwant %q", got, want)
	}
}

// literalCORSCheck transcribes https://fetch.spec.whatwg.org/#concept-cors-check
// step by step, for comparison with CORSCheck.
func literalCORSCheck(h http.Header, origin string, include bool) bool {
	var values []string
	for k, vs := range h {
		if strings.EqualFold(k, "Access-Control-Allow-Origin") {
			values = append(values, vs...)
		}
	}
	if len(values) == 0 {
		return false // step 2
	}
	got := strings.Join(values, ", ")
	if !include && got == "*" {
		return true // step 3
	}
	if got != origin {
		return false // step 4
	}
	if !include {
		return true // step 5
	}
	var creds []string
	for k, vs := range h {
		if strings.EqualFold(k, "Access-Control-Allow-Credentials") {
			creds = append(creds, vs...)
		}
	}
	return len(creds) > 0 && strings.Join(creds, ", ") == "true" // steps 6-7
}

func TestCORSCheckAgreesWithTheLiteralAlgorithm(t *testing.T) {
	origins := []string{"http://a.test", "https://a.test", "http://a.test:8080", "null", "http://b.test"}
	values := []string{"http://a.test", "*", "null", "http://a.test/", "HTTP://a.test", "https://a.test", "", "http://a.test:8080", "a.test", "*, *"}
	rapid.Check(t, func(t *rapid.T) {
		origin := rapid.SampledFrom(origins).Draw(t, "origin")
		include := rapid.Bool().Draw(t, "include")
		h := http.Header{}
		for _, v := range rapid.SliceOfN(rapid.SampledFrom(values), 0, 2).Draw(t, "acao") {
			h.Add("Access-Control-Allow-Origin", v)
		}
		for _, v := range rapid.SliceOfN(rapid.SampledFrom([]string{"true", "TRUE", "", "false"}), 0, 2).Draw(t, "acac") {
			h.Add("Access-Control-Allow-Credentials", v)
		}
		want := literalCORSCheck(h, origin, include)
		for _, b := range []Browser{Spec, Chromium, Firefox, WebKit} {
			got := CORSCheck(b, h, origin, include, 200) == nil
			if got != want {
				t.Fatalf("%s: CORSCheck(%v, %q, include=%v) passes=%v, literal algorithm says %v", b, h, origin, include, got, want)
			}
		}
	})
}

// The decision is never more permissive than the standard allows: a
// response passes only if Access-Control-Allow-Origin is `*` (without
// credentials) or byte-equal to the origin.
func TestCORSCheckNeverExposesAnotherOrigin(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		origin := rapid.SampledFrom([]string{"http://a.test", "null", "https://x.example:8443"}).Draw(t, "origin")
		value := rapid.StringMatching(`[ -~]{0,40}`).Draw(t, "value")
		include := rapid.Bool().Draw(t, "include")
		h := hdr("Access-Control-Allow-Origin", value, "Access-Control-Allow-Credentials", "true")
		if CORSCheck(Chromium, h, origin, include, 200) != nil {
			return
		}
		if value != origin && !(value == "*" && !include) {
			t.Fatalf("ACAO %q passed for origin %q (include=%v)", value, origin, include)
		}
	})
}

func TestCORSCheckAllocatesNothingOnSuccess(t *testing.T) {
	h := hdr("Access-Control-Allow-Origin", "http://a.test", "Access-Control-Allow-Credentials", "true")
	allocs := testing.AllocsPerRun(100, func() {
		if CORSCheck(Chromium, h, "http://a.test", true, 200) != nil {
			t.Fatal("unexpected failure")
		}
	})
	if allocs != 0 {
		t.Errorf("CORSCheck allocates %v times on success, want 0", allocs)
	}
}

// rsCORSResponse is the header list github.com/rs/cors (AllowedOrigins
// [http://a.test], methods GET and PUT, headers Content-Type and X-Foo)
// writes for a PUT from http://a.test with Content-Type: application/json
// and X-Foo, over a handler that sets Content-Type (tools/bench measures
// rs/cors producing it, side by side).
func rsCORSResponse(credentials bool) http.Header {
	h := http.Header{
		"Content-Type":                {"text/plain"},
		"Vary":                        {"Origin"},
		"Access-Control-Allow-Origin": {"http://a.test"},
	}
	if credentials {
		h["Access-Control-Allow-Credentials"] = []string{"true"}
	}
	return h
}

var benchCheck *Error

// BenchmarkCORSCheck checks the response rs/cors gives in its own benchmark
// setting, without credentials.
func BenchmarkCORSCheck(b *testing.B) {
	h := rsCORSResponse(false)
	b.ReportAllocs()
	cpu := benchcpu.Start(b)
	for b.Loop() {
		benchCheck = CORSCheck(Chromium, h, "http://a.test", false, 200)
	}
	cpu.Stop()
}

// BenchmarkCORSCheckCredentials is BenchmarkCORSCheck with credentials.
func BenchmarkCORSCheckCredentials(b *testing.B) {
	h := rsCORSResponse(true)
	b.ReportAllocs()
	cpu := benchcpu.Start(b)
	for b.Loop() {
		benchCheck = CORSCheck(Chromium, h, "http://a.test", true, 200)
	}
	cpu.Stop()
}
