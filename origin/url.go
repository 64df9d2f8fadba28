package origin

import (
	"net/url"
	"strconv"
	"strings"
)

// FromURL returns the origin of u as the URL standard defines it:
// https://url.spec.whatwg.org/#concept-url-origin
//
//   - http, https, ws, wss and ftp URLs have the tuple origin (scheme,
//     canonical host, port).
//   - A blob: URL has the origin of the URL in its path if that is http or
//     https ("blob:https://a.example/uuid" → https://a.example), and a new
//     opaque origin otherwise.
//   - file:, data:, about:, javascript: and every other scheme have a new
//     opaque origin (see [NewOpaque]), so the result is not even same-origin
//     with FromURL of the same URL.
//
// A URL whose host is not valid for the URL standard (for example one with
// a zone identifier, a forbidden code point, or a port out of range) has a
// new opaque origin too. FromURL(nil) returns the zero Origin.
//
// u is read as net/url split it; net/url follows RFC 3986 rather than the
// URL standard, so for strings on which the two disagree (backslashes,
// missing slashes after the scheme, ...) parse with a WHATWG URL parser
// first.
func FromURL(u *url.URL) Origin {
	if u == nil {
		return Origin{}
	}
	scheme := asciiLower(u.Scheme)
	switch scheme {
	case "blob":
		// URL: origin, "blob" case, steps 2-4. (Step 1, the blob URL
		// entry, belongs to a blob URL store, which is out of scope.)
		inner := u.Opaque
		if inner == "" {
			inner = u.Path
		}
		pathURL, err := url.Parse(inner)
		if err != nil {
			return NewOpaque()
		}
		// The spec also lists "file" here; a file URL's origin is opaque
		// either way.
		if s := asciiLower(pathURL.Scheme); s == "http" || s == "https" {
			return FromURL(pathURL)
		}
		return NewOpaque()
	case "ftp", "http", "https", "ws", "wss":
		// URL: origin, tuple case.
		o, ok := tupleFromURLHost(scheme, u.Host)
		if !ok {
			return NewOpaque()
		}
		return o
	}
	// URL: origin, "file" and otherwise cases.
	return NewOpaque()
}

// tupleFromURLHost builds a tuple origin from net/url's Host field
// ("host", "host:port", "[v6]", "[v6]:port").
func tupleFromURLHost(scheme, hostport string) (Origin, bool) {
	host, portStr, hasPort := splitHostPort(hostport)
	if host == "" || strings.IndexByte(host, '%') >= 0 {
		// net/url has already percent-decoded the host, so a "%" left in
		// it was "%25" in the URL; the URL standard rejects that host.
		return Origin{}, false
	}
	port := -1
	if hasPort && portStr != "" {
		if !allDigits(portStr) {
			return Origin{}, false
		}
		// The URL standard accepts leading zeros ("http://a:0080"); only
		// the value matters.
		trimmed := strings.TrimLeft(portStr, "0")
		if len(trimmed) > 5 {
			return Origin{}, false
		}
		n, _ := strconv.Atoi("0" + trimmed)
		if n > 65535 {
			return Origin{}, false
		}
		port = n
	}
	o, err := Tuple(scheme, host, port)
	return o, err == nil
}

// FromURLString parses raw with net/url and returns [FromURL] of the
// result. It fails only if net/url cannot parse raw. A URL whose origin is
// already written in canonical form at its start ("https://a.test:8443/p")
// takes no allocation.
func FromURLString(raw string) (Origin, error) {
	if o, ok := canonicalPrefixOrigin(raw); ok {
		return o, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return Origin{}, err
	}
	return FromURL(u), nil
}

// canonicalPrefixOrigin is the fast path of FromURLString: an http or https
// URL whose scheme and authority, up to the first "/", "?" or "#", are
// already a serialized origin that Parse accepts as it is. The origin then
// shares raw's bytes. Anything else (user info, upper case, a default port,
// a backslash, ...) goes the long way.
func canonicalPrefixOrigin(raw string) (Origin, bool) {
	var rest string
	switch {
	case strings.HasPrefix(raw, "http://"):
		rest = raw[len("http://"):]
	case strings.HasPrefix(raw, "https://"):
		rest = raw[len("https://"):]
	default:
		return Origin{}, false
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	prefix := raw[:len(raw)-len(rest)+end]
	o, err := Parse(prefix)
	if err != nil || o.String() != prefix {
		return Origin{}, false
	}
	return o, true
}
