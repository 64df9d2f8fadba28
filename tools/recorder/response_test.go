package main

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/corsim/corsim/scenario"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func strp(s string) *string { return &s }

func TestAppendResponse(t *testing.T) {
	tests := []struct {
		name string
		rule scenario.Rule
		head bool
		want string
	}{
		{
			name: "headers_keep_order_case_and_repetition",
			rule: scenario.Rule{Status: 200, Headers: []scenario.Header{
				hdr("access-control-allow-origin", "http://a.test"),
				hdr("Access-Control-Allow-Origin", "http://c.test"),
				hdr("X-Secret", "1"),
			}, Body: strp("ok")},
			want: "HTTP/1.1 200 OK\r\naccess-control-allow-origin: http://a.test\r\nAccess-Control-Allow-Origin: http://c.test\r\nX-Secret: 1\r\n\r\nok",
		},
		{
			name: "values_are_not_trimmed",
			rule: scenario.Rule{Status: 200, Headers: []scenario.Header{hdr("Access-Control-Allow-Origin", " http://a.test\t")}},
			want: "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin:  http://a.test\t\r\n\r\n",
		},
		{
			name: "no_content_length_or_connection_is_added",
			rule: scenario.Rule{Status: 204},
			want: "HTTP/1.1 204 No Content\r\n\r\n",
		},
		{
			name: "listed_content_length_is_written_as_listed",
			rule: scenario.Rule{Status: 200, Headers: []scenario.Header{hdr("Content-Length", "7")}, Body: strp("exposed")},
			want: "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nexposed",
		},
		{
			name: "head_response_has_no_body",
			rule: scenario.Rule{Status: 200, Headers: []scenario.Header{hdr("Content-Type", "text/plain")}, Body: strp("ok")},
			head: true,
			want: "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n",
		},
		{
			name: "unknown_status_has_an_empty_reason",
			rule: scenario.Rule{Status: 299},
			want: "HTTP/1.1 299 \r\n\r\n",
		},
		{
			name: "not_found_has_no_headers_and_no_body",
			rule: notFound(),
			want: "HTTP/1.1 404 Not Found\r\n\r\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(appendResponse(nil, tt.rule, tt.head))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("appendResponse (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAppendResponseAllocatesNothingIntoRoom(t *testing.T) {
	rule := scenario.Rule{Status: 200, Headers: []scenario.Header{hdr("Access-Control-Allow-Origin", "http://a.test"), hdr("Content-Type", "text/plain")}, Body: strp("ok")}
	buf := make([]byte, 0, 512)
	allocs := testing.AllocsPerRun(100, func() { buf = appendResponse(buf[:0], rule, false) })
	if allocs != 0 {
		t.Errorf("appendResponse into a large enough buffer allocates %v times, want 0", allocs)
	}
}

func TestMatchRule(t *testing.T) {
	top := []scenario.Rule{
		{Method: "OPTIONS", URL: "http://b.test/r", Status: 204},
		{Method: "GET", URL: "http://b.test/r", Status: 200},
		{Method: "GET", URL: "http://b.test/r", Status: 201}, // shadowed by the one above
		{Method: "GET", URL: "HTTP://B.TEST:80/q?x=1", Status: 202},
		{Method: "get", URL: "http://b.test/lower", Status: 203},
	}
	step := []scenario.Rule{{Method: "OPTIONS", URL: "http://b.test/r", Status: 400}}
	tests := []struct {
		name, method, url string
		step              []scenario.Rule
		want              int // 0: no rule
	}{
		{"first_matching_rule_wins", "GET", "http://b.test/r", nil, 200},
		{"step_rules_come_first", "OPTIONS", "http://b.test/r", step, 400},
		{"top_level_rules_without_a_step_rule", "OPTIONS", "http://b.test/r", nil, 204},
		{"equivalent_spellings_of_a_url_match", "GET", "http://b.test/q?x=1", nil, 202},
		{"method_is_matched_exactly", "GET", "http://b.test/lower", nil, 0},
		{"query_must_match", "GET", "http://b.test/q", nil, 0},
		{"fragment_is_ignored", "GET", "http://b.test/r#frag", nil, 200},
		{"other_host_does_not_match", "GET", "http://c.test/r", nil, 0},
		{"other_port_does_not_match", "GET", "http://b.test:8081/r", nil, 0},
		{"other_scheme_does_not_match", "GET", "https://b.test/r", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, ok := matchRule(tt.method, tt.url, tt.step, top)
			got := 0
			if ok {
				got = r.Status
			}
			if got != tt.want {
				t.Errorf("matchRule(%q, %q) gave status %d, want %d", tt.method, tt.url, got, tt.want)
			}
		})
	}
}

// parseRawResponse splits response bytes into the status line, the header
// lines as written and the body, without any normalisation.
func parseRawResponse(b []byte) (status string, lines []string, body string, ok bool) {
	head, body, found := strings.Cut(string(b), "\r\n\r\n")
	if !found {
		return "", nil, "", false
	}
	all := strings.Split(head, "\r\n")
	return all[0], all[1:], body, true
}

// genHeader draws a header line a scenario may hold: a token name and a
// value without CR, LF or NUL.
func genHeader() *rapid.Generator[scenario.Header] {
	return rapid.Custom(func(t *rapid.T) scenario.Header {
		return scenario.Header{
			Name:  rapid.StringMatching(`[!#$%&'*+.^_|~0-9A-Za-z-]{1,20}`).Draw(t, "name"),
			Value: rapid.StringMatching(`[ \t!-~]{0,30}`).Draw(t, "value"),
		}
	})
}

func TestAppendResponseWritesEachHeaderLineAsListed(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rule := scenario.Rule{
			Status:  rapid.IntRange(100, 599).Draw(t, "status"),
			Headers: rapid.SliceOfN(genHeader(), 0, 8).Draw(t, "headers"),
		}
		if rapid.Bool().Draw(t, "hasBody") {
			rule.Body = strp(rapid.String().Draw(t, "body"))
		}
		checkRawResponse(t, rule, appendResponse(nil, rule, false))
	})
}

// checkRawResponse checks that b is rule written byte for byte.
func checkRawResponse(t interface{ Fatalf(string, ...any) }, rule scenario.Rule, b []byte) {
	status, lines, body, ok := parseRawResponse(b)
	if !ok {
		t.Fatalf("no end of the header block in %q", b)
	}
	if want := "HTTP/1.1 " + strconv.Itoa(rule.Status) + " "; !strings.HasPrefix(status, want) {
		t.Fatalf("status line %q does not start with %q", status, want)
	}
	if len(rule.Headers) == 0 {
		lines = nil
	}
	var want []string
	for _, h := range rule.Headers {
		want = append(want, h.Name+": "+h.Value)
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Fatalf("header lines (-want +got):\n%s", diff)
	}
	wantBody := ""
	if rule.Body != nil {
		wantBody = *rule.Body
	}
	if body != wantBody {
		t.Fatalf("body %q, want %q", body, wantBody)
	}
}

func FuzzAppendResponse(f *testing.F) {
	f.Add(200, "Access-Control-Allow-Origin", "http://a.test", "ok")
	f.Add(204, "X-Foo", " padded\t", "")
	f.Add(302, "Location", "data:text/plain,hello", "")
	f.Add(599, "Set-Cookie", "a=b; Path=/", "\r\n\r\nnot a header")
	f.Fuzz(func(t *testing.T, status int, name, value, body string) {
		// Only what a scenario file may hold: a status from 100 to 599, a
		// token name, a value without CR, LF or NUL.
		if status < 100 || status > 599 || name == "" || strings.ContainsAny(value, "\r\n\x00") {
			return
		}
		for i := 0; i < len(name); i++ {
			if !isTokenByte(name[i]) {
				return
			}
		}
		rule := scenario.Rule{Status: status, Headers: []scenario.Header{hdr(name, value), hdr(name, value)}, Body: &body}
		b := appendResponse(nil, rule, false)
		checkRawResponse(t, rule, b)
		if head := appendResponse(nil, rule, true); !bytes.HasPrefix(b, head) || !bytes.HasSuffix(head, []byte("\r\n\r\n")) {
			t.Fatalf("the HEAD answer %q is not the header block of %q", head, b)
		}
	})
}

// isTokenByte is RFC 9110's tchar, written from the grammar.
func isTokenByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

func BenchmarkAppendResponse(b *testing.B) {
	rule := scenario.Rule{Status: 200, Headers: []scenario.Header{
		hdr("Access-Control-Allow-Origin", "http://a.test"), hdr("Access-Control-Expose-Headers", "X-Secret"),
		hdr("Content-Type", "text/plain"), hdr("X-Secret", "1"),
	}, Body: strp("ok")}
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		buf = appendResponse(buf[:0], rule, false)
	}
}

func BenchmarkMatchRule(b *testing.B) {
	rules := []scenario.Rule{
		{Method: "OPTIONS", URL: "http://b.test/r", Status: 204},
		{Method: "PUT", URL: "http://b.test/r", Status: 200},
		{Method: "GET", URL: "http://b.test/final", Status: 200},
	}
	b.ReportAllocs()
	for b.Loop() {
		matchRule("GET", "http://b.test/final", nil, rules)
	}
}

func hdr(name, value string) scenario.Header { return scenario.Header{Name: name, Value: value} }
