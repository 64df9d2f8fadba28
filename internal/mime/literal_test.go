package mime

// A slow, literal transcription of MIME Sniffing's "parse a MIME type" and
// "serialize a MIME type", kept for differential tests and fuzzing. It works
// on code points with position variables and builds strings by appending,
// exactly as the steps read.

import "slices"

func litIsHTTPWhitespace(c rune) bool { return c == 0x0A || c == 0x0D || c == 0x09 || c == 0x20 }

// litIsHTTPTokenCodePoint: U+0021 (!), U+0023 (#), U+0024 ($), U+0025 (%),
// U+0026 (&), U+0027 ('), U+002A (*), U+002B (+), U+002D (-), U+002E (.),
// U+005E (^), U+005F (_), U+0060 (`), U+007C (|), U+007E (~), or an ASCII
// alphanumeric.
func litIsHTTPTokenCodePoint(c rune) bool {
	switch c {
	case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E:
		return true
	}
	return (0x30 <= c && c <= 0x39) || (0x41 <= c && c <= 0x5A) || (0x61 <= c && c <= 0x7A)
}

// litIsQuotedStringTokenCodePoint: U+0009 TAB, a code point in the range
// U+0020 SPACE to U+007E (~), inclusive, or a code point in the range U+0080
// through U+00FF (ÿ), inclusive.
func litIsQuotedStringTokenCodePoint(c rune) bool {
	return c == 0x09 || (0x20 <= c && c <= 0x7E) || (0x80 <= c && c <= 0xFF)
}

func litSolely(s []rune, pred func(rune) bool) bool {
	for _, c := range s {
		if !pred(c) {
			return false
		}
	}
	return true
}

func litASCIILowercase(s []rune) []rune {
	out := slices.Clone(s)
	for i, c := range out {
		if 'A' <= c && c <= 'Z' {
			out[i] = c + 0x20
		}
	}
	return out
}

func litCollect(input []rune, position *int, pred func(rune) bool) []rune {
	var result []rune
	for *position < len(input) && pred(input[*position]) {
		result = append(result, input[*position])
		*position++
	}
	return result
}

func litRemoveTrailingWhitespace(s []rune) []rune {
	for len(s) > 0 && litIsHTTPWhitespace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

func litCollectQuotedString(input []rune, position *int, extractValue bool) []rune {
	positionStart := *position
	var value []rune
	*position++
	for {
		value = append(value, litCollect(input, position, func(c rune) bool { return c != '"' && c != '\\' })...)
		if *position >= len(input) {
			break
		}
		quoteOrBackslash := input[*position]
		*position++
		if quoteOrBackslash == '\\' {
			if *position >= len(input) {
				value = append(value, '\\')
				break
			}
			value = append(value, input[*position])
			*position++
		} else {
			break
		}
	}
	if extractValue {
		return value
	}
	return slices.Clone(input[positionStart:min(*position, len(input))])
}

type litParam struct{ name, value []rune }

type litMIMEType struct {
	typ, subtype []rune
	parameters   []litParam // an ordered map
}

func (m *litMIMEType) has(name []rune) bool {
	for _, p := range m.parameters {
		if slices.Equal(p.name, name) {
			return true
		}
	}
	return false
}

func toRunes(s string) []rune {
	r := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		r[i] = rune(s[i])
	}
	return r
}

func fromRunes(r []rune) string {
	b := make([]byte, len(r))
	for i, c := range r {
		b[i] = byte(c)
	}
	return string(b)
}

// literalParse transcribes https://mimesniff.spec.whatwg.org/#parse-a-mime-type.
func literalParse(s string) (*litMIMEType, bool) {
	input := toRunes(s)
	// 1. Remove any leading and trailing HTTP whitespace from input.
	for len(input) > 0 && litIsHTTPWhitespace(input[0]) {
		input = input[1:]
	}
	input = litRemoveTrailingWhitespace(input)
	// 2.
	position := 0
	// 3.
	typ := litCollect(input, &position, func(c rune) bool { return c != '/' })
	// 4.
	if len(typ) == 0 || !litSolely(typ, litIsHTTPTokenCodePoint) {
		return nil, false
	}
	// 5.
	if position >= len(input) {
		return nil, false
	}
	// 6.
	position++
	// 7.
	subtype := litCollect(input, &position, func(c rune) bool { return c != ';' })
	// 8.
	subtype = litRemoveTrailingWhitespace(subtype)
	// 9.
	if len(subtype) == 0 || !litSolely(subtype, litIsHTTPTokenCodePoint) {
		return nil, false
	}
	// 10.
	mimeType := &litMIMEType{typ: litASCIILowercase(typ), subtype: litASCIILowercase(subtype)}
	// 11.
	for position < len(input) {
		// 11.1.
		position++
		// 11.2.
		litCollect(input, &position, litIsHTTPWhitespace)
		// 11.3.
		parameterName := litCollect(input, &position, func(c rune) bool { return c != ';' && c != '=' })
		// 11.4.
		parameterName = litASCIILowercase(parameterName)
		// 11.5.
		if position < len(input) {
			if input[position] == ';' {
				continue
			}
			position++
		}
		// 11.6.
		if position >= len(input) {
			break
		}
		// 11.7.
		var parameterValue []rune
		if input[position] == '"' {
			// 11.8.
			parameterValue = litCollectQuotedString(input, &position, true)
			litCollect(input, &position, func(c rune) bool { return c != ';' })
		} else {
			// 11.9.
			parameterValue = litCollect(input, &position, func(c rune) bool { return c != ';' })
			parameterValue = litRemoveTrailingWhitespace(parameterValue)
			if len(parameterValue) == 0 {
				continue
			}
		}
		// 11.10.
		if len(parameterName) != 0 &&
			litSolely(parameterName, litIsHTTPTokenCodePoint) &&
			litSolely(parameterValue, litIsQuotedStringTokenCodePoint) &&
			!mimeType.has(parameterName) {
			mimeType.parameters = append(mimeType.parameters, litParam{parameterName, parameterValue})
		}
	}
	// 12.
	return mimeType, true
}

// literalSerialize transcribes https://mimesniff.spec.whatwg.org/#serialize-a-mime-type.
func literalSerialize(m *litMIMEType) string {
	// 1.
	serialization := append(append(slices.Clone(m.typ), '/'), m.subtype...)
	// 2.
	for _, p := range m.parameters {
		serialization = append(serialization, ';')
		serialization = append(serialization, p.name...)
		serialization = append(serialization, '=')
		value := p.value
		if !litSolely(value, litIsHTTPTokenCodePoint) || len(value) == 0 {
			var escaped []rune
			for _, c := range value {
				if c == '"' || c == '\\' {
					escaped = append(escaped, '\\')
				}
				escaped = append(escaped, c)
			}
			value = append(append([]rune{'"'}, escaped...), '"')
		}
		serialization = append(serialization, value...)
	}
	// 3.
	return fromRunes(serialization)
}

// toType converts the literal record to the package's representation.
func (m *litMIMEType) toType() Type {
	t := Type{Type: fromRunes(m.typ), Subtype: fromRunes(m.subtype)}
	for _, p := range m.parameters {
		t.Params = append(t.Params, Param{Name: fromRunes(p.name), Value: fromRunes(p.value)})
	}
	return t
}
