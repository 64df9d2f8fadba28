package fetch

import (
	"github.com/corsim/corsim/enforce"
)

// ErrorKind says how fetch() fails.
type ErrorKind uint8

const (
	// TypeError: fetch() rejects before any request is made (bad URL,
	// forbidden method, a body on GET, …).
	TypeError ErrorKind = iota + 1
	// NetworkError: the fetch ended in a network error (a CORS failure, a
	// redirect the request may not follow, mixed content, …).
	NetworkError
)

func (k ErrorKind) String() string {
	if k == TypeError {
		return "TypeError"
	}
	return "network error"
}

// Error is why fetch() rejected. When a CORS check failed, CORS holds the
// details and errors.As(err, new(*enforce.Error)) finds it.
type Error struct {
	Kind    ErrorKind
	CORS    *enforce.Error // non-nil for CORS failures
	URL     string         // the URL being fetched when it failed
	Message string         // a sentence saying what happened
	// Console is the line the browser prints for the failure, or "" where
	// it prints none (a TypeError) or corsim does not model it.
	Console string
	// Err is the underlying cause of a network error, such as the
	// transport's error (a *wire.Error, a context.DeadlineExceeded), or nil.
	Err error
}

func (e *Error) Error() string {
	if e.CORS != nil {
		return "fetch: " + e.CORS.Error()
	}
	return "fetch: " + e.Kind.String() + ": " + e.Message
}

// Unwrap returns the CORS failure, if any, otherwise the underlying cause.
func (e *Error) Unwrap() error {
	if e.CORS == nil {
		return e.Err
	}
	return e.CORS
}
