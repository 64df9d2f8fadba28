package fetch

import (
	"fmt"
	"strings"
)

// Trace is the ordered list of decisions a fetch made, each tied to the
// step of the Fetch standard that made it. It is meant to be read: by a
// person learning CORS, or printed by a test on failure.
type Trace struct {
	Steps []TraceStep `json:"steps"`
}

// TraceStep is one decision.
type TraceStep struct {
	Section string  `json:"section"` // e.g. "Fetch §4.8 CORS-preflight fetch"
	Anchor  string  `json:"anchor"`  // e.g. "cors-preflight-fetch-0"
	Inputs  []Input `json:"inputs,omitempty"`
	Outcome string  `json:"outcome"` // what it concluded, in words
	Blocked bool    `json:"blocked,omitempty"`
}

// Input is a value a step looked at.
type Input struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// URL returns the spec link of the step.
func (s TraceStep) URL() string { return "https://fetch.spec.whatwg.org/#" + s.Anchor }

func (t *Trace) add(section, anchor, outcome string, inputs ...Input) {
	if t == nil {
		return
	}
	t.Steps = append(t.Steps, TraceStep{Section: section, Anchor: anchor, Inputs: inputs, Outcome: outcome})
}

func (t *Trace) block(section, anchor, outcome string, inputs ...Input) {
	if t == nil {
		return
	}
	t.Steps = append(t.Steps, TraceStep{Section: section, Anchor: anchor, Inputs: inputs, Outcome: outcome, Blocked: true})
}

func in(name, value string) Input { return Input{Name: name, Value: value} }

// String renders the trace for a terminal: one numbered step a line, its
// inputs indented beneath it.
func (t *Trace) String() string {
	var b strings.Builder
	for i, s := range t.Steps {
		mark := "  "
		if s.Blocked {
			mark = "✗ "
		}
		fmt.Fprintf(&b, "%2d. %s%s — %s\n", i+1, mark, s.Section, s.Outcome)
		for _, x := range s.Inputs {
			fmt.Fprintf(&b, "      %s: %s\n", x.Name, x.Value)
		}
		fmt.Fprintf(&b, "      see %s\n", s.URL())
	}
	return b.String()
}
