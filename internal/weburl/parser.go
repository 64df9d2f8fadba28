package weburl

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/corsim/corsim/origin"
)

// MaxLength caps the length in bytes of the input to Parse and Resolve.
// The URL standard sets no limit; Chromium refuses URLs of 2 MiB or more
// (url::kMaxURLChars in url/url_constants.cc), and so does this package.
const MaxLength = 2 * 1024 * 1024

// state is a state of the basic URL parser.
// https://url.spec.whatwg.org/#concept-basic-url-parser
type state uint8

const (
	schemeStartState state = iota
	schemeState
	noSchemeState
	specialRelativeOrAuthorityState
	pathOrAuthorityState
	relativeState
	relativeSlashState
	specialAuthoritySlashesState
	specialAuthorityIgnoreSlashesState
	authorityState
	hostState
	portState
	fileState
	fileSlashState
	fileHostState
	pathStartState
	pathState
	opaquePathState
	queryState
	fragmentState
)

const eof rune = -1

// record is a URL record while the parser builds it: the URL standard's
// URL struct with null modelled by the has* flags.
// https://url.spec.whatwg.org/#concept-url
type record struct {
	scheme      string
	username    []byte
	password    []byte
	host        string
	hasHost     bool
	port        int // -1 is null
	path        []string
	opaque      bool   // the path is an opaque path
	opaquePath  []byte // the opaque path, when opaque
	query       []byte
	hasQuery    bool
	fragment    []byte
	hasFragment bool
}

// parser holds the basic URL parser's variables.
type parser struct {
	input   []rune
	pointer int
	base    *URL
	url     record
	state   state
	buffer  []rune

	atSignSeen, insideBrackets, passwordTokenSeen bool
}

// parse runs the basic URL parser on raw with an optional base and no
// state override. https://url.spec.whatwg.org/#concept-basic-url-parser
func parse(raw string, base *URL) (*URL, error) {
	if len(raw) > MaxLength {
		return nil, &ParseError{Input: raw, Reason: "longer than " + strconv.Itoa(MaxLength) + " bytes"}
	}
	// Most URLs a fetch meets are already canonical: they need no state
	// machine (an absolute http(s) URL parses the same with any base).
	if u := parseCanonical(raw); u != nil {
		return u, nil
	}
	return parseStateMachine(raw, base)
}

// parseStateMachine is parse without the canonical fast path.
func parseStateMachine(raw string, base *URL) (*URL, error) {
	p := &parser{base: base, url: record{port: -1}}
	// Basic URL parser, steps 1.2-1.3: remove leading and trailing C0
	// control or space.
	s := strings.TrimFunc(raw, func(r rune) bool { return r <= 0x20 })
	// Steps 2-3: remove all ASCII tab or newline. The input is a scalar
	// value string: invalid UTF-8 bytes become U+FFFD.
	p.input = make([]rune, 0, utf8.RuneCountInString(s))
	for _, r := range s {
		if r != '\t' && r != '\n' && r != '\r' {
			p.input = append(p.input, r)
		}
	}
	// Steps 4-9: run the state machine. After each run, stop if the
	// pointer points to EOF, otherwise advance it.
	p.state = schemeStartState
	// The buffer rarely outgrows the input; size it once.
	p.buffer = make([]rune, 0, len(p.input))
	for {
		if reason := p.step(p.c()); reason != "" {
			return nil, &ParseError{Input: raw, Reason: reason}
		}
		if p.pointer >= len(p.input) {
			break
		}
		p.pointer++
	}
	return p.url.finish(), nil
}

// c is the code point the pointer points to, or eof.
func (p *parser) c() rune {
	if p.pointer < 0 || p.pointer >= len(p.input) {
		return eof
	}
	return p.input[p.pointer]
}

// remainingStartsWith reports whether the code points after the pointer
// start with s.
func (p *parser) remainingStartsWith(s string) bool {
	rest := p.input[min(p.pointer+1, len(p.input)):]
	i := 0
	for _, r := range s {
		if i >= len(rest) || rest[i] != r {
			return false
		}
		i++
	}
	return true
}

func (p *parser) isSpecial() bool { return isSpecialScheme(p.url.scheme) }

// step runs one state of the state machine on c and returns a non-empty
// reason on failure.
func (p *parser) step(c rune) string {
	switch p.state {
	case schemeStartState:
		p.schemeStart(c)
	case schemeState:
		p.scheme(c)
	case noSchemeState:
		return p.noScheme(c)
	case specialRelativeOrAuthorityState:
		p.specialRelativeOrAuthority(c)
	case pathOrAuthorityState:
		p.pathOrAuthority(c)
	case relativeState:
		p.relative(c)
	case relativeSlashState:
		p.relativeSlash(c)
	case specialAuthoritySlashesState:
		p.specialAuthoritySlashes(c)
	case specialAuthorityIgnoreSlashesState:
		p.specialAuthorityIgnoreSlashes(c)
	case authorityState:
		return p.authority(c)
	case hostState:
		return p.host(c)
	case portState:
		return p.port(c)
	case fileState:
		p.file(c)
	case fileSlashState:
		p.fileSlash(c)
	case fileHostState:
		return p.fileHost(c)
	case pathStartState:
		p.pathStart(c)
	case pathState:
		p.path(c)
	case opaquePathState:
		p.opaquePath(c)
	case queryState:
		p.query(c)
	case fragmentState:
		p.fragment(c)
	}
	return ""
}

// https://url.spec.whatwg.org/#scheme-start-state
func (p *parser) schemeStart(c rune) {
	if isASCIIAlpha(c) {
		// Scheme start state, step 1.
		p.buffer = append(p.buffer, toLower(c))
		p.state = schemeState
		return
	}
	// Step 2 (no state override).
	p.state = noSchemeState
	p.pointer--
}

// https://url.spec.whatwg.org/#scheme-state
func (p *parser) scheme(c rune) {
	switch {
	case isASCIIAlphanumeric(c) || c == '+' || c == '-' || c == '.':
		// Scheme state, step 1.
		p.buffer = append(p.buffer, toLower(c))
	case c == ':':
		// Step 2.
		p.url.scheme = string(p.buffer)
		p.buffer = p.buffer[:0]
		switch {
		case p.url.scheme == "file":
			p.state = fileState
		case p.isSpecial() && p.base != nil && p.base.scheme == p.url.scheme:
			p.state = specialRelativeOrAuthorityState
		case p.isSpecial():
			p.state = specialAuthoritySlashesState
		case p.remainingStartsWith("/"):
			p.state = pathOrAuthorityState
			p.pointer++
		default:
			p.url.opaque = true
			p.state = opaquePathState
		}
	default:
		// Step 3: start over in the no scheme state.
		p.buffer = p.buffer[:0]
		p.state = noSchemeState
		p.pointer = -1
	}
}

// https://url.spec.whatwg.org/#no-scheme-state
func (p *parser) noScheme(c rune) string {
	b := p.base
	switch {
	case b == nil:
		// No scheme state, step 1.
		return "relative URL without a base"
	case b.opaquePath && c != '#':
		return "relative URL with a base that cannot be a base (" + strconv.Quote(b.href) + ")"
	case b.opaquePath:
		// Step 2.
		p.url.scheme = b.scheme
		p.url.opaque = true
		p.url.opaquePath = append(p.url.opaquePath, b.path...)
		p.url.query, p.url.hasQuery = append(p.url.query, b.query...), b.hasQuery
		p.url.hasFragment = true
		p.state = fragmentState
	case b.scheme != "file":
		// Step 3.
		p.state = relativeState
		p.pointer--
	default:
		// Step 4.
		p.state = fileState
		p.pointer--
	}
	return ""
}

// https://url.spec.whatwg.org/#special-relative-or-authority-state
func (p *parser) specialRelativeOrAuthority(c rune) {
	if c == '/' && p.remainingStartsWith("/") {
		p.state = specialAuthorityIgnoreSlashesState
		p.pointer++
		return
	}
	p.state = relativeState
	p.pointer--
}

// https://url.spec.whatwg.org/#path-or-authority-state
func (p *parser) pathOrAuthority(c rune) {
	if c == '/' {
		p.state = authorityState
		return
	}
	p.state = pathState
	p.pointer--
}

// https://url.spec.whatwg.org/#relative-state
func (p *parser) relative(c rune) {
	// Relative state, step 2.
	p.url.scheme = p.base.scheme
	switch {
	case c == '/':
		// Step 3.
		p.state = relativeSlashState
	case p.isSpecial() && c == '\\':
		// Step 4.
		p.state = relativeSlashState
	default:
		// Step 5.1.
		p.copyAuthorityFromBase()
		p.url.path = p.base.pathSegments()
		p.url.query, p.url.hasQuery = append(p.url.query[:0], p.base.query...), p.base.hasQuery
		switch {
		case c == '?':
			// Step 5.2.
			p.url.query, p.url.hasQuery = p.url.query[:0], true
			p.state = queryState
		case c == '#':
			// Step 5.3.
			p.url.hasFragment = true
			p.state = fragmentState
		case c != eof:
			// Step 5.4.
			p.url.query, p.url.hasQuery = p.url.query[:0], false
			p.url.shortenPath()
			p.state = pathState
			p.pointer--
		}
	}
}

// https://url.spec.whatwg.org/#relative-slash-state
func (p *parser) relativeSlash(c rune) {
	switch {
	case p.isSpecial() && (c == '/' || c == '\\'):
		// Relative slash state, step 1.
		p.state = specialAuthorityIgnoreSlashesState
	case c == '/':
		// Step 2.
		p.state = authorityState
	default:
		// Step 3.
		p.copyAuthorityFromBase()
		p.state = pathState
		p.pointer--
	}
}

func (p *parser) copyAuthorityFromBase() {
	p.url.username = append(p.url.username[:0], p.base.username...)
	p.url.password = append(p.url.password[:0], p.base.password...)
	p.url.host, p.url.hasHost = p.base.host, p.base.hasHost
	p.url.port = p.base.port
}

// https://url.spec.whatwg.org/#special-authority-slashes-state
func (p *parser) specialAuthoritySlashes(c rune) {
	p.state = specialAuthorityIgnoreSlashesState
	if c == '/' && p.remainingStartsWith("/") {
		p.pointer++
		return
	}
	p.pointer--
}

// https://url.spec.whatwg.org/#special-authority-ignore-slashes-state
func (p *parser) specialAuthorityIgnoreSlashes(c rune) {
	if c != '/' && c != '\\' {
		p.state = authorityState
		p.pointer--
	}
	// Otherwise a validation error only: the slash is skipped.
}

// https://url.spec.whatwg.org/#authority-state
func (p *parser) authority(c rune) string {
	switch {
	case c == '@':
		// Authority state, step 1.
		if p.atSignSeen {
			p.buffer = append([]rune("%40"), p.buffer...)
		}
		p.atSignSeen = true
		for _, codePoint := range p.buffer {
			if codePoint == ':' && !p.passwordTokenSeen {
				p.passwordTokenSeen = true
				continue
			}
			if p.passwordTokenSeen {
				p.url.password = appendPercentEncoded(p.url.password, codePoint, &userinfoSet)
			} else {
				p.url.username = appendPercentEncoded(p.url.username, codePoint, &userinfoSet)
			}
		}
		p.buffer = p.buffer[:0]
	case c == eof || c == '/' || c == '?' || c == '#' || (p.isSpecial() && c == '\\'):
		// Step 2.
		if p.atSignSeen && len(p.buffer) == 0 {
			return "credentials without a host"
		}
		p.pointer -= len(p.buffer) + 1
		p.buffer = p.buffer[:0]
		p.state = hostState
	default:
		// Step 3.
		p.buffer = append(p.buffer, c)
	}
	return ""
}

// https://url.spec.whatwg.org/#host-state
func (p *parser) host(c rune) string {
	switch {
	case c == ':' && !p.insideBrackets:
		// Host state, step 2.
		if len(p.buffer) == 0 {
			return "port without a host"
		}
		host, reason := parseHost(string(p.buffer), !p.isSpecial())
		if reason != "" {
			return reason
		}
		p.url.host, p.url.hasHost = host, true
		p.buffer = p.buffer[:0]
		p.state = portState
	case c == eof || c == '/' || c == '?' || c == '#' || (p.isSpecial() && c == '\\'):
		// Step 3.
		p.pointer--
		if p.isSpecial() && len(p.buffer) == 0 {
			return "missing host"
		}
		host, reason := parseHost(string(p.buffer), !p.isSpecial())
		if reason != "" {
			return reason
		}
		p.url.host, p.url.hasHost = host, true
		p.buffer = p.buffer[:0]
		p.state = pathStartState
	default:
		// Step 4.
		if c == '[' {
			p.insideBrackets = true
		}
		if c == ']' {
			p.insideBrackets = false
		}
		p.buffer = append(p.buffer, c)
	}
	return ""
}

// https://url.spec.whatwg.org/#port-state
func (p *parser) port(c rune) string {
	switch {
	case isASCIIDigit(c):
		// Port state, step 1.
		p.buffer = append(p.buffer, c)
	case c == eof || c == '/' || c == '?' || c == '#' || (p.isSpecial() && c == '\\'):
		// Step 2.
		if len(p.buffer) != 0 {
			digits := strings.TrimLeft(string(p.buffer), "0")
			port, err := strconv.Atoi("0" + digits)
			if len(digits) > 5 || err != nil || port > 65535 {
				return "port out of range 0-65535"
			}
			if d, ok := defaultPort(p.url.scheme); ok && port == d {
				p.url.port = -1
			} else {
				p.url.port = port
			}
			p.buffer = p.buffer[:0]
		}
		p.state = pathStartState
		p.pointer--
	default:
		// Step 3.
		return "invalid code point " + strconv.QuoteRune(c) + " in port"
	}
	return ""
}

// https://url.spec.whatwg.org/#file-state
func (p *parser) file(c rune) {
	// File state, steps 1-2.
	p.url.scheme = "file"
	p.url.host, p.url.hasHost = "", true
	switch {
	case c == '/' || c == '\\':
		// Step 3.
		p.state = fileSlashState
	case p.base != nil && p.base.scheme == "file":
		// Step 4.
		p.url.host, p.url.hasHost = p.base.host, p.base.hasHost
		p.url.path = p.base.pathSegments()
		p.url.query, p.url.hasQuery = append(p.url.query[:0], p.base.query...), p.base.hasQuery
		switch {
		case c == '?':
			p.url.query, p.url.hasQuery = p.url.query[:0], true
			p.state = queryState
		case c == '#':
			p.url.hasFragment = true
			p.state = fragmentState
		case c != eof:
			p.url.query, p.url.hasQuery = p.url.query[:0], false
			if !startsWithWindowsDriveLetter(p.input[p.pointer:]) {
				p.url.shortenPath()
			} else {
				// The Windows drive letter quirk.
				p.url.path = nil
			}
			p.state = pathState
			p.pointer--
		}
	default:
		// Step 5.
		p.state = pathState
		p.pointer--
	}
}

// https://url.spec.whatwg.org/#file-slash-state
func (p *parser) fileSlash(c rune) {
	if c == '/' || c == '\\' {
		// File slash state, step 1.
		p.state = fileHostState
		return
	}
	// Step 2.
	if p.base != nil && p.base.scheme == "file" {
		p.url.host, p.url.hasHost = p.base.host, p.base.hasHost
		if basePath := p.base.pathSegments(); !startsWithWindowsDriveLetter(p.input[p.pointer:]) &&
			len(basePath) > 0 && isNormalizedWindowsDriveLetter(basePath[0]) {
			// The Windows drive letter quirk.
			p.url.path = append(p.url.path, basePath[0])
		}
	}
	p.state = pathState
	p.pointer--
}

// https://url.spec.whatwg.org/#file-host-state
func (p *parser) fileHost(c rune) string {
	if c != eof && c != '/' && c != '\\' && c != '?' && c != '#' {
		// File host state, step 2.
		p.buffer = append(p.buffer, c)
		return ""
	}
	// Step 1.
	p.pointer--
	switch {
	case isWindowsDriveLetter(p.buffer):
		// The Windows drive letter quirk: the buffer is a path segment,
		// not a host, and is kept for the path state.
		p.state = pathState
	case len(p.buffer) == 0:
		p.url.host, p.url.hasHost = "", true
		p.state = pathStartState
	default:
		host, reason := parseHost(string(p.buffer), false)
		if reason != "" {
			return reason
		}
		if host == "localhost" {
			host = ""
		}
		p.url.host, p.url.hasHost = host, true
		p.buffer = p.buffer[:0]
		p.state = pathStartState
	}
	return ""
}

// https://url.spec.whatwg.org/#path-start-state
func (p *parser) pathStart(c rune) {
	switch {
	case p.isSpecial():
		// Path start state, step 1.
		p.state = pathState
		if c != '/' && c != '\\' {
			p.pointer--
		}
	case c == '?':
		// Step 2.
		p.url.query, p.url.hasQuery = p.url.query[:0], true
		p.state = queryState
	case c == '#':
		// Step 3.
		p.url.hasFragment = true
		p.state = fragmentState
	case c != eof:
		// Step 4.
		p.state = pathState
		if c != '/' {
			p.pointer--
		}
	}
}

// https://url.spec.whatwg.org/#path-state
func (p *parser) path(c rune) {
	slash := c == '/' || (p.isSpecial() && c == '\\')
	if c == eof || slash || c == '?' || c == '#' {
		// Path state, step 1.
		switch {
		case isDoubleDotSegment(p.buffer):
			p.url.shortenPath()
			if !slash {
				p.url.path = append(p.url.path, "")
			}
		case isSingleDotSegment(p.buffer):
			if !slash {
				p.url.path = append(p.url.path, "")
			}
		default:
			if p.url.scheme == "file" && len(p.url.path) == 0 && isWindowsDriveLetter(p.buffer) {
				// The Windows drive letter quirk.
				p.buffer[1] = ':'
			}
			p.url.path = append(p.url.path, string(p.buffer))
		}
		p.buffer = p.buffer[:0]
		if c == '?' {
			p.url.query, p.url.hasQuery = p.url.query[:0], true
			p.state = queryState
		}
		if c == '#' {
			p.url.hasFragment = true
			p.state = fragmentState
		}
		return
	}
	// Step 2.
	var enc [12]byte
	for _, b := range appendPercentEncoded(enc[:0], c, &pathSet) {
		p.buffer = append(p.buffer, rune(b))
	}
}

// https://url.spec.whatwg.org/#cannot-be-a-base-url-path-state
func (p *parser) opaquePath(c rune) {
	switch {
	case c == '?':
		p.url.query, p.url.hasQuery = p.url.query[:0], true
		p.state = queryState
	case c == '#':
		p.url.hasFragment = true
		p.state = fragmentState
	case c == ' ':
		if p.remainingStartsWith("?") || p.remainingStartsWith("#") {
			p.url.opaquePath = append(p.url.opaquePath, "%20"...)
		} else {
			p.url.opaquePath = append(p.url.opaquePath, ' ')
		}
	case c != eof:
		p.url.opaquePath = appendPercentEncoded(p.url.opaquePath, c, &c0ControlSet)
	}
}

// https://url.spec.whatwg.org/#query-state
func (p *parser) query(c rune) {
	if c == '#' || c == eof {
		// Query state, step 2. The encoding is always UTF-8.
		set := &querySet
		if p.isSpecial() {
			set = &specialQuerySet
		}
		if p.url.query == nil {
			p.url.query = make([]byte, 0, len(p.buffer))
		}
		for _, r := range p.buffer {
			p.url.query = appendPercentEncoded(p.url.query, r, set)
		}
		p.buffer = p.buffer[:0]
		if c == '#' {
			p.url.hasFragment = true
			p.state = fragmentState
		}
		return
	}
	// Step 3.
	p.buffer = append(p.buffer, c)
}

// https://url.spec.whatwg.org/#fragment-state
func (p *parser) fragment(c rune) {
	if c != eof {
		p.url.fragment = appendPercentEncoded(p.url.fragment, c, &fragmentSet)
	}
}

// shortenPath implements "shorten a URL's path".
// https://url.spec.whatwg.org/#shorten-a-urls-path
func (r *record) shortenPath() {
	if r.scheme == "file" && len(r.path) == 1 && isNormalizedWindowsDriveLetter(r.path[0]) {
		return
	}
	if len(r.path) > 0 {
		r.path = r.path[:len(r.path)-1]
	}
}

// parseHost runs the host parser and host serializer, using the origin
// package's canonicalization for special URLs.
// https://url.spec.whatwg.org/#concept-host-parser
func parseHost(input string, isOpaque bool) (string, string) {
	// Host parser, step 1: IPv6, for every scheme.
	if strings.HasPrefix(input, "[") || !isOpaque {
		h, err := origin.CanonicalHost(input)
		if err != nil {
			return "", "invalid host " + strconv.Quote(input) + ": " + err.(*origin.ParseError).Reason
		}
		return h, ""
	}
	// Host parser, step 2.
	return opaqueHostParse(input)
}

// opaqueHostParse implements the opaque-host parser.
// https://url.spec.whatwg.org/#concept-opaque-host-parser
func opaqueHostParse(input string) (string, string) {
	for _, c := range input {
		if isForbiddenHostCodePoint(c) {
			return "", "forbidden host code point " + strconv.QuoteRune(c) + " in host " + strconv.Quote(input)
		}
	}
	var b []byte
	for _, c := range input {
		b = appendPercentEncoded(b, c, &c0ControlSet)
	}
	return string(b), ""
}

func isForbiddenHostCodePoint(c rune) bool {
	switch c {
	case 0x00, '\t', '\n', '\r', ' ', '#', '/', ':', '<', '>', '?', '@', '[', '\\', ']', '^', '|':
		return true
	}
	return false
}

func isASCIIAlpha(c rune) bool        { return 'a' <= c|0x20 && c|0x20 <= 'z' }
func isASCIIDigit(c rune) bool        { return '0' <= c && c <= '9' }
func isASCIIAlphanumeric(c rune) bool { return isASCIIAlpha(c) || isASCIIDigit(c) }
func isHex(c rune) bool {
	return isASCIIDigit(c) || ('a' <= c|0x20 && c|0x20 <= 'f')
}

func toLower(c rune) rune {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// isWindowsDriveLetter: two code points, an ASCII alpha and ":" or "|".
// https://url.spec.whatwg.org/#windows-drive-letter
func isWindowsDriveLetter(s []rune) bool {
	return len(s) == 2 && isASCIIAlpha(s[0]) && (s[1] == ':' || s[1] == '|')
}

// https://url.spec.whatwg.org/#normalized-windows-drive-letter
func isNormalizedWindowsDriveLetter(s string) bool {
	return len(s) == 2 && isASCIIAlpha(rune(s[0])) && s[1] == ':'
}

// https://url.spec.whatwg.org/#start-with-a-windows-drive-letter
func startsWithWindowsDriveLetter(s []rune) bool {
	if len(s) < 2 || !isWindowsDriveLetter(s[:2]) {
		return false
	}
	return len(s) == 2 || s[2] == '/' || s[2] == '\\' || s[2] == '?' || s[2] == '#'
}

// https://url.spec.whatwg.org/#single-dot-path-segment
func isSingleDotSegment(s []rune) bool { return isDot(s) }

// https://url.spec.whatwg.org/#double-dot-path-segment
func isDoubleDotSegment(s []rune) bool {
	// "..", ".%2e", "%2e.", or "%2e%2e", ASCII case-insensitively: two dots,
	// each spelled "." or "%2e".
	for i := 1; i < len(s); i++ {
		if isDot(s[:i]) && isDot(s[i:]) {
			return true
		}
	}
	return false
}

// isDot reports whether s is "." or an ASCII case-insensitive match for
// "%2e".
func isDot(s []rune) bool {
	switch len(s) {
	case 1:
		return s[0] == '.'
	case 3:
		return s[0] == '%' && s[1] == '2' && (s[2] == 'e' || s[2] == 'E')
	}
	return false
}
