package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Time-outs of check and audit against a live server. -timeout bounds the
// whole command; the transport's own limits stop one slow step early.
const (
	defaultTimeout        = 30 * time.Second // -timeout: the whole command
	dialTimeout           = 5 * time.Second  // TCP connect
	tlsHandshakeTimeout   = 5 * time.Second  // TLS handshake
	responseHeaderTimeout = 10 * time.Second // request written → response headers
)

// liveTransport is the transport to real servers: no redirects followed
// (the engine follows them as a browser does), proxies from the
// environment as curl does, and the time-outs above.
func liveTransport(insecure bool) *http.Transport {
	d := &net.Dialer{Timeout: dialTimeout}
	return &http.Transport{
		// -k, as curl's: for a test server's self-signed certificate.
		TLSClientConfig:       &tls.Config{InsecureSkipVerify: insecure},
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           d.DialContext,
		TLSHandshakeTimeout:   tlsHandshakeTimeout,
		ResponseHeaderTimeout: responseHeaderTimeout,
		ForceAttemptHTTP2:     true,
		MaxIdleConnsPerHost:   4,
	}
}

// checkURL accepts an absolute http or https URL.
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("URL %q: %v", raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("URL %q: want an absolute http:// or https:// URL", raw)
	}
	return nil
}

// describeNetErr names a transport failure the way a person looks for it.
func describeNetErr(err error) string {
	var dnsErr *net.DNSError
	var opErr *net.OpError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "time-out: " + err.Error()
	case errors.As(err, &dnsErr):
		return "DNS lookup failed: " + err.Error()
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return "connection failed: " + err.Error()
	case strings.Contains(err.Error(), "tls:") || strings.Contains(err.Error(), "x509:"):
		return "TLS failed: " + err.Error()
	}
	return "network failure: " + err.Error()
}

// headerFlags collects repeated -H 'Name: value' flags, as curl does.
type headerFlags []string

func (h *headerFlags) String() string { return strings.Join(*h, "; ") }

func (h *headerFlags) Set(v string) error {
	name, _, ok := strings.Cut(v, ":")
	if !ok || strings.TrimSpace(name) == "" || strings.TrimSpace(name) != name {
		return fmt.Errorf("want 'Name: value', got %q", v)
	}
	*h = append(*h, v)
	return nil
}

func (h headerFlags) header() http.Header {
	out := http.Header{}
	for _, v := range h {
		name, value, _ := strings.Cut(v, ":")
		out[http.CanonicalHeaderKey(name)] = append(out[http.CanonicalHeaderKey(name)], strings.TrimSpace(value))
	}
	return out
}

// parseLive parses the flags of check or audit as the other subcommands
// do: -h prints the help and every flag to stdout and exits 0; a bad flag
// is reported on stderr with a pointer to -h and exits 2.
func parseLive(fl *flag.FlagSet, help string, args []string, stdout, stderr io.Writer) (code int, done bool) {
	fl.SetOutput(stderr)
	fl.Usage = func() {}
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, help)
			fl.SetOutput(stdout)
			fl.PrintDefaults()
			return 0, true
		}
		fmt.Fprintf(stderr, "run %q for help\n", "corsim "+fl.Name()+" -h")
		return 2, true
	}
	return 0, false
}
