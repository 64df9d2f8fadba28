package main

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/corsim/corsim/scenario"
)

// formatScenario renders s as the corpus writes scenario files: the fields
// in the order of the scenario package's types, two-space indentation, an
// array that holds only strings (a [name, value] header pair, the readable
// header names) on one line, and a final newline. Formatting the result of
// parsing its output gives the same bytes.
func formatScenario(s *scenario.Scenario) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // scenario files are read by people, not embedded in HTML
	if err := enc.Encode(normalized(s)); err != nil {
		return nil, err
	}
	return indentJSON(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// normalized returns a copy of s in which every list the format writes as
// an array (possibly empty) is non-nil, so that it is written as [] rather
// than null.
func normalized(s *scenario.Scenario) *scenario.Scenario {
	c := *s
	c.Server = normalizedRules(s.Server)
	c.Steps = make([]scenario.Step, len(s.Steps))
	for i, st := range s.Steps {
		if st.Server != nil {
			st.Server = normalizedRules(st.Server)
		}
		if st.Expect.Wire != nil {
			wire := make([]scenario.WireRequest, len(*st.Expect.Wire))
			for j, w := range *st.Expect.Wire {
				if w.Headers == nil {
					w.Headers = map[string]string{}
				}
				wire[j] = w
			}
			st.Expect.Wire = &wire
		}
		c.Steps[i] = st
	}
	return &c
}

func normalizedRules(rules []scenario.Rule) []scenario.Rule {
	out := make([]scenario.Rule, len(rules))
	for i, r := range rules {
		if r.Headers == nil {
			r.Headers = []scenario.Header{}
		}
		out[i] = r
	}
	return out
}

// indentJSON re-indents compact JSON (as encoding/json writes it) with two
// spaces a level, keeping arrays of strings on one line.
func indentJSON(compact []byte) ([]byte, error) {
	var out bytes.Buffer
	out.Grow(len(compact) * 2)
	depth := 0
	newline := func() {
		out.WriteByte('\n')
		for range depth {
			out.WriteString("  ")
		}
	}
	for i := 0; i < len(compact); i++ {
		c := compact[i]
		switch c {
		case '"':
			end, err := stringEnd(compact, i)
			if err != nil {
				return nil, err
			}
			out.Write(compact[i:end])
			i = end - 1
		case '{', '[':
			if i+1 < len(compact) && (compact[i+1] == '}' || compact[i+1] == ']') {
				out.WriteByte(c)
				out.WriteByte(compact[i+1])
				i++
				continue
			}
			if c == '[' {
				if end, ok := stringArrayEnd(compact, i); ok {
					writeInlineArray(&out, compact[i:end])
					i = end - 1
					continue
				}
			}
			out.WriteByte(c)
			depth++
			newline()
		case '}', ']':
			depth--
			newline()
			out.WriteByte(c)
		case ',':
			out.WriteByte(',')
			newline()
		case ':':
			out.WriteString(": ")
		default:
			out.WriteByte(c)
		}
	}
	if depth != 0 {
		return nil, fmt.Errorf("unbalanced JSON: depth %d at the end", depth)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// stringEnd returns the index just past the JSON string starting at b[i].
func stringEnd(b []byte, i int) (int, error) {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1, nil
		}
	}
	return 0, fmt.Errorf("unterminated JSON string at byte %d", i)
}

// stringArrayEnd reports whether the array starting at b[i] holds only
// strings, and if so the index just past its closing bracket.
func stringArrayEnd(b []byte, i int) (int, bool) {
	j := i + 1
	for j < len(b) {
		if b[j] != '"' {
			return 0, false
		}
		end, err := stringEnd(b, j)
		if err != nil || end >= len(b) {
			return 0, false
		}
		switch b[end] {
		case ']':
			return end + 1, true
		case ',':
			j = end + 1
		default:
			return 0, false
		}
	}
	return 0, false
}

// writeInlineArray writes a compact array of strings with ", " between
// the elements.
func writeInlineArray(out *bytes.Buffer, arr []byte) {
	for i := 0; i < len(arr); i++ {
		c := arr[i]
		if c == '"' {
			end, _ := stringEnd(arr, i) // arr was checked by stringArrayEnd
			out.Write(arr[i:end])
			i = end - 1
			continue
		}
		out.WriteByte(c)
		if c == ',' {
			out.WriteByte(' ')
		}
	}
}
