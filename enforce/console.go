package enforce

import "strconv"

// chromiumConsole builds Chromium's console line, byte for byte as
// third_party/blink/renderer/platform/loader/cors/cors_error_string.cc
// assembles it for a fetch() initiator.
func (e *Error) chromiumConsole() string {
	b := make([]byte, 0, 256)
	b = append(b, "Access to fetch at '"...)
	b = append(b, e.URL...)
	b = append(b, '\'')
	if e.InitialURL != "" && e.InitialURL != e.URL {
		b = append(b, " (redirected from '"...)
		b = append(b, e.InitialURL...)
		b = append(b, "')"...)
	}
	b = append(b, " from origin '"...)
	if e.Initiator != "" {
		b = append(b, e.Initiator...)
	} else {
		b = append(b, e.Origin...)
	}
	b = append(b, "' has been blocked by CORS policy: "...)
	if e.Reason.IsPreflight() {
		b = append(b, "Response to preflight request doesn't pass access control check: "...)
	}
	const validValue = " Have the server send the header with a valid value."
	param := escapeControls(e.Param)
	switch e.Reason {
	case DisallowedByMode:
		b = append(b, "Cross origin requests are not allowed by request mode."...)
	case InvalidResponse:
		b = append(b, "The response is invalid."...)
	case WildcardOriginNotAllowed, PreflightWildcardOriginNotAllowed:
		b = append(b, "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'."...)
	case MissingAllowOriginHeader, PreflightMissingAllowOriginHeader:
		b = append(b, "No 'Access-Control-Allow-Origin' header is present on the requested resource."...)
	case MultipleAllowOriginValues, PreflightMultipleAllowOriginValues:
		b = append(b, "The 'Access-Control-Allow-Origin' header contains multiple values '"...)
		b = append(b, param...)
		b = append(b, "', but only one is allowed."+validValue...)
	case InvalidAllowOriginValue, PreflightInvalidAllowOriginValue:
		b = append(b, "The 'Access-Control-Allow-Origin' header contains the invalid value '"...)
		b = append(b, param...)
		b = append(b, "'."+validValue...)
	case AllowOriginMismatch, PreflightAllowOriginMismatch:
		b = append(b, "The 'Access-Control-Allow-Origin' header has a value '"...)
		b = append(b, param...)
		b = append(b, "' that is not equal to the supplied origin."+validValue...)
	case InvalidAllowCredentials, PreflightInvalidAllowCredentials:
		b = append(b, "The value of the 'Access-Control-Allow-Credentials' header in the response is '"...)
		b = append(b, param...)
		b = append(b, "' which must be 'true' when the request's credentials mode is 'include'."...)
	case CorsDisabledScheme:
		b = append(b, "Cross origin requests are only supported for protocol schemes: "...)
		b = append(b, chromiumCORSEnabledSchemes...)
		b = append(b, '.')
	case PreflightInvalidStatus:
		b = append(b, "It does not have HTTP ok status."...)
	case PreflightDisallowedRedirect:
		b = append(b, "Redirect is not allowed for a preflight request."...)
	case InvalidAllowMethodsPreflightResponse:
		b = append(b, "Cannot parse Access-Control-Allow-Methods response header field in preflight response."...)
	case InvalidAllowHeadersPreflightResponse:
		b = append(b, "Cannot parse Access-Control-Allow-Headers response header field in preflight response."...)
	case MethodDisallowedByPreflightResponse:
		b = append(b, "Method "...)
		b = append(b, param...)
		b = append(b, " is not allowed by Access-Control-Allow-Methods in preflight response."...)
	case HeaderDisallowedByPreflightResponse:
		b = append(b, "Request header field "...)
		b = append(b, param...)
		b = append(b, " is not allowed by Access-Control-Allow-Headers in preflight response."...)
	case RedirectContainsCredentials:
		b = append(b, "Redirect location '"...)
		b = append(b, param...)
		b = append(b, "' contains a username and password, which is disallowed for cross-origin requests."...)
	default:
		b = append(b, e.Sentence()...)
	}
	return string(b)
}

// escapeControls writes each control character (U+0000 to U+001F and
// U+007F) as \uXXXX with upper-case hex digits, as Chromium's console shows
// a header value that holds one (recorded: console-control/, e.g. the value
// "http://a.te\tst" printed as 'http://a.te\u0009st').
func escapeControls(s string) string {
	i := 0
	for i < len(s) && s[i] >= 0x20 && s[i] != 0x7f {
		i++
	}
	if i == len(s) {
		return s
	}
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)+8)
	b = append(b, s[:i]...)
	for ; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f {
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

// chromiumCORSEnabledSchemes is the list Chromium 156 prints for
// CorsDisabledScheme (url::GetCorsEnabledSchemes, recorded in
// testdata/chromium/redirect).
const chromiumCORSEnabledSchemes = "chrome, chrome-experimental-site-token-provider, chrome-extension, chrome-untrusted, data, http, https, isolated-app"

// The Firefox blocking-reason keys (security.properties), without the
// numeric version suffix the properties file carries.
const (
	FirefoxMissingAllowOrigin         = "CORSMissingAllowOrigin"
	FirefoxMultipleAllowOrigin        = "CORSMultipleAllowOriginNotAllowed"
	FirefoxAllowOriginNotMatching     = "CORSAllowOriginNotMatchingOrigin"
	FirefoxNotSupportingCredentials   = "CORSNotSupportingCredentials"
	FirefoxMissingAllowCredentials    = "CORSMissingAllowCredentials"
	FirefoxMethodNotFound             = "CORSMethodNotFound"
	FirefoxInvalidAllowMethod         = "CORSInvalidAllowMethod"
	FirefoxInvalidAllowHeader         = "CORSInvalidAllowHeader"
	FirefoxMissingAllowHeader         = "CORSMissingAllowHeaderFromPreflight"
	FirefoxPreflightDidNotSucceed     = "CORSPreflightDidNotSucceed"
	FirefoxExternalRedirectNotAllowed = "CORSExternalRedirectNotAllowed"
	FirefoxRequestNotHTTP             = "CORSRequestNotHttp"
	FirefoxDidNotSucceed              = "CORSDidNotSucceed"
)

// firefoxConsole builds Firefox's "Cross-Origin Request Blocked" line from
// the en-US strings of dom/locales/en-US/chrome/security/security.properties.
func (e *Error) firefoxConsole() string {
	const lead = "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at "
	at := e.URL + ". (Reason: "
	// The reasons that name a status print the response's, 0 included
	// (nsCORSListenerProxy.cpp GetStatusCodeAsString; recorded:
	// firefox/preflight-status/put-whose-preflight-is-answered-0-…).
	status := strconv.Itoa(e.Status)
	switch e.FirefoxReason {
	case FirefoxMissingAllowOrigin:
		return lead + at + "CORS header ‘Access-Control-Allow-Origin’ missing). Status code: " + status + "."
	case FirefoxMultipleAllowOrigin:
		return lead + at + "Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed)."
	case FirefoxAllowOriginNotMatching:
		return lead + at + "CORS header ‘Access-Control-Allow-Origin’ does not match ‘" + e.Param + "’)."
	case FirefoxNotSupportingCredentials:
		// This one string quotes the URL.
		return lead + "‘" + e.URL + "’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’)."
	case FirefoxMissingAllowCredentials:
		return lead + at + "expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’)."
	case FirefoxMethodNotFound:
		return lead + at + "Did not find method in CORS header ‘Access-Control-Allow-Methods’)."
	case FirefoxInvalidAllowMethod:
		return lead + at + "invalid token ‘" + e.Param + "’ in CORS header ‘Access-Control-Allow-Methods’)."
	case FirefoxInvalidAllowHeader:
		return lead + at + "invalid token ‘" + e.Param + "’ in CORS header ‘Access-Control-Allow-Headers’)."
	case FirefoxMissingAllowHeader:
		return lead + at + "header ‘" + e.Param + "’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response)."
	case FirefoxPreflightDidNotSucceed:
		return lead + at + "CORS preflight response did not succeed). Status code: " + status + "."
	case FirefoxExternalRedirectNotAllowed:
		return lead + at + "CORS request external redirect not allowed)."
	case FirefoxRequestNotHTTP:
		return lead + at + "CORS request not http)."
	case FirefoxDidNotSucceed:
		return FirefoxDidNotSucceedLine(e.URL)
	}
	return ""
}

// FirefoxDidNotSucceedLine is the line Firefox's CORS listener prints when
// a request that has gone cross-origin in mode cors fails below CORS: the
// channel's status is a failure when its response starts (a refused
// response, a redirect the network stack cannot follow), the listener has
// no status to name and formats a null parameter as "(null)"
// (nsCORSListenerProxy.cpp CheckRequestApproved, key CORSDidNotSucceed2 of
// security.properties). url is the URL of the channel that failed: the
// last one opened, so a redirect whose target cannot be opened names the
// redirecting URL (recorded: firefox/bad-port/get-redirected-302-to-port-25).
func FirefoxDidNotSucceedLine(url string) string {
	return "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at " + url +
		". (Reason: CORS request did not succeed). Status code: (null)."
}

// FirefoxSameOriginLine is the line Firefox's script security manager
// prints when a principal may not load a URL of another origin
// (caps/nsScriptSecurityManager.cpp, key CheckSameOriginError of
// dom/locales/en-US/chrome/security/caps.properties): a fetch in mode
// same-origin to, or redirected to, another origin (recorded:
// firefox/modes-redirect/same-origin-get-a-b-redirected-302, where from is
// the document's URL), or a redirect to a blob: URL (from is the
// redirecting URL).
func FirefoxSameOriginLine(from, url string) string {
	return "Security Error: Content at " + from + " may not load data from " + url + "."
}

// FirefoxLoadURILine is Firefox's line for a URL a principal may not load
// or link to at all (nsScriptSecurityManager CheckLoadURIWithPrincipal,
// key CheckLoadURIError of caps.properties), such as a redirect to a
// file: URL (recorded: firefox/redirect-rules/cross-origin-cors-get-
// redirected-302-to-file-etc-hostname, from is the redirecting URL).
func FirefoxLoadURILine(from, url string) string {
	return "Security Error: Content at " + from + " may not load or link to " + url + "."
}

// FirefoxMixedActiveContentLine is the line Firefox's mixed content blocker
// prints for a fetch from a secure page to an insecure URL
// (dom/security/nsMixedContentBlocker.cpp, key BlockMixedActiveContent of
// security.properties; recorded: firefox/https/).
func FirefoxMixedActiveContentLine(url string) string {
	return "Blocked loading mixed active content “" + url + "”"
}
