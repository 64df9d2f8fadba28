package main

import (
	"fmt"
	"slices"
	"testing"

	"github.com/corsim/corsim/scenario"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// genInputs draws inputs spread over a few category folders, in the order
// loadInputs gives them (sorted by path).
func genInputs(t *rapid.T) []input {
	counts := rapid.SliceOfN(rapid.IntRange(1, 6), 1, 6).Draw(t, "perCategory")
	var out []input
	for c, n := range counts {
		for i := range n {
			rel := fmt.Sprintf("cat%d/file%d.json", c, i)
			out = append(out, input{Path: "/corpus/" + rel, Rel: rel, Category: fmt.Sprintf("cat%d", c)})
		}
	}
	return out
}

func TestSampleCoversEveryCategoryDeterministically(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		inputs := genInputs(t)
		n := rapid.IntRange(0, len(inputs)+3).Draw(t, "n")
		seed := rapid.Uint64().Draw(t, "seed")
		got := sample(inputs, n, seed)

		want := n
		if n == 0 || n > len(inputs) {
			want = len(inputs)
		}
		if len(got) != want {
			t.Fatalf("sample of %d from %d gave %d", n, len(inputs), len(got))
		}
		// A subset, in the inputs' order, without repetition.
		pos := map[string]int{}
		for i, in := range inputs {
			pos[in.Path] = i
		}
		last := -1
		for _, in := range got {
			i, ok := pos[in.Path]
			if !ok || i <= last {
				t.Fatalf("sample is not an ordered subset: %v", got)
			}
			last = i
		}
		// Every category once n reaches their number.
		if all := categories(inputs); n >= len(all) || n == 0 {
			if diff := cmp.Diff(all, categories(got)); diff != "" {
				t.Fatalf("categories missing from the sample (-all +sampled):\n%s", diff)
			}
		}
		// The same seed gives the same sample.
		if diff := cmp.Diff(got, sample(inputs, n, seed)); diff != "" {
			t.Fatalf("sample is not deterministic:\n%s", diff)
		}
	})
}

func TestSampleDependsOnTheSeed(t *testing.T) {
	var inputs []input
	for i := range 40 {
		rel := fmt.Sprintf("cat/file%02d.json", i)
		inputs = append(inputs, input{Path: rel, Rel: rel, Category: "cat"})
	}
	a, b := sample(inputs, 5, 1), sample(inputs, 5, 2)
	if cmp.Equal(a, b) {
		t.Errorf("seeds 1 and 2 gave the same sample of 5 from 40: %v", a)
	}
}

func TestDifferences(t *testing.T) {
	s := func(v string) *string { return &v }
	a := scenario.Expect{Outcome: "network-error", Error: s("MissingAllowOriginHeader"), Console: s("x")}
	b := scenario.Expect{Outcome: "network-error", Console: s("y")}
	got := differences(a, b)
	want := []scenario.Mismatch{
		{Field: "error", Expected: `"MissingAllowOriginHeader"`, Observed: "(absent)"},
		{Field: "console", Expected: `"x"`, Observed: `"y"`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("differences (-want +got):\n%s", diff)
	}
	// A field only the second has is a difference too.
	back := differences(b, a)
	fields := []string{}
	for _, m := range back {
		fields = append(fields, m.Field)
	}
	slices.Sort(fields)
	if diff := cmp.Diff([]string{"console", "error"}, fields); diff != "" {
		t.Errorf("differences(b, a) fields (-want +got):\n%s", diff)
	}
	if ms := differences(a, a); len(ms) != 0 {
		t.Errorf("an expect differs from itself: %v", ms)
	}
}

func TestWithExpectsLeavesTheInputAlone(t *testing.T) {
	sc := &scenario.Scenario{Format: 1, Browser: "chromium 1", Steps: []scenario.Step{{At: 0, Expect: scenario.Expect{Outcome: "ok"}}}}
	got := withExpects(sc, []scenario.Expect{{Outcome: "network-error"}}, "chromium 2")
	if got.Browser != "chromium 2" || got.Steps[0].Expect.Outcome != "network-error" {
		t.Errorf("withExpects gave %+v", got)
	}
	if sc.Browser != "chromium 1" || sc.Steps[0].Expect.Outcome != "ok" {
		t.Errorf("withExpects changed its input: %+v", sc)
	}
}

func TestRunsDifferErrorNamesTheFieldAndBothValues(t *testing.T) {
	err := &runsDifferError{Run: 2, Step: 1, Mismatches: []scenario.Mismatch{{Field: "error", Expected: `"MissingAllowOriginHeader"`, Observed: "(absent)"}}}
	want := "run 1 and run 2 differ at step 1:\n    steps[1].expect.error: run 1 \"MissingAllowOriginHeader\", run 2 (absent)"
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("Error() (-want +got):\n%s", diff)
	}
}

func TestObservableLeavesOutWhatTheEngineCannotSee(t *testing.T) {
	reason, line := "PreflightMissingAllowOriginHeader", "Cross-Origin Request Blocked: …"
	e := scenario.Expect{Outcome: "network-error", Error: &reason, Console: &line}
	got := observable(&firefox{}, e)
	if got.Error != nil || got.Console == nil || *got.Console != line || got.Outcome != "network-error" {
		t.Errorf("under Firefox: %+v, want error left out and the rest kept", got)
	}
	if got := observable(chromium{}, e); got.Error == nil || *got.Error != reason {
		t.Errorf("under Chromium: %+v, want error kept", got)
	}
	if e.Error == nil {
		t.Error("observable changed its argument")
	}
}
