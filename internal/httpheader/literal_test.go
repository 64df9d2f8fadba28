package httpheader

// Slow, literal transcriptions of the Fetch algorithms this package implements,
// kept for differential tests and fuzzing. They favour resemblance to the spec
// text over speed: code points are handled one at a time and strings are built
// by appending, exactly as the steps read.

import (
	"net/http"
	"slices"
	"strings"
)

// literalIsomorphicDecode maps each byte to the code point of the same value
// (https://infra.spec.whatwg.org/#isomorphic-decode).
func literalIsomorphicDecode(b string) []rune {
	out := make([]rune, len(b))
	for i := 0; i < len(b); i++ {
		out[i] = rune(b[i])
	}
	return out
}

// literalIsomorphicEncode is the inverse of literalIsomorphicDecode for code
// points below U+0100 (https://infra.spec.whatwg.org/#isomorphic-encode).
func literalIsomorphicEncode(r []rune) string {
	b := make([]byte, len(r))
	for i, c := range r {
		b[i] = byte(c)
	}
	return string(b)
}

// literalCollectQuoted transcribes "collect an HTTP quoted string".
func literalCollectQuoted(input []rune, position *int, extractValue bool) []rune {
	positionStart := *position // step 1
	var value []rune           // step 2
	// step 3: assert input[position] is '"'.
	*position++ // step 4
	for {       // step 5
		for *position < len(input) && input[*position] != '"' && input[*position] != '\\' {
			value = append(value, input[*position]) // step 5.1
			*position++
		}
		if *position >= len(input) { // step 5.2
			break
		}
		quoteOrBackslash := input[*position] // step 5.3
		*position++                          // step 5.4
		if quoteOrBackslash == '\\' {        // step 5.5
			if *position >= len(input) {
				value = append(value, '\\')
				break
			}
			value = append(value, input[*position])
			*position++
		} else { // step 5.6
			break
		}
	}
	if extractValue { // step 6
		return value
	}
	// step 7: code points from positionStart to position, inclusive of the
	// last consumed one.
	end := *position
	if end > len(input) {
		end = len(input)
	}
	return slices.Clone(input[positionStart:end])
}

func literalIsTabOrSpace(c rune) bool { return c == 0x09 || c == 0x20 }

// literalDecodeSplit transcribes "get, decode, and split" for a header value.
func literalDecodeSplit(value string) []string {
	input := literalIsomorphicDecode(value) // step 1
	position := 0                           // step 2
	var values []string                     // step 3
	var temporaryValue []rune               // step 4
	for {                                   // step 5
		for position < len(input) && input[position] != '"' && input[position] != ',' {
			temporaryValue = append(temporaryValue, input[position]) // 5.1
			position++
		}
		if position < len(input) && input[position] == '"' { // 5.2
			temporaryValue = append(temporaryValue, literalCollectQuoted(input, &position, false)...)
			if position < len(input) {
				continue
			}
		}
		for len(temporaryValue) > 0 && literalIsTabOrSpace(temporaryValue[0]) { // 5.3
			temporaryValue = temporaryValue[1:]
		}
		for len(temporaryValue) > 0 && literalIsTabOrSpace(temporaryValue[len(temporaryValue)-1]) {
			temporaryValue = temporaryValue[:len(temporaryValue)-1]
		}
		values = append(values, literalIsomorphicEncode(temporaryValue)) // 5.4
		temporaryValue = nil                                             // 5.5
		if position >= len(input) {                                      // 5.6
			return values
		}
		// 5.7: assert input[position] is ','.
		position++ // 5.8
	}
}

// literalGet transcribes the header list "get", with the header list given as
// ordered (name, value) pairs.
func literalGet(list [][2]string, name string) (string, bool) {
	var vals []string
	for _, hd := range list {
		if literalByteLowercase(hd[0]) == literalByteLowercase(name) {
			vals = append(vals, hd[1])
		}
	}
	if len(vals) == 0 {
		return "", false
	}
	return strings.Join(vals, "\x2C\x20"), true
}

// literalByteLowercase transcribes Infra's "byte-lowercase": every byte in
// 0x41 (A) to 0x5A (Z) is increased by 0x20.
func literalByteLowercase(s string) string {
	b := []byte(s)
	for i := range b {
		if 0x41 <= b[i] && b[i] <= 0x5A {
			b[i] += 0x20
		}
	}
	return string(b)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// literalExtractTokenList transcribes "extract header list values" for the
// `#token` ABNF by way of RFC 9110's list rule: split each line at commas,
// drop optional whitespace around elements, ignore empty elements, and fail
// when an element is not 1*tchar.
func literalExtractTokenList(lines []string) ([]string, bool) {
	values := []string{}
	for _, line := range lines {
		for _, elem := range strings.Split(line, ",") {
			elem = strings.Trim(elem, " \t")
			if elem == "" {
				continue
			}
			for _, c := range []byte(elem) {
				if !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(c)) &&
					!('0' <= c && c <= '9') && !('a' <= c && c <= 'z') && !('A' <= c && c <= 'Z') {
					return nil, false
				}
			}
			values = append(values, elem)
		}
	}
	return values, true
}

// headerFromList builds an http.Header keeping names as written.
func headerFromList(list [][2]string) http.Header {
	h := http.Header{}
	for _, hd := range list {
		h[hd[0]] = append(h[hd[0]], hd[1])
	}
	return h
}
