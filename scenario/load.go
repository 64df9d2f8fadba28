package scenario

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/corsim/corsim/internal/httpheader"
	"github.com/corsim/corsim/internal/weburl"
	"github.com/corsim/corsim/origin"
	"github.com/corsim/corsim/profile"
)

// MaxFileBytes caps the size of a scenario file.
const MaxFileBytes = 8 << 20

// LoadError is a scenario file that cannot be used: it names the file, the
// field (as a path such as steps[2].fetch.mode) and what is wrong.
type LoadError struct {
	File  string
	Field string
	Msg   string
}

func (e *LoadError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Field != "" {
		b.WriteString(": ")
		b.WriteString(e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// LoadFile reads and validates the scenario file at path.
func LoadFile(path string) (*Scenario, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &LoadError{File: path, Msg: err.Error()}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, &LoadError{File: path, Msg: err.Error()}
	}
	return Parse(path, data)
}

// Parse validates data as a scenario file; name is used in errors.
// Unknown fields, wrong types and bad values are errors naming the field.
func Parse(name string, data []byte) (*Scenario, error) {
	if len(data) > MaxFileBytes {
		return nil, &LoadError{File: name, Msg: fmt.Sprintf("the file is larger than %d bytes", MaxFileBytes)}
	}
	var raw any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, &LoadError{File: name, Msg: "not valid JSON: " + err.Error()}
	}
	if dec.More() {
		return nil, &LoadError{File: name, Msg: "trailing data after the JSON object"}
	}
	if err := checkShape(raw, topSchema, ""); err != nil {
		err.File = name
		return nil, err
	}
	var s Scenario
	dec = json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, &LoadError{File: name, Msg: err.Error()}
	}
	if err := s.validate(); err != nil {
		err.File = name
		return nil, err
	}
	return &s, nil
}

// kind is the JSON type a field must have.
type kind uint8

const (
	kString kind = iota
	kInt
	kNumber
	kBool
	kObject
	kArray
	kStringMap
	kPair
)

// field describes one allowed field: its kind, whether it is required, and
// for objects and arrays the schema of their contents.
type field struct {
	kind     kind
	required bool
	object   map[string]field // for kObject, and element of kArray when set
	elem     *field           // for kArray
}

var (
	pairArray    = field{kind: kArray, elem: &field{kind: kPair}}
	ruleSchema   = map[string]field{"method": {kind: kString, required: true}, "url": {kind: kString, required: true}, "status": {kind: kInt, required: true}, "headers": pairArray, "body": {kind: kString}}
	rulesArray   = field{kind: kArray, elem: &field{kind: kObject, object: ruleSchema}}
	fetchSchema  = map[string]field{"url": {kind: kString, required: true}, "method": {kind: kString}, "mode": {kind: kString}, "credentials": {kind: kString}, "redirect": {kind: kString}, "headers": pairArray, "body": {kind: kString}}
	wireSchema   = map[string]field{"method": {kind: kString, required: true}, "url": {kind: kString, required: true}, "headers": {kind: kStringMap, required: true}}
	expectSchema = map[string]field{
		"outcome": {kind: kString}, "type": {kind: kString}, "status": {kind: kInt}, "url": {kind: kString},
		"redirected": {kind: kBool}, "headers": {kind: kArray, elem: &field{kind: kString}},
		"wire":  {kind: kArray, elem: &field{kind: kObject, object: wireSchema}},
		"error": {kind: kString}, "console": {kind: kString},
	}
	stepSchema = map[string]field{"at": {kind: kNumber, required: true}, "server": rulesArray, "fetch": {kind: kObject, required: true, object: fetchSchema}, "expect": {kind: kObject, required: true, object: expectSchema}}
	topSchema  = map[string]field{
		"format": {kind: kInt, required: true}, "name": {kind: kString, required: true}, "origin": {kind: kString, required: true},
		"browser": {kind: kString}, "server": rulesArray,
		"steps": {kind: kArray, required: true, elem: &field{kind: kObject, object: stepSchema}},
	}
)

// checkShape walks a decoded JSON value against a schema, so that an unknown
// or mistyped field is reported with its full path.
func checkShape(v any, schema map[string]field, path string) *LoadError {
	obj, ok := v.(map[string]any)
	if !ok {
		return &LoadError{Field: orTop(path), Msg: "must be a JSON object"}
	}
	for k := range obj {
		if _, ok := schema[k]; !ok {
			return &LoadError{Field: join(path, k), Msg: fmt.Sprintf("unknown field %q (allowed: %s)", k, strings.Join(keys(schema), ", "))}
		}
	}
	for _, k := range keys(schema) {
		f := schema[k]
		val, present := obj[k]
		if !present {
			if f.required {
				return &LoadError{Field: join(path, k), Msg: "is required"}
			}
			continue
		}
		if err := checkValue(val, f, join(path, k)); err != nil {
			return err
		}
	}
	return nil
}

func checkValue(v any, f field, path string) *LoadError {
	switch f.kind {
	case kString:
		if _, ok := v.(string); !ok {
			return &LoadError{Field: path, Msg: "must be a string"}
		}
	case kBool:
		if _, ok := v.(bool); !ok {
			return &LoadError{Field: path, Msg: "must be true or false"}
		}
	case kInt:
		n, ok := v.(json.Number)
		if !ok {
			return &LoadError{Field: path, Msg: "must be an integer"}
		}
		if _, err := strconv.ParseInt(string(n), 10, 32); err != nil {
			return &LoadError{Field: path, Msg: fmt.Sprintf("must be an integer, got %s", n)}
		}
	case kNumber:
		n, ok := v.(json.Number)
		if !ok {
			return &LoadError{Field: path, Msg: "must be a number"}
		}
		x, err := n.Float64()
		if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
			return &LoadError{Field: path, Msg: fmt.Sprintf("must be a finite number, got %s", n)}
		}
	case kPair:
		arr, ok := v.([]any)
		if !ok || len(arr) != 2 {
			return &LoadError{Field: path, Msg: "must be a [name, value] pair"}
		}
		for i, x := range arr {
			if _, ok := x.(string); !ok {
				return &LoadError{Field: fmt.Sprintf("%s[%d]", path, i), Msg: "must be a string"}
			}
		}
	case kStringMap:
		m, ok := v.(map[string]any)
		if !ok {
			return &LoadError{Field: path, Msg: "must be an object of strings"}
		}
		for k, x := range m {
			if _, ok := x.(string); !ok {
				return &LoadError{Field: join(path, k), Msg: "must be a string"}
			}
		}
	case kObject:
		return checkShape(v, f.object, path)
	case kArray:
		arr, ok := v.([]any)
		if !ok {
			return &LoadError{Field: path, Msg: "must be an array"}
		}
		for i, x := range arr {
			if err := checkValue(x, *f.elem, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func orTop(path string) string {
	if path == "" {
		return "(top level)"
	}
	return path
}

func keys(m map[string]field) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// validate checks the values the schema cannot.
func (s *Scenario) validate() *LoadError {
	if s.Format != 1 {
		return &LoadError{Field: "format", Msg: fmt.Sprintf("must be 1, got %d", s.Format)}
	}
	if strings.ContainsAny(s.Name, "\r\n") {
		return &LoadError{Field: "name", Msg: "must be one line"}
	}
	if s.Origin != "null" {
		if _, err := origin.Parse(s.Origin); err != nil {
			return &LoadError{Field: "origin", Msg: err.Error()}
		}
	}
	if _, err := profile.ForBrowser(s.Browser); err != nil {
		return &LoadError{Field: "browser", Msg: err.Error()}
	}
	if err := validateRules(s.Server, "server"); err != nil {
		return err
	}
	last := 0.0
	for i, st := range s.Steps {
		p := fmt.Sprintf("steps[%d]", i)
		if st.At < 0 || st.At < last {
			return &LoadError{Field: p + ".at", Msg: fmt.Sprintf("must be non-negative and non-decreasing, got %v after %v", st.At, last)}
		}
		last = st.At
		if err := validateRules(st.Server, p+".server"); err != nil {
			return err
		}
		// steps[i].fetch holds whatever a script can pass to fetch(): a
		// relative or malformed URL, any mode, credentials or redirect
		// string, any header name and value. The engine simulates how
		// fetch() treats each (FORMAT.md, "fetch"); nothing is refused.
		if err := st.Expect.validate(p + ".expect"); err != nil {
			return err
		}
	}
	if len(s.Steps) == 0 {
		return &LoadError{Field: "steps", Msg: "must hold at least one step"}
	}
	return nil
}

func validateRules(rules []Rule, path string) *LoadError {
	for i, r := range rules {
		p := fmt.Sprintf("%s[%d]", path, i)
		// The method and URL only select the rule; a rule that matches no
		// request is inert, but a typo here would hide a case, so both must
		// be well formed.
		if !httpheader.IsToken(r.Method) {
			return &LoadError{Field: p + ".method", Msg: fmt.Sprintf("%q is not an HTTP method token", r.Method)}
		}
		if _, err := weburl.Parse(r.URL); err != nil {
			return &LoadError{Field: p + ".url", Msg: err.Error()}
		}
		// Status and headers are what the server puts on the wire: any
		// integer is written as the status code, and any name and value as
		// a header line, byte for byte (FORMAT.md, "Rule"); the engine
		// simulates how a browser reads them.
		if r.Status < 0 {
			return &LoadError{Field: p + ".status", Msg: fmt.Sprintf("must be a non-negative integer, got %d", r.Status)}
		}
	}
	return nil
}

func (e *Expect) validate(path string) *LoadError {
	if !oneOf(e.Outcome, "", "ok", "network-error") {
		return &LoadError{Field: path + ".outcome", Msg: fmt.Sprintf("must be ok or network-error, got %q", e.Outcome)}
	}
	if e.Type != nil && !oneOf(*e.Type, "basic", "cors", "opaque", "opaqueredirect") {
		return &LoadError{Field: path + ".type", Msg: fmt.Sprintf("must be basic, cors, opaque or opaqueredirect, got %q", *e.Type)}
	}
	if e.Wire != nil {
		for i, w := range *e.Wire {
			for k := range w.Headers {
				if !oneOf(k, wireHeaderNames[:]...) {
					return &LoadError{Field: fmt.Sprintf("%s.wire[%d].headers.%s", path, i, k), Msg: "a wire entry records only origin, access-control-request-method, access-control-request-headers and content-type"}
				}
			}
		}
	}
	return nil
}

func oneOf(s string, options ...string) bool {
	for _, o := range options {
		if s == o {
			return true
		}
	}
	return false
}
