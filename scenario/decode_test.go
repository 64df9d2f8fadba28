package scenario

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// decodeWithEncodingJSON is the second pass Parse used to make: the file
// decoded again by encoding/json, once the tree had checked it.
func decodeWithEncodingJSON(data []byte) (Scenario, error) {
	var s Scenario
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(&s)
	s.fillEmptyLists()
	return s, err
}

// fuzzSeedInputs returns the []byte inputs of the FuzzParse seed corpus.
func fuzzSeedInputs(t *testing.T) [][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzParse", "*"))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// "go test fuzz v1" then one []byte("...") line.
		lines := strings.SplitN(string(raw), "\n", 2)
		if len(lines) < 2 {
			continue
		}
		v := strings.TrimSpace(lines[1])
		if !strings.HasPrefix(v, "[]byte(") || !strings.HasSuffix(v, ")") {
			continue
		}
		s, err := strconv.Unquote(v[len("[]byte(") : len(v)-1])
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, []byte(s))
	}
	return out
}

// The tree decoder gives what encoding/json gives for every file Parse
// accepts: the whole corpus, the fuzz seeds, and edge cases of the format
// (empty arrays and objects, escapes, numbers in every notation).
func TestDecodeAgreesWithEncodingJSON(t *testing.T) {
	var inputs [][]byte
	for _, f := range readCorpus(t) {
		inputs = append(inputs, f.data)
	}
	inputs = append(inputs, fuzzSeedInputs(t)...)
	inputs = append(inputs, []byte(`{"format":1,"name":"n\u00e9\"","origin":"http://a.test","server":[],"steps":[
		{"at":1.5e0,"server":[{"method":"GET","url":"http://b.test/","status":200,"headers":[],"body":""}],
		 "fetch":{"url":"http://b.test/","headers":[["X-A","\ud83d\ude00"]],"body":"x"},
		 "expect":{"outcome":"response","type":"cors","status":-0,"url":"","redirected":false,"headers":[],"wire":[{"method":"GET","url":"u","headers":{}}],"error":"","console":""}},
		{"at":0,"fetch":{"url":"http://b.test/"},"expect":{"redirected":true,"wire":[]}}]}`))
	accepted := 0
	for i, data := range inputs {
		got, err := Parse("input-"+strconv.Itoa(i), data)
		if err != nil {
			continue
		}
		accepted++
		want, jerr := decodeWithEncodingJSON(data)
		if jerr != nil {
			t.Errorf("input %d: Parse accepts what encoding/json refuses: %v", i, jerr)
			continue
		}
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("input %d (%s): the tree decoder disagrees with encoding/json (-json +tree):\n%s", i, want.Name, diff)
		}
	}
	if accepted < 1000 {
		t.Fatalf("only %d inputs were accepted; the corpus is missing", accepted)
	}
}

// A field the tree decoder has no case for (one the schema gains later)
// makes Parse fall back to encoding/json rather than drop it.
func TestTreeDecoderReportsAnUnknownField(t *testing.T) {
	for _, doc := range []string{
		`{"format":1,"future":[1]}`,
		`{"steps":[{"fetch":{"url":"u","future":"x"}}]}`,
		`{"steps":[{"expect":{"wire":[{"method":"GET","future":{}}]}}]}`,
		`{"server":[{"method":"GET","future":true}]}`,
	} {
		tree, err := parseJSON([]byte(doc))
		if err != nil {
			t.Fatalf("%s: %s", doc, err.msg)
		}
		var d treeDecoder
		d.scenario(tree)
		if !d.unknown {
			t.Errorf("%s: the unknown field went unnoticed", doc)
		}
	}
	tree, _ := parseJSON([]byte(`{"format":1,"name":"n","origin":"o","steps":[{"at":0,"fetch":{"url":"u"},"expect":{"wire":[{"method":"GET","url":"u","headers":{}}]}}]}`))
	var d treeDecoder
	d.scenario(tree)
	if d.unknown {
		t.Errorf("a file of known fields was reported as holding an unknown one")
	}
}
