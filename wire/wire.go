// Package wire reads the bytes of an HTTP/1.1 response as a browser's
// network stack does, before any Fetch step sees it: where the head ends,
// which status it carries, which header lines count, and which heads are
// not a response at all. A scripted server (package scenario) writes its
// answers byte for byte, as the recorder's server does, and reads them back
// through a Policy, so that whatever a server can put on the wire is
// simulated rather than refused.
package wire

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// MaxHeadBytes caps the response head a Reader accepts (Chromium's
// HttpStreamParser refuses larger heads with ERR_RESPONSE_HEADERS_TOO_BIG
// at 256 KiB).
const MaxHeadBytes = 256 << 10

// Policy is how one browser reads a response head. Every field cites the
// behaviour it models.
type Policy struct {
	// RejectConflictingDuplicates fails a response that carries two
	// different values for Content-Length, Content-Disposition or Location
	// (Chromium net/http/http_stream_parser.cc and http_network_transaction
	// HeadersContainMultipleCopiesOfField, ERR_RESPONSE_HEADERS_MULTIPLE_*;
	// recorded: invalid-response/…content-disposition…). Identical copies
	// are allowed.
	// Chromium then reads one copy of identical duplicates (recorded:
	// invalid-response/get-answered-302-with-the-same-location-twice
	// redirects once).
	RejectConflictingDuplicates bool
	// RejectProxyAuth fails a 407 from a server that is not a proxy
	// (Chromium HttpNetworkTransaction::HandleAuthChallenge,
	// ERR_UNEXPECTED_PROXY_AUTH; recorded: status/get-answered-407-… and
	// preflight-status/…407…). The standard hands a 407 to Fetch, which
	// returns it as it is (HTTP-network-or-cache fetch, step 15).
	RejectProxyAuth bool
	// NameWithWhitespaceDropped drops a header line whose name holds a
	// space, tab or CR before its colon, where Chromium trims trailing
	// spaces and tabs from the name and keeps the line. libsoup does
	// (libsoup 3.2.3 soup-headers.c soup_headers_parse: "Reject if there
	// is no ':', or the header name is empty, or it contains whitespace";
	// recorded: webkit/invalid-response/get-answered-200-with-acao-and-a-
	// header-line-x-foo-1-3, `X-Foo : 1` is not exposed by
	// Access-Control-Expose-Headers: *).
	NameWithWhitespaceDropped bool
	// ValueCRIsSpace reads a CR inside a value as libsoup does
	// (soup_headers_parse): CRs at either end are trimmed as whitespace
	// and any other CR becomes a space. Chromium keeps a lone CR in the
	// value (recorded: chromium/invalid-response/…-x-foo-a-rb).
	ValueCRIsSpace bool
	// CheckBodyFraming fails a response whose body framing libsoup does
	// not recognize (soup-message-headers.c soup_message_headers_set, and
	// soup-client-message-io-http1.c parse_headers: "Unrecognized HTTP
	// response encoding"): a Transfer-Encoding other than chunked or
	// identity, or a Content-Length that is not a decimal number
	// (g_ascii_strtoull must read the whole value: "x" and "2, 2" fail,
	// "-1" reads), each line read in order, the last one deciding, a
	// chunked encoding ignoring later Content-Length lines. A response to
	// HEAD, a 204, a 304 or a 1xx has no body and is not checked. Recorded:
	// webkit/invalid-response/…-content-length-x, …-content-length-2-2 and
	// …-transfer-encoding-bogus fail; …-content-length-1 (-1) and two
	// different Content-Length lines do not. Chromium hands each of these
	// on (recorded), failing later, while script reads the body.
	CheckBodyFraming bool
	// ThreeDigitStatus fails a response whose status line does not carry
	// exactly three digits between 100 and 999 (libsoup 3.2.3
	// soup-headers.c soup_headers_parse_status_line: "code_end !=
	// code_start + 3" and "code < 100 || code > 999" fail the parse,
	// "Could not parse HTTP response"). Chromium reads a status of any
	// length (parseStatusLine).
	ThreeDigitStatus bool
	// UntrimmedFieldName takes a header line's name as everything before
	// its first colon, so a name with a trailing space or tab is not a
	// token and the line is dropped. Firefox does (netwerk/protocol/http/
	// nsHttpHeaderArray.cpp ParseHeaderLine checks IsValidToken on the
	// bytes before the colon; recorded: firefox/invalid-response/get-
	// answered-200-with-acao-and-a-header-line-x-foo-1-3, "X-Foo " is not
	// exposed). Chromium trims them (HttpUtil::HeadersIterator).
	UntrimmedFieldName bool
	// DropValueWithCR drops a header line whose value holds a CR that does
	// not end the line. Firefox does (recorded: firefox/invalid-response/
	// get-answered-200-with-acao-and-a-header-line-x-foo-a-rb: "a\rb" is
	// not exposed, and the line is not split at the CR); Chromium keeps
	// the value as sent.
	DropValueWithCR bool
	// NULFailsInValueOnly fails a response for a NUL byte only in the
	// value of a header line that is otherwise kept; a NUL elsewhere (in a
	// name, which is then no token) just drops its line. Firefox: nsHttp
	// ResponseHead::ParseHeaderLine_locked returns NS_ERROR_DOM_INVALID_
	// HEADER_VALUE for a NUL in a value, after dropping a line whose name
	// is not a token (recorded: firefox/invalid-response/…-x-x00foo-1
	// resolves, …-x-foo-a-x00b fails). The zero value fails a NUL anywhere
	// in the head, as Chromium does (RFC 9110 §5.5).
	NULFailsInValueOnly bool
	// SwitchingProtocolsIsFinal hands a 101 on as the final response
	// instead of skipping it as an interim one. Firefox does when no
	// upgrade was asked for (nsHttpTransaction only skips 1xx other than
	// 101; recorded: firefox/preflight-status/put-whose-preflight-is-
	// answered-101-… reports "Status code: 101").
	SwitchingProtocolsIsFinal bool
	// StrictStatusLine fails a response whose status code is not one to
	// three digits followed by whitespace or the end of the line.
	// Firefox: nsHttpResponseHead::ParseStatusLine_locked returns
	// NS_ERROR_PARSING_HTTP_STATUS_LINE ("Only accept 3 digits"; recorded:
	// firefox/preflight-status/put-whose-preflight-is-answered-1000-…
	// fails below CORS). The zero value reads any run of digits, no
	// digits as 200, as Chromium does.
	StrictStatusLine bool
	// RequireCompleteChunkedBody fails a response that declares
	// `Transfer-Encoding: chunked` when its body, up to the connection's
	// close, is not a complete chunked body (a last chunk and the empty
	// line after the trailers). Firefox does (nsHttpChunkedDecoder;
	// network.http.enforce-framing.soft fails a cut-off chunked body;
	// recorded: firefox/invalid-response/get-answered-200-with-acao-the-
	// origin-and-transfer-encoding-chunked, body "ok", fails). Chromium
	// hands the response to Fetch and fails the body read later
	// (recorded: chromium/invalid-response/…-chunked resolves). An empty
	// body (a HEAD's answer, a 204) is not checked.
	RequireCompleteChunkedBody bool
	// InterimThenCloseHasNoHead reads an interim 1xx response that no
	// final response follows before the connection closes as a response
	// without a head (Error.NoHead), not as an empty response. Firefox's
	// transaction discards the 1xx head and waits for the next one
	// (nsHttpTransaction::ParseLineSegment, "ignoring 1xx response except
	// 101 and 103"); at the close its channel starts without a response
	// head and without a failure status, which the CORS listener reports
	// as a duplicate Access-Control-Allow-Origin (recorded: firefox/status/
	// get-answered-100-…, -102-, -103-, -199-, and a 100 without the
	// header; a same-origin one fails silently).
	InterimThenCloseHasNoHead bool
}

// Chromium is Chromium 156's reading (net/http/http_response_headers.cc,
// http_util.cc, http_stream_parser.cc; recorded under testdata/chromium/
// status and invalid-response).
func Chromium() Policy { return Policy{RejectConflictingDuplicates: true, RejectProxyAuth: true} }

// WebKit is WebKitGTK 2.50's reading: libsoup 3.2.3 (the Debian package
// it links), libsoup/soup-headers.c and soup-message-headers.c, recorded
// under testdata/webkit/invalid-response and status. Duplicates of any
// header are kept (two different Content-Length, Content-Disposition or
// Location lines reach the loader, recorded); a NUL anywhere in the head
// fails it, as in Chromium (soup_headers_parse, "No '\0's are allowed";
// recorded: …-x-foo-a-x00b, …-x-x00foo-1).
func WebKit() Policy {
	return Policy{NameWithWhitespaceDropped: true, ValueCRIsSpace: true, CheckBodyFraming: true, ThreeDigitStatus: true}
}

// Firefox is Firefox ESR 153's reading (netwerk/protocol/http/
// nsHttpResponseHead.cpp, nsHttpHeaderArray.cpp, nsHttpTransaction.cpp;
// recorded under testdata/firefox/invalid-response and preflight-status).
// It refuses conflicting Content-Length, Content-Disposition and Location
// (nsHttpHeaderArray::SetHeaderFromNet, IsSuspectDuplicateHeader:
// NS_ERROR_CORRUPTED_CONTENT) and hands a 407 to Fetch (recorded:
// firefox/status/get-answered-407-… resolves with 407).
func Firefox() Policy {
	return Policy{
		RejectConflictingDuplicates: true,
		UntrimmedFieldName:          true,
		DropValueWithCR:             true,
		NULFailsInValueOnly:         true,
		SwitchingProtocolsIsFinal:   true,
		StrictStatusLine:            true,
		RequireCompleteChunkedBody:  true,
		InterimThenCloseHasNoHead:   true,
	}
}

// Error is a response the network stack refuses: the request went out but
// no usable response came back. Code is the Chromium net error name a
// console line prints ("ERR_INVALID_HTTP_RESPONSE").
type Error struct {
	Code string
	Msg  string
	// NoHead marks a response that ended before any head
	// (Policy.InterimThenCloseHasNoHead).
	NoHead bool
	// BadStatusLine marks a status line the policy cannot parse
	// (Policy.StrictStatusLine); Firefox prints a line of its own for it.
	BadStatusLine bool
}

func (e *Error) Error() string { return "wire: " + e.Msg + " (net::" + e.Code + ")" }

// ChromiumNetError returns the net error name Chromium prints for it.
func (e *Error) ChromiumNetError() string { return e.Code }

// Response is a response head as the network stack hands it on.
type Response struct {
	Status int
	Reason string
	Header http.Header // names as sent (canonicalized), values trimmed, in order
	Body   []byte
}

// AppendResponse appends the bytes a scripted answer puts on the wire:
// "HTTP/1.1 <status> <reason>", each header line as "Name: value" in order
// and byte for byte, an empty line, then the body unless head is set (RFC
// 9110 §9.3.2). It is the recorder's serialization (tools/recorder).
func AppendResponse(dst []byte, status int, header [][2]string, body []byte, head bool) []byte {
	dst = append(dst, "HTTP/1.1 "...)
	dst = strconv.AppendInt(dst, int64(status), 10)
	dst = append(dst, ' ')
	dst = append(dst, http.StatusText(status)...)
	dst = append(dst, "\r\n"...)
	for _, h := range header {
		dst = append(dst, h[0]...)
		dst = append(dst, ": "...)
		dst = append(dst, h[1]...)
		dst = append(dst, "\r\n"...)
	}
	dst = append(dst, "\r\n"...)
	if !head {
		dst = append(dst, body...)
	}
	return dst
}

// Read reads one response from data, the whole byte stream a server sent
// before closing the connection.
func (p Policy) Read(data []byte) (*Response, error) { return p.read(data, false) }

// ReadHead is Read for the answer to a HEAD request, which has no body
// whatever its framing headers say.
func (p Policy) ReadHead(data []byte) (*Response, error) { return p.read(data, true) }

func (p Policy) read(data []byte, headRequest bool) (*Response, error) {
	interim := false
	for {
		if len(data) == 0 {
			// The connection closed before any byte of a response.
			return nil, &Error{Code: "ERR_EMPTY_RESPONSE", Msg: "the server closed the connection without a response",
				NoHead: interim && p.InterimThenCloseHasNoHead}
		}
		if interim && p.InterimThenCloseHasNoHead && !bytes.HasPrefix(data, []byte("HTTP/")) {
			// What follows an interim response and is not a status line is
			// skipped while looking for one (nsHttpTransaction::ParseHead,
			// LocateHttpStart), up to the close.
			i := bytes.Index(data, []byte("HTTP/"))
			if i < 0 {
				return nil, &Error{Code: "ERR_EMPTY_RESPONSE", Msg: "the connection closed after an interim response", NoHead: true}
			}
			data = data[i:]
		}
		if !bytes.HasPrefix(data, []byte("HTTP/")) {
			// An HTTP/0.9 response: Chromium refuses it for fetch()
			// (HttpStreamParser, ERR_INVALID_HTTP_RESPONSE).
			return nil, &Error{Code: "ERR_INVALID_HTTP_RESPONSE", Msg: "the response does not start with a status line"}
		}
		end, bodyStart := endOfHead(data)
		if end < 0 {
			// The head never ends: Chromium takes the whole stream as the
			// head when the connection closes.
			end, bodyStart = len(data), len(data)
		}
		if end > MaxHeadBytes {
			return nil, &Error{Code: "ERR_RESPONSE_HEADERS_TOO_BIG", Msg: "the response head is too large"}
		}
		head := data[:end]
		if !p.NULFailsInValueOnly && bytes.IndexByte(head, 0) >= 0 {
			// RFC 9110 §5.5: a NUL in a field makes the message invalid;
			// Chromium refuses the response (recorded:
			// invalid-response/…x00…).
			return nil, &Error{Code: "ERR_INVALID_HTTP_RESPONSE", Msg: "the response head holds a NUL byte"}
		}
		lines := splitLines(head)
		if p.ThreeDigitStatus && !threeDigitStatus(lines[0]) {
			return nil, &Error{Code: "ERR_INVALID_HTTP_RESPONSE", Msg: "the status line does not carry a three-digit status from 100 to 999"}
		}
		status, reason, ok := p.parseStatusLine(lines[0])
		if !ok {
			return nil, &Error{Code: "ERR_INVALID_HTTP_RESPONSE", Msg: "the status line does not parse", BadStatusLine: true}
		}
		if status >= 100 && status <= 199 && !(status == http.StatusSwitchingProtocols && p.SwitchingProtocolsIsFinal) {
			// An interim response: discarded, and the next bytes read as
			// the response (RFC 9110 §15.2). Chromium then needs a final
			// response on the same connection (recorded: status/…100…).
			data = data[bodyStart:]
			interim = true
			continue
		}
		h, framing, err := p.headerLines(lines[1:])
		if err != nil {
			return nil, err
		}
		if status == http.StatusProxyAuthRequired && p.RejectProxyAuth {
			return nil, &Error{Code: "ERR_UNEXPECTED_PROXY_AUTH", Msg: "a 407 came from a server that is not a proxy"}
		}
		if p.CheckBodyFraming && !headRequest && status != http.StatusNoContent && status != http.StatusNotModified {
			if err := checkFraming(framing); err != nil {
				return nil, err
			}
		}
		body := data[bodyStart:]
		if p.RequireCompleteChunkedBody && len(body) > 0 && isChunked(h) {
			decoded, ok := decodeChunked(body)
			if !ok {
				return nil, &Error{Code: "ERR_INCOMPLETE_CHUNKED_ENCODING", Msg: "the chunked body is not complete"}
			}
			body = decoded
		}
		return &Response{Status: status, Reason: reason, Header: h, Body: body}, nil
	}
}

// isChunked reports whether the Transfer-Encoding lines name "chunked".
func isChunked(h http.Header) bool {
	for _, v := range h["Transfer-Encoding"] {
		for _, c := range bytes.Split([]byte(v), []byte(",")) {
			if bytes.EqualFold(trimLWS(c), []byte("chunked")) {
				return true
			}
		}
	}
	return false
}

// decodeChunked decodes a chunked body (RFC 9112 §7.1): chunks of a
// hexadecimal size line (extensions after ';' ignored), the data and a line
// end, up to a last chunk of size 0 and the trailer section's empty line.
// ok is false when the body is cut off or a size line is not hexadecimal.
func decodeChunked(b []byte) (data []byte, ok bool) {
	const maxSizeDigits = 15 // sizes stay below 2^60, no overflow
	for {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			return nil, false
		}
		line := bytes.TrimSuffix(b[:i], []byte("\r"))
		b = b[i+1:]
		if j := bytes.IndexByte(line, ';'); j >= 0 {
			line = line[:j]
		}
		line = trimLWS(line)
		if len(line) == 0 || len(line) > maxSizeDigits {
			return nil, false
		}
		n, err := strconv.ParseUint(string(line), 16, 64)
		if err != nil {
			return nil, false
		}
		if n == 0 {
			// The trailer section: header lines up to an empty line.
			for {
				i := bytes.IndexByte(b, '\n')
				if i < 0 {
					return nil, false
				}
				t := bytes.TrimSuffix(b[:i], []byte("\r"))
				b = b[i+1:]
				if len(t) == 0 {
					return data, true
				}
			}
		}
		if uint64(len(b)) < n {
			return nil, false
		}
		data = append(data, b[:n]...)
		b = b[n:]
		switch {
		case bytes.HasPrefix(b, []byte("\r\n")):
			b = b[2:]
		case bytes.HasPrefix(b, []byte("\n")):
			b = b[1:]
		default:
			return nil, false
		}
	}
}

// threeDigitStatus reports whether the status code of a status line
// ("HTTP/x.y NNN reason") is three digits from 100 to 999, after spaces or
// tabs (Policy.ThreeDigitStatus).
func threeDigitStatus(line []byte) bool {
	sp := bytes.IndexAny(line, " \t")
	if sp < 0 {
		return false
	}
	rest := bytes.TrimLeft(line[sp:], " \t")
	n := 0
	for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	return n == 3 && rest[0] != '0'
}

// endOfHead finds the empty line that ends a head: "\r\n\r\n", "\n\n" or
// "\n\r\n" (Chromium HttpUtil::LocateEndOfHeaders). It returns where the
// head ends and the body starts, or -1.
func endOfHead(data []byte) (end, body int) {
	for i := 0; i < len(data); i++ {
		if data[i] != '\n' {
			continue
		}
		switch {
		case i+1 < len(data) && data[i+1] == '\n':
			return i + 1, i + 2
		case i+2 < len(data) && data[i+1] == '\r' && data[i+2] == '\n':
			return i + 1, i + 3
		}
	}
	return -1, -1
}

// splitLines splits a head at each LF, dropping a CR before it.
func splitLines(head []byte) [][]byte {
	var out [][]byte
	for len(head) > 0 {
		i := bytes.IndexByte(head, '\n')
		line := head
		if i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			head = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		out = append(out, line)
	}
	if len(out) == 0 {
		out = append(out, nil)
	}
	return out
}

// parseStatusLine reads "HTTP/x.y NNN reason". The status is the run of
// digits after the version, whatever its length (Chromium
// HttpResponseHeaders::ParseStatusLine: Response.status 0, 1 and 1000 all
// reach script; recorded: status/get-answered-1000-…); no digits read as
// 200, as Chromium does. Under StrictStatusLine, ok is false for a code
// that is not one to three digits followed by whitespace or the end.
func (p Policy) parseStatusLine(line []byte) (status int, reason string, ok bool) {
	sp := bytes.IndexByte(line, ' ')
	if sp < 0 {
		return 200, "", true
	}
	rest := bytes.TrimLeft(line[sp+1:], " ")
	if p.StrictStatusLine {
		rest = bytes.TrimLeft(rest, "\t ")
	}
	n := 0
	for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	if p.StrictStatusLine && (n == 0 || n > 3 || n < len(rest) && rest[n] != ' ' && rest[n] != '\t') {
		return 0, "", false
	}
	if n == 0 {
		return 200, "", true
	}
	status, err := strconv.Atoi(string(rest[:n]))
	if err != nil {
		status = 200
	}
	return status, string(bytes.TrimLeft(rest[n:], " ")), true
}

// headerLines reads the header lines of a head, as Chromium's
// HttpUtil::HeadersIterator and HttpResponseHeaders::Parse do (recorded:
// invalid-response/):
//   - a line starting with a space or tab continues the previous line's
//     value (obs-fold, RFC 9112 §5.2), joined with one space;
//   - the name is what precedes the first colon, trailing spaces and tabs
//     removed; a line with no colon, an empty name or a name that is not a
//     token is dropped;
//   - the value is trimmed of spaces and tabs and kept otherwise as sent,
//     with any other control byte or non-ASCII byte.
func (p Policy) headerLines(lines [][]byte) (http.Header, []framingLine, error) {
	type field struct{ name, value string }
	var fields []field
	for _, line := range lines {
		if len(line) > 0 && (line[0] == ' ' || line[0] == '\t') {
			if len(fields) > 0 {
				v := trimLWS(line)
				if len(v) > 0 {
					last := &fields[len(fields)-1]
					if last.value == "" {
						last.value = string(v)
					} else {
						last.value += " " + string(v)
					}
				}
			}
			continue
		}
		colon := bytes.IndexByte(line, ':')
		if colon < 0 {
			fields = append(fields, field{}) // a dropped line still ends a fold
			continue
		}
		if p.NameWithWhitespaceDropped && bytes.ContainsAny(line[:colon], " \t\r") {
			fields = append(fields, field{})
			continue
		}
		name := line[:colon]
		if !p.UntrimmedFieldName {
			name = bytes.TrimRight(name, " \t")
		}
		if !isToken(name) {
			fields = append(fields, field{})
			continue
		}
		value := trimLWS(line[colon+1:])
		if p.DropValueWithCR && bytes.IndexByte(value, '\r') >= 0 {
			fields = append(fields, field{})
			continue
		}
		if p.NULFailsInValueOnly && bytes.IndexByte(value, 0) >= 0 {
			return nil, nil, &Error{Code: "ERR_INVALID_HTTP_RESPONSE", Msg: "a header value holds a NUL byte"}
		}
		fields = append(fields, field{string(name), string(value)})
	}
	h := http.Header{}
	var framing []framingLine
	for _, f := range fields {
		if f.name == "" {
			continue
		}
		k := http.CanonicalHeaderKey(f.name)
		if k == "Transfer-Encoding" || k == "Content-Length" {
			framing = append(framing, framingLine{k == "Transfer-Encoding", f.value})
		}
		v := f.value
		if p.ValueCRIsSpace {
			v = strings.ReplaceAll(strings.Trim(v, " \t\r"), "\r", " ")
		}
		h[k] = append(h[k], v)
	}
	if p.RejectConflictingDuplicates {
		for _, c := range []struct{ name, code string }{
			{"Content-Length", "ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH"},
			{"Content-Disposition", "ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_DISPOSITION"},
			{"Location", "ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION"},
		} {
			vs := h[c.name]
			for _, v := range vs[min(1, len(vs)):] {
				if v != vs[0] {
					return nil, nil, &Error{Code: c.code, Msg: fmt.Sprintf("the response carries %s twice with different values", c.name)}
				}
			}
			if len(vs) > 1 {
				h[c.name] = vs[:1]
			}
		}
	}
	return h, framing, nil
}

func trimLWS(b []byte) []byte { return bytes.Trim(b, " \t") }

// framingLine is a Transfer-Encoding (te) or Content-Length line's value.
type framingLine struct {
	te    bool
	value string
}

// checkFraming is libsoup's body framing decision (Policy.CheckBodyFraming):
// the framing header lines in the order sent, the last deciding.
func checkFraming(lines []framingLine) error {
	const (
		unset = iota
		chunked
		length
		unrecognized
	)
	enc := unset
	for _, l := range lines {
		switch {
		case l.te && strings.EqualFold(l.value, "chunked"):
			enc = chunked
		case l.te && strings.EqualFold(l.value, "identity"):
		case l.te:
			enc = unrecognized
		case enc == chunked:
			// A Content-Length after chunked is ignored.
		case isStrtoull(l.value):
			enc = length
		default:
			enc = unrecognized
		}
	}
	if enc == unrecognized {
		return &Error{Code: "ERR_INVALID_HTTP_RESPONSE", Msg: "the response's body framing (Transfer-Encoding or Content-Length) is not recognized"}
	}
	return nil
}

// isStrtoull reports whether g_ascii_strtoull(v, &end, 10) reads all of v:
// leading whitespace, an optional sign, decimal digits; the empty string
// reads as 0.
func isStrtoull(v string) bool {
	s := strings.TrimLeft(v, " \t\n\v\f\r")
	if s == "" {
		return v == ""
	}
	if s[0] == '+' || s[0] == '-' {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isToken reports an RFC 9110 token.
func isToken(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c >= 0x80 || !tchar[c] {
			return false
		}
	}
	return true
}

var tchar = func() (t [128]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-'a'+'A'] = true
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] = true
	}
	return t
}()
