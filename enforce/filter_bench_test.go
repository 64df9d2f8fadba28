package enforce

import (
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/corsim/corsim/internal/benchcpu"
	"github.com/corsim/corsim/internal/httpheader"
	"github.com/corsim/corsim/safelist"
)

// exposedHeaderNamesLiteral is ExposedHeaderNames transcribed from the
// definitions with no care for cost: the CORS-exposed header-name list
// built whole, each name tested against it, each name lower-cased on its
// own.
func exposedHeaderNamesLiteral(t Tainting, h http.Header, includeCredentials bool) []string {
	names := []string{}
	switch t {
	case TaintOpaque:
		return names
	case TaintBasic:
		for k, vs := range h {
			if len(vs) > 0 && !safelist.IsForbiddenResponseHeaderName(k) {
				names = append(names, httpheader.LowerASCII(k))
			}
		}
	case TaintCORS:
		exposed := CORSExposedHeaderNameList(h, includeCredentials)
		for k, vs := range h {
			if len(vs) > 0 && safelist.IsCORSSafelistedResponseHeaderName(k, exposed) {
				names = append(names, httpheader.LowerASCII(k))
			}
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// ExposedHeaderNames agrees with its literal transcription on any header
// map: names in any case, under several spellings, with or without values,
// and Access-Control-Expose-Headers lists short, long, malformed or
// holding `*`.
func TestExposedHeaderNamesAgreesWithTheDefinition(t *testing.T) {
	names := []string{"Set-Cookie", "set-cookie2", "X-Secret", "x-secret", "X-SECRET", "Content-Type", "content-type",
		"X-Other", "Pragma", "ETag", "etag", "X-Request-Id", "*", "Access-Control-Expose-Headers"}
	items := append(slices.Clone(names), "", " ", "X Bad", "x-a", "x-b", "x-c", "x-d", "x-e", "x-f", "x-g", "x-h", "x-i")
	rapid.Check(t, func(t *rapid.T) {
		h := http.Header{}
		for _, n := range rapid.SliceOfN(rapid.SampledFrom(names), 0, 12).Draw(t, "names") {
			if rapid.IntRange(0, 9).Draw(t, "empty") == 0 {
				h[n] = nil // a key without values
				continue
			}
			h[n] = append(h[n], "v")
		}
		for _, key := range rapid.SliceOfN(rapid.SampledFrom([]string{"Access-Control-Expose-Headers", "access-control-expose-headers"}), 0, 2).Draw(t, "expose keys") {
			line := ""
			for i, it := range rapid.SliceOfN(rapid.SampledFrom(items), 0, 14).Draw(t, "items") {
				if i > 0 {
					line += ","
				}
				line += it
			}
			h[key] = append(h[key], line)
		}
		include := rapid.Bool().Draw(t, "include")
		for _, tnt := range []Tainting{TaintBasic, TaintCORS, TaintOpaque} {
			want := exposedHeaderNamesLiteral(tnt, h, include)
			got := ExposedHeaderNames(tnt, h, include)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("%s: ExposedHeaderNames disagrees with the definition (-want +got):\n%s", tnt, diff)
			}
		}
	})
}

// filterFixture is a realistic CORS response: 12 headers, three of them
// exposed by Access-Control-Expose-Headers. lower stores the keys as an
// HTTP/2 peer or a recording writes them; otherwise they are canonical, as
// net/http's HTTP/1 client stores them.
func filterFixture(lower bool) http.Header {
	kv := []string{
		"Date", "Fri, 27 Nov 2026 13:00:00 GMT",
		"Content-Type", "application/json",
		"Content-Length", "512",
		"Cache-Control", "no-store",
		"Etag", `"abc"`,
		"Last-Modified", "Fri, 27 Nov 2026 12:00:00 GMT",
		"Vary", "Origin",
		"Server", "api",
		"Access-Control-Allow-Origin", "https://app.example",
		"Access-Control-Expose-Headers", "ETag, X-Request-Id, X-Ratelimit-Remaining",
		"X-Request-Id", "7f3a",
		"X-Ratelimit-Remaining", "99",
	}
	h := http.Header{}
	for i := 0; i < len(kv); i += 2 {
		k := kv[i]
		if lower {
			k = httpheader.LowerASCII(k)
		}
		h[k] = []string{kv[i+1]}
	}
	return h
}

// The filter allocates its result and, only when some exposed name needs
// lower-casing into a new string, one string for all of them: never one
// per header.
func TestExposedHeaderNamesAllocations(t *testing.T) {
	tests := []struct {
		name  string
		h     http.Header
		t     Tainting
		want  float64
		names int
	}{
		{"lower_case_keys_cors", filterFixture(true), TaintCORS, 1, 7},
		{"canonical_keys_cors", filterFixture(false), TaintCORS, 1, 7},
		{"canonical_keys_basic", filterFixture(false), TaintBasic, 1, 12},
		{"lower_case_keys_basic", filterFixture(true), TaintBasic, 1, 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExposedHeaderNames(tt.t, tt.h, false); len(got) != tt.names {
				t.Fatalf("fixture exposes %q, want %d names", got, tt.names)
			}
			allocs := testing.AllocsPerRun(100, func() { ExposedHeaderNames(tt.t, tt.h, false) })
			if allocs != tt.want {
				t.Errorf("ExposedHeaderNames allocates %v times, want %v", allocs, tt.want)
			}
		})
	}
	// Mixed-case names exposed by a short list share the result's one
	// allocation, however many other headers the response has.
	for _, tt := range []struct{ headers, want int }{{8, 1}, {16, 1}, {40, 1}} {
		h := http.Header{"Access-Control-Expose-Headers": {"X-Custom-0,X-Custom-1,X-Custom-2,X-Custom-3,X-Custom-4,X-Custom-5,X-Custom-6"}}
		for i := range tt.headers - 1 {
			h["X-Custom-"+strconv.Itoa(i)] = []string{"v"}
		}
		if got := ExposedHeaderNames(TaintCORS, h, false); len(got) != 7 || got[0] != "x-custom-0" || got[6] != "x-custom-6" {
			t.Fatalf("%d header names: got %q", tt.headers, got)
		}
		if allocs := testing.AllocsPerRun(100, func() { ExposedHeaderNames(TaintCORS, h, false) }); allocs != float64(tt.want) {
			t.Errorf("%d header names: %v allocations, want %d", tt.headers, allocs, tt.want)
		}
	}
}

// BenchmarkFilterResponse is the filtered response's header names (main
// fetch, step 14) of a 12-header CORS response with an
// Access-Control-Expose-Headers list.
func BenchmarkFilterResponse(b *testing.B) {
	for _, keys := range []struct {
		name  string
		lower bool
	}{{"canonical_keys", false}, {"lower_case_keys", true}} {
		h := filterFixture(keys.lower)
		b.Run(keys.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := benchcpu.Start(b)
			for b.Loop() {
				ExposedHeaderNames(TaintCORS, h, false)
			}
			cpu.Stop()
		})
	}
}
