package main

import (
	"net/http"
	"strconv"

	"github.com/corsim/corsim/internal/weburl"
	"github.com/corsim/corsim/scenario"
)

// appendResponse appends the HTTP/1.1 response a rule scripts, byte for
// byte: the status line, then each header line in the rule's order, case
// and repetition as "Name: value", then the body. Nothing is added: the
// body is framed by closing the connection (RFC 9112 section 6.3, rule 8)
// unless the rule lists Content-Length or Transfer-Encoding itself. For a
// HEAD request the body is left out, as RFC 9110 section 9.3.2 requires.
func appendResponse(dst []byte, r scenario.Rule, head bool) []byte {
	dst = append(dst, "HTTP/1.1 "...)
	dst = strconv.AppendInt(dst, int64(r.Status), 10)
	dst = append(dst, ' ')
	dst = append(dst, http.StatusText(r.Status)...)
	dst = append(dst, "\r\n"...)
	for _, h := range r.Headers {
		dst = append(dst, h.Name...)
		dst = append(dst, ": "...)
		dst = append(dst, h.Value...)
		dst = append(dst, "\r\n"...)
	}
	dst = append(dst, "\r\n"...)
	if r.Body != nil && !head {
		dst = append(dst, *r.Body...)
	}
	return dst
}

// notFound is the answer to a request no rule matches: 404 with no headers
// and an empty body (FORMAT.md, "Rule").
func notFound() scenario.Rule { return scenario.Rule{Status: http.StatusNotFound} }

// matchRule returns the first rule whose method equals method exactly and
// whose URL serializes like url: the step's rules first, then the
// scenario's. URLs are compared after the URL standard's parsing (so that
// "http://b.test:80/r" matches a request for "http://b.test/r"), without
// the fragment, which is never sent.
func matchRule(method, url string, ruleLists ...[]scenario.Rule) (scenario.Rule, bool) {
	want := canonicalURL(url)
	for _, rules := range ruleLists {
		for _, r := range rules {
			if r.Method == method && canonicalURL(r.URL) == want {
				return r, true
			}
		}
	}
	return scenario.Rule{}, false
}

// canonicalURL serializes raw as the URL standard does, without the
// fragment; a string that does not parse stays as it is, matching only
// itself.
func canonicalURL(raw string) string {
	u, err := weburl.Parse(raw)
	if err != nil {
		return raw
	}
	return u.StringWithoutFragment()
}
