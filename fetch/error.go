package fetch

import (
	"errors"

	"github.com/corsim/corsim/enforce"
)

// ErrorKind says how fetch() fails.
type ErrorKind uint8

const (
	// TypeError: fetch() rejects before any request is made (bad URL,
	// forbidden method, a body on GET, …).
	TypeError ErrorKind = iota + 1
	// NetworkError: the fetch ended in a network error (a CORS failure, a
	// redirect the request may not follow, mixed content, a transport
	// failure, …).
	NetworkError
	// LimitExceeded: the fetch went past one of corsim's own limits
	// (MaxBodyBytes, cookie.MaxPartitions). A browser has no such limit;
	// corsim stops rather than cut the input silently.
	LimitExceeded
)

func (k ErrorKind) String() string {
	switch k {
	case TypeError:
		return "TypeError"
	case LimitExceeded:
		return "limit exceeded"
	}
	return "network error"
}

// ErrBodyTooLarge is the Cause of the error Client.Fetch returns when a
// response body is longer than MaxBodyBytes.
var ErrBodyTooLarge = errors.New("fetch: the response body is longer than MaxBodyBytes")

// ErrRequestCookie is returned by EnforcingTransport for a request that
// already carries a `Cookie` header: an http.Client with its own Jar (or a
// caller) added it, bypassing Fetch's credentials and SameSite rules. Give
// the jar to the Client (WithCookieJar) instead.
var ErrRequestCookie = errors.New("fetch: EnforcingTransport: the request already has a Cookie header; give the cookie jar to fetch.WithCookieJar, not to http.Client, whose jar bypasses Fetch's credentials rules")

// Error is why fetch() rejected. When a CORS check failed, CORS holds the
// details and errors.As(err, new(*enforce.Error)) finds it; when the
// transport or the body failed, Cause holds that error and errors.Is and
// errors.As reach it (context.DeadlineExceeded, *net.OpError, …).
type Error struct {
	Kind    ErrorKind
	CORS    *enforce.Error // non-nil for CORS failures
	URL     string         // the URL being fetched when it failed
	Message string         // a sentence saying what happened
	// Console is the line the browser prints for the failure, or "" where
	// it prints none (a TypeError) or corsim does not model it.
	Console string
	// Cause is the underlying error (the transport's, the body reader's),
	// or nil.
	Cause error
}

func (e *Error) Error() string {
	if e.CORS != nil {
		return "fetch: " + e.CORS.Error()
	}
	return "fetch: " + e.Kind.String() + ": " + e.Message
}

// Unwrap returns the CORS failure and the cause, those that are set.
func (e *Error) Unwrap() []error {
	var out []error
	if e.CORS != nil {
		out = append(out, e.CORS)
	}
	if e.Cause != nil {
		out = append(out, e.Cause)
	}
	return out
}
