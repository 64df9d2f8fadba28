package enforce

import (
	"fmt"
	"strconv"
)

// Error is a CORS failure: a request or response the browser blocks, with
// the reason in Chromium's vocabulary and everything needed to explain it.
// Inspect it with errors.As.
type Error struct {
	// Reason is Chromium's CorsError name for the failure.
	Reason Reason
	// FirefoxReason is the key of Firefox's message for the same failure
	// (dom/locales/en-US/chrome/security/security.properties), e.g.
	// "CORSMissingAllowOrigin"; empty where Firefox reports none.
	FirefoxReason string
	// Param is the failing parameter: the offending header value, method,
	// header name or location. It is empty where there is none.
	Param string
	// Status is the HTTP status of the response that failed (0 if none).
	Status int
	// Origin is the serialized request origin the check compared with
	// ("null" when opaque or redirect-tainted).
	Origin string
	// Initiator is the serialized origin of the document that made the
	// request; Chromium names it in the console even when the request
	// origin has become "null" through a redirect. Empty means Origin.
	Initiator string
	// URL is the URL whose response (or redirect location) failed.
	URL string
	// InitialURL is the first URL of the request when it was redirected
	// before failing; empty otherwise.
	InitialURL string
	// Step names the Fetch standard step that failed.
	Step string
	// Browser selects the console text Console returns.
	Browser Browser
}

// Error returns the reason code followed by a sentence, e.g.
// `AllowOriginMismatch: Access-Control-Allow-Origin "http://a.test/" does
// not equal the request origin "http://a.test"`.
func (e *Error) Error() string {
	return string(e.Reason) + ": " + e.Sentence()
}

// Sentence explains the failure in plain words.
func (e *Error) Sentence() string {
	q := strconv.Quote
	switch e.Reason {
	case DisallowedByMode:
		return "the request mode does not allow a cross-origin request"
	case InvalidResponse:
		return "the response is invalid"
	case WildcardOriginNotAllowed, PreflightWildcardOriginNotAllowed:
		return e.preflightPrefix() + `Access-Control-Allow-Origin is "*", which is not allowed when the request's credentials mode is "include"`
	case MissingAllowOriginHeader, PreflightMissingAllowOriginHeader:
		return e.preflightPrefix() + "the response has no Access-Control-Allow-Origin header"
	case MultipleAllowOriginValues, PreflightMultipleAllowOriginValues:
		return e.preflightPrefix() + "Access-Control-Allow-Origin " + q(e.Param) + " holds more than one value; exactly one is allowed"
	case InvalidAllowOriginValue, PreflightInvalidAllowOriginValue:
		return e.preflightPrefix() + "Access-Control-Allow-Origin " + q(e.Param) + " is not an origin, \"null\" or \"*\""
	case AllowOriginMismatch, PreflightAllowOriginMismatch:
		return e.preflightPrefix() + "Access-Control-Allow-Origin " + q(e.Param) + " does not equal the request origin " + q(e.Origin)
	case InvalidAllowCredentials, PreflightInvalidAllowCredentials:
		return e.preflightPrefix() + "Access-Control-Allow-Credentials is " + q(e.Param) + `, but must be exactly "true" when the request's credentials mode is "include"`
	case CorsDisabledScheme:
		return "the URL " + q(e.URL) + " does not have an HTTP(S) scheme, so CORS cannot allow it"
	case PreflightInvalidStatus:
		return "the preflight response has status " + strconv.Itoa(e.Status) + ", which is not an ok status (200-299)"
	case PreflightDisallowedRedirect:
		return "the preflight response is a redirect; a preflight is never redirected"
	case InvalidAllowMethodsPreflightResponse:
		return "the preflight response's Access-Control-Allow-Methods " + q(e.Param) + " is not a comma-separated list of tokens"
	case InvalidAllowHeadersPreflightResponse:
		return "the preflight response's Access-Control-Allow-Headers " + q(e.Param) + " is not a comma-separated list of tokens"
	case MethodDisallowedByPreflightResponse:
		return "the method " + q(e.Param) + " is not listed in the preflight response's Access-Control-Allow-Methods"
	case HeaderDisallowedByPreflightResponse:
		return "the request header " + q(e.Param) + " is not listed in the preflight response's Access-Control-Allow-Headers"
	case RedirectContainsCredentials:
		return "the redirect location contains a username or password, which a cross-origin request may not follow"
	}
	return fmt.Sprintf("CORS failure %s (%q)", e.Reason, e.Param)
}

func (e *Error) preflightPrefix() string {
	if e.Reason.IsPreflight() {
		return "preflight: "
	}
	return ""
}

// Console returns the line the browser prints to the console for the
// failure: Chromium's for Chromium and the spec profile, Firefox's for
// Firefox, and "" for WebKit, whose console text corsim does not model.
func (e *Error) Console() string {
	switch e.Browser {
	case Firefox:
		return e.firefoxConsole()
	case WebKit:
		return ""
	}
	return e.chromiumConsole()
}
