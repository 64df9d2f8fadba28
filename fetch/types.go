// Package fetch runs the client side of the Fetch standard's fetch
// (https://fetch.spec.whatwg.org/#concept-fetch) for a document at a given
// origin, over any http.RoundTripper: it decides which requests go on the
// wire, with which CORS headers, sends preflights, follows redirects, and
// returns the filtered response script would see, or the error a browser
// would reject the promise with, with the console line it would print.
//
// The same engine runs against a scripted server, an http.Handler in
// process, or the network; time comes from an injected clock.
package fetch

import (
	"io"
	"net/http"

	"github.com/corsim/corsim/internal/weburl"
)

// Mode is a request's mode (https://fetch.spec.whatwg.org/#concept-request-mode).
type Mode string

const (
	ModeCORS       Mode = "cors"
	ModeNoCORS     Mode = "no-cors"
	ModeSameOrigin Mode = "same-origin"
)

// Credentials is a request's credentials mode
// (https://fetch.spec.whatwg.org/#concept-request-credentials-mode).
type Credentials string

const (
	CredentialsOmit       Credentials = "omit"
	CredentialsSameOrigin Credentials = "same-origin"
	CredentialsInclude    Credentials = "include"
)

// RedirectMode is a request's redirect mode
// (https://fetch.spec.whatwg.org/#concept-request-redirect-mode).
type RedirectMode string

const (
	RedirectFollow RedirectMode = "follow"
	RedirectError  RedirectMode = "error"
	RedirectManual RedirectMode = "manual"
)

// ResponseType is Response.type as script sees it.
type ResponseType string

const (
	TypeBasic          ResponseType = "basic"
	TypeCORS           ResponseType = "cors"
	TypeOpaque         ResponseType = "opaque"
	TypeOpaqueRedirect ResponseType = "opaqueredirect"
)

// Request is the argument of fetch(url, init) as a script passes it.
// Zero fields take fetch()'s defaults: method GET, mode cors, credentials
// same-origin, redirect follow.
type Request struct {
	URL         string
	Method      string
	Header      http.Header // set by script, in order within each name
	Body        []byte      // nil: no body; non-nil (even empty): a body
	BodyIsText  bool        // the body is a string: implies Content-Type text/plain;charset=UTF-8
	Mode        Mode
	Credentials Credentials
	Redirect    RedirectMode
	// ReferrerPolicy is init.referrerPolicy; "" takes the document's (the
	// profile's default).
	ReferrerPolicy ReferrerPolicy
}

// Response is what script sees: a filtered response.
type Response struct {
	Type       ResponseType
	Status     int
	URL        string      // Response.url; "" for opaque
	Redirected bool        // Response.redirected
	Header     http.Header // only the headers script can read
	Body       []byte      // nil for opaque and opaqueredirect

	// stream is the unread body, for the transport (nil when script
	// cannot read it); finalURL the URL of the last request sent.
	stream        io.ReadCloser
	contentLength int64
	finalURL      *weburl.URL
}

// HeaderNames returns the names of the headers script can read, lower
// case, sorted.
func (r *Response) HeaderNames() []string {
	return sortedLowerNames(r.Header)
}
