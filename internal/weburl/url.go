// Package weburl parses and serializes URLs as the WHATWG URL standard does, for fetch, redirects and origins.
package weburl

// net/url follows RFC 3986, which differs from what browsers do in ways that
// matter to CORS: backslashes as slashes in http(s) URLs, "http:example.com"
// and "https:/x" forms, hosts canonicalized (IDNA, IPv4 number forms, IPv6
// compression), default ports dropped, relative Location headers resolved
// against the response URL. This package implements the basic URL parser of
// https://url.spec.whatwg.org/#concept-basic-url-parser state by state (the
// state override used by the URL API's setters is not needed and not
// implemented) and converts to net/url for net/http with StdURL.

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/corsim/corsim/origin"
)

// URL is a parsed URL record. It is immutable; its methods return copies.
// https://url.spec.whatwg.org/#concept-url
type URL struct {
	href      string // the URL serializer's output
	fragStart int    // index of "#" in href, or len(href)

	scheme, username, password string
	host                       string // serialized host ("" for null or empty)
	hasHost                    bool
	port                       int    // -1 is null
	path                       string // the URL path serializer's output
	opaquePath                 bool
	query                      string
	hasQuery                   bool
	fragment                   string
	hasFragment                bool
}

// ParseError reports a string the URL parser fails on.
type ParseError struct {
	Input  string // the string given to Parse or Resolve
	Reason string // what is wrong with it
}

func (e *ParseError) Error() string {
	in := e.Input
	if len(in) > 200 {
		in = in[:200] + "..."
	}
	return "weburl: cannot parse " + strconv.Quote(in) + ": " + e.Reason
}

// Parse parses raw as an absolute URL with the URL standard's basic URL
// parser and no base. Leading and trailing C0 controls and spaces are
// stripped and tabs and newlines removed, as the parser does; the scheme is
// lower-cased; special URLs (http, https, ws, wss, ftp, file) get a
// canonical host ([origin.CanonicalHost]), no default port, a path of at
// least "/", and backslashes are read as slashes. Other schemes keep an
// opaque host or an opaque path. Input longer than [MaxLength] bytes, a
// relative URL, or an invalid host or port is an error of type *ParseError.
func Parse(raw string) (*URL, error) {
	return parse(raw, nil)
}

// Resolve parses ref with u as the base URL, as fetch does with a Location
// header value: absolute references of any scheme are returned as parsed,
// relative ones are resolved against u.
// https://fetch.spec.whatwg.org/#concept-response-location-url
func (u *URL) Resolve(ref string) (*URL, error) {
	return parse(ref, u)
}

// finish serializes the record into an immutable URL.
// https://url.spec.whatwg.org/#concept-url-serializer
func (r *record) finish() *URL {
	u := &URL{
		scheme:      r.scheme,
		username:    string(r.username),
		password:    string(r.password),
		host:        r.host,
		hasHost:     r.hasHost,
		port:        r.port,
		opaquePath:  r.opaque,
		hasQuery:    r.hasQuery,
		hasFragment: r.hasFragment,
	}
	// The path, the query and the fragment are written straight into href,
	// and u's fields are substrings of it: one string for all.
	u.serialize(len(r.path) > 1 && r.path[0] == "", r)
	return u
}

// serialize sets href and fragStart. emptyFirstSegment reports whether the
// path is a list whose first segment is empty and that has more than one
// segment (the case where "/." must be written). With r, the path, the
// query and the fragment come from the record and u's fields are set to
// the parts of href that hold them.
func (u *URL) serialize(emptyFirstSegment bool, r *record) {
	path, query, fragment := len(u.path), len(u.query), len(u.fragment)
	if r != nil {
		query, fragment = len(r.query), len(r.fragment)
		path = len(r.opaquePath)
		if !r.opaque {
			path = len(r.path)
			for _, segment := range r.path {
				path += len(segment)
			}
		}
	}
	var b strings.Builder
	b.Grow(len(u.scheme) + len(u.username) + len(u.password) + len(u.host) + path +
		query + fragment + len("://:@:65535/.?#"))
	// URL serializer, step 1.
	b.WriteString(u.scheme)
	b.WriteByte(':')
	// Step 2.
	if u.hasHost {
		b.WriteString("//")
		if u.IncludesCredentials() {
			b.WriteString(u.username)
			if u.password != "" {
				b.WriteByte(':')
				b.WriteString(u.password)
			}
			b.WriteByte('@')
		}
		b.WriteString(u.host)
		if u.port >= 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(u.port))
		}
	}
	// Step 3.
	if !u.hasHost && !u.opaquePath && emptyFirstSegment {
		b.WriteString("/.")
	}
	// Steps 4-5.
	pathStart := b.Len()
	switch {
	case r != nil && r.opaque:
		b.Write(r.opaquePath)
	case r != nil:
		// URL path serializer.
		for _, segment := range r.path {
			b.WriteByte('/')
			b.WriteString(segment)
		}
	default:
		b.WriteString(u.path)
	}
	pathEnd := b.Len()
	if u.hasQuery {
		b.WriteByte('?')
		if r != nil {
			b.Write(r.query)
		} else {
			b.WriteString(u.query)
		}
	}
	u.fragStart = b.Len()
	// Step 6.
	if u.hasFragment {
		b.WriteByte('#')
		if r != nil {
			b.Write(r.fragment)
		} else {
			b.WriteString(u.fragment)
		}
	}
	u.href = b.String()
	if r != nil {
		u.path = u.href[pathStart:pathEnd]
		if u.hasQuery {
			u.query = u.href[pathEnd+1 : u.fragStart]
		}
		if u.hasFragment {
			u.fragment = u.href[u.fragStart+1:]
		}
	}
}

// pathSegments returns a fresh copy of a list path's segments.
func (u *URL) pathSegments() []string {
	if u.opaquePath || u.path == "" {
		return nil
	}
	// Segments never contain "/": the path state ends a segment there.
	return strings.Split(u.path[1:], "/")
}

// String returns the URL serializer's output, fragment included.
// https://url.spec.whatwg.org/#concept-url-serializer
func (u *URL) String() string { return u.href }

// StringWithoutFragment returns the URL serializer's output with exclude
// fragment set: what fetch uses for a response's URL and what goes on the
// request line.
func (u *URL) StringWithoutFragment() string { return u.href[:u.fragStart] }

// Scheme returns the scheme, in lower case, without ":".
func (u *URL) Scheme() string { return u.scheme }

// Host returns the serialized host without the port: a canonical domain,
// dotted IPv4 or bracketed IPv6 address for special URLs, an opaque host for
// others, and "" when the host is null or empty.
func (u *URL) Host() string { return u.host }

// Port returns the port in decimal, or "" when it is null (absent or the
// scheme's default port).
func (u *URL) Port() string {
	if u.port < 0 {
		return ""
	}
	return strconv.Itoa(u.port)
}

// Path returns the URL path serializer's output: "/" followed by the
// segments joined with "/" (for example "/a/b"), or an opaque path such as
// "text/plain,hi" for "data:text/plain,hi".
func (u *URL) Path() string { return u.path }

// RawQuery returns the percent-encoded query without "?", or "" when there
// is none.
func (u *URL) RawQuery() string { return u.query }

// Fragment returns the percent-encoded fragment without "#", or "" when
// there is none.
func (u *URL) Fragment() string { return u.fragment }

// Username returns the percent-encoded username.
func (u *URL) Username() string { return u.username }

// Password returns the percent-encoded password.
func (u *URL) Password() string { return u.password }

// IncludesCredentials reports whether the username or password is not empty.
// https://url.spec.whatwg.org/#include-credentials
func (u *URL) IncludesCredentials() bool { return u.username != "" || u.password != "" }

// IsHTTPScheme reports whether the scheme is an HTTP(S) scheme.
// https://fetch.spec.whatwg.org/#http-scheme
func (u *URL) IsHTTPScheme() bool { return u.scheme == "http" || u.scheme == "https" }

// Origin returns the origin of u as the URL standard defines it:
// https://url.spec.whatwg.org/#concept-url-origin
//
// http, https, ws, wss and ftp URLs have a tuple origin; blob: URLs have the
// origin of the http(s) URL in their path. Every other URL has an opaque
// origin, for which this method returns origin.OpaqueFromID(0): opaque URL
// origins from this package all compare equal to each other, where the
// standard makes each new. Callers that need a unique opaque origin (for
// instance the origin of a document loaded from a data: URL) must create one
// with origin.NewOpaque and not rely on this method.
func (u *URL) Origin() origin.Origin {
	switch u.scheme {
	case "blob":
		// URL: origin, "blob" case, steps 2-5. (Step 1, the blob URL
		// entry, needs a blob URL store, which is out of scope.)
		pathURL, err := parse(u.path, nil)
		if err != nil {
			return origin.OpaqueFromID(0)
		}
		if pathURL.IsHTTPScheme() {
			return pathURL.Origin()
		}
		// The spec also lists "file", whose origin is opaque anyway.
		return origin.OpaqueFromID(0)
	case "ftp", "http", "https", "ws", "wss":
		if !u.IncludesCredentials() {
			// The serialization starts with the origin's: scheme, "://",
			// host and port. Parsing that substring costs no allocation
			// where Tuple builds the string anew.
			end := len(u.scheme) + len("://") + len(u.host)
			if u.port >= 0 {
				end += len(":") + decimalDigits(u.port)
			}
			if o, err := origin.Parse(u.href[:end]); err == nil {
				return o
			}
		}
		o, err := origin.Tuple(u.scheme, u.host, u.port)
		if err != nil {
			// Unreachable: the parser only stores canonical hosts.
			return origin.OpaqueFromID(0)
		}
		return o
	}
	return origin.OpaqueFromID(0)
}

// StdURL returns a new net/url URL for use with net/http. Host includes the
// port when it is not the default. Path holds the percent-decoded path and
// RawPath the WHATWG-encoded one, so EscapedPath and RequestURI reproduce it
// whenever net/url considers it a valid encoding; net/url re-escapes paths
// it does not (for example ones with a "%" not followed by two hex digits).
func (u *URL) StdURL() *url.URL {
	s := &url.URL{
		Scheme:      u.scheme,
		RawQuery:    u.query,
		ForceQuery:  u.hasQuery && u.query == "",
		Fragment:    percentDecode(u.fragment),
		RawFragment: u.fragment,
	}
	if u.opaquePath {
		s.Opaque = u.path
		return s
	}
	s.Path = percentDecode(u.path)
	s.RawPath = u.path
	if u.hasHost {
		s.Host = u.host
		if u.port >= 0 {
			s.Host += ":" + strconv.Itoa(u.port)
		}
		if u.IncludesCredentials() {
			if u.password != "" {
				s.User = url.UserPassword(percentDecode(u.username), percentDecode(u.password))
			} else {
				s.User = url.User(percentDecode(u.username))
			}
		}
	}
	return s
}

// WithoutCredentials returns a copy of u with an empty username and
// password, as Chromium strips them from a CORS request's URL.
func (u *URL) WithoutCredentials() *URL {
	c := *u
	c.username, c.password = "", ""
	segs := c.pathSegments()
	c.serialize(len(segs) > 1 && segs[0] == "", nil)
	return &c
}

// decimalDigits returns how many digits n >= 0 has in base 10.
func decimalDigits(n int) int {
	d := 1
	for ; n >= 10; n /= 10 {
		d++
	}
	return d
}

// isSpecialScheme reports whether scheme is a special scheme.
// https://url.spec.whatwg.org/#special-scheme
func isSpecialScheme(scheme string) bool {
	switch scheme {
	case "ftp", "file", "http", "https", "ws", "wss":
		return true
	}
	return false
}

// defaultPort returns the default port of a special scheme.
// https://url.spec.whatwg.org/#default-port
func defaultPort(scheme string) (int, bool) {
	switch scheme {
	case "ftp":
		return 21, true
	case "http", "ws":
		return 80, true
	case "https", "wss":
		return 443, true
	}
	return 0, false
}
