package safelist

import (
	"fmt"
	"math"
	"math/big"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestParseSingleRangeHeaderValue(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		ws     bool
		want   Range
		wantOK bool
	}{
		{"start_and_end", "bytes=0-499", false, Range{Start: 0, End: 499, HasStart: true, HasEnd: true}, true},
		{"open_end", "bytes=500-", false, Range{Start: 500, HasStart: true}, true},
		{"suffix", "bytes=-500", false, Range{End: 500, HasEnd: true}, true},
		{"equal_start_and_end", "bytes=7-7", false, Range{Start: 7, End: 7, HasStart: true, HasEnd: true}, true},
		{"leading_zeros", "bytes=007-010", false, Range{Start: 7, End: 10, HasStart: true, HasEnd: true}, true},
		{"both_null_is_failure", "bytes=-", false, Range{}, false},
		{"start_after_end_is_failure", "bytes=2-1", false, Range{}, false},
		{"unit_is_case_sensitive", "Bytes=0-1", false, Range{}, false},
		{"other_unit_is_failure", "items=0-1", false, Range{}, false},
		{"missing_equals_is_failure", "bytes0-1", false, Range{}, false},
		{"only_unit_is_failure", "bytes", false, Range{}, false},
		{"multiple_ranges_are_failure", "bytes=0-1,2-3", false, Range{}, false},
		{"trailing_garbage_is_failure", "bytes=0-1 ", false, Range{}, false},
		{"whitespace_rejected_without_flag", "bytes = 0 - 1", false, Range{}, false},
		{"whitespace_allowed_with_flag", "bytes \t= 0 -\t1", true, Range{Start: 0, End: 1, HasStart: true, HasEnd: true}, true},
		{"trailing_whitespace_not_allowed_even_with_flag", "bytes=0-1 ", true, Range{}, false},
		{"leading_whitespace_not_allowed_even_with_flag", " bytes=0-1", true, Range{}, false},
		{"negative_looking_start_is_a_suffix", "bytes=--1", false, Range{}, false},
		{"plus_sign_is_failure", "bytes=+1-2", false, Range{}, false},
		{"max_int64_fits", fmt.Sprintf("bytes=0-%d", int64(math.MaxInt64)), false, Range{End: math.MaxInt64, HasStart: true, HasEnd: true}, true},
		{"beyond_int64_cannot_be_represented", "bytes=0-9223372036854775808", false, Range{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseSingleRangeHeaderValue(tt.in, tt.ws)
			if ok != tt.wantOK {
				t.Fatalf("ParseSingleRangeHeaderValue(%q, %v) ok = %v, want %v", tt.in, tt.ws, ok, tt.wantOK)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCompareDecimal(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"0", "0", 0}, {"000", "0", 0}, {"1", "2", -1}, {"10", "9", 1},
		{"0010", "9", 1}, {"99999999999999999999", "100000000000000000000", -1},
	}
	for _, tt := range tests {
		if got := compareDecimal(tt.a, tt.b); got != tt.want {
			t.Errorf("compareDecimal(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// checkRange states the invariants shared by the rapid property and the fuzz
// target.
func checkRange(t interface{ Fatalf(string, ...any) }, in string, ws bool) {
	got, ok := ParseSingleRangeHeaderValue(in, ws)
	lit, litOK := litParseSingleRange(in, ws)
	fits := func(n *big.Int) bool { return n == nil || n.IsInt64() }
	switch {
	case litOK && fits(lit.start) && fits(lit.end):
		if !ok {
			t.Fatalf("ParseSingleRangeHeaderValue(%q, %v) failed; the literal parse succeeded", in, ws)
		}
		want := Range{HasStart: lit.start != nil, HasEnd: lit.end != nil}
		if lit.start != nil {
			want.Start = lit.start.Int64()
		}
		if lit.end != nil {
			want.End = lit.end.Int64()
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("ParseSingleRangeHeaderValue(%q, %v) mismatch (-literal +fast):\n%s", in, ws, diff)
		}
	case ok:
		t.Fatalf("ParseSingleRangeHeaderValue(%q, %v) = %+v; the literal parse gave %v (or a number beyond int64)", in, ws, got, litOK)
	}
	// The digit-level parse used by the safelist follows the literal one
	// exactly, whatever the size of the numbers.
	if _, _, dok := parseSingleRange(in, ws); dok != litOK {
		t.Fatalf("parseSingleRange(%q, %v) ok = %v, literal ok = %v", in, ws, dok, litOK)
	}
	if !ok {
		return
	}
	if got.HasStart && got.HasEnd && got.Start > got.End {
		t.Fatalf("%q parsed to start %d after end %d", in, got.Start, got.End)
	}
	if !got.HasStart && !got.HasEnd {
		t.Fatalf("%q parsed to a range with neither start nor end", in)
	}
	// Round trip through the canonical form.
	canon := "bytes="
	if got.HasStart {
		canon += fmt.Sprint(got.Start)
	}
	canon += "-"
	if got.HasEnd {
		canon += fmt.Sprint(got.End)
	}
	again, ok := ParseSingleRangeHeaderValue(canon, false)
	if !ok || again != got {
		t.Fatalf("round trip of %q through %q gave %+v, %v", in, canon, again, ok)
	}
}

func TestParseSingleRangeHeaderValueProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := string(rapid.SliceOfN(rapid.SampledFrom([]byte("bytes=-0129 \t,")), 0, 16).Draw(t, "in"))
		if rapid.Bool().Draw(t, "prefix") {
			in = "bytes=" + in
		}
		checkRange(t, in, rapid.Bool().Draw(t, "ws"))
	})
}

func FuzzParseSingleRangeHeaderValue(f *testing.F) {
	for _, seed := range []string{
		"bytes=0-1", "bytes=5-", "bytes=-5", "bytes = 1 - 2", "bytes=2-1", "bytes=-",
		"bytes=99999999999999999999-", "bytes=0-9223372036854775807", "Bytes=0-1", "bytes=0-1,2-3",
	} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	f.Fuzz(func(t *testing.T, in string, ws bool) {
		checkRange(t, in, ws)
	})
}
