package scenario

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"sync"

	"github.com/corsim/corsim/internal/httpheader"
	"github.com/corsim/corsim/internal/weburl"
	"github.com/corsim/corsim/wire"
)

// Server is the scripted server of a scenario as an http.RoundTripper: it
// answers each request with the first rule whose method and URL match, 404
// with no headers otherwise, and records what it received.
type Server struct {
	read       wire.Policy // how the browser reads the answers' bytes
	mu         sync.Mutex
	step       []Rule // consulted first, for the current step only
	rules      []Rule
	wire       []WireRequest
	unscripted []WireRequest // the part of wire that no rule matched
	names      []string      // the request headers recorded; nil: format 1's
}

// RecordFormat makes the server record the request headers a wire entry
// of the given format holds (format 2 adds cookie, referer and the fetch
// metadata headers).
func (s *Server) RecordFormat(format int) {
	s.mu.Lock()
	s.names = wireNames(format)
	s.mu.Unlock()
}

// SetStepRules sets the rules consulted before the others until the next
// call.
func (s *Server) SetStepRules(rules []Rule) {
	s.mu.Lock()
	s.step = rules
	s.mu.Unlock()
}

// SetWirePolicy sets how answers are read back from their bytes (default:
// the zero wire.Policy). Replay sets the profile's.
func (s *Server) SetWirePolicy(p wire.Policy) {
	s.mu.Lock()
	s.read = p
	s.mu.Unlock()
}

// NewServer returns a server that consults rules in order.
func NewServer(rules ...[]Rule) *Server {
	s := &Server{}
	for _, rs := range rules {
		s.rules = append(s.rules, rs...)
	}
	return s
}

// RoundTrip answers req from the rules.
func (s *Server) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	// A server sees the Host header and the request target, never the
	// URL's username or password (RFC 9112 §3.2): a redirect to
	// http://u:p@c.test/r reaches it as http://c.test/r (recorded:
	// firefox/redirect-rules/cross-origin-no-cors-get-redirected-302-to-
	// http-u-p-c-test-r, and the webkit/redirect-rules/*-to-http-u-p-*
	// files alike).
	seen := *req.URL
	seen.User = nil
	reqURL := canonicalURL(seen.String())
	w := WireRequest{Method: req.Method, URL: reqURL, Headers: map[string]string{}}
	s.mu.Lock()
	names := s.names
	s.mu.Unlock()
	if names == nil {
		names = wireHeaderNames[:]
	}
	for _, name := range names {
		if v, ok := httpheader.Get(req.Header, name); ok {
			w.Headers[name] = v
		}
	}
	s.mu.Lock()
	s.wire = append(s.wire, w)
	rules := append(append([]Rule(nil), s.step...), s.rules...)
	read := s.read
	s.mu.Unlock()
	for _, r := range rules {
		if r.Method == req.Method && canonicalURL(r.URL) == reqURL {
			return r.response(req, read)
		}
	}
	// FORMAT.md, Rule: a request that matches no rule gets 404 with no
	// headers and an empty body.
	s.mu.Lock()
	s.unscripted = append(s.unscripted, w)
	s.mu.Unlock()
	return &http.Response{StatusCode: 404, Status: "404 Not Found", Header: http.Header{}, Body: http.NoBody,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Request: req}, nil
}

// Wire returns what the server received since the last call, and forgets it.
func (s *Server) Wire() []WireRequest {
	w, _ := s.take()
	return w
}

// take returns what the server received since the last call and the part
// of it that no rule matched, and forgets both.
func (s *Server) take() (wire, unscripted []WireRequest) {
	s.mu.Lock()
	defer s.mu.Unlock()
	wire, unscripted = s.wire, s.unscripted
	s.wire, s.unscripted = nil, nil
	return wire, unscripted
}

// response builds the answer of a rule as the browser reads it: the rule is
// written byte for byte as the recorder's server writes it (status line,
// header lines in order, body), and read back through the browser's
// wire.Policy, so a status or a header line the browser treats specially is
// simulated. A response the browser refuses is a transport error carrying
// the browser's net error (*wire.Error).
func (r Rule) response(req *http.Request, read wire.Policy) (*http.Response, error) {
	header := make([][2]string, len(r.Headers))
	for i, p := range r.Headers {
		header[i] = [2]string{p.Name, p.Value}
	}
	var body []byte
	if r.Body != nil {
		body = []byte(*r.Body)
	}
	head := req.Method == http.MethodHead
	raw := wire.AppendResponse(nil, r.Status, header, body, head)
	read1 := read.Read
	if head {
		read1 = read.ReadHead
	}
	resp, err := read1(raw)
	if err != nil {
		return nil, err
	}
	return &http.Response{
		StatusCode: resp.Status, Status: strconv.Itoa(resp.Status) + " " + resp.Reason, Header: resp.Header,
		Body: io.NopCloser(bytes.NewReader(resp.Body)), ContentLength: int64(len(resp.Body)),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Request: req,
	}, nil
}

// canonicalURL serializes a URL the way the engine does, so that rules match
// however they spell an equivalent URL; unparsable URLs match only
// themselves.
func canonicalURL(raw string) string {
	u, err := weburl.Parse(raw)
	if err != nil {
		return raw
	}
	return u.StringWithoutFragment()
}
