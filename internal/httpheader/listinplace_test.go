package httpheader

import (
	"net/http"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// ListOf agrees with ExtractHeaderListValues on every header: the same
// elements in the same order, the same error, the same presence.
func TestListOfAgreesWithExtractHeaderListValues(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := http.Header{}
		parts := []string{"X-A", "x-b", "*", " ", "", ",", "a b", "\t", "Set-Cookie", "é", ";"}
		for _, key := range rapid.SliceOfN(rapid.SampledFrom([]string{"Access-Control-Expose-Headers", "access-control-expose-headers", "Other"}), 0, 3).Draw(t, "keys") {
			var line string
			for _, p := range rapid.SliceOfN(rapid.SampledFrom(parts), 0, 6).Draw(t, "parts") {
				line += p
			}
			h[key] = append(h[key], line)
		}
		want, present, wantErr := ExtractHeaderListValues(h, "Access-Control-Expose-Headers")
		l := ListOf(h, "Access-Control-Expose-Headers")
		if l.Present() != present {
			t.Fatalf("Present = %v, want %v", l.Present(), present)
		}
		n, err := l.Validate("Access-Control-Expose-Headers")
		if diff := cmp.Diff(wantErr, err); diff != "" {
			t.Fatalf("Validate error mismatch (-want +got):\n%s", diff)
		}
		if err != nil {
			return
		}
		got := slices.Collect(l.Elements)
		if got == nil && want != nil {
			got = []string{}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("Elements mismatch (-want +got):\n%s", diff)
		}
		if n != len(want) {
			t.Fatalf("Validate counts %d elements, want %d", n, len(want))
		}
	})
}

func TestListOfDoesNotAllocate(t *testing.T) {
	h := http.Header{"Access-Control-Expose-Headers": {"X-Request-Id, ETag", "X-Total-Count"}}
	allocs := testing.AllocsPerRun(100, func() {
		l := ListOf(h, "Access-Control-Expose-Headers")
		if _, err := l.Validate("Access-Control-Expose-Headers"); err != nil {
			t.Fatal(err)
		}
		for range l.Elements {
		}
	})
	if allocs != 0 {
		t.Errorf("ListOf, Validate and Elements allocate %v times, want 0", allocs)
	}
}
