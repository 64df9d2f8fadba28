package main

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/corsim/corsim/profile"
	"github.com/corsim/corsim/scenario"
)

func diffCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("diff", flag.ContinueOnError)
	fl.SetOutput(stderr)
	n := fl.Int("sample", 40, "how many scenarios to check (0: all)")
	seed := fl.Uint64("seed", 1, "which deterministic sample to take")
	var common commonFlags
	common.register(fl)
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() == 0 || common.runs < 1 || *n < 0 {
		fmt.Fprint(stderr, "recorder diff: need PATH, -runs ≥ 1 and -sample ≥ 0\n", usage)
		return 2
	}
	inputs, err := loadInputs(fl.Args())
	if err != nil {
		fmt.Fprintln(stderr, "recorder diff:", err)
		return 2
	}
	picked := sample(inputs, *n, *seed)
	prof, err := profile.ByName(common.browser)
	if err != nil {
		fmt.Fprintln(stderr, "recorder diff:", err)
		return 2
	}
	log, warn := common.loggers(stderr)
	h, err := newHarness(ctx, common.browser, common.path, scenariosOf(picked), log, warn)
	if err != nil {
		fmt.Fprintln(stderr, "recorder diff:", err)
		return 2
	}
	defer h.Close()
	fmt.Fprintf(stdout, "differential: %d of %d scenarios (seed %d, %d categories), %s against corsim's %s profile\n",
		len(picked), len(inputs), *seed, len(categories(picked)), h.browserName(), common.browser)

	passed, failed := 0, 0
	for _, in := range picked {
		if ctx.Err() != nil {
			break
		}
		problems, notes := differential(ctx, h, prof, in, common.runs)
		for _, note := range notes {
			fmt.Fprintf(stdout, "note %s: %s\n", in.Path, note)
		}
		if len(problems) > 0 {
			failed++
			fmt.Fprintf(stdout, "FAIL %s\n", in.Path)
			for _, p := range problems {
				fmt.Fprintf(stdout, "    %s\n", p)
			}
			continue
		}
		passed++
		fmt.Fprintf(stdout, "ok   %s\n", in.Path)
	}
	fmt.Fprintf(stdout, "differential: %d passed, %d failed\n", passed, failed)
	if failed > 0 || ctx.Err() != nil {
		return 1
	}
	return 0
}

// differential records in afresh and replays it with corsim's engine. It
// returns the differences between the two (each naming the step, the
// field and both values) and notes on where the fresh recording differs
// from the one in the file, which is not a failure of the engine.
func differential(ctx context.Context, h *harness, prof profile.Profile, in input, runs int) (problems, notes []string) {
	h.log("%s", in.Path)
	recorded, err := h.record(ctx, in.Scenario, runs)
	if err != nil {
		return []string{"recording: " + err.Error()}, nil
	}
	obs, err := scenario.Replay(ctx, in.Scenario, prof)
	if err != nil {
		return []string{"replay: " + err.Error()}, nil
	}
	if len(obs) != len(recorded) {
		return []string{fmt.Sprintf("replay observed %d steps, the browser %d", len(obs), len(recorded))}, nil
	}
	for i := range recorded {
		for _, m := range differences(recorded[i], withoutUnobserved(obs[i].Observed, h.engine)) {
			problems = append(problems, fmt.Sprintf("steps[%d].expect.%s: %s %s, corsim %s", i, m.Field, prof.Browser, m.Expected, m.Observed))
		}
		for _, m := range scenario.Compare(in.Scenario.Steps[i].Expect, recorded[i]) {
			notes = append(notes, fmt.Sprintf("steps[%d].expect.%s: the file has %s, %s now gives %s", i, m.Field, m.Expected, h.browserName(), m.Observed))
		}
	}
	return problems, notes
}

// unobservingEngine is an engine that cannot see some expect fields (WebKit
// over classic WebDriver: no console lines, no CORS error code). The
// differential leaves those fields out of corsim's side, as the recording
// leaves them out of the browser's.
type unobservingEngine interface {
	Unobserved() []string // expect field names: "console", "error"
}

// withoutUnobserved returns e without the fields eng cannot observe.
func withoutUnobserved(e scenario.Expect, eng engine) scenario.Expect {
	u, ok := eng.(unobservingEngine)
	if !ok {
		return e
	}
	for _, f := range u.Unobserved() {
		switch f {
		case "console":
			e.Console = nil
		case "error":
			e.Error = nil
		}
	}
	return e
}

// sample picks n inputs (all when n is 0 or at least len(inputs)),
// deterministically for a seed: each category's files are ordered by a
// hash of the seed and the file's relative path, and the categories, in
// name order, take turns, so that every category is covered once n
// reaches their number. The result keeps the inputs' order.
func sample(inputs []input, n int, seed uint64) []input {
	if n == 0 || n >= len(inputs) {
		return inputs
	}
	byCat := map[string][]int{}
	for i, in := range inputs {
		byCat[in.Category] = append(byCat[in.Category], i)
	}
	rank := func(i int) [32]byte {
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], seed)
		return sha256.Sum256(append(b[:], inputs[i].Rel...))
	}
	cats := make([]string, 0, len(byCat))
	for c, idx := range byCat {
		cats = append(cats, c)
		slices.SortFunc(idx, func(a, b int) int {
			ra, rb := rank(a), rank(b)
			return strings.Compare(string(ra[:]), string(rb[:]))
		})
	}
	slices.Sort(cats)
	var picked []int
	for round := 0; len(picked) < n; round++ {
		took := false
		for _, c := range cats {
			if round < len(byCat[c]) && len(picked) < n {
				picked = append(picked, byCat[c][round])
				took = true
			}
		}
		if !took {
			break
		}
	}
	slices.Sort(picked)
	out := make([]input, len(picked))
	for i, idx := range picked {
		out[i] = inputs[idx]
	}
	return out
}

// categories returns the category folders of inputs, sorted and unique.
func categories(inputs []input) []string {
	var cats []string
	for _, in := range inputs {
		cats = append(cats, in.Category)
	}
	slices.Sort(cats)
	return slices.Compact(cats)
}
