package enforce

import (
	"errors"
	"net/http"
	"slices"

	"github.com/corsim/corsim/internal/blinkorder"
	"github.com/corsim/corsim/internal/httpheader"
	"github.com/corsim/corsim/safelist"
)

// PreflightPolicy holds the places where browsers check a preflight
// response differently from the standard.
type PreflightPolicy struct {
	// Browser selects the classification and console text of failures.
	Browser Browser
	// WildcardCoversAuthorization lets `Access-Control-Allow-Headers: *`
	// cover `Authorization`. The standard says no (a CORS non-wildcard
	// request-header name must be listed). Chromium says yes: its
	// CorsNonWildcardRequestHeadersSupport feature is disabled by default
	// (services/network/public/cpp/features.cc, network_context.cc), so a
	// fresh preflight lets `*` cover it. Firefox says yes with a warning
	// (pref network.cors_preflight.authorization_covered_by_wildcard, true
	// since 115). WebKit has no exception (CrossOriginPreflightResultCache.cpp).
	WildcardCoversAuthorization bool
	// StatusBeforeCORSCheck reports a non-ok preflight status before any
	// Access-Control-Allow-Origin failure. Chromium runs the CORS check
	// first (preflight_controller.cc CheckPreflightAccess); so does Firefox
	// (nsCORSListenerProxy::OnStartRequest runs CheckRequestApproved before
	// the preflight listener's status check; recorded: a 404 preflight
	// without the header reports "CORS header … missing. Status code: 404").
	// WebKit checks the status first (CrossOriginAccessControl.cpp
	// validatePreflightResponse).
	StatusBeforeCORSCheck bool
	// InitiatorOriginAfterTaint sends a preflight that follows a
	// redirect-tainting redirect with the document's origin in `Origin`,
	// and checks its response against that origin, while the request
	// itself goes out with `Origin: null`. Firefox does: the preflight is
	// a fresh channel whose CORS listener starts from the loading
	// principal, never from the listener of the redirected request
	// (nsCORSListenerProxy.cpp StartCORSPreflight; recorded:
	// firefox/preflight-after-redirect/put-with-x-foo-preflighted-at-b-
	// redirected-307-to-c-c-s-preflight-acao-null fails with "does not
	// match ‘null’", -acao-http-a-test passes and the PUT sends null). The
	// standard's preflight clones the request's URL list (CORS-preflight
	// fetch, step 1), so its origin serializes as "null".
	InitiatorOriginAfterTaint bool
	// UnsafeHeadersFixedAtStart preflights a redirected CORS request when
	// the request as script made it had CORS-unsafe request headers, even
	// after a 301/302/303 turned it into a GET without its body headers;
	// Access-Control-Request-Headers then lists only what is still sent.
	// Firefox does: FetchDriver stores the unsafe names in the load info
	// once, and nsCORSListenerProxy::CheckPreflightNeeded preflights while
	// that list is not empty (stripping the body headers from the
	// preflight's list; recorded: firefox/mixed/mixed-036-post-http-a-test-
	// r-from-http-a-test-…-content-type-application-json preflights the GET
	// to c.test without Access-Control-Request-Headers). The standard
	// decides from the current header list at each main fetch.
	UnsafeHeadersFixedAtStart bool
	// PreflightStaysRequired preflights every later hop of a CORS request
	// once one hop needed a preflight, for whatever reason, so a PUT that
	// a 303 turned into a GET is preflighted again at its next URL.
	// Firefox does: nsCORSListenerProxy::CheckPreflightNeeded marks the
	// channel as requiring a preflight (SetCorsPreflightParameters, its
	// mRequireCORSPreflight), and HttpBaseChannel::SetupReplacementChannel
	// carries that mark to the redirect's channel (recorded: firefox/
	// redirect/preflighted-put-redirected-303-becomes-a-get sends an
	// OPTIONS with Access-Control-Request-Method GET to the 303's
	// target). WebKit does too: NetworkLoadChecker clears its
	// m_isSimpleRequest when it makes a preflight, and every redirect
	// with it cleared is preflighted (recorded: webkit/redirect/
	// preflighted-put-redirected-303-becomes-a-get). The standard decides
	// at each main fetch from the current method and headers (step 12).
	PreflightStaysRequired bool
	// OriginalHeadersAfterRedirect decides whether a redirected CORS
	// request needs a preflight, and lists Access-Control-Request-Headers,
	// from the headers the request was first made with, though a
	// 301/302/303 rewrite or a cross-origin hop removed some since. WebKit
	// does: its NetworkLoadChecker keeps m_originalRequestHeaders for the
	// CORS checks of every redirect (recorded: webkit/mixed/mixed-036-…
	// preflights the GET that a 302 made of a JSON POST with
	// `content-type`, and mixed-085-… the hop after a cross-origin 307
	// with `authorization`). The standard decides from the current header
	// list at each main fetch (step 12).
	OriginalHeadersAfterRedirect bool
	// CacheBeforeMethodAndHeaderChecks caches a preflight response that
	// passed the CORS check and whose method and header lists parse before
	// checking the request's method and headers against them, so a
	// preflight that then fails still answers later requests it covers.
	// WebKit does (CrossOriginAccessControl.cpp validatePreflightResponse:
	// appendEntry comes before the error of validateMethodAndHeaders is
	// returned; recorded: webkit/mixed-cache/mixed-cache-037-…: a PUT
	// whose preflight allows no header fails, a patch at 0.3 s goes
	// without a preflight). The standard caches only after the checks
	// pass (CORS-preflight fetch, steps 7.5-7.7 before 7.8-7.10).
	CacheBeforeMethodAndHeaderChecks bool
	// DisallowedHeaderOrder is the order in which steps 7.6-7.7 try the
	// request's CORS-unsafe header names, which decides the one a failure
	// names when several are not allowed. See HeaderOrder.
	DisallowedHeaderOrder HeaderOrder
}

// HeaderOrder is an order of a request's CORS-unsafe header names.
type HeaderOrder uint8

const (
	// SortedHeaderOrder is the standard's: CORS-preflight fetch step 7.7
	// walks "the CORS-unsafe request-header names with request's header
	// list", which that algorithm returns byte-lowercased and sorted
	// (https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names,
	// steps 6-7). Firefox names the first disallowed name in this order
	// (recorded: firefox/disallowed-order/, 152 files). WebKit's console
	// lines, recorded on branch wkconsole, name the first in script's
	// order and spelling; corsim's Request.Header, an http.Header, keeps
	// neither, and WebKit's recordings here carry no console line, so the
	// WebKit profile uses this order too.
	SortedHeaderOrder HeaderOrder = iota
	// BlinkHeaderMapOrder is Chromium's: PreflightResult::
	// EnsureAllowedCrossOriginHeaders (services/network/cors/
	// preflight_result.cc) walks CorsUnsafeNotForbiddenRequestHeaderNames
	// (services/network/public/cpp/cors/cors.cc) of the network service's
	// header vector, whose order is that of Blink's HTTPHeaderMap, a
	// WTF::HashMap: FetchManager inserts the request's header list in
	// byte-lowercased order (core/fetch/fetch_manager.cc,
	// fetch_header_list.h), FrameFetchContext::PrepareRequest then sets
	// User-Agent (after the default User-Agent client hints when the URL
	// is potentially trustworthy: base_fetch_context.cc
	// AddClientHintsIfNecessary), and request_conversion.cc copies the
	// map out in bucket order (wtf/hash_table.h, wtf/text/case_folding_hash.h,
	// rapidhash.h). internal/blinkorder models that table. Recorded:
	// chromium/disallowed-order/ (with X-B, X-A and X-C and an empty
	// Allow-Headers Chromium names x-c, the sorted order x-a; the
	// get-from-…-to-https-… files show the client hints' entries).
	// Names unsafe only because the safelisted values exceed 1024 bytes
	// come after the others (PreflightRequest.OverLimitNames).
	BlinkHeaderMapOrder
)

// PreflightRequest is what the checks need to know of the request that was
// preflighted.
type PreflightRequest struct {
	Method             string   // the request's method, normalized
	UnsafeHeaderNames  []string // CORS-unsafe request-header names, lower-case, sorted
	IncludeCredentials bool     // credentials mode is "include"
	Origin             string   // byte-serialized request origin
	// HeaderNames are the names of the request's header list as the
	// request was first made (any case and order, repeats allowed),
	// for PreflightPolicy.DisallowedHeaderOrder other than
	// SortedHeaderOrder; nil means UnsafeHeaderNames alone.
	HeaderNames []string
	// OverLimitNames are the names of UnsafeHeaderNames that are
	// CORS-unsafe only because the safelisted values total more than 1024
	// bytes (CORS-unsafe request-header names, step 5); Chromium tries
	// them after the others (BlinkHeaderMapOrder).
	OverLimitNames []string
	// FirstURLTrustworthy reports that the request's first URL is an
	// http or https URL with a potentially trustworthy origin, to which
	// Chromium's Blink adds client hints (BlinkHeaderMapOrder).
	FirstURLTrustworthy bool
}

// PreflightResponse is the answer to a preflight.
type PreflightResponse struct {
	Status   int
	Header   http.Header
	Redirect bool // a redirect status with a Location header
}

// Allowance is what a successful preflight allows, for the cache.
type Allowance struct {
	Methods []string // Access-Control-Allow-Methods items, case preserved
	Headers []string // Access-Control-Allow-Headers items, case preserved
	MaxAge  []string // raw Access-Control-Max-Age lines (nil when absent)
	// Parsed reports that the lists above were read: always on success,
	// and beside a method or header failure under
	// PreflightPolicy.CacheBeforeMethodAndHeaderChecks, for the caller to
	// cache.
	Parsed bool
}

// CheckPreflight performs the checks of CORS-preflight fetch
// (https://fetch.spec.whatwg.org/#cors-preflight-fetch-0) steps 6-7 on a
// preflight response and returns what it allows, or the first failure in
// the order the browser of p reports it. As with CORSCheck, a nil *Error
// means success.
func CheckPreflight(p PreflightPolicy, req PreflightRequest, resp PreflightResponse) (Allowance, *Error) {
	b := p.Browser
	if resp.Redirect {
		// The preflight uses HTTP-network-or-cache fetch, which never
		// follows a redirect, so a redirect is a non-ok status for the
		// standard. Chromium reports it as its own reason
		// (preflight_controller.cc HandleRedirect), Firefox as
		// CORSExternalRedirectNotAllowed.
		if b == Spec {
			return Allowance{}, preflightStatusFailure(b, resp.Status, req.Origin)
		}
		return Allowance{}, &Error{Reason: PreflightDisallowedRedirect, FirefoxReason: FirefoxExternalRedirectNotAllowed,
			Status: resp.Status, Origin: req.Origin, Browser: b,
			Step: "Fetch §4.8 CORS-preflight fetch, step 6 (no redirects for a preflight)"}
	}
	ok := resp.Status >= 200 && resp.Status <= 299
	if !ok && p.StatusBeforeCORSCheck {
		return Allowance{}, preflightStatusFailure(b, resp.Status, req.Origin)
	}
	// Fetch: CORS-preflight fetch, step 7: a CORS check for request (not
	// preflight, so the request's credentials mode is used) ...
	if err := CORSCheck(b, resp.Header, req.Origin, req.IncludeCredentials, resp.Status); err != nil {
		err.Reason = preflightVariant(err.Reason)
		err.Step = "Fetch §4.8 CORS-preflight fetch, step 7 (CORS check of the preflight response)"
		return Allowance{}, err
	}
	// ... and response's status is an ok status.
	if !ok {
		return Allowance{}, preflightStatusFailure(b, resp.Status, req.Origin)
	}
	// Step 7.1-7.3: extract the method and header lists; failure is a
	// network error.
	methods, _, err := httpheader.ExtractHeaderListValues(resp.Header, headerAllowMethods)
	if err != nil {
		return Allowance{}, listFailure(b, InvalidAllowMethodsPreflightResponse, FirefoxInvalidAllowMethod, err, resp.Header, headerAllowMethods, req.Origin)
	}
	if b == Firefox {
		// Firefox checks the method before it parses the header list.
		if e := checkMethod(b, req, methods); e != nil {
			return Allowance{}, e
		}
	}
	headerNames, _, err := httpheader.ExtractHeaderListValues(resp.Header, headerAllowHeaders)
	if err != nil {
		return Allowance{}, listFailure(b, InvalidAllowHeadersPreflightResponse, FirefoxInvalidAllowHeader, err, resp.Header, headerAllowHeaders, req.Origin)
	}
	parsed := Allowance{Methods: methods, Headers: headerNames, MaxAge: httpheader.Lines(resp.Header, headerMaxAge), Parsed: true}
	failed := Allowance{}
	if p.CacheBeforeMethodAndHeaderChecks {
		// WebKit: see PreflightPolicy.CacheBeforeMethodAndHeaderChecks.
		failed = parsed
	}
	if b != Firefox {
		if e := checkMethod(b, req, methods); e != nil {
			return failed, e
		}
	}
	if e := checkHeaders(p, req, headerNames); e != nil {
		return failed, e
	}
	return parsed, nil
}

// checkMethod is CORS-preflight fetch step 7.5.
func checkMethod(b Browser, req PreflightRequest, methods []string) *Error {
	// Step 7.5: fail if request's method is not in methods, is not a
	// CORS-safelisted method, and credentials mode is "include" or methods
	// does not contain `*`. The comparison is byte for byte.
	if slices.Contains(methods, req.Method) || safelist.IsCORSSafelistedMethod(req.Method) {
		return nil
	}
	if !req.IncludeCredentials && slices.Contains(methods, "*") {
		return nil
	}
	return &Error{Reason: MethodDisallowedByPreflightResponse, FirefoxReason: FirefoxMethodNotFound,
		Param: req.Method, Origin: req.Origin, Browser: b,
		Step: "Fetch §4.8 CORS-preflight fetch, step 7.5 (method not allowed)"}
}

// checkHeaders is CORS-preflight fetch steps 7.6 and 7.7.
func checkHeaders(p PreflightPolicy, req PreflightRequest, headerNames []string) *Error {
	wildcard := !req.IncludeCredentials && slices.Contains(headerNames, "*")
	var stack [16]string
	for _, name := range checkOrder(stack[:0], p.DisallowedHeaderOrder, req) {
		if httpheader.ContainsFold(headerNames, name) {
			continue
		}
		// Step 7.6: a CORS non-wildcard request-header name (Authorization)
		// must be listed explicitly, even under `*`.
		if wildcard && (p.WildcardCoversAuthorization || !safelist.IsCORSNonWildcardRequestHeaderName(name)) {
			continue
		}
		// Step 7.7: every other unsafe name must be listed, or covered by
		// `*` when credentials are not included.
		return &Error{Reason: HeaderDisallowedByPreflightResponse, FirefoxReason: FirefoxMissingAllowHeader,
			Param: name, Origin: req.Origin, Browser: p.Browser,
			Step: "Fetch §4.8 CORS-preflight fetch, steps 7.6-7.7 (header not allowed)"}
	}
	return nil
}

// checkOrder appends req.UnsafeHeaderNames to dst in the order o tries
// them.
func checkOrder(dst []string, o HeaderOrder, req PreflightRequest) []string {
	if o != BlinkHeaderMapOrder || len(req.HeaderNames) == 0 {
		return append(dst, req.UnsafeHeaderNames...)
	}
	// Chromium: the unsafe names in the network service's header order
	// (see BlinkHeaderMapOrder), first those unsafe on their own, then
	// those unsafe only because the safelisted values exceed 1024 bytes:
	// CorsUnsafeNotForbiddenRequestHeaderNames appends the latter after
	// its walk (recorded: chromium/disallowed-order/post-from-…-with-nine-
	// safelisted-values-totalling-1100-bytes-…).
	var stack [32]string
	order := blinkorder.Order(stack[:0], req.HeaderNames, req.FirstURLTrustworthy)
	for _, overLimit := range [2]bool{false, true} {
		for _, name := range order {
			if slices.Contains(req.UnsafeHeaderNames, name) && slices.Contains(req.OverLimitNames, name) == overLimit {
				dst = append(dst, name)
			}
		}
	}
	// Names the header list did not mention (none, when HeaderNames is the
	// list UnsafeHeaderNames came from) keep their sorted place after.
	n := len(dst)
	for _, name := range req.UnsafeHeaderNames {
		if !slices.Contains(dst[:n], name) {
			dst = append(dst, name)
		}
	}
	return dst
}

func preflightStatusFailure(b Browser, status int, origin string) *Error {
	return &Error{Reason: PreflightInvalidStatus, FirefoxReason: FirefoxPreflightDidNotSucceed,
		Param: "", Status: status, Origin: origin, Browser: b,
		Step: "Fetch §4.8 CORS-preflight fetch, step 7 (status is not an ok status)"}
}

func listFailure(b Browser, r Reason, firefox string, err error, h http.Header, name, origin string) *Error {
	param, _ := httpheader.Get(h, name)
	if b == Firefox {
		// Firefox names the offending token.
		var le *httpheader.ListError
		if errors.As(err, &le) {
			param = le.Element
		}
	}
	return &Error{Reason: r, FirefoxReason: firefox, Param: param, Origin: origin, Browser: b,
		Step: "Fetch §4.8 CORS-preflight fetch, step 7.3 (header list does not parse)"}
}
