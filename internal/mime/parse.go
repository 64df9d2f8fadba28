// Package mime implements the WHATWG MIME Sniffing standard's MIME type parser and serializer.
package mime

import (
	"strings"

	"github.com/corsim/corsim/internal/httpheader"
)

// Type is a MIME type record (https://mimesniff.spec.whatwg.org/#mime-type).
// Type and Subtype are ASCII-lowercase HTTP tokens; Params holds the
// parameters in order with unique, lower-case names. The zero Type is not a
// valid MIME type.
//
// Strings hold the isomorphic decoding of the header bytes: each byte is one
// code point, so parameter values may contain bytes 0x80-0xFF as they are.
type Type struct {
	Type    string
	Subtype string
	Params  []Param
}

// Param is one MIME type parameter. Name is an ASCII-lowercase HTTP token;
// Value contains only HTTP quoted-string token code points.
type Param struct {
	Name  string
	Value string
}

// quotedStringTokenTable implements "HTTP quoted-string token code point"
// (https://mimesniff.spec.whatwg.org/#http-quoted-string-token-code-point):
//
//	U+0009 TAB / U+0020 SPACE to U+007E (~) / U+0080 to U+00FF (ÿ)
//
// It is never written after initialisation.
var quotedStringTokenTable = func() (t [256]bool) {
	t['\t'] = true
	for c := 0x20; c <= 0x7E; c++ {
		t[c] = true
	}
	for c := 0x80; c <= 0xFF; c++ {
		t[c] = true
	}
	return t
}()

// IsQuotedStringTokenByte reports whether b, read as a code point, is an HTTP
// quoted-string token code point.
func IsQuotedStringTokenByte(b byte) bool { return quotedStringTokenTable[b] }

func onlyQuotedStringTokenBytes(s string) bool {
	for i := 0; i < len(s); i++ {
		if !quotedStringTokenTable[s[i]] {
			return false
		}
	}
	return true
}

// paramMapThreshold is the parameter count above which Parse tracks seen
// names in a map, keeping hostile inputs with thousands of parameters linear.
const paramMapThreshold = 16

// Parse implements "parse a MIME type"
// (https://mimesniff.spec.whatwg.org/#parse-a-mime-type). ok is false where
// the algorithm returns failure. Each byte of s is one code point (the
// isomorphic decoding of a header value).
func Parse(s string) (t Type, ok bool) {
	// Parse a MIME type, step 1: trim HTTP whitespace.
	input := httpheader.TrimHTTPWhitespace(s)
	// Steps 2-4: the type runs up to '/' and must be a non-empty token.
	slash := strings.IndexByte(input, '/')
	if slash < 0 {
		// Step 3 collects everything; step 5 then fails (past the end).
		return Type{}, false
	}
	typ := input[:slash]
	if !httpheader.IsToken(typ) {
		return Type{}, false
	}
	// Step 6: skip '/'.
	position := slash + 1
	// Step 7: the subtype runs up to ';'.
	end := strings.IndexByte(input[position:], ';')
	if end < 0 {
		end = len(input)
	} else {
		end += position
	}
	// Step 8: remove trailing HTTP whitespace.
	subtype := trimTrailingWhitespace(input[position:end])
	// Step 9.
	if !httpheader.IsToken(subtype) {
		return Type{}, false
	}
	// Step 10.
	t = Type{Type: httpheader.LowerASCII(typ), Subtype: httpheader.LowerASCII(subtype)}
	position = end
	var seen map[string]struct{}
	// Step 11.
	for position < len(input) {
		// Step 11.1: skip ';'.
		position++
		// Step 11.2: skip HTTP whitespace.
		for position < len(input) && httpheader.IsHTTPWhitespaceByte(input[position]) {
			position++
		}
		// Step 11.3: the name runs up to ';' or '='.
		nameStart := position
		for position < len(input) && input[position] != ';' && input[position] != '=' {
			position++
		}
		// Step 11.4.
		name := httpheader.LowerASCII(input[nameStart:position])
		// Step 11.5.
		if position < len(input) {
			if input[position] == ';' {
				continue
			}
			position++ // skip '='
		}
		// Step 11.6.
		if position >= len(input) {
			break
		}
		// Steps 11.7-11.9.
		var value string
		if input[position] == '"' {
			// Step 11.8.1: collect an HTTP quoted string with extract-value.
			value, position = collectQuotedValue(input, position)
			// Step 11.8.2: ignore anything up to the next ';'.
			for position < len(input) && input[position] != ';' {
				position++
			}
		} else {
			// Step 11.9.1.
			valueStart := position
			for position < len(input) && input[position] != ';' {
				position++
			}
			// Step 11.9.2.
			value = trimTrailingWhitespace(input[valueStart:position])
			// Step 11.9.3.
			if value == "" {
				continue
			}
		}
		// Step 11.10: keep the first valid occurrence of each name.
		if name == "" || !httpheader.IsToken(name) || !onlyQuotedStringTokenBytes(value) {
			continue
		}
		if seen != nil {
			if _, dup := seen[name]; dup {
				continue
			}
		} else if hasParam(t.Params, name) {
			continue
		}
		t.Params = append(t.Params, Param{Name: name, Value: value})
		if seen != nil {
			seen[name] = struct{}{}
		} else if len(t.Params) == paramMapThreshold {
			seen = make(map[string]struct{}, 2*paramMapThreshold)
			for _, p := range t.Params {
				seen[p.Name] = struct{}{}
			}
		}
	}
	// Step 12.
	return t, true
}

func hasParam(ps []Param, name string) bool {
	for _, p := range ps {
		if p.Name == name {
			return true
		}
	}
	return false
}

func trimTrailingWhitespace(s string) string {
	end := len(s)
	for end > 0 && httpheader.IsHTTPWhitespaceByte(s[end-1]) {
		end--
	}
	return s[:end]
}

// collectQuotedValue implements "collect an HTTP quoted string" with
// extract-value set (https://fetch.spec.whatwg.org/#collect-an-http-quoted-string).
// input[position] must be '"'. It returns the unescaped value and the new
// position. Values without escapes are substrings of input.
func collectQuotedValue(input string, position int) (string, int) {
	// Collect an HTTP quoted string, steps 1-4.
	position++
	start := position
	var b []byte // nil until an escape forces a copy
	for {
		// Step 5.1.
		runStart := position
		for position < len(input) && input[position] != '"' && input[position] != '\\' {
			position++
		}
		if b != nil {
			b = append(b, input[runStart:position]...)
		}
		// Step 5.2.
		if position >= len(input) {
			break
		}
		// Steps 5.3-5.4.
		quoteOrBackslash := input[position]
		position++
		if quoteOrBackslash == '"' {
			// Step 5.6.
			if b == nil {
				return input[start : position-1], position
			}
			break
		}
		// Step 5.5.
		if b == nil {
			b = append(make([]byte, 0, len(input)-start), input[start:position-1]...)
		}
		if position >= len(input) {
			b = append(b, '\\')
			break
		}
		b = append(b, input[position])
		position++
	}
	// Step 6.
	if b == nil {
		return input[start:position], position
	}
	return string(b), position
}

// Essence returns the MIME type's essence
// (https://mimesniff.spec.whatwg.org/#mime-type-essence): type "/" subtype.
func (t Type) Essence() string { return t.Type + "/" + t.Subtype }

// String implements "serialize a MIME type"
// (https://mimesniff.spec.whatwg.org/#serialize-a-mime-type).
func (t Type) String() string {
	var b strings.Builder
	// Serialize a MIME type, step 1.
	b.WriteString(t.Type)
	b.WriteByte('/')
	b.WriteString(t.Subtype)
	// Step 2.
	for _, p := range t.Params {
		// Steps 2.1-2.3.
		b.WriteByte(';')
		b.WriteString(p.Name)
		b.WriteByte('=')
		// Step 2.4: quote values that are empty or not a token.
		if httpheader.IsToken(p.Value) {
			b.WriteString(p.Value)
			continue
		}
		b.WriteByte('"')
		for i := 0; i < len(p.Value); i++ {
			if c := p.Value[i]; c == '"' || c == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(p.Value[i])
		}
		b.WriteByte('"')
	}
	// Step 3.
	return b.String()
}
