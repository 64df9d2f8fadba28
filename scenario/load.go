package scenario

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"slices"
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
// place (line and column, from 1; the column counts characters) when known,
// the field (as a path such as steps[2].fetch.mode) and what is wrong.
type LoadError struct {
	File         string
	Line, Column int // 0 when the error is not about one place in the file
	Field        string
	Msg          string
}

// Error reads "file:line:column: field: message", the form editors and
// terminals link to a place.
func (e *LoadError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
	}
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
// Unknown fields, wrong types and bad values are errors naming the field and
// its line and column. Parse never changes what it reads: invalid UTF-8, a
// \u escape of a lone surrogate and a duplicate object key are errors, not
// replaced or dropped. In the result, the top-level server and every rule's
// headers are non-nil, so that json.Marshal writes them as arrays again.
func Parse(name string, data []byte) (*Scenario, error) {
	if len(data) > MaxFileBytes {
		return nil, &LoadError{File: name, Msg: fmt.Sprintf("the file is larger than %d bytes", MaxFileBytes)}
	}
	tree, serr := parseJSON(data)
	if serr != nil {
		line, col := lineColumn(data, serr.offset)
		return nil, &LoadError{File: name, Line: line, Column: col, Msg: serr.msg}
	}
	if err := checkShape(tree, schemaOf(tree), nil); err != nil {
		err.File = name
		err.Line, err.Column = lineColumn(data, err.offset)
		return nil, &err.LoadError
	}
	// The shape is right, the text is valid UTF-8 with unique keys: the
	// tree holds exactly what the file says, and decodes as encoding/json
	// would decode the file (decode.go), which does so itself for a field
	// the tree decoder does not know.
	var d treeDecoder
	s := d.scenario(tree)
	if d.unknown {
		s = Scenario{}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&s); err != nil {
			return nil, &LoadError{File: name, Msg: err.Error()}
		}
	}
	s.fillEmptyLists()
	if err := s.validate(); err != nil {
		err.File = name
		err.Line, err.Column = lineColumn(data, locate(tree, err.Field))
		return nil, err
	}
	return &s, nil
}

// fillEmptyLists makes the lists the format writes as arrays non-nil, so
// that json.Marshal of a loaded scenario loads again.
func (s *Scenario) fillEmptyLists() {
	if s.Server == nil {
		s.Server = []Rule{}
	}
	fill := func(rules []Rule) {
		for i := range rules {
			if rules[i].Headers == nil {
				rules[i].Headers = []Header{}
			}
		}
	}
	fill(s.Server)
	for i := range s.Steps {
		fill(s.Steps[i].Server)
	}
}

// locate returns the offset of the value at a field path such as
// steps[0].fetch.headers[1][0], or of the deepest part of it that exists.
func locate(n *jsonNode, path string) int {
	off := n.offset
	for path != "" {
		switch {
		case path[0] == '[' && n.kind == jArray:
			end := strings.IndexByte(path, ']')
			if end < 0 {
				return off
			}
			i, err := strconv.Atoi(path[1:end])
			if err != nil || i < 0 || i >= len(n.elems) {
				return off
			}
			n, path = n.elems[i], path[end+1:]
		case n.kind == jObject:
			path = strings.TrimPrefix(path, ".")
			// The longest key the path goes on from: keys may hold '.'.
			var next *jsonNode
			keyLen := -1
			for _, m := range n.members {
				k := m.key
				if len(k) > keyLen && strings.HasPrefix(path, k) && (len(path) == len(k) || path[len(k)] == '.' || path[len(k)] == '[') {
					next, keyLen = m.value, len(k)
				}
			}
			if next == nil {
				return off
			}
			n, path = next, path[keyLen:]
		default:
			return off
		}
		off = n.offset
	}
	return off
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
	keys     []string         // for kStringMap: the keys allowed
	holder   string           // for kStringMap: what holds them, for messages
}

var (
	pairArray    = field{kind: kArray, elem: &field{kind: kPair}}
	ruleSchema   = map[string]field{"method": {kind: kString, required: true}, "url": {kind: kString, required: true}, "status": {kind: kInt, required: true}, "headers": pairArray, "body": {kind: kString}}
	rulesArray   = field{kind: kArray, elem: &field{kind: kObject, object: ruleSchema}}
	fetchSchema  = map[string]field{"url": {kind: kString, required: true}, "method": {kind: kString}, "mode": {kind: kString}, "credentials": {kind: kString}, "redirect": {kind: kString}, "headers": pairArray, "body": {kind: kString}}
	cookieSchema = map[string]field{"url": {kind: kString, required: true}, "set": {kind: kString, required: true}}
	// topSchemaV1 and topSchemaV2 differ in the request headers a wire
	// entry records.
	topSchemaV1 = topSchema(wireHeaderNames[:], "a wire entry")
	topSchemaV2 = topSchema(wireHeaderNamesV2[:], "a format 2 wire entry")
)

// topSchema is the schema of a whole file whose wire entries, called
// holder in messages, record the request headers wireNames.
func topSchema(wireNames []string, holder string) map[string]field {
	wireSchema := map[string]field{"method": {kind: kString, required: true}, "url": {kind: kString, required: true}, "headers": {kind: kStringMap, required: true, keys: wireNames, holder: holder}}
	expectSchema := map[string]field{
		"outcome": {kind: kString}, "type": {kind: kString}, "status": {kind: kInt}, "url": {kind: kString},
		"redirected": {kind: kBool}, "headers": {kind: kArray, elem: &field{kind: kString}},
		"wire":  {kind: kArray, elem: &field{kind: kObject, object: wireSchema}},
		"error": {kind: kString}, "console": {kind: kString},
	}
	stepSchema := map[string]field{"at": {kind: kNumber, required: true}, "server": rulesArray, "fetch": {kind: kObject, required: true, object: fetchSchema}, "expect": {kind: kObject, required: true, object: expectSchema}}
	return map[string]field{
		"format": {kind: kInt, required: true}, "name": {kind: kString, required: true}, "origin": {kind: kString, required: true},
		"browser": {kind: kString}, "server": rulesArray,
		"cookies": {kind: kArray, elem: &field{kind: kObject, object: cookieSchema}},
		"steps":   {kind: kArray, required: true, elem: &field{kind: kObject, object: stepSchema}},
	}
}

// schemaOf picks the schema of the format a file declares; a file without a
// readable format is checked as version 1, which reports what is wrong.
func schemaOf(tree *jsonNode) map[string]field {
	if f := tree.member("format"); f != nil && f.kind == jNumber && f.text == "2" {
		return topSchemaV2
	}
	return topSchemaV1
}

// shapeError is a LoadError found at a byte offset.
type shapeError struct {
	LoadError
	offset int
}

// checkShape walks a JSON object against a schema, so that an unknown or
// mistyped field is reported with its full path and its place.
// The path of the value being checked is spelled out only for an error.
func checkShape(n *jsonNode, schema map[string]field, path *fieldPath) *shapeError {
	if n.kind != jObject {
		return mistyped(n, orTop(path.String()), "a JSON object")
	}
	for _, m := range n.members {
		if _, ok := schema[m.key]; !ok {
			return &shapeError{LoadError{Field: fieldPathString(path, m.key), Msg: fmt.Sprintf("unknown field %q (allowed: %s)", m.key, strings.Join(keys(schema), ", "))}, m.keyOffset}
		}
	}
	var buf [16]string
	for _, k := range sortedKeys(buf[:0], schema) {
		f := schema[k]
		val := n.member(k)
		if val == nil {
			if f.required {
				return &shapeError{LoadError{Field: fieldPathString(path, k), Msg: "is required"}, n.offset}
			}
			continue
		}
		child := path.key(k)
		if err := checkValue(val, f, &child); err != nil {
			return err
		}
	}
	return nil
}

// fieldPath is where a value sits in the file, as a chain from the top
// that the checks build on the stack: a key, or an index when key is "".
type fieldPath struct {
	parent *fieldPath
	name   string
	index  int
}

func (p *fieldPath) key(k string) fieldPath { return fieldPath{parent: p, name: k} }
func (p *fieldPath) at(i int) fieldPath     { return fieldPath{parent: p, index: i} }

func fieldPathString(p *fieldPath, k string) string {
	child := p.key(k)
	return child.String()
}

func fieldPathIndexString(p *fieldPath, i int) string {
	child := p.at(i)
	return child.String()
}

// String spells the path as LoadError.Field does: keys joined by '.', an
// index in brackets, "" at the top.
func (p *fieldPath) String() string {
	return string(p.appendTo(nil))
}

func (p *fieldPath) appendTo(b []byte) []byte {
	if p == nil {
		return b
	}
	b = p.parent.appendTo(b)
	if p.name == "" {
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(p.index), 10)
		return append(b, ']')
	}
	if len(b) > 0 {
		b = append(b, '.')
	}
	return append(b, p.name...)
}

// mistyped reports a value of the wrong JSON type.
func mistyped(n *jsonNode, path, want string) *shapeError {
	return &shapeError{LoadError{Field: path, Msg: fmt.Sprintf("must be %s, got %s", want, n.kind)}, n.offset}
}

func checkValue(n *jsonNode, f field, at *fieldPath) *shapeError {
	switch f.kind {
	case kString:
		if n.kind != jString {
			return mistyped(n, at.String(), "a string")
		}
	case kBool:
		if n.kind != jBool {
			return mistyped(n, at.String(), "true or false")
		}
	case kInt:
		if n.kind != jNumber {
			return mistyped(n, at.String(), "an integer")
		}
		if _, err := strconv.ParseInt(n.text, 10, 32); err != nil {
			return &shapeError{LoadError{Field: at.String(), Msg: fmt.Sprintf("must be an integer, got %s", n.text)}, n.offset}
		}
	case kNumber:
		if n.kind != jNumber {
			return mistyped(n, at.String(), "a number")
		}
		x, err := strconv.ParseFloat(n.text, 64)
		if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
			return &shapeError{LoadError{Field: at.String(), Msg: fmt.Sprintf("must be a finite number, got %s", n.text)}, n.offset}
		}
	case kPair:
		if n.kind != jArray || len(n.elems) != 2 {
			return &shapeError{LoadError{Field: at.String(), Msg: "must be a [name, value] pair"}, n.offset}
		}
		for i, x := range n.elems {
			if x.kind != jString {
				return mistyped(x, fieldPathIndexString(at, i), "a string")
			}
		}
	case kStringMap:
		if n.kind != jObject {
			return mistyped(n, at.String(), "an object of strings")
		}
		for _, m := range n.members {
			if !oneOf(m.key, f.keys...) {
				return &shapeError{LoadError{Field: fieldPathString(at, m.key), Msg: f.holder + " records only " + strings.Join(f.keys[:len(f.keys)-1], ", ") + " and " + f.keys[len(f.keys)-1]}, m.keyOffset}
			}
			if m.value.kind != jString {
				return mistyped(m.value, fieldPathString(at, m.key), "a string")
			}
		}
	case kObject:
		return checkShape(n, f.object, at)
	case kArray:
		if n.kind != jArray {
			return mistyped(n, at.String(), "an array")
		}
		for i, x := range n.elems {
			child := at.at(i)
			if err := checkValue(x, *f.elem, &child); err != nil {
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

// sortedKeys appends m's keys to buf in order; with room in buf it does
// not allocate.
func sortedKeys(buf []string, m map[string]field) []string {
	for k := range m {
		buf = append(buf, k)
	}
	slices.Sort(buf)
	return buf
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
	if s.Format != 1 && s.Format != 2 {
		return &LoadError{Field: "format", Msg: fmt.Sprintf("must be 1 or 2, got %d", s.Format)}
	}
	if err := validateCookies(s.Format, s.Cookies); err != nil {
		return err
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
		if err := st.Expect.validate(p+".expect", s.Format); err != nil {
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

// validateCookies checks format 2's cookies: an http(s) URL and a
// Set-Cookie line that parses.
func validateCookies(format int, cookies []Cookie) *LoadError {
	if len(cookies) > 0 && format < 2 {
		return &LoadError{Field: "cookies", Msg: "needs format 2"}
	}
	for i, c := range cookies {
		p := fmt.Sprintf("cookies[%d]", i)
		u, err := weburl.Parse(c.URL)
		if err != nil || !u.IsHTTPScheme() {
			return &LoadError{Field: p + ".url", Msg: fmt.Sprintf("must be an absolute http or https URL, got %q", c.URL)}
		}
		if _, err := http.ParseSetCookie(c.Set); err != nil {
			return &LoadError{Field: p + ".set", Msg: fmt.Sprintf("is not a Set-Cookie value: %v", err)}
		}
	}
	return nil
}

func (e *Expect) validate(path string, format int) *LoadError {
	if !oneOf(e.Outcome, "", "ok", "network-error") {
		return &LoadError{Field: path + ".outcome", Msg: fmt.Sprintf("must be ok or network-error, got %q", e.Outcome)}
	}
	if e.Type != nil && !oneOf(*e.Type, "basic", "cors", "opaque", "opaqueredirect") {
		return &LoadError{Field: path + ".type", Msg: fmt.Sprintf("must be basic, cors, opaque or opaqueredirect, got %q", *e.Type)}
	}
	// The names a wire entry records are checked with the shape, in file
	// order, under the file's format (checkValue, kStringMap).
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
