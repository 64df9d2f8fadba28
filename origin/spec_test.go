package origin

// Slow, literal transcriptions of the URL standard's host algorithms
// (https://url.spec.whatwg.org/#host-parsing), written for readability with
// strings.Split, math/big and code-point pointers. The fast code in host.go
// must agree with them; see TestHostParsersAgreeWithSpec and
// FuzzCanonicalHost.

import (
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// specEndsInANumber is the ends in a number checker, step by step.
func specEndsInANumber(input string) bool {
	parts := strings.Split(input, ".") // 1
	if parts[len(parts)-1] == "" {     // 2
		if len(parts) == 1 {
			return false
		}
		parts = parts[:len(parts)-1]
	}
	last := parts[len(parts)-1] // 3
	if last != "" {             // 4
		digits := true
		for _, c := range last {
			if c < '0' || c > '9' {
				digits = false
			}
		}
		if digits {
			return true
		}
	}
	if _, _, ok := specIPv4NumberParser(last); ok { // 5
		return true
	}
	return false // 6
}

// specIPv4NumberParser returns the exact value as a big.Int.
func specIPv4NumberParser(input string) (*big.Int, bool, bool) {
	if input == "" { // 1
		return nil, false, false
	}
	validationError := false // 2
	r := 10                  // 3
	if len(input) >= 2 && (input[:2] == "0x" || input[:2] == "0X") {
		validationError = true // 4
		input = input[2:]
		r = 16
	} else if len(input) >= 2 && input[0] == '0' {
		validationError = true // 5
		input = input[1:]
		r = 8
	}
	if input == "" { // 6
		return big.NewInt(0), true, true
	}
	n, ok := new(big.Int).SetString(input, r) // 7-8
	if !ok || strings.ContainsAny(input, "+-_") {
		return nil, false, false
	}
	return n, validationError, true // 9
}

// specIPv4Parser returns the address as a big.Int or failure.
func specIPv4Parser(input string) (*big.Int, bool) {
	parts := strings.Split(input, ".") // 1
	if parts[len(parts)-1] == "" {     // 2
		if len(parts) > 1 {
			parts = parts[:len(parts)-1]
		}
	}
	if len(parts) > 4 { // 3
		return nil, false
	}
	var numbers []*big.Int       // 4
	for _, part := range parts { // 5
		n, _, ok := specIPv4NumberParser(part)
		if !ok {
			return nil, false
		}
		numbers = append(numbers, n)
	}
	b255 := big.NewInt(255)
	for _, n := range numbers[:len(numbers)-1] { // 7
		if n.Cmp(b255) > 0 {
			return nil, false
		}
	}
	limit := new(big.Int).Exp(big.NewInt(256), big.NewInt(int64(5-len(numbers))), nil)
	if numbers[len(numbers)-1].Cmp(limit) >= 0 { // 8
		return nil, false
	}
	ipv4 := new(big.Int).Set(numbers[len(numbers)-1]) // 9
	numbers = numbers[:len(numbers)-1]                // 10
	for counter, n := range numbers {                 // 11-12
		f := new(big.Int).Exp(big.NewInt(256), big.NewInt(int64(3-counter)), nil)
		ipv4.Add(ipv4, new(big.Int).Mul(n, f))
	}
	return ipv4, true // 13
}

// specIPv4Serializer prepends n % 256 four times.
func specIPv4Serializer(address *big.Int) string {
	output := ""
	n := new(big.Int).Set(address)
	for i := 1; i <= 4; i++ {
		output = new(big.Int).Mod(n, big.NewInt(256)).String() + output
		if i != 4 {
			output = "." + output
		}
		n.Div(n, big.NewInt(256))
	}
	return output
}

// specIPv6Parser works on code points with a pointer, as the spec does.
func specIPv6Parser(s string) ([8]uint16, bool) {
	input := []rune(s)
	var address [8]uint16 // 1
	pieceIndex := 0       // 2
	compress := -1        // 3 (null)
	pointer := 0          // 4
	c := func() rune {
		if pointer >= len(input) {
			return -1
		}
		return input[pointer]
	}
	remaining := func() []rune {
		if pointer+1 >= len(input) {
			return nil
		}
		return input[pointer+1:]
	}
	isHex := func(r rune) bool {
		return strings.ContainsRune("0123456789abcdefABCDEF", r) && r >= 0
	}
	isDigit := func(r rune) bool { return r >= '0' && r <= '9' }
	if c() == ':' { // 5
		if rem := remaining(); len(rem) == 0 || rem[0] != ':' {
			return address, false
		}
		pointer += 2
		pieceIndex++
		compress = pieceIndex
	}
	for c() != -1 { // 6
		if pieceIndex == 8 {
			return address, false
		}
		if c() == ':' {
			if compress != -1 {
				return address, false
			}
			pointer++
			pieceIndex++
			compress = pieceIndex
			continue
		}
		value, length := 0, 0
		for length < 4 && isHex(c()) {
			v, _ := strconv.ParseUint(string(c()), 16, 8)
			value = value*0x10 + int(v)
			pointer++
			length++
		}
		if c() == '.' {
			if length == 0 {
				return address, false
			}
			pointer -= length
			if pieceIndex > 6 {
				return address, false
			}
			numbersSeen := 0
			for c() != -1 {
				ipv4Piece := -1
				if numbersSeen > 0 {
					if c() == '.' && numbersSeen < 4 {
						pointer++
					} else {
						return address, false
					}
				}
				if !isDigit(c()) {
					return address, false
				}
				for isDigit(c()) {
					number := int(c() - '0')
					if ipv4Piece == -1 {
						ipv4Piece = number
					} else if ipv4Piece == 0 {
						return address, false
					} else {
						ipv4Piece = ipv4Piece*10 + number
					}
					if ipv4Piece > 255 {
						return address, false
					}
					pointer++
				}
				address[pieceIndex] = address[pieceIndex]*0x100 + uint16(ipv4Piece)
				numbersSeen++
				if numbersSeen == 2 || numbersSeen == 4 {
					pieceIndex++
				}
			}
			if numbersSeen != 4 {
				return address, false
			}
			break
		} else if c() == ':' {
			pointer++
			if c() == -1 {
				return address, false
			}
		} else if c() != -1 {
			return address, false
		}
		address[pieceIndex] = uint16(value)
		pieceIndex++
	}
	if compress != -1 { // 7
		swaps := pieceIndex - compress
		pieceIndex = 7
		for pieceIndex != 0 && swaps > 0 {
			address[pieceIndex], address[compress+swaps-1] = address[compress+swaps-1], address[pieceIndex]
			pieceIndex--
			swaps--
		}
	} else if pieceIndex != 8 { // 8
		return address, false
	}
	return address, true // 9
}

// specIPv6Serializer finds the first longest run of zeros by brute force.
func specIPv6Serializer(address [8]uint16) string {
	compress, best := -1, 1
	for start := 0; start < 8; start++ {
		n := 0
		for start+n < 8 && address[start+n] == 0 {
			n++
		}
		if n > best {
			compress, best = start, n
		}
	}
	var parts []string
	for i := 0; i < 8; i++ {
		if i == compress {
			if i == 0 {
				parts = append(parts, ":")
			} else {
				parts = append(parts, "")
			}
			i += best - 1
			if i == 7 {
				parts = append(parts, "")
			}
			continue
		}
		parts = append(parts, strconv.FormatUint(uint64(address[i]), 16))
	}
	return strings.Join(parts, ":")
}

// specIPHost runs the IP branches of the host parser on an ASCII input
// literally; ok is false on failure and handled is false when the input
// would go through IDNA (not modelled here).
func specIPHost(input string) (canon string, ok, handled bool) {
	if input == "" {
		return "", false, false // the host parser asserts a non-empty input
	}
	if strings.HasPrefix(input, "[") {
		if !strings.HasSuffix(input, "]") || len(input) < 2 {
			return "", false, true
		}
		a, ok := specIPv6Parser(input[1 : len(input)-1])
		if !ok {
			return "", false, true
		}
		return "[" + specIPv6Serializer(a) + "]", true, true
	}
	for i := 0; i < len(input); i++ {
		c := input[i]
		if c >= utf8.RuneSelf || c == '%' || forbiddenDomain[c] || ('A' <= c && c <= 'Z') {
			return "", false, false
		}
	}
	if hasACELabel(input) {
		return "", false, false
	}
	if !specEndsInANumber(input) {
		return input, true, true
	}
	v4, ok := specIPv4Parser(input)
	if !ok {
		return "", false, true
	}
	return specIPv4Serializer(v4), true, true
}

// specForbiddenHost and specForbiddenDomain are the code point lists of
// https://url.spec.whatwg.org/#forbidden-host-code-point, as predicates.
func specForbiddenHost(c rune) bool {
	switch c {
	case 0x00, 0x09, 0x0A, 0x0D, 0x20, '#', '/', ':', '<', '>', '?', '@', '[', '\\', ']', '^', '|':
		return true
	}
	return false
}

func specForbiddenDomain(c rune) bool {
	return specForbiddenHost(c) || (c >= 0 && c <= 0x1F) || c == '%' || c == 0x7F
}

// oracleParse is an independent definition of what Parse accepts: s is
// "null", or s splits into scheme, host and port such that Tuple of them
// serializes back to s.
func oracleParse(s string) (Origin, bool) {
	if s == "null" {
		return OpaqueFromID(0), true
	}
	i := strings.Index(s, "://")
	if i < 0 {
		return Origin{}, false
	}
	scheme, authority := s[:i], s[i+3:]
	host, port := authority, -1
	if j := strings.LastIndexByte(authority, ':'); j >= 0 && !strings.Contains(authority[j:], "]") {
		p, err := strconv.Atoi(authority[j+1:])
		if err != nil {
			return Origin{}, false
		}
		host, port = authority[:j], p
	}
	o, err := Tuple(scheme, host, port)
	if err != nil || o.String() != s {
		return Origin{}, false
	}
	return o, true
}
