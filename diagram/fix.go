package diagram

import (
	"strconv"
	"strings"

	"github.com/corsim/corsim/enforce"
)

// Change is the smallest change to one server answer that gets a blocked
// request past the check that failed. It fixes that one failure; the next
// check may then fail in turn, as a replay of the changed scenario shows.
type Change struct {
	// Preflight says the change is to the answer to the OPTIONS preflight.
	Preflight bool `json:"preflight"`
	// Header is the response header to change, "" when the change is not
	// to a header.
	Header string `json:"header,omitempty"`
	// Value is the header's new value, replacing every line of it; with
	// Append, it is added to the header's comma-separated list instead.
	Value  string `json:"value,omitempty"`
	Append bool   `json:"append,omitempty"`
	// Status is the status to answer with instead, or 0.
	Status int `json:"status,omitempty"`
	// Text says the change in words: "send Access-Control-Allow-Origin:
	// http://a.test".
	Text string `json:"text"`
}

// FixFor returns the smallest server change that would let the request
// past e, and false when no server change can: the failure is the page's
// (a mode or a scheme). Some changes are words only (Header "" and Status
// 0), where the right value depends on what the server means to allow.
func FixFor(e *enforce.Error) (Change, bool) {
	if e == nil {
		return Change{}, false
	}
	c := Change{Preflight: e.Reason.IsPreflight()}
	on := "send "
	if c.Preflight {
		on = "on the OPTIONS (preflight) response, send "
	}
	origin := e.Origin
	if origin == "" {
		origin = "null"
	}
	setACAO := func(why string) {
		c.Header, c.Value = "Access-Control-Allow-Origin", origin
		c.Text = on + "Access-Control-Allow-Origin: " + origin + why
	}
	switch e.Reason {
	case enforce.MissingAllowOriginHeader, enforce.PreflightMissingAllowOriginHeader:
		setACAO("")
	case enforce.WildcardOriginNotAllowed, enforce.PreflightWildcardOriginNotAllowed:
		setACAO(` instead of "*" (a credentialed request needs the exact origin)`)
	case enforce.MultipleAllowOriginValues, enforce.PreflightMultipleAllowOriginValues:
		setACAO("")
		c.Text = on + "exactly one Access-Control-Allow-Origin: " + origin
	case enforce.InvalidAllowOriginValue, enforce.PreflightInvalidAllowOriginValue,
		enforce.AllowOriginMismatch, enforce.PreflightAllowOriginMismatch:
		setACAO(" (not " + strconv.Quote(e.Param) + ")")
	case enforce.InvalidAllowCredentials, enforce.PreflightInvalidAllowCredentials:
		c.Header, c.Value = "Access-Control-Allow-Credentials", "true"
		c.Text = on + "Access-Control-Allow-Credentials: true"
	case enforce.PreflightInvalidStatus:
		c.Preflight, c.Status = true, 204
		c.Text = "answer the OPTIONS (preflight) request with status 204 or another 2xx"
	case enforce.PreflightDisallowedRedirect:
		c.Preflight, c.Status = true, 204
		c.Text = "answer the OPTIONS (preflight) request itself (204) instead of redirecting it"
	case enforce.InvalidAllowMethodsPreflightResponse:
		c.Preflight = true
		c.Text = on + "Access-Control-Allow-Methods as a comma-separated list of methods (not " + strconv.Quote(e.Param) + ")"
	case enforce.InvalidAllowHeadersPreflightResponse:
		c.Preflight = true
		c.Text = on + "Access-Control-Allow-Headers as a comma-separated list of header names (not " + strconv.Quote(e.Param) + ")"
	case enforce.MethodDisallowedByPreflightResponse:
		c.Preflight, c.Header, c.Value, c.Append = true, "Access-Control-Allow-Methods", e.Param, true
		c.Text = "add " + e.Param + " to Access-Control-Allow-Methods on the OPTIONS (preflight) response"
	case enforce.HeaderDisallowedByPreflightResponse:
		name := strings.ToLower(e.Param) // header names are case-insensitive; browsers send them lower case
		c.Preflight, c.Header, c.Value, c.Append = true, "Access-Control-Allow-Headers", name, true
		c.Text = "add " + name + " to Access-Control-Allow-Headers on the OPTIONS (preflight) response"
	case enforce.RedirectContainsCredentials:
		c.Text = "redirect to a URL without user:password@"
	default:
		// DisallowedByMode, CorsDisabledScheme, InvalidResponse: no
		// header helps.
		return Change{}, false
	}
	return c, true
}

// Fix returns FixFor's change in words, or "" when no server change can
// let the request through.
func Fix(e *enforce.Error) string {
	c, ok := FixFor(e)
	if !ok {
		return ""
	}
	return c.Text
}
