package safelist

import "github.com/corsim/corsim/internal/httpheader"

// IsForbiddenResponseHeaderName reports whether name is a forbidden
// response-header name (https://fetch.spec.whatwg.org/#forbidden-response-header-name):
// `Set-Cookie` or `Set-Cookie2`, byte-case-insensitively.
func IsForbiddenResponseHeaderName(name string) bool {
	return httpheader.EqualFoldASCII(name, "set-cookie") ||
		httpheader.EqualFoldASCII(name, "set-cookie2")
}

// safelistedResponseHeaderNames are the names every CORS response exposes.
var safelistedResponseHeaderNames = [...]string{
	"cache-control",
	"content-language",
	"content-length",
	"content-type",
	"expires",
	"last-modified",
	"pragma",
}

// IsCORSSafelistedResponseHeaderName reports whether name is a CORS-safelisted
// response-header name given the list exposed
// (https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name): one
// of the seven always-exposed names, or a byte-case-insensitive match for an
// item of exposed that is not a forbidden response-header name.
//
// exposed is the response's CORS-exposed header-name list; a literal `*` in it
// matches only a header named `*`. Expanding `*` to every header name (for
// requests whose credentials mode is not "include") is the caller's step. It
// does not allocate.
func IsCORSSafelistedResponseHeaderName(name string, exposed []string) bool {
	for _, n := range safelistedResponseHeaderNames {
		if httpheader.EqualFoldASCII(name, n) {
			return true
		}
	}
	// An item matching name byte-case-insensitively is forbidden exactly
	// when name is, so the forbidden test can be made once.
	if IsForbiddenResponseHeaderName(name) {
		return false
	}
	for _, e := range exposed {
		if httpheader.EqualFoldASCII(name, e) {
			return true
		}
	}
	return false
}
