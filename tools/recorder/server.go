package main

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/corsim/corsim/internal/weburl"
	"github.com/corsim/corsim/scenario"
)

// Limits on what the server reads from one connection.
const (
	connTimeout     = 30 * time.Second
	maxRequestBytes = 2 << 20 // the request head and body together
	drainAfterClose = time.Second
)

// pageHTML is the initiator document: it does nothing; the recorder
// evaluates each fetch() in it over the DevTools protocol.
const pageHTML = "<!doctype html><meta charset=\"utf-8\"><title>corsim recorder</title>\n"

// scriptServer is the scenarios' server on one loopback address: every
// port a scenario names listens there, each answering plain HTTP/1.1 or
// TLS, told apart by the first byte a client sends. Outside a step it
// serves the initiator page at "/"; during a step it answers from the
// scenario's rules and logs every request.
type scriptServer struct {
	addr      netip.Addr
	tlsConfig *tls.Config

	mu        sync.Mutex
	listeners map[int]net.Listener
	proxy     net.Listener // proxyAddr's, once started
	conns     sync.WaitGroup
	closed    bool
	origin    string // the current scenario's origin; "null" asks for a sandboxed page
	rules     []scenario.Rule
	stepRules []scenario.Rule
	inStep    bool
	wire      []scenario.WireRequest
	stray     []string // requests outside any step, other than the page
	favicons  int      // favicon requests outside any step since load
	// wireNames are the request headers a wire entry records: the
	// loaded scenario's format's.
	wireNames []string
	// cookies are the loaded scenario's (format 2): outside a step, a GET
	// of a cookie's URL answers with the page and its Set-Cookie lines,
	// the first-party visit that sets them.
	cookies []scenario.Cookie
}

// newScriptServer returns a server on addr presenting cert over TLS; it
// listens on no port until ensurePorts.
func newScriptServer(addr netip.Addr, cert tls.Certificate) *scriptServer {
	return &scriptServer{
		addr: addr,
		tlsConfig: &tls.Config{
			Certificates: []tls.Certificate{cert},
			NextProtos:   []string{"http/1.1"}, // no HTTP/2: answers are written as HTTP/1.1 bytes
		},
		listeners: map[int]net.Listener{},
	}
}

// ensurePorts starts listening on each port not listened on yet.
func (s *scriptServer) ensurePorts(ports []int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errors.New("the server is closed")
	}
	for _, p := range ports {
		if _, ok := s.listeners[p]; ok {
			continue
		}
		ln, err := net.Listen("tcp", netip.AddrPortFrom(s.addr, uint16(p)).String())
		if err != nil {
			return err
		}
		s.listeners[p] = ln
		s.conns.Add(1)
		go s.acceptLoop(ln)
	}
	return nil
}

// Close stops listening and waits for open connections to end.
func (s *scriptServer) Close() {
	s.mu.Lock()
	s.closed = true
	for _, ln := range s.listeners {
		ln.Close()
	}
	if s.proxy != nil {
		s.proxy.Close()
	}
	s.mu.Unlock()
	s.conns.Wait()
}

// load makes sc the scenario the server answers for.
func (s *scriptServer) load(sc *scenario.Scenario) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.origin = sc.Origin
	s.rules = sc.Server
	s.stepRules = nil
	s.inStep = false
	s.wire = nil
	s.stray = nil
	s.favicons = 0
	s.wireNames = scenario.WireHeaderNamesOf(sc.Format)
	s.cookies = sc.Cookies
}

// beginStep starts logging requests and consults rules before the
// scenario's own until endStep.
func (s *scriptServer) beginStep(rules []scenario.Rule) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stepRules = rules
	s.inStep = true
	s.wire = nil
}

// endStep returns the requests logged since beginStep, in arrival order.
func (s *scriptServer) endStep() []scenario.WireRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inStep = false
	s.stepRules = nil
	w := s.wire
	s.wire = nil
	if w == nil {
		w = []scenario.WireRequest{}
	}
	return w
}

// takeStray returns the requests received outside any step other than the
// page load, and forgets them.
func (s *scriptServer) takeStray() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stray
	s.stray = nil
	return st
}

func (s *scriptServer) acceptLoop(ln net.Listener) {
	defer s.conns.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		s.conns.Add(1)
		go func() {
			defer s.conns.Done()
			s.serveConn(c)
		}()
	}
}

// serveConn answers one request and closes the connection, which frames a
// body that has no Content-Length.
func (s *scriptServer) serveConn(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(connTimeout))
	br := bufio.NewReader(c)
	first, err := br.Peek(1)
	if err != nil {
		return // a preconnect that was never used
	}
	var conn net.Conn = &bufferedConn{Conn: c, r: br}
	scheme := "http"
	if first[0] == 0x16 { // a TLS handshake record
		tc := tls.Server(conn, s.tlsConfig)
		if err := tc.Handshake(); err != nil {
			return
		}
		conn = tc
		scheme = "https"
	}
	req, err := http.ReadRequest(bufio.NewReader(io.LimitReader(conn, maxRequestBytes)))
	if err != nil {
		return
	}
	s.respond(conn, scheme, req)
}

// respond answers req, read from conn, and ends the connection.
func (s *scriptServer) respond(conn net.Conn, scheme string, req *http.Request) {
	// A request for a host outside the scenarios' *.test names (a
	// browser's own background traffic, which reaches this address when
	// the browser resolves every name to it) gets no answer and is not
	// logged: it fails as a name that does not resolve would.
	if !isTestHost(req.Host) {
		return
	}
	// Read the whole request body first: closing with unread data would
	// reset the connection and lose the answer.
	io.Copy(io.Discard, req.Body)
	resp := s.answer(scheme, req)
	if _, err := conn.Write(resp); err != nil {
		return
	}
	closeWrite(conn)
	// Wait for the client to close, so that the close is not a reset.
	conn.SetReadDeadline(time.Now().Add(drainAfterClose))
	io.Copy(io.Discard, io.LimitReader(conn, maxRequestBytes))
}

// answer logs req when a step is running and returns the response bytes.
func (s *scriptServer) answer(scheme string, req *http.Request) []byte {
	url := canonicalURL(scheme + "://" + req.Host + originForm(req.RequestURI))
	head := req.Method == http.MethodHead
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.inStep {
		if req.Method == http.MethodGet {
			if sets := cookieSets(s.cookies, url); len(sets) > 0 {
				return s.cookiePage(sets)
			}
		}
		if req.Method == http.MethodGet && req.URL.Path == "/" {
			return s.page()
		}
		// Outside a step a favicon request is the browser's own whatever
		// it accepts (WebKit asks with Accept: */*).
		if isFavicon(req) || isPageFavicon(req) {
			s.favicons++
		} else {
			s.stray = append(s.stray, req.Method+" "+url)
		}
		return appendResponse(nil, notFound(), head)
	}
	if isFavicon(req) {
		return appendResponse(nil, notFound(), head)
	}
	s.wire = append(s.wire, wireRequestOf(req, url, s.wireNames))
	r, ok := matchRule(req.Method, url, s.stepRules, s.rules)
	if !ok {
		r = notFound()
	}
	return appendResponse(nil, r, head)
}

// page returns the initiator document. For the opaque origin "null" it is
// sandboxed without allow-same-origin (HTML: sandboxed origin browsing
// context flag), so its origin is a fresh opaque one.
func (s *scriptServer) page() []byte {
	r := scenario.Rule{Status: http.StatusOK, Headers: []scenario.Header{
		{Name: "Content-Type", Value: "text/html; charset=utf-8"},
		{Name: "Cache-Control", Value: "no-store"},
		{Name: "Content-Length", Value: strconv.Itoa(len(pageHTML))},
	}}
	if s.origin == "null" {
		r.Headers = append(r.Headers, scenario.Header{Name: "Content-Security-Policy", Value: "sandbox allow-scripts"})
	}
	body := pageHTML
	r.Body = &body
	return appendResponse(nil, r, false)
}

// isTestHost reports whether a Host header names a host under .test, the
// only names the scenarios use.
func isTestHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	return strings.HasSuffix(host, ".test")
}

// isFavicon reports a browser's own favicon request, which is no part of a
// scenario.
func isFavicon(req *http.Request) bool {
	return req.Method == http.MethodGet && req.URL.Path == "/favicon.ico" &&
		strings.HasPrefix(req.Header.Get("Accept"), "image/")
}

// isPageFavicon reports a request for the page's favicon as any browser
// makes it by itself: GET /favicon.ico with no query and no Origin.
func isPageFavicon(req *http.Request) bool {
	return req.Method == http.MethodGet && req.URL.Path == "/favicon.ico" && req.URL.RawQuery == "" && req.Header.Get("Origin") == ""
}

// pageFavicons returns how many favicon requests arrived outside any step
// since the scenario was loaded.
func (s *scriptServer) pageFavicons() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.favicons
}

// wireRequestOf is a request as a `wire` entry records it: method, absolute
// URL and the request headers names (a format's set; nil is format 1's).
func wireRequestOf(req *http.Request, url string, names []string) scenario.WireRequest {
	if names == nil {
		names = scenario.WireHeaderNames()
	}
	w := scenario.WireRequest{Method: req.Method, URL: url, Headers: map[string]string{}}
	for _, name := range names {
		if vs := req.Header.Values(name); len(vs) > 0 {
			w.Headers[name] = strings.Join(vs, ", ")
		}
	}
	return w
}

// bufferedConn reads through the reader that peeked at the first byte.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *bufferedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// closeWrite ends the sending side: close_notify over TLS, FIN over TCP.
func closeWrite(c net.Conn) {
	switch c := c.(type) {
	case *tls.Conn:
		c.CloseWrite()
	case *bufferedConn:
		closeWrite(c.Conn)
	case interface{ CloseWrite() error }:
		c.CloseWrite()
	}
}

// scenarioPorts returns the TCP ports a scenario's URLs name (the
// initiator's, the fetches', the rules' and their Location targets'),
// sorted, with 80 and 443 always included.
func scenarioPorts(sc *scenario.Scenario) []int {
	set := map[int]bool{80: true, 443: true}
	add := func(raw string) {
		if p, ok := urlPort(raw); ok {
			set[p] = true
		}
	}
	if sc.Origin != "null" {
		add(sc.Origin)
	}
	addRules := func(rules []scenario.Rule) {
		for _, r := range rules {
			add(r.URL)
			for _, h := range r.Headers {
				if strings.EqualFold(h.Name, "Location") {
					if u, err := weburl.Parse(r.URL); err == nil {
						if loc, err := u.Resolve(h.Value); err == nil {
							add(loc.String())
						}
					}
				}
			}
		}
	}
	addRules(sc.Server)
	for _, c := range sc.Cookies {
		add(c.URL)
	}
	for _, st := range sc.Steps {
		add(st.Fetch.URL)
		addRules(st.Server)
	}
	out := make([]int, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// urlPort returns the port an http or https URL connects to.
func urlPort(raw string) (int, bool) {
	u, err := weburl.Parse(raw)
	if err != nil {
		return 0, false
	}
	switch u.Scheme() {
	case "http", "https":
	default:
		return 0, false
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		return n, err == nil && n > 0
	}
	if u.Scheme() == "https" {
		return 443, true
	}
	return 80, true
}

// scenarioHosts returns the host names a scenario's http(s) URLs name,
// sorted and unique, for the test certificate.
func scenarioHosts(scs []*scenario.Scenario) []string {
	set := map[string]bool{}
	add := func(raw string) {
		if u, err := weburl.Parse(raw); err == nil && u.IsHTTPScheme() && u.Host() != "" && !strings.HasPrefix(u.Host(), "[") {
			set[u.Host()] = true
		}
	}
	for _, sc := range scs {
		if sc.Origin != "null" {
			add(sc.Origin)
		}
		for _, r := range sc.Server {
			add(r.URL)
		}
		for _, c := range sc.Cookies {
			add(c.URL)
		}
		for _, st := range sc.Steps {
			add(st.Fetch.URL)
			for _, r := range st.Server {
				add(r.URL)
			}
		}
	}
	out := make([]string, 0, len(set))
	for h := range set {
		out = append(out, h)
	}
	slices.Sort(out)
	return out
}

// noStray reports the requests the server received outside any step (see
// takeStray) as an error, and forgets them.
func (s *scriptServer) noStray() error {
	if stray := s.takeStray(); len(stray) > 0 {
		return fmt.Errorf("requests outside any step: %s", strings.Join(stray, "; "))
	}
	return nil
}
