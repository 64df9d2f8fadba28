package enforce

import (
	"net/http"
	"strings"

	"github.com/corsim/corsim/internal/httpheader"
	"github.com/corsim/corsim/internal/weburl"
)

// Header names the checks read.
const (
	headerAllowOrigin      = "Access-Control-Allow-Origin"
	headerAllowCredentials = "Access-Control-Allow-Credentials"
	headerAllowMethods     = "Access-Control-Allow-Methods"
	headerAllowHeaders     = "Access-Control-Allow-Headers"
	headerExposeHeaders    = "Access-Control-Expose-Headers"
	headerMaxAge           = "Access-Control-Max-Age"
)

// CORSCheck performs a CORS check
// (https://fetch.spec.whatwg.org/#concept-cors-check) of a response with
// header list h, for a request whose byte-serialized origin is origin and
// whose credentials mode is "include" when includeCredentials is true.
// status is the response's status, used only in messages.
//
// The decision is the standard's in every browser; b only selects how a
// failure is classified and reported. It returns nil on success. The result
// is a *Error so callers read the reason without a type assertion; compare
// it with nil before storing it in an error variable (a nil *Error inside an
// error is not a nil error).
func CORSCheck(b Browser, h http.Header, origin string, includeCredentials bool, status int) *Error {
	if b == Firefox {
		// Firefox counts header lines before anything else: more than one
		// Access-Control-Allow-Origin line is its own failure
		// (nsCORSListenerProxy.cpp CheckRequestApproved, CheckOriginHeader).
		if httpheader.LineCount(h, headerAllowOrigin) > 1 {
			allow, _ := httpheader.Get(h, headerAllowOrigin)
			return corsFailure(b, MultipleAllowOriginValues, FirefoxMultipleAllowOrigin, allow, origin, status)
		}
	}
	// Fetch: CORS check, step 1: let origin be the result of getting
	// `Access-Control-Allow-Origin` from response's header list. Step 6
	// reads `Access-Control-Allow-Credentials`; both are found in one walk
	// of the header map.
	allow, ok, cred, _ := httpheader.GetPair(h, headerAllowOrigin, headerAllowCredentials)
	// Step 2: if origin is null, return failure.
	if !ok {
		return corsFailure(b, MissingAllowOriginHeader, FirefoxMissingAllowOrigin, "", origin, status)
	}
	// Step 3: if request's credentials mode is not "include" and origin
	// is `*`, return success.
	if allow == "*" {
		if !includeCredentials {
			return nil
		}
		return corsFailure(b, WildcardOriginNotAllowed, FirefoxNotSupportingCredentials, allow, origin, status)
	}
	// Step 4: if the byte-serialized request origin is not origin, return
	// failure. The comparison is byte for byte: no case folding, no
	// trailing-slash tolerance.
	if allow != origin {
		return corsFailure(b, mismatchReason(b, allow), FirefoxAllowOriginNotMatching, allow, origin, status)
	}
	// Step 5: if request's credentials mode is not "include", return
	// success.
	if !includeCredentials {
		return nil
	}
	// Steps 6-7: `Access-Control-Allow-Credentials` must be exactly `true`.
	if cred != "true" {
		return corsFailure(b, InvalidAllowCredentials, FirefoxMissingAllowCredentials, cred, origin, status)
	}
	return nil
}

// mismatchReason classifies an Access-Control-Allow-Origin value that is
// neither `*` nor the request origin the way Chromium does
// (services/network/public/cpp/cors/cors.cc CheckAccess): a value with a
// space or comma holds several values, a value that is neither "null" nor a
// valid URL is invalid, anything else is a mismatch.
func mismatchReason(b Browser, allow string) Reason {
	if strings.ContainsAny(allow, " ,") {
		return MultipleAllowOriginValues
	}
	if allow != "null" {
		if _, err := weburl.Parse(allow); err != nil {
			return InvalidAllowOriginValue
		}
	}
	return AllowOriginMismatch
}

func corsFailure(b Browser, r Reason, firefox, param, origin string, status int) *Error {
	return &Error{
		Reason:        r,
		FirefoxReason: firefox,
		Param:         param,
		Origin:        origin,
		Status:        status,
		Step:          "Fetch §4.10 CORS check (#concept-cors-check)",
		Browser:       b,
	}
}
