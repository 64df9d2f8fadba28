package enforce

// Reason is a CORS failure reason in Chromium's vocabulary: the names of
// network.mojom.CorsError (services/network/public/mojom/cors.mojom) without
// the "k" prefix, as the DevTools protocol reports them.
type Reason string

// The reasons corsim can produce. Private-network-access reasons are not
// modelled.
const (
	DisallowedByMode                     Reason = "DisallowedByMode"
	InvalidResponse                      Reason = "InvalidResponse"
	WildcardOriginNotAllowed             Reason = "WildcardOriginNotAllowed"
	MissingAllowOriginHeader             Reason = "MissingAllowOriginHeader"
	MultipleAllowOriginValues            Reason = "MultipleAllowOriginValues"
	InvalidAllowOriginValue              Reason = "InvalidAllowOriginValue"
	AllowOriginMismatch                  Reason = "AllowOriginMismatch"
	InvalidAllowCredentials              Reason = "InvalidAllowCredentials"
	CorsDisabledScheme                   Reason = "CorsDisabledScheme"
	PreflightInvalidStatus               Reason = "PreflightInvalidStatus"
	PreflightDisallowedRedirect          Reason = "PreflightDisallowedRedirect"
	PreflightWildcardOriginNotAllowed    Reason = "PreflightWildcardOriginNotAllowed"
	PreflightMissingAllowOriginHeader    Reason = "PreflightMissingAllowOriginHeader"
	PreflightMultipleAllowOriginValues   Reason = "PreflightMultipleAllowOriginValues"
	PreflightInvalidAllowOriginValue     Reason = "PreflightInvalidAllowOriginValue"
	PreflightAllowOriginMismatch         Reason = "PreflightAllowOriginMismatch"
	PreflightInvalidAllowCredentials     Reason = "PreflightInvalidAllowCredentials"
	InvalidAllowMethodsPreflightResponse Reason = "InvalidAllowMethodsPreflightResponse"
	InvalidAllowHeadersPreflightResponse Reason = "InvalidAllowHeadersPreflightResponse"
	MethodDisallowedByPreflightResponse  Reason = "MethodDisallowedByPreflightResponse"
	HeaderDisallowedByPreflightResponse  Reason = "HeaderDisallowedByPreflightResponse"
	RedirectContainsCredentials          Reason = "RedirectContainsCredentials"
)

// preflightVariant maps a CORS-check reason to the reason Chromium reports
// when the same check fails on a preflight response
// (services/network/cors/preflight_controller.cc, CheckPreflightAccess).
func preflightVariant(r Reason) Reason {
	switch r {
	case WildcardOriginNotAllowed:
		return PreflightWildcardOriginNotAllowed
	case MissingAllowOriginHeader:
		return PreflightMissingAllowOriginHeader
	case MultipleAllowOriginValues:
		return PreflightMultipleAllowOriginValues
	case InvalidAllowOriginValue:
		return PreflightInvalidAllowOriginValue
	case AllowOriginMismatch:
		return PreflightAllowOriginMismatch
	case InvalidAllowCredentials:
		return PreflightInvalidAllowCredentials
	}
	return r
}

// IsPreflight reports whether r is a failure of a preflight response.
func (r Reason) IsPreflight() bool {
	switch r {
	case PreflightInvalidStatus, PreflightDisallowedRedirect,
		PreflightWildcardOriginNotAllowed, PreflightMissingAllowOriginHeader,
		PreflightMultipleAllowOriginValues, PreflightInvalidAllowOriginValue,
		PreflightAllowOriginMismatch, PreflightInvalidAllowCredentials:
		return true
	}
	return false
}

// Browser selects whose classification of failures and whose console text
// the checks produce. The zero value is the standard's text.
type Browser uint8

const (
	Spec Browser = iota
	Chromium
	Firefox
	WebKit
)

func (b Browser) String() string {
	switch b {
	case Chromium:
		return "chromium"
	case Firefox:
		return "firefox"
	case WebKit:
		return "webkit"
	}
	return "spec"
}
