package diagram

import (
	"strings"

	"github.com/corsim/corsim/enforce"
)

// Fix returns the smallest change to the server's answer that would let the
// blocked request through, as an instruction ("send
// Access-Control-Allow-Origin: http://a.test"), or "" when no server header
// can: the failure is the page's (a mode or a scheme) or not a CORS check.
// A failure on the preflight names the OPTIONS response. The instruction
// fixes this one failure; the next check may then fail in turn, as the
// replay of the changed scenario shows.
func Fix(e *enforce.Error) string {
	if e == nil {
		return ""
	}
	on := "send "
	if e.Reason.IsPreflight() {
		on = "on the OPTIONS (preflight) response, send "
	}
	origin := e.Origin
	if origin == "" {
		origin = "null"
	}
	acao := "Access-Control-Allow-Origin: " + origin
	switch e.Reason {
	case enforce.MissingAllowOriginHeader, enforce.PreflightMissingAllowOriginHeader:
		return on + acao
	case enforce.WildcardOriginNotAllowed, enforce.PreflightWildcardOriginNotAllowed:
		return on + acao + ` instead of "*" (a credentialed request needs the exact origin)`
	case enforce.MultipleAllowOriginValues, enforce.PreflightMultipleAllowOriginValues:
		return on + "exactly one " + acao
	case enforce.InvalidAllowOriginValue, enforce.PreflightInvalidAllowOriginValue,
		enforce.AllowOriginMismatch, enforce.PreflightAllowOriginMismatch:
		return on + acao + ` (not "` + e.Param + `")`
	case enforce.InvalidAllowCredentials, enforce.PreflightInvalidAllowCredentials:
		return on + "Access-Control-Allow-Credentials: true"
	case enforce.PreflightInvalidStatus:
		return "answer the OPTIONS (preflight) request with status 204 or another 2xx"
	case enforce.PreflightDisallowedRedirect:
		return "answer the OPTIONS (preflight) request itself instead of redirecting it"
	case enforce.InvalidAllowMethodsPreflightResponse:
		return on + "Access-Control-Allow-Methods as a comma-separated list of methods (not " + quote(e.Param) + ")"
	case enforce.InvalidAllowHeadersPreflightResponse:
		return on + "Access-Control-Allow-Headers as a comma-separated list of header names (not " + quote(e.Param) + ")"
	case enforce.MethodDisallowedByPreflightResponse:
		return "add " + e.Param + " to Access-Control-Allow-Methods on the OPTIONS (preflight) response"
	case enforce.HeaderDisallowedByPreflightResponse:
		return "add " + strings.ToLower(e.Param) + " to Access-Control-Allow-Headers on the OPTIONS (preflight) response"
	case enforce.RedirectContainsCredentials:
		return "redirect to a URL without user:password@"
	}
	// DisallowedByMode, CorsDisabledScheme, InvalidResponse: no header helps.
	return ""
}

func quote(s string) string { return `"` + s + `"` }
