package safelist

import (
	"net/http"
	"testing"

	"github.com/corsim/corsim/internal/benchcpu"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestClassifyRequest(t *testing.T) {
	for _, tt := range []struct {
		name   string
		method string
		header http.Header
		want   Classification
	}{
		{"simple GET", "GET", http.Header{"Accept": {"*/*"}}, Classification{SafelistedMethod: true}},
		{"PUT without headers is preflighted for its method", "PUT", nil, Classification{}},
		{"json POST names content-type", "POST", http.Header{"Content-Type": {"application/json"}},
			Classification{SafelistedMethod: true, UnsafeHeaderNames: "content-type"}},
		{"names are lower-cased, sorted and unique across spellings", "PUT",
			http.Header{"X-Foo": {"1"}, "x-foo": {"2"}, "Authorization": {"Bearer x"}, "Content-Type": {"text/plain"}},
			Classification{UnsafeHeaderNames: "authorization,x-foo"}},
		{"over 1024 safelisted bytes every safelisted name counts", "GET",
			http.Header{"Accept": {string(make128('a'))}, "Accept-Language": {"en"}, "Content-Language": {"en"},
				"X-A": {"1"}, "Content-Type": {"text/plain"}, "Range": {"bytes=0-1"},
				"Accept-1": nil, "a1": {string(make128('a'))}, "a2": {string(make128('a'))}, "a3": {string(make128('a'))}},
			Classification{SafelistedMethod: true, UnsafeHeaderNames: "a1,a2,a3,x-a"}},
		{"a key with no lines is no header", "GET", http.Header{"X-Empty": {}}, Classification{SafelistedMethod: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := ClassifyRequest(tt.method, tt.header)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ClassifyRequest (-want +got):\n%s", diff)
			}
			if got.NeedsPreflight() != (!tt.want.SafelistedMethod || tt.want.UnsafeHeaderNames != "") {
				t.Errorf("NeedsPreflight = %v", got.NeedsPreflight())
			}
		})
	}
}

func make128(c byte) []byte {
	b := make([]byte, MaxSafelistedValueLength)
	for i := range b {
		b[i] = c
	}
	return b
}

// The classification agrees with the literal transcription of "CORS-unsafe
// request-header names" and with the method safelist, for every rule set.
func TestClassifyRequestAgreesWithTheLiteralAlgorithm(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h, list := genHeader(t)
		method := rapid.SampledFrom([]string{"GET", "HEAD", "POST", "PUT", "get", "DELETE"}).Draw(t, "method")
		got := ClassifyRequest(method, h)
		want := Classification{
			SafelistedMethod:  method == "GET" || method == "HEAD" || method == "POST",
			UnsafeHeaderNames: SerializeNames(litCORSUnsafeRequestHeaderNames(litSortAndCombine(list))),
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("(-literal +fast):\n%s", diff)
		}
		perLine := Rules{ReplaceSingletonRequestHeaders: true}.ClassifyRequest(method, h).UnsafeHeaderNames
		if want := SerializeNames(litCORSUnsafeRequestHeaderNames(list)); perLine != want {
			t.Fatalf("per-line: literal %q, fast %q", want, perLine)
		}
	})
}

func TestClassifyRequestAllocations(t *testing.T) {
	simple := http.Header{"Accept": {"*/*"}, "Accept-Language": {"en-US"}, "Content-Type": {"text/plain"}}
	if n := testing.AllocsPerRun(100, func() { ClassifyRequest("GET", simple) }); n != 0 {
		t.Errorf("a simple request: %v allocations, want 0", n)
	}
	json := http.Header{"Accept": {"*/*"}, "Content-Type": {"application/json"}}
	if n := testing.AllocsPerRun(100, func() { ClassifyRequest("POST", json) }); n != 0 {
		t.Errorf("a JSON POST: %v allocations, want 0 (its one unsafe name is a constant)", n)
	}
	preflighted := http.Header{"Accept": {"*/*"}, "Content-Type": {"application/json"}, "X-Foo": {"1"}, "Authorization": {"x"}}
	if n := testing.AllocsPerRun(100, func() { ClassifyRequest("PUT", preflighted) }); n > 1 {
		t.Errorf("a preflighted request: %v allocations, want at most 1 (the serialized names)", n)
	}
}

var benchClassification Classification

// BenchmarkClassifyRequest classifies requests of 3 to 6 headers including
// Content-Type: the preflight decision and the Access-Control-Request-Headers
// value.
func BenchmarkClassifyRequest(b *testing.B) {
	for _, bb := range []struct {
		name   string
		method string
		h      http.Header
	}{
		{"GET_3_simple", "GET", http.Header{"Accept": {"*/*"}, "Accept-Language": {"en-US,en;q=0.9"}, "Content-Type": {"text/plain"}}},
		{"POST_4_json", "POST", http.Header{"Accept": {"application/json"}, "Content-Type": {"application/json"}, "Content-Language": {"en"}, "Range": {"bytes=0-99"}}},
		{"PUT_6_custom", "PUT", http.Header{"Accept": {"*/*"}, "Content-Type": {"application/json"}, "X-Foo": {"1"}, "X-Request-Id": {"abc"}, "Authorization": {"Bearer t"}, "Accept-Language": {"en"}}},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := benchcpu.Start(b)
			for b.Loop() {
				benchClassification = ClassifyRequest(bb.method, bb.h)
			}
			cpu.Stop()
		})
	}
}
