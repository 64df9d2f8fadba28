package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// The scripted server as an HTTP proxy, for a browser that cannot be told
// how to resolve names (WebKitGTK): the browser sends every request to the
// proxy, which serves *.test hosts itself on the ports the server listens
// on, exactly as the origin server would, and fails every other name. The
// wire log records each request as the origin server sees it: the
// absolute-form target of a proxied http request (RFC 9112 §3.2.2) becomes
// the origin-form, and a CONNECT tunnel (RFC 9110 §9.3.6) is served as a
// direct connection to the named port, TLS or plain.

// proxyAddr returns the address of the server's proxy, starting it on the
// first call on a port of the server's address that the kernel picks.
func (s *scriptServer) proxyAddr() (netip.AddrPort, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return netip.AddrPort{}, net.ErrClosed
	}
	if s.proxy != nil {
		return netip.MustParseAddrPort(s.proxy.Addr().String()), nil
	}
	ln, err := net.Listen("tcp", netip.AddrPortFrom(s.addr, 0).String())
	if err != nil {
		return netip.AddrPort{}, err
	}
	s.proxy = ln
	s.conns.Add(1)
	go func() {
		defer s.conns.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.conns.Add(1)
			go func() {
				defer s.conns.Done()
				s.serveProxyConn(c)
			}()
		}
	}()
	return netip.MustParseAddrPort(ln.Addr().String()), nil
}

// serveProxyConn answers one proxied request or opens one tunnel. A
// request for a host the scenarios cannot name, or for a port the server
// does not listen on, gets the connection closed with no answer (for
// CONNECT, a 502), which the browser reports as a network error, as a
// name that does not resolve or a refused connection would be.
func (s *scriptServer) serveProxyConn(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(connTimeout))
	br := bufio.NewReader(io.LimitReader(c, maxRequestBytes))
	req, err := http.ReadRequest(br)
	if err != nil {
		return
	}
	if req.Method == http.MethodConnect {
		// The target is authority-form, host:port.
		if _, _, ok := s.proxyTarget(req.RequestURI, ""); !ok {
			io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
			return
		}
		if _, err := io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
			return
		}
		// What follows is what a direct connection to host:port carries.
		s.serveConn(&bufferedConn{Conn: c, r: br})
		return
	}
	if !strings.HasPrefix(req.RequestURI, "http://") {
		return // only absolute-form http URLs go through a forward proxy
	}
	if _, _, ok := s.proxyTarget(req.URL.Host, "80"); !ok {
		return
	}
	s.respond(&bufferedConn{Conn: c, r: br}, "http", req)
}

// proxyTarget splits an authority into host and port (defaultPort when it
// names none) and reports whether the server serves it: a *.test host on a
// port it listens on.
func (s *scriptServer) proxyTarget(authority, defaultPort string) (host string, port int, ok bool) {
	host, p, err := net.SplitHostPort(authority)
	if err != nil {
		if defaultPort == "" {
			return "", 0, false
		}
		host, p = authority, defaultPort
	}
	host = strings.ToLower(host)
	if !strings.HasSuffix(host, ".test") {
		return "", 0, false
	}
	port, err = strconv.Atoi(p)
	if err != nil || port <= 0 || port > 65535 {
		return "", 0, false
	}
	return host, port, s.listensOn(port)
}

// listensOn reports whether one of the server's listeners has port.
func (s *scriptServer) listensOn(port int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ln := range s.listeners {
		if a, ok := ln.Addr().(*net.TCPAddr); ok && a.Port == port {
			return true
		}
	}
	return false
}

// originForm returns a request target as an origin server receives it: an
// absolute-form target (sent to a proxy) loses its scheme and authority,
// "http://b.test/r?q" becoming "/r?q" and "http://b.test?q" "/?q".
func originForm(target string) string {
	scheme, rest, ok := strings.Cut(target, "://")
	if !ok || strings.ContainsAny(scheme, "/?") {
		return target
	}
	i := strings.IndexAny(rest, "/?")
	if i < 0 {
		return "/"
	}
	if rest[i] == '?' {
		return "/" + rest[i:]
	}
	return rest[i:]
}
