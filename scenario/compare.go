package scenario

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/google/go-cmp/cmp"
)

// Mismatch is one field where corsim and the recorded browser differ.
type Mismatch struct {
	Field    string
	Expected string // JSON
	Observed string // JSON
}

func (m Mismatch) String() string {
	return fmt.Sprintf("%s: expected %s, observed %s", m.Field, m.Expected, m.Observed)
}

// Compare reports the fields present in want that got differs on. Fields
// absent from want are not compared.
func Compare(want, got Expect) []Mismatch {
	var out []Mismatch
	add := func(field string, w, g any, present bool) {
		if !present {
			return
		}
		if !cmp.Equal(w, g) {
			out = append(out, Mismatch{Field: field, Expected: toJSON(w), Observed: toJSON(g)})
		}
	}
	add("outcome", want.Outcome, got.Outcome, want.Outcome != "")
	add("type", want.Type, got.Type, want.Type != nil)
	add("status", want.Status, got.Status, want.Status != nil)
	add("url", want.URL, got.URL, want.URL != nil)
	add("redirected", want.Redirected, got.Redirected, want.Redirected != nil)
	add("headers", want.Headers, got.Headers, want.Headers != nil)
	add("wire", want.Wire, got.Wire, want.Wire != nil)
	add("error", want.Error, got.Error, want.Error != nil)
	add("console", want.Console, got.Console, want.Console != nil)
	return out
}

func toJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	s := string(b)
	if s == "null" {
		return "(absent)"
	}
	return s
}

// FormatMismatches renders mismatches for a person, one field a paragraph.
func FormatMismatches(ms []Mismatch) string {
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "  %s\n    expected: %s\n    observed: %s\n", m.Field, m.Expected, m.Observed)
	}
	return b.String()
}

// HasFields reports whether e holds a field for Compare to compare. A step
// whose expect has none checks nothing: whatever is observed, Compare
// finds no mismatch, so the step is neither passed nor failed.
func (e Expect) HasFields() bool { return e != Expect{} }
