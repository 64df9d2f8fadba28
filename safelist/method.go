package safelist

import "github.com/corsim/corsim/internal/httpheader"

// IsCORSSafelistedMethod reports whether method is a CORS-safelisted method
// (https://fetch.spec.whatwg.org/#cors-safelisted-method): exactly `GET`,
// `HEAD` or `POST`. The comparison is byte-exact: "get" is not safelisted, as
// methods are case-sensitive; callers normalize first where Fetch does.
func IsCORSSafelistedMethod(method string) bool {
	return method == "GET" || method == "HEAD" || method == "POST"
}

// IsForbiddenMethod reports whether method is a forbidden method
// (https://fetch.spec.whatwg.org/#forbidden-method): a byte-case-insensitive
// match for `CONNECT`, `TRACE` or `TRACK`.
func IsForbiddenMethod(method string) bool {
	return httpheader.EqualFoldASCII(method, "CONNECT") ||
		httpheader.EqualFoldASCII(method, "TRACE") ||
		httpheader.EqualFoldASCII(method, "TRACK")
}

// normalizedMethods are the methods "normalize" byte-uppercases.
var normalizedMethods = [...]string{"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"}

// NormalizeMethod implements method "normalize"
// (https://fetch.spec.whatwg.org/#concept-method-normalize): a
// byte-case-insensitive match for `DELETE`, `GET`, `HEAD`, `OPTIONS`, `POST` or
// `PUT` is byte-uppercased; any other method (`patch`, `Egg`) is returned
// unchanged. It never allocates.
func NormalizeMethod(method string) string {
	for _, m := range normalizedMethods {
		if httpheader.EqualFoldASCII(method, m) {
			return m
		}
	}
	return method
}
