package scenario

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// toAny converts a tree to what encoding/json decodes with UseNumber.
func toAny(n *jsonNode) any {
	switch n.kind {
	case jNull:
		return nil
	case jBool:
		return n.text == "true"
	case jNumber:
		return json.Number(n.text)
	case jString:
		return n.text
	case jArray:
		out := make([]any, len(n.elems))
		for i, e := range n.elems {
			out[i] = toAny(e)
		}
		return out
	}
	out := make(map[string]any, len(n.members))
	for _, m := range n.members {
		out[m.key] = toAny(m.value)
	}
	return out
}

func decodeStd(data []byte) (any, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	err := dec.Decode(&v)
	return v, err
}

// jsonValue draws JSON values whose strings hold any character, including
// those encoding/json escapes and those outside the BMP.
func jsonValue(depth int) *rapid.Generator[any] {
	leaf := rapid.OneOf(
		rapid.Just[any](nil),
		rapid.Map(rapid.Bool(), func(b bool) any { return b }),
		rapid.Map(rapid.Float64Range(-math.MaxFloat64, math.MaxFloat64), func(f float64) any { return f }), // JSON has no NaN or infinity
		rapid.Map(rapid.Int64(), func(i int64) any { return i }),
		rapid.Map(rapid.String(), func(s string) any { return s }),
	)
	if depth == 0 {
		return leaf
	}
	return rapid.OneOf(leaf,
		rapid.Map(rapid.SliceOfN(jsonValue(depth-1), 0, 4), func(v []any) any { return v }),
		rapid.Map(rapid.MapOfN(rapid.String(), jsonValue(depth-1), 0, 20), func(m map[string]any) any { return m }),
	)
}

// Whatever encoding/json writes, the strict reader reads to the same value
// as encoding/json does.
func TestParseJSONAgreesWithEncodingJSON(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := jsonValue(3).Draw(t, "value")
		indent := rapid.Bool().Draw(t, "indent")
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if indent {
			var b bytes.Buffer
			json.Indent(&b, data, "", "\t")
			data = b.Bytes()
		}
		tree, serr := parseJSON(data)
		if serr != nil {
			t.Fatalf("refused %s: %s", data, serr.msg)
		}
		want, err := decodeStd(data)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, toAny(tree)); diff != "" {
			t.Fatalf("%s (-encoding/json +parseJSON):\n%s", data, diff)
		}
	})
}

// lineColumn agrees with counting lines and characters one by one.
func TestLineColumnCountsLinesAndCharacters(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		text := rapid.StringOf(rapid.SampledFrom([]rune{'a', 'é', '😀', '\n', '\t', ' '})).Draw(t, "text")
		runes := []rune(text)
		i := rapid.IntRange(0, len(runes)).Draw(t, "rune index")
		wantLine, wantCol := 1, 1
		for _, r := range runes[:i] {
			if r == '\n' {
				wantLine, wantCol = wantLine+1, 1
			} else {
				wantCol++
			}
		}
		line, col := lineColumn([]byte(text), len(string(runes[:i])))
		if line != wantLine || col != wantCol {
			t.Fatalf("lineColumn = %d:%d, want %d:%d", line, col, wantLine, wantCol)
		}
	})
}

// FuzzParseJSON holds the strict reader to encoding/json: what it accepts,
// encoding/json reads to the same value; what it refuses that
// encoding/json accepts is one of the silent changes it exists to refuse.
func FuzzParseJSON(f *testing.F) {
	for _, s := range []string{`{}`, `[1, -0.5e+3, "a\u00e9\ud83d\ude00", true, false, null]`, `{"a": 1, "a": 2}`, `"\ud800"`, "\"\xff\"", `{"a": [{"b": {}}]}`, `01`, ` [ ] `} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tree, serr := parseJSON(data)
		want, stdErr := decodeStd(data)
		if stdErr == nil {
			// encoding/json stops after one value; trailing data is the caller's.
			var first any
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.Decode(&first)
			if _, err := dec.Token(); err != io.EOF {
				stdErr = errTrailing
			}
		}
		if serr == nil {
			if stdErr != nil {
				t.Fatalf("accepted what encoding/json refuses (%v): %q", stdErr, data)
			}
			if diff := cmp.Diff(want, toAny(tree)); diff != "" {
				t.Fatalf("%q (-encoding/json +parseJSON):\n%s", data, diff)
			}
			return
		}
		if stdErr == nil {
			strict := !utf8.Valid(data) || strings.Contains(serr.msg, "duplicate key") ||
				strings.Contains(serr.msg, "surrogate") || strings.Contains(serr.msg, "nest deeper")
			if !strict {
				t.Fatalf("refused what encoding/json accepts, for no strict reason: %s: %q", serr.msg, data)
			}
		}
	})
}

var errTrailing = errors.New("trailing data")
