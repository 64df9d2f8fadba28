package fetch

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/corsim/corsim/internal/httpheader"
	"github.com/corsim/corsim/redirect"
)

// Limits on a response's header list. A server controls what it sends, so
// corsim bounds it: a response past any of these is a network error, as a
// browser fails a response whose headers it will not hold. The checks run
// before any other step reads the headers, so that no later step (CORS
// check, filtering, the preflight cache) spends more than linear time or
// memory on a hostile answer.
const (
	// MaxResponseHeaderBytes bounds a response's header block, each line
	// counted as on the wire ("name:value" CRLF). Chromium's
	// kMaxHeaderBufSize (net/http/http_stream_parser.cc, 256 KiB) fails a
	// longer block with net::ERR_RESPONSE_HEADERS_TOO_BIG; Firefox's
	// network.http.max_response_header_size is 384 KiB. corsim uses
	// Chromium's for every profile.
	MaxResponseHeaderBytes = 256 << 10
	// MaxResponseHeaderLines bounds the number of header lines. Browsers
	// bound only the bytes, which allow at most 65,536 lines of 4 bytes;
	// corsim's own, lower bound keeps a transport that is not the network
	// (a handler, a scripted server) from handing over a header map of
	// millions of short lines, and no real server sends this many.
	MaxResponseHeaderLines = 16 << 10
	// MaxResponseHeaderNames bounds the number of distinct header names
	// (keys of the header map), corsim's choice for the same reason.
	MaxResponseHeaderNames = 8 << 10
	// MaxResponseHeaderValueBytes bounds one header value: the longest a
	// value can be within MaxResponseHeaderBytes (a one-byte name, the
	// colon and CRLF take the other four bytes).
	MaxResponseHeaderValueBytes = MaxResponseHeaderBytes - len("a:\r\n")
)

// headerLineOverhead is what a line costs besides its name and value: the
// colon and CRLF.
const headerLineOverhead = len(":\r\n")

// checkResponseHeader checks a response's header list as a browser's
// network stack would before anything else sees it: within the limits
// above, no CR, LF or NUL in a name or value (a network response cannot
// carry CR or LF inside a line, and Chromium's HttpResponseHeaders keeps
// lines NUL-separated in raw_headers, so no NUL reaches script either;
// non-network transports such as HandlerTransport or a scripted server can
// hand them over; the console line for them is not recorded and assumed to
// be net::ERR_INVALID_HTTP_RESPONSE), and
// the profile's rule for several Location lines. It returns the reason and
// the console line of the failure, or "" when the header is acceptable.
// It runs in time linear in the size of h.
func checkResponseHeader(h http.Header, rule redirect.DuplicateLocationRule) (reason, console string) {
	if len(h) > MaxResponseHeaderNames {
		return fmt.Sprintf("the response has more than %d distinct header names (%d)", MaxResponseHeaderNames, len(h)),
			"Failed to load resource: net::ERR_RESPONSE_HEADERS_TOO_BIG"
	}
	lines := 0
	for _, vs := range h {
		lines += len(vs)
	}
	if lines > MaxResponseHeaderLines {
		return fmt.Sprintf("the response has more than %d header lines (%d)", MaxResponseHeaderLines, lines),
			"Failed to load resource: net::ERR_RESPONSE_HEADERS_TOO_BIG"
	}
	size := 0
	for k, vs := range h {
		if bad := strings.IndexAny(k, "\r\n\x00"); bad >= 0 {
			return fmt.Sprintf("the response header name %q contains CR, LF or NUL", k),
				"Failed to load resource: net::ERR_INVALID_HTTP_RESPONSE"
		}
		for _, v := range vs {
			if len(v) > MaxResponseHeaderValueBytes {
				return fmt.Sprintf("the value of response header %q is longer than %d bytes (%d)", k, MaxResponseHeaderValueBytes, len(v)),
					"Failed to load resource: net::ERR_RESPONSE_HEADERS_TOO_BIG"
			}
			// A lone CR inside a value reaches script in Chromium
			// (recorded: invalid-response/…-x-foo-a-rb), since its
			// parser ends lines at LF; an LF would have ended the line
			// and a NUL fails the whole head (…-x-foo-a-x00b).
			if strings.ContainsAny(v, "\n\x00") {
				return fmt.Sprintf("the value of response header %q contains LF or NUL", k),
					"Failed to load resource: net::ERR_INVALID_HTTP_RESPONSE"
			}
			size += len(k) + len(v) + headerLineOverhead
		}
	}
	if size > MaxResponseHeaderBytes {
		return fmt.Sprintf("the response header block is longer than %d bytes (%d)", MaxResponseHeaderBytes, size),
			"Failed to load resource: net::ERR_RESPONSE_HEADERS_TOO_BIG"
	}
	if rule == redirect.DuplicateLocationDistinctFails {
		if ls := httpheader.Lines(h, "Location"); len(ls) > 1 {
			for _, l := range ls[1:] {
				if l != ls[0] {
					return "the response has several Location lines with different values",
						"Failed to load resource: net::ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION"
				}
			}
		}
	}
	return "", ""
}
