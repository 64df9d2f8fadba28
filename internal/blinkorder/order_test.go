package blinkorder

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// firstNotAllowed is the name Chromium reports: the first name of the
// network service's order that is CORS-unsafe and not allowed.
func firstNotAllowed(names, unsafe, allowed []string, hints bool) string {
	for _, n := range Order(nil, names, hints) {
		if slices.Contains(unsafe, n) && !slices.Contains(allowed, n) {
			return n
		}
	}
	return ""
}

// The names Chromium 156 reported, from recordings under
// testdata/chromium/disallowed-order/ (file named in each case).
func TestOrderMatchesRecordedChromium(t *testing.T) {
	tests := []struct {
		file    string
		names   []string // the request's header names; all CORS-unsafe but those in safe
		safe    []string
		allowed []string
		want    string
		https   bool // the URL is https: Blink adds client hints
	}{
		{"get-with-headers-x-b-1-x-a-1-preflight-allow-headers-x-c", []string{"x-b", "X-a"}, nil, []string{"x-c"}, "x-a", false},
		{"get-with-headers-x-b-1-x-a-1-x-c-1-preflight-allow-headers", []string{"X-B", "X-A", "X-C"}, nil, nil, "x-c", false},
		{"get-with-headers-x-b-1-x-a-1-x-c-1-preflight-allow-headers-x-a", []string{"X-B", "X-A", "X-C"}, nil, []string{"x-a"}, "x-c", false},
		{"get-with-headers-x-b-1-x-a-1-x-c-1-preflight-allow-headers-x-c", []string{"X-B", "X-A", "X-C"}, nil, []string{"x-c"}, "x-a", false},
		// Three names and User-Agent: the table grows to 16 buckets.
		{"get-with-x-ynoitl-x-xiz1v-x-yarf-preflight-without-allow-headers", []string{"x-ynoitl", "x-xiz1v", "x-yarf"}, nil, nil, "x-ynoitl", false},
		{"get-with-x-8dpvn68v-x-i9r-x-zgbt25-preflight-without-allow-headers", []string{"x-8dpvn68v", "x-i9r", "x-zgbt25"}, nil, nil, "x-zgbt25", false},
		// A 64-byte name (rapidhash's loop over 48-byte blocks) and a
		// POST body's Content-Type.
		{"order-a04-post-with-2-unsafe-headers-preflight-allow-headers",
			[]string{"x7vH82HaRY0SKkMCrxW3xuCE7LtsOsQ5qQZADTPFcLq76gWrz2PLroZIu6bMqqZ", "xuBqFxDDfyjqR", "content-type"},
			[]string{"content-type"}, nil, "x7vh82hary0skkmcrxw3xuce7ltsosq5qqzadtpfclq76gwrz2plroziu6bmqqz", false},
		// To https: three client hints, then User-Agent.
		{"get-from-https-a-test-to-https-b-test-x-7z-with-x-7z-x-4jmpqfuoa0-preflight-without-allow-headers",
			[]string{"x-7z", "x-4jmpqfuoa0"}, nil, nil, "x-7z", true},
		{"get-from-http-a-test-to-https-b-test-x-wb-with-x-wb-x-ce74n8lg4ih-x-v11am-preflight-without-allow-headers",
			[]string{"x-wb", "x-ce74n8lg4ih", "x-v11am"}, nil, nil, "x-ce74n8lg4ih", true},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var unsafe []string
			for _, n := range tt.names {
				if !slices.Contains(tt.safe, n) {
					unsafe = append(unsafe, strings.ToLower(n))
				}
			}
			if diff := cmp.Diff(tt.want, firstNotAllowed(tt.names, unsafe, tt.allowed, tt.https)); diff != "" {
				t.Errorf("named header (-recorded +model):\n%s", diff)
			}
		})
	}
}

func TestCaseFoldingHash(t *testing.T) {
	// Each length class of rapidhash (1 character: the reader's lone
	// code unit; 2-8 characters: 32-bit reads; 9-24: 64-bit reads;
	// over 24: 48-byte blocks), against the literal model.
	for _, name := range []string{"x", "X", "ab", "x-a", "user-agent", "content-type", "x-abcdefghijklmnopqrstu",
		strings.Repeat("x", 24), strings.Repeat("y", 25), strings.Repeat("Z-", 40)} {
		if got, want := caseFoldingHash(name), refCaseFoldingHash(name); got != want {
			t.Errorf("caseFoldingHash(%q) = %#x, the literal model says %#x", name, got, want)
		}
		if got := caseFoldingHash(name); got == 0 || got >= 1<<24 {
			t.Errorf("caseFoldingHash(%q) = %#x, want a non-zero 24-bit value", name, got)
		}
	}
	if caseFoldingHash("X-Foo") != caseFoldingHash("x-foo") {
		t.Error("case variants hash differently")
	}
}

func TestMaskTop8Bits(t *testing.T) {
	tests := []struct {
		in   uint64
		want uint32
	}{
		{0, 0x800000},
		{1 << 24, 0x800000},
		{0xffffffffff123456, 0x123456},
		{0x1, 0x1},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, maskTop8Bits(tt.in)); diff != "" {
			t.Errorf("maskTop8Bits(%#x) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestHashMapOrderGrowth(t *testing.T) {
	// Three entries fit in 8 buckets; the fourth doubles the table, and
	// so does the eighth: the bucket of each name is its hash modulo the
	// final size unless a collision moved it.
	for n := 1; n <= 40; n++ {
		var names []string
		for i := 0; i < n; i++ {
			names = append(names, "x-"+strings.Repeat("q", i))
		}
		var tb table
		for _, name := range names {
			tb.insert(name)
		}
		size := 8
		for 2*n >= size {
			size *= 2
		}
		if len(tb.buckets()) != size {
			t.Errorf("%d names: %d buckets, want %d", n, len(tb.buckets()), size)
		}
	}
}

// genNames draws header names: tokens of 1 to 70 bytes in mixed case,
// with repeats likely.
func genNames(t *rapid.T) []string {
	token := rapid.StringMatching("[a-zA-Z0-9!#$%&'*+.^_`|~-]{1,70}")
	pool := rapid.SliceOfN(token, 1, 12).Draw(t, "pool")
	return rapid.SliceOfN(rapid.SampledFrom(pool), 0, 40).Draw(t, "names")
}

func TestOrderProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		names := genNames(t)
		hints := rapid.Bool().Draw(t, "hints")
		got := Order(nil, names, hints)

		// It agrees with the literal model.
		if diff := cmp.Diff(refOrder(names, hints), got); diff != "" {
			t.Fatalf("Order and the literal model differ (-model +Order):\n%s", diff)
		}
		// It is a permutation of the distinct lower-case names and
		// Blink's own.
		want := []string{"user-agent"}
		if hints {
			want = append(want, "sec-ch-ua", "sec-ch-ua-mobile", "sec-ch-ua-platform")
		}
		for _, n := range names {
			want = append(want, strings.ToLower(n))
		}
		slices.Sort(want)
		want = slices.Compact(want)
		sorted := slices.Sorted(slices.Values(got))
		if diff := cmp.Diff(want, sorted); diff != "" {
			t.Fatalf("not a permutation of the names (-want +got):\n%s", diff)
		}
		// Neither the case nor the order script used matters: Blink
		// sorts the names case-insensitively before the map sees them.
		variant := make([]string, len(names))
		for i, n := range names {
			if rapid.Bool().Draw(t, "upper") {
				n = strings.ToUpper(n)
			}
			variant[len(names)-1-i] = n
		}
		if diff := cmp.Diff(got, Order(nil, variant, hints)); diff != "" {
			t.Fatalf("case or order variant changed the result (-original +variant):\n%s", diff)
		}
	})
}

func TestHashMapOrderProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		names := genNames(t)
		got := HashMapOrder(nil, names)
		// Each distinct lower-case name once, and a name's bucket is
		// where its probe sequence first found room: iterating yields
		// every name exactly once.
		seen := map[string]bool{}
		for _, n := range got {
			if seen[n] || n != strings.ToLower(n) {
				t.Fatalf("%q repeated or not lower-case in %q", n, got)
			}
			seen[n] = true
		}
		for _, n := range names {
			if !seen[strings.ToLower(n)] {
				t.Fatalf("%q missing from %q", n, got)
			}
		}
		// Appending to dst keeps dst.
		dst := HashMapOrder([]string{"kept"}, names)
		if dst[0] != "kept" || len(dst) != len(got)+1 {
			t.Fatalf("dst not kept: %q", dst)
		}
	})
}

func TestOrderAllocations(t *testing.T) {
	names := []string{"x-b", "x-a", "x-c", "content-type", "x-long-header-name-over-sixteen"}
	dst := make([]string, 0, 16)
	allocs := testing.AllocsPerRun(100, func() { dst = Order(dst[:0], names, true) })
	if allocs != 0 {
		t.Errorf("Order allocates %v times for lower-case names, want 0", allocs)
	}
}

func FuzzOrder(f *testing.F) {
	f.Add("X-B\nX-A\nX-C")
	f.Add("x\nX\ncontent-type\nuser-agent")
	f.Add(strings.Repeat("x-abcdefghijklmnopqrstuvwxyz0123456789\n", 3))
	f.Fuzz(func(t *testing.T, list string) {
		names := strings.Split(list, "\n")
		if len(names) > 64 {
			return
		}
		for _, n := range names {
			if !isToken(n) || len(n) > 200 {
				return // fetch() rejects a name that is not a token
			}
		}
		for _, hints := range []bool{false, true} {
			got := Order(nil, names, hints)
			if diff := cmp.Diff(refOrder(names, hints), got); diff != "" {
				t.Fatalf("Order and the literal model differ (-model +Order):\n%s", diff)
			}
		}
	})
}

func BenchmarkOrder(b *testing.B) {
	names := []string{"x-request-id", "x-b", "x-a", "content-type", "authorization", "x-client-version", "accept", "x-trace"}
	dst := make([]string, 0, 16)
	b.ReportAllocs()
	for b.Loop() {
		dst = Order(dst[:0], names, true)
	}
}

// isToken reports whether s is an HTTP token (RFC 9110 §5.6.2).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}
