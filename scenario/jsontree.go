package scenario

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// This file reads JSON (RFC 8259) into a tree that keeps the byte offset of
// every value and key, so that every error names its line and column, and
// refuses what encoding/json would silently change: invalid UTF-8 (replaced
// by U+FFFD), \u escapes of lone surrogates (replaced by U+FFFD) and
// duplicate object keys (the last one wins).

// MaxNesting caps how deeply arrays and objects nest in a scenario file; the
// format itself needs six levels.
const MaxNesting = 64

type jsonKind uint8

const (
	jNull jsonKind = iota
	jBool
	jNumber
	jString
	jArray
	jObject
)

func (k jsonKind) String() string {
	return [...]string{"null", "true or false", "a number", "a string", "an array", "an object"}[k]
}

// jsonNode is one JSON value.
type jsonNode struct {
	kind    jsonKind
	offset  int    // byte offset of the value's first byte
	text    string // a string's value or a number's text
	elems   []*jsonNode
	members []jsonMember // in file order, keys unique
}

type jsonMember struct {
	key       string
	keyOffset int
	value     *jsonNode
}

// member returns the value of key, or nil.
func (n *jsonNode) member(key string) *jsonNode {
	for i := range n.members {
		if n.members[i].key == key {
			return n.members[i].value
		}
	}
	return nil
}

// syntaxError is a JSON error at a byte offset.
type syntaxError struct {
	offset int
	msg    string
}

// parseJSON reads data as exactly one JSON value surrounded by optional
// whitespace.
func parseJSON(data []byte) (*jsonNode, *syntaxError) {
	if off, ok := firstInvalidUTF8(data); !ok {
		return nil, &syntaxError{off, fmt.Sprintf("invalid UTF-8 (byte 0x%02x); a scenario file must be UTF-8 text", data[off])}
	}
	if len(data) >= 3 && string(data[:3]) == "\uFEFF" {
		return nil, &syntaxError{0, "a byte order mark is not allowed before the JSON value"}
	}
	p := jsonParser{data: data}
	p.skipSpace()
	if p.pos == len(data) {
		return nil, &syntaxError{p.pos, "not valid JSON: the file is empty; want a JSON object"}
	}
	n, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos != len(data) {
		return nil, &syntaxError{p.pos, "not valid JSON: trailing data after the JSON value"}
	}
	return n, nil
}

// firstInvalidUTF8 returns the offset of the first byte that is not part of
// a valid UTF-8 sequence.
func firstInvalidUTF8(data []byte) (int, bool) {
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return i, false
		}
		i += size
	}
	return 0, true
}

type jsonParser struct {
	data []byte
	pos  int
}

func (p *jsonParser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// found describes the byte at the current position for an error.
func (p *jsonParser) found() string {
	if p.pos >= len(p.data) {
		return "the end of the file"
	}
	r, _ := utf8.DecodeRune(p.data[p.pos:])
	return fmt.Sprintf("%q", r)
}

// errorf reports a violation of the JSON grammar at the current position.
func (p *jsonParser) errorf(format string, args ...any) *syntaxError {
	return &syntaxError{p.pos, "not valid JSON: " + fmt.Sprintf(format, args...)}
}

func (p *jsonParser) value(depth int) (*jsonNode, *syntaxError) {
	if p.pos >= len(p.data) {
		return nil, p.errorf("want a JSON value, found the end of the file")
	}
	start := p.pos
	switch c := p.data[p.pos]; {
	case c == '{' || c == '[':
		if depth >= MaxNesting {
			return nil, &syntaxError{p.pos, fmt.Sprintf("arrays and objects nest deeper than %d levels", MaxNesting)}
		}
		if c == '{' {
			return p.object(depth + 1)
		}
		return p.array(depth + 1)
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return &jsonNode{kind: jString, offset: start, text: s}, nil
	case c == '-' || ('0' <= c && c <= '9'):
		return p.number()
	case c == 't':
		return p.literal("true", jBool)
	case c == 'f':
		return p.literal("false", jBool)
	case c == 'n':
		return p.literal("null", jNull)
	}
	return nil, p.errorf("want a JSON value, found %s", p.found())
}

func (p *jsonParser) literal(word string, kind jsonKind) (*jsonNode, *syntaxError) {
	start := p.pos
	if !strings.HasPrefix(string(p.data[p.pos:min(len(p.data), p.pos+len(word))]), word) {
		return nil, p.errorf("want a JSON value, found %s", p.found())
	}
	p.pos += len(word)
	return &jsonNode{kind: kind, offset: start, text: word}, nil
}

// number reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? (RFC 8259 §6).
func (p *jsonParser) number() (*jsonNode, *syntaxError) {
	start := p.pos
	digits := func() int {
		n := 0
		for p.pos < len(p.data) && '0' <= p.data[p.pos] && p.data[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	if p.data[p.pos] == '-' {
		p.pos++
	}
	intStart := p.pos
	if n := digits(); n == 0 {
		return nil, p.errorf("want a digit in a number, found %s", p.found())
	} else if n > 1 && p.data[intStart] == '0' {
		return nil, &syntaxError{intStart, "not valid JSON: a number may not start with 0 followed by more digits"}
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return nil, p.errorf("want a digit after the decimal point, found %s", p.found())
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return nil, p.errorf("want a digit in the exponent, found %s", p.found())
		}
	}
	return &jsonNode{kind: jNumber, offset: start, text: string(p.data[start:p.pos])}, nil
}

// str reads a string starting at the opening quote.
func (p *jsonParser) str() (string, *syntaxError) {
	p.pos++ // "
	start := p.pos
	// Fast path: no escapes.
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			s := string(p.data[start:p.pos])
			p.pos++
			return s, nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		p.pos++
	}
	var b strings.Builder
	b.Write(p.data[start:p.pos])
	for {
		if p.pos >= len(p.data) {
			return "", p.errorf("unterminated string")
		}
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return b.String(), nil
		case c < 0x20:
			return "", p.errorf("a control character (0x%02x) must be escaped in a string", c)
		case c != '\\':
			b.WriteByte(c)
			p.pos++
			continue
		}
		if p.pos+1 >= len(p.data) {
			p.pos++
			return "", p.errorf("unterminated string")
		}
		esc := p.pos
		p.pos += 2
		switch e := p.data[esc+1]; e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", &syntaxError{esc, "not valid JSON: a \\u escape needs four hexadecimal digits"}
			}
			if utf16.IsSurrogate(r) {
				// A character outside the BMP is a high surrogate escape
				// followed by a low one; anything else is no character.
				lo, ok := rune(-1), false
				if r < 0xDC00 && p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
					save := p.pos
					p.pos += 2
					if lo, ok = p.hex4(); !ok || lo < 0xDC00 || lo > 0xDFFF {
						p.pos, ok = save, false
					}
				}
				if !ok {
					return "", &syntaxError{esc, fmt.Sprintf("\\u%04x is half of a UTF-16 surrogate pair and no character; it would be read as U+FFFD", r)}
				}
				r = utf16.DecodeRune(r, lo)
			}
			b.WriteRune(r)
		default:
			p.pos = esc
			return "", p.errorf("invalid escape \\%c in a string", e)
		}
	}
}

func (p *jsonParser) hex4() (rune, bool) {
	if p.pos+4 > len(p.data) {
		return 0, false
	}
	var r rune
	for _, c := range p.data[p.pos : p.pos+4] {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	p.pos += 4
	return r, true
}

func (p *jsonParser) array(depth int) (*jsonNode, *syntaxError) {
	n := &jsonNode{kind: jArray, offset: p.pos}
	p.pos++ // [
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		n.elems = []*jsonNode{}
		return n, nil
	}
	for {
		p.skipSpace()
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		n.elems = append(n.elems, v)
		p.skipSpace()
		if p.pos < len(p.data) && p.data[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.data) && p.data[p.pos] == ']' {
			p.pos++
			return n, nil
		}
		return nil, p.errorf("want ',' or ']' after an array element, found %s", p.found())
	}
}

// smallObject is the member count up to which duplicate keys are found by
// a scan rather than a map.
const smallObject = 16

func (p *jsonParser) object(depth int) (*jsonNode, *syntaxError) {
	n := &jsonNode{kind: jObject, offset: p.pos}
	p.pos++ // {
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return n, nil
	}
	var seen map[string]int // key → offset, once the object is large
	for {
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, p.errorf("want a string key in an object, found %s", p.found())
		}
		keyOffset := p.pos
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		if prev, dup := n.lookup(key, seen); dup {
			line, col := lineColumn(p.data, prev)
			return nil, &syntaxError{keyOffset, fmt.Sprintf("duplicate key %q (first at line %d, column %d); a JSON reader would silently keep only the last", key, line, col)}
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, p.errorf("want ':' after the object key %q, found %s", key, p.found())
		}
		p.pos++
		p.skipSpace()
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		n.members = append(n.members, jsonMember{key: key, keyOffset: keyOffset, value: v})
		switch {
		case seen != nil:
			seen[key] = keyOffset
		case len(n.members) > smallObject:
			seen = make(map[string]int, 2*len(n.members))
			for _, m := range n.members {
				seen[m.key] = m.keyOffset
			}
		}
		p.skipSpace()
		if p.pos < len(p.data) && p.data[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.data) && p.data[p.pos] == '}' {
			p.pos++
			return n, nil
		}
		return nil, p.errorf("want ',' or '}' after an object member, found %s", p.found())
	}
}

// lookup returns the offset of key if it is already a member.
func (n *jsonNode) lookup(key string, seen map[string]int) (int, bool) {
	if seen != nil {
		off, ok := seen[key]
		return off, ok
	}
	for _, m := range n.members {
		if m.key == key {
			return m.keyOffset, true
		}
	}
	return 0, false
}

// lineColumn turns a byte offset into a 1-based line and a 1-based column
// counted in characters (Unicode code points; an invalid byte counts as
// one), as editors show them.
func lineColumn(data []byte, offset int) (line, column int) {
	offset = min(max(offset, 0), len(data))
	line, lineStart := 1, 0
	for i, c := range data[:offset] {
		if c == '\n' {
			line++
			lineStart = i + 1
		}
	}
	return line, utf8.RuneCount(data[lineStart:offset]) + 1
}
