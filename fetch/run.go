package fetch

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/corsim/corsim/enforce"
	"github.com/corsim/corsim/internal/httpheader"
	"github.com/corsim/corsim/internal/weburl"
	"github.com/corsim/corsim/preflightcache"
	"github.com/corsim/corsim/profile"
	"github.com/corsim/corsim/redirect"
	"github.com/corsim/corsim/safelist"
	"github.com/corsim/corsim/wire"
)

const (
	secMain      = "Fetch §4.1 Main fetch"
	secHTTP      = "Fetch §4.4 HTTP fetch"
	secRedirect  = "Fetch §4.5 HTTP-redirect fetch"
	secNetwork   = "Fetch §4.6 HTTP-network-or-cache fetch"
	secPreflight = "Fetch §4.8 CORS-preflight fetch"
	secCache     = "Fetch §4.9 CORS-preflight cache"
	secCheck     = "Fetch §4.10 CORS check"
)

// run is fetch's main loop: main fetch for the current URL, and again for
// every redirect followed.
func (f *fetchState) run() (*Response, error) {
	if err := f.mixedContent(); err != nil {
		return nil, err
	}
	for {
		if err := f.ctxErr(); err != nil {
			return nil, err
		}
		resp, next, err := f.mainFetch()
		if err != nil {
			if f.again == againRequested && f.runAgain() {
				continue
			}
			return nil, err
		}
		if next == nil {
			return resp, nil
		}
	}
}

// runAgain starts the fetch over from script's request, as Firefox does
// after a no-cors redirect to mailto: (profile.RedirectTargetsFirefox),
// and reports whether it did. The second run's origin is null.
func (f *fetchState) runAgain() bool {
	if f.reqBody != nil && !f.reqBody.replayable() {
		return false
	}
	g, err := f.c.newFetch(f.ctx, f.req, f.reqBody, f.tr)
	if err != nil {
		return false
	}
	f.tr.add(secRedirect, "concept-http-redirect-fetch", "Firefox makes the whole fetch again from its first URL, with the request origin now null")
	*f = *g
	f.urls = f.firstURL[:] // g's URL list is g's own array
	f.again = againRunning
	return true
}

// mixedContent blocks a request from a secure document to a URL that is not
// potentially trustworthy (Mixed Content §4.1; Chromium prints its own
// console line and sends nothing).
func (f *fetchState) mixedContent() error {
	doc := f.c.origin
	if doc.IsOpaque() || doc.Scheme() != "https" {
		return nil
	}
	u := f.current()
	if u.Scheme() != "http" || u.Origin().IsPotentiallyTrustworthy() {
		return nil
	}
	msg := "Mixed Content: The page at '" + f.c.docURL + "' was loaded over HTTPS, but requested an insecure resource '" + u.StringWithoutFragment() + "'. This request has been blocked; the content must be served over HTTPS."
	f.tr.block("Mixed Content §4.1 Should fetching request be blocked as mixed content?", "", "blocked: a secure page may not fetch an insecure URL",
		in("page", doc.String()), in("URL", u.StringWithoutFragment()))
	console := f.consoleIf(msg)
	if f.c.profile.Browser == enforce.Firefox {
		// Firefox's mixed content blocker (security.properties,
		// BlockMixedActiveContent), naming the insecure URL, first or
		// redirected to (recorded: firefox/https/https-page-post-to-http-
		// b-test-is-mixed-content, https-page-get-to-https-b-test-
		// redirected-302-to-http-c-test).
		console = enforce.FirefoxMixedActiveContentLine(u.StringWithoutFragment())
	}
	return &Error{Kind: NetworkError, URL: u.StringWithoutFragment(), Message: "mixed content: the request was blocked before it was sent", Console: console}
}

// badPort is "should request be blocked due to a bad port"
// (https://fetch.spec.whatwg.org/#block-bad-port) under the profile's list.
// Chromium refuses the request in its network stack with
// net::ERR_UNSAFE_PORT (recorded: bad-port/).
func (f *fetchState) badPort() error {
	u := f.current()
	if !u.IsHTTPScheme() {
		return nil
	}
	// A null port (absent or the scheme's default) is never bad.
	p := u.Port()
	if p == "" {
		return nil
	}
	port, err := strconv.Atoi(p)
	if err != nil || !f.c.profile.Ports.Blocked(port) {
		return nil
	}
	f.tr.block(secMain, "block-bad-port", "the URL's port is a bad port: network error", in("URL", u.StringWithoutFragment()))
	msg := "port " + strconv.Itoa(port) + " is a bad port"
	const chromium = "Failed to load resource: net::ERR_UNSAFE_PORT"
	if len(f.urls) == 1 {
		// Firefox refuses to open a channel to the port, so no listener
		// sees a failure and nothing is printed (recorded: firefox/bad-port/
		// get-to-port-25).
		return f.netError(msg, chromium)
	}
	// A redirect to a bad port: Firefox's CORS listener has already taken
	// the new channel (and gone cross-origin if its URL is), which then
	// cannot open, so the redirecting channel fails (recorded: firefox/
	// bad-port/get-redirected-302-to-port-25 names http://b.test/r, and
	// bad-port/same-origin-host-get-redirected-302-to-port-25 names
	// http://a.test/r: a.test:25 is another origin).
	from := f.urls[len(f.urls)-2]
	e := f.channelFailed(from, msg, chromium, nil)
	if f.c.profile.Browser == enforce.Firefox && f.mode == ModeCORS && !f.c.origin.SameOrigin(u.Origin()) {
		e.Console = enforce.FirefoxDidNotSucceedLine(from.StringWithoutFragment())
	}
	return e
}

// consoleIf returns msg under the profiles whose console corsim models
// (Chromium and the spec profile, which borrows Chromium's words).
func (f *fetchState) consoleIf(msg string) string {
	switch f.c.profile.Browser {
	case enforce.Chromium, enforce.Spec:
		return msg
	}
	return ""
}

// sameOriginModeConsole is the line printed when mode same-origin meets a
// URL of another origin, first or redirected to: chromium's, or Firefox's
// security manager's, which names the document's URL and the refused URL
// (nsContentSecurityManager DoSOPChecks; recorded: firefox/modes-redirect/
// same-origin-get-b-a-redirected-302 and -a-b-redirected-302).
func (f *fetchState) sameOriginModeConsole(chromium string, u *weburl.URL) string {
	if f.c.profile.Browser == enforce.Firefox {
		switch u.Scheme() {
		case "javascript", "ws", "wss":
			// No channel opens for these, so the check that prints the
			// line never runs (recorded: firefox/typeerror/same-origin-
			// fetch-of-the-url-ws-b-test-r, -javascript-1 print nothing).
			return ""
		}
		return enforce.FirefoxSameOriginLine(f.c.docURL, u.StringWithoutFragment())
	}
	return f.consoleIf(chromium)
}

// mainFetch runs main fetch (https://fetch.spec.whatwg.org/#concept-main-fetch)
// for the current URL. It returns the final response, or next != nil when a
// redirect is to be followed.
func (f *fetchState) mainFetch() (resp *Response, next *weburl.URL, err error) {
	u := f.current()
	first := len(f.urls) == 1
	doc := f.c.origin
	f.curOrigin = u.Origin()
	if first && f.c.profile.Preflight.UnsafeHeadersFixedAtStart {
		f.startUnsafe = len(f.rules().CORSUnsafeRequestHeaderNames(f.header)) > 0
	}
	if first && f.c.profile.Preflight.OriginalHeadersAfterRedirect {
		f.startHeader = f.header.Clone()
	}
	// Step 7: a bad port is a network error before anything is sent, on
	// the first URL and on every redirect target.
	if err := f.badPort(); err != nil {
		return nil, nil, err
	}
	// Step 8 (Referrer Policy §8.3): the request's referrer for this URL.
	f.referrer = determineReferrer(f.referrerPolicy, f.referrer, f.curOrigin)
	// Step 12: decide how to fetch, and the response tainting.
	switch {
	case doc.SameOrigin(f.curOrigin) && f.tainting == enforce.TaintBasic, u.Scheme() == "data":
		f.tainting = enforce.TaintBasic
		f.tr.add(secMain, "concept-main-fetch", "the URL is same-origin with the request origin, or a data: URL: a basic fetch, no CORS",
			in("request origin", doc.String()), in("URL", u.StringWithoutFragment()))
		if !u.IsHTTPScheme() {
			return f.schemeFetch()
		}
		return f.httpFetch(false, false)
	case f.mode == ModeSameOrigin:
		msg := "Fetch API cannot load " + u.StringWithoutFragment() + `. Request mode is "same-origin" but the URL's origin is not same as the request origin ` + doc.String() + "."
		f.tr.block(secMain, "concept-main-fetch", "mode same-origin and the URL is cross-origin: network error",
			in("request origin", doc.String()), in("URL", u.StringWithoutFragment()))
		if !first {
			// Redirected away from the origin: Chromium's network service
			// refuses the redirect with this line and reports no CorsError
			// (recorded: modes/same-origin-mode-get-redirected-302-to-b-test).
			msg = "Unsafe attempt to load URL " + u.StringWithoutFragment() + " from frame with URL " + f.c.docURL + ". Domains, protocols and ports must match.\n"
		}
		return nil, nil, &Error{Kind: NetworkError, URL: u.StringWithoutFragment(), Message: "mode same-origin forbids a cross-origin URL",
			Console: f.sameOriginModeConsole(msg, u)}
	case f.mode == ModeNoCORS:
		// Step 12, no-cors: the redirect mode must be "follow"; Chromium
		// checks it before sending anything (Blink FetchManager).
		if f.redirect != RedirectFollow {
			msg := "Fetch API cannot load " + u.StringWithoutFragment() + `. Request mode is "no-cors" but the redirect mode is not "follow".`
			f.tr.block(secMain, "concept-main-fetch", "mode no-cors requires redirect mode follow: network error", in("redirect", string(f.redirect)))
			return nil, nil, &Error{Kind: NetworkError, URL: u.StringWithoutFragment(), Message: `mode no-cors requires redirect mode "follow"`, Console: f.consoleIf(msg)}
		}
		f.tainting = enforce.TaintOpaque
		f.tr.add(secMain, "concept-main-fetch", "mode no-cors and the URL is cross-origin: the response will be opaque, no CORS check",
			in("request origin", doc.String()), in("URL", u.StringWithoutFragment()))
		if !u.IsHTTPScheme() {
			return f.schemeFetch()
		}
		return f.httpFetch(false, false)
	case !u.IsHTTPScheme():
		// Chromium refuses the scheme before any CORS decision, with the
		// line it prints for a scheme it cannot fetch (recorded:
		// typeerror/cors-fetch-of-the-url-ftp-b-test-r).
		f.tr.block(secMain, "concept-main-fetch", "a CORS request needs an HTTP(S) URL: network error", in("URL", u.StringWithoutFragment()))
		if f.c.profile.Browser == enforce.Firefox {
			return nil, nil, f.firefoxNonHTTPFirstURL(u)
		}
		return nil, nil, &Error{Kind: NetworkError, URL: u.StringWithoutFragment(), Message: "a CORS request needs an http or https URL",
			Console: f.consoleIf(chromiumSchemeConsole(u))}
	}
	// A CORS request: is a preflight needed?
	f.tainting = enforce.TaintCORS
	unsafe := f.rules().CORSUnsafeRequestHeaderNames(f.header)
	if !first && f.startHeader != nil {
		// WebKit departs from main fetch step 12 here: a redirected
		// request is judged, and preflighted, on the headers script gave
		// it (PreflightPolicy.OriginalHeadersAfterRedirect).
		unsafe = f.rules().CORSUnsafeRequestHeaderNames(f.startHeader)
	}
	needPreflight := !safelist.IsCORSSafelistedMethod(f.method) || len(unsafe) > 0
	if f.startUnsafe && !needPreflight {
		// Firefox departs from main fetch step 12 here: the unsafe
		// headers of the request as first made still call for a
		// preflight (PreflightPolicy.UnsafeHeadersFixedAtStart).
		needPreflight = true
	}
	if f.preflightStays && !needPreflight {
		// Firefox: an earlier hop needed a preflight, so this one does
		// too (PreflightPolicy.PreflightStaysRequired).
		needPreflight = true
	}
	if needPreflight && f.c.profile.Preflight.PreflightStaysRequired {
		f.preflightStays = true
	}
	if f.tr != nil {
		f.traceCORSRequest(unsafe, needPreflight)
	}
	// A failure clears the entries of this URL, under the profiles that do
	// it: the URL of this hop, also when following its redirect failed.
	f.unsafeNames = unsafe
	key := f.cacheKey()
	resp, next, err = f.httpFetch(true, needPreflight)
	if err != nil {
		f.clearCacheAfterFailure(key, needPreflight)
	}
	return resp, next, err
}

// serializedOrigin is the byte-serialized request origin: "null" for an
// opaque document or a redirect-tainted request
// (https://fetch.spec.whatwg.org/#serializing-a-request-origin).
func (f *fetchState) serializedOrigin() string {
	if f.again == againRunning || redirect.Tainted(f.c.origin, f.urls) {
		return "null"
	}
	return f.c.origin.String()
}

func (f *fetchState) includeCredentials() bool { return f.credentials == CredentialsInclude }

// firstURLCredentials is whether the fetch included credentials for its
// first URL: mode include, or same-origin with a same-origin first URL
// (profile.RedirectPolicy.CheckUsesFirstURLCredentials).
func (f *fetchState) firstURLCredentials() bool {
	return f.credentials == CredentialsInclude ||
		f.credentials == CredentialsSameOrigin && f.c.origin.SameOrigin(f.urls[0].Origin())
}

// httpFetch is HTTP fetch (https://fetch.spec.whatwg.org/#concept-http-fetch)
// with the CORS flag and the CORS-preflight flag.
func (f *fetchState) httpFetch(corsFlag, preflightFlag bool) (*Response, *weburl.URL, error) {
	u := f.current()
	if preflightFlag {
		if err := f.preflight(); err != nil {
			return nil, nil, err
		}
	}
	// HTTP-network-or-cache fetch: the request as sent.
	hreq, err := f.wireRequest()
	if err != nil {
		return nil, nil, err
	}
	status, header, body, cl, err := f.roundTrip(hreq, false)
	if err != nil {
		return nil, nil, err
	}
	// A body script will not read is closed at once, unread: every path
	// but the readable filtered response closes it.
	keepBody := false
	defer func() {
		if !keepBody {
			body.Close()
		}
	}()
	// HTTP-network fetch, step 12: with credentials included, the
	// response's `Set-Cookie` lines are stored, before any CORS check.
	if err := f.storeCookies(header); err != nil {
		return nil, nil, err
	}
	if f.tr != nil {
		f.tr.add(secNetwork, "concept-http-network-or-cache-fetch", "the request was sent",
			in("request", hreq.Method+" "+u.StringWithoutFragment()), in("Origin", hreq.Header.Get("Origin")), in("response status", strconv.Itoa(status)))
	}
	// The Location value, read once for the check's credentials and step 6.
	location, hasLocation := httpheader.Get(header, "Location")
	// HTTP fetch, step 4.4 (before redirects are handled): a CORS check
	// of every response when the response tainting is cors.
	if corsFlag {
		cred := f.includeCredentials()
		if hasLocation && f.c.profile.Redirect.CheckUsesFirstURLCredentials &&
			f.redirect == RedirectFollow && redirect.IsRedirectStatus(status) {
			cred = f.firstURLCredentials()
		}
		if cerr := enforce.CORSCheck(f.c.profile.Browser, header, f.serializedOrigin(), cred, status); cerr != nil {
			f.tr.block(secCheck, "concept-cors-check", "blocked: "+cerr.Sentence(), checkInputs(header, f.serializedOrigin(), cred)...)
			return nil, nil, f.corsError(cerr)
		}
		if f.tr != nil {
			f.tr.add(secCheck, "concept-cors-check", "passes", checkInputs(header, f.serializedOrigin(), cred)...)
		}
	}
	// HTTP fetch, step 6: a redirect status.
	var loc *weburl.URL
	var lerr error
	switch {
	case !hasLocation || location != "" || f.c.profile.Redirect.EmptyLocation == redirect.EmptyLocationRedirectsToItself:
		loc, lerr = f.c.profile.Redirect.LocationURL(status, header, u)
	case f.c.profile.Redirect.EmptyLocation == redirect.EmptyLocationFails && redirect.IsRedirectStatus(status):
		// WebKit (redirect.EmptyLocationFails).
		lerr = redirect.ErrBadLocation
	}
	if errors.Is(lerr, redirect.ErrMultipleLocation) {
		// HTTP-redirect fetch, step 3: the location URL is failure.
		f.tr.block(secRedirect, "concept-http-redirect-fetch", "the response has more than one Location line: network error")
		return nil, nil, f.channelFailed(u, "the redirect response has more than one Location line", "Failed to load resource: net::ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION", nil)
	}
	if lerr != nil && f.redirect == RedirectManual && f.c.profile.Redirect.ManualSkipsLocation {
		// HTTP fetch, step 6.3: mode manual returns the opaque-redirect
		// filtered response; the location URL is never parsed. WebKit
		// (redirect.Policy.ManualSkipsLocation), which parses first for
		// mode error.
		f.tr.add(secHTTP, "concept-http-fetch", "redirect mode is manual: an opaque-redirect filtered response (the Location is not parsed)", in("status", strconv.Itoa(status)))
		return &Response{Type: TypeOpaqueRedirect, URL: u.StringWithoutFragment(), Redirected: len(f.urls) > 1, Header: http.Header{}, finalURL: u}, nil, nil
	}
	// Fetch §4.4 HTTP fetch, step 6: the redirect mode decides on a
	// redirect status before HTTP-redirect fetch parses its location
	// (step 3), so modes error and manual never see a Location that does
	// not parse; Firefox agrees (recorded: firefox/redirect-rules/cross-
	// origin-get-with-redirect-manual-302-to-http-1 is an opaque-redirect
	// response). Chromium parses it first (profile's Redirect policy).
	unparsedRedirect := lerr != nil && f.redirect != RedirectFollow && !f.c.profile.Redirect.LocationParsedBeforeRedirectMode
	if lerr != nil && !unparsedRedirect {
		f.tr.block(secRedirect, "concept-http-redirect-fetch", "the Location header does not parse: network error")
		return nil, nil, f.channelFailed(u, "the Location header does not parse", "Failed to load resource: net::ERR_INVALID_REDIRECT", nil)
	}
	if loc != nil || unparsedRedirect {
		if loc != nil && f.c.profile.Redirect.FTPTargetFails && loc.Scheme() == "ftp" && f.redirect != RedirectFollow {
			// WebKit refuses to load FTP in mode manual too
			// (redirect.Policy.FTPTargetFails); the standard returns an
			// opaque-redirect response. Mode follow fails below, at
			// HTTP-redirect fetch step 6, as the standard does.
			f.tr.block(secRedirect, "concept-http-redirect-fetch", "the redirect goes to an ftp: URL, which the browser never loads: network error", in("Location", loc.String()))
			return nil, nil, f.netError("the redirect goes to an ftp: URL", "")
		}
		switch f.redirect {
		case RedirectError:
			if f.c.profile.Redirect.TargetCheckedBeforeRedirectMode && loc != nil {
				if err := f.redirectTargetError(loc); err != nil {
					return nil, nil, err
				}
			}
			f.tr.block(secHTTP, "concept-http-fetch", "redirect mode is error and the response is a redirect: network error", in("status", strconv.Itoa(status)))
			return nil, nil, f.netError(`the response is a redirect and the redirect mode is "error"`, "Failed to load resource: net::ERR_FAILED")
		case RedirectManual:
			f.tr.add(secHTTP, "concept-http-fetch", "redirect mode is manual: an opaque-redirect filtered response", in("status", strconv.Itoa(status)))
			return &Response{Type: TypeOpaqueRedirect, URL: u.StringWithoutFragment(), Redirected: len(f.urls) > 1, Header: http.Header{}, finalURL: u}, nil, nil
		}
		if err := f.followRedirect(status, header, loc); err != nil {
			return nil, nil, err
		}
		return nil, loc, nil
	}
	resp, err := f.filtered(status, header)
	if err != nil {
		return nil, nil, err
	}
	if resp.Type != TypeOpaque {
		resp.stream, resp.contentLength, keepBody = body, cl, true
	}
	return resp, nil, nil
}

// filtered returns the filtered response script sees (main fetch, step 14),
// without its body. It runs in time linear (up to a sort) in the number of
// header names, and gives up with the context's error when the request's
// context is done.
func (f *fetchState) filtered(status int, header http.Header) (*Response, error) {
	if err := f.ctxErr(); err != nil {
		return nil, err
	}
	u := f.current()
	// Response.status is a WebIDL unsigned short: Chromium hands script
	// the status modulo 2^16 (recorded: status/get-answered-99999-… shows
	// 34463).
	resp := &Response{Status: status & 0xFFFF, URL: u.StringWithoutFragment(), Redirected: len(f.urls) > 1, finalURL: u}
	switch f.tainting {
	case enforce.TaintOpaque:
		f.tr.add(secMain, "concept-filtered-response-opaque", "an opaque filtered response: status 0, no headers, no body")
		return &Response{Type: TypeOpaque, Header: http.Header{}, finalURL: u}, nil
	case enforce.TaintCORS:
		resp.Type = TypeCORS
	default:
		resp.Type = TypeBasic
	}
	names := enforce.ExposedHeaderNames(f.tainting, header, f.includeCredentials())
	resp.Header = make(http.Header, len(names))
	// Keys in byte order, so that lines stored under differently spelled
	// keys of one name come out in a deterministic order (as
	// httpheader.Lines orders them); names is sorted, so each key's
	// verdict is a binary search, not a scan of the list.
	var keyStack [smallHeader]string
	keys := appendSortedKeys(keyStack[:0], header)
	lines := 0
	for _, k := range keys {
		if vs := header[k]; len(vs) > 0 && exposedKey(names, k) {
			lines += len(vs)
		}
	}
	// The exposed lines are copied into one array, each key's lines a
	// full slice of it, so that an append to one cannot overwrite another.
	values := make([]string, 0, lines)
	for _, k := range keys {
		vs := header[k]
		if len(vs) == 0 || !exposedKey(names, k) {
			continue
		}
		start := len(values)
		values = append(values, vs...)
		ck := http.CanonicalHeaderKey(k)
		if prev := resp.Header[ck]; prev != nil {
			// Another spelling of the same name came first.
			resp.Header[ck] = append(prev, values[start:]...)
		} else {
			resp.Header[ck] = values[start:len(values):len(values)]
		}
	}
	if err := f.ctxErr(); err != nil {
		return nil, err
	}
	anchor := "concept-filtered-response-basic"
	if f.tainting == enforce.TaintCORS {
		anchor = "concept-filtered-response-cors"
	}
	if f.tr != nil {
		f.tr.add(secMain, anchor, "a "+resp.Type.String()+" filtered response: script can read "+listOrNone(names),
			in("Access-Control-Expose-Headers", headerOrAbsent(header, "Access-Control-Expose-Headers")))
	}
	return resp, nil
}

// exposedKey reports whether header key k, in any case, is one of names,
// which are byte-lowercased and sorted: a binary search that lowers k's
// bytes as it compares, so that canonical keys need no lower-case copy.
func exposedKey(names []string, k string) bool {
	_, ok := slices.BinarySearchFunc(names, k, compareLowerToKey)
	return ok
}

// compareLowerToKey compares a byte-lowercased name with the
// byte-lowercase of key k, as strings.Compare would.
func compareLowerToKey(name, k string) int {
	for i := 0; i < len(name) && i < len(k); i++ {
		c := k[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if name[i] != c {
			return int(name[i]) - int(c)
		}
	}
	return len(name) - len(k)
}

// ctxErr is a network error when the request's context is done (fetch's
// "terminate" with the abort reason), nil otherwise.
func (f *fetchState) ctxErr() error {
	if f.ctx == nil {
		return nil
	}
	if err := f.ctx.Err(); err != nil {
		f.tr.block(secMain, "fetch-controller-abort", "the request's context is done: network error", in("error", err.Error()))
		return f.netErrorCause("the request's context is done: "+err.Error(), "", err)
	}
	return nil
}

func (t ResponseType) String() string { return string(t) }

// wireRequest builds the request that goes on the wire for the current hop:
// the author headers, and `Origin` as "append a request `Origin` header"
// (https://fetch.spec.whatwg.org/#append-a-request-origin-header) says.
func (f *fetchState) wireRequest() (*http.Request, error) {
	u := f.current()
	hreq, err := http.NewRequestWithContext(f.ctx, f.method, u.StringWithoutFragment(), nil)
	if err != nil {
		return nil, f.netError("the request cannot be built: "+err.Error(), "")
	}
	if b := f.body; b != nil {
		rc, err := b.next()
		if err != nil {
			return nil, f.netErrorCause("the request body cannot be sent: "+err.Error(), "", err)
		}
		hreq.Body = rc
		hreq.ContentLength = b.length
		if b.stream == nil {
			bs := b.bytes
			hreq.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(bs)), nil }
		} else {
			hreq.GetBody = b.getBody
		}
		if hreq.ContentLength == 0 && b.stream != nil {
			// net/http reads ContentLength 0 with a non-nil Body as
			// unknown; keep it so rather than send no body.
			hreq.ContentLength = -1
		}
	}
	// NewRequestWithContext made an empty map: the request's header list
	// is copied into it.
	copyHeader(hreq.Header, f.header)
	if rules := f.rules(); rules.ReplaceSingletonRequestHeaders {
		// Firefox: necko keeps one value of a singleton header, the last
		// set (nsHttpHeaderArray::SetHeader with merge), though the CORS
		// checks looked at every line.
		for k := range hreq.Header {
			hreq.Header[k] = []string{rules.CombineRequestHeader(f.header, k)}
		}
		// With a body, FetchDriver hands the upload stream the first
		// Content-Type (InternalHeaders GetFirst) after the headers were
		// set, so the first value wins (recorded: firefox/request-headers/
		// post-with-headers-content-type-text-plain-content-type-text-html-
		// permissive-preflight sends text/plain).
		if ls := httpheader.Lines(f.header, "Content-Type"); f.body != nil && len(ls) > 1 {
			for k := range hreq.Header {
				if httpheader.EqualFoldASCII(k, "Content-Type") {
					delete(hreq.Header, k)
				}
			}
			hreq.Header["Content-Type"] = ls[:1]
		}
	}
	sendOrigin := false
	switch {
	case f.tainting == enforce.TaintCORS:
		// Step 2: cors tainting always sends Origin.
		sendOrigin = true
	case f.method != "GET" && f.method != "HEAD":
		// Step 3: so does any method other than GET and HEAD.
		sendOrigin = true
	case f.c.profile.OriginKeptAfterMethodRewrite && f.rewritten && f.lastSentOrig && !crossedLastHop(f.urls):
		// WebKit keeps the Origin header it sent before a 301/302/303
		// turned the method into GET, unless that redirect crossed
		// origins (profile.OriginKeptAfterMethodRewrite; recorded).
		sendOrigin = true
	}
	originValue := ""
	if sendOrigin {
		originValue = f.originHeaderValue()
		if f.tainting != enforce.TaintCORS && f.c.profile.Redirect.NullOriginAfterCrossOriginHop && crossedOrigins(f.urls) {
			originValue = "null"
		}
	}
	f.lastSentOrig = sendOrigin
	f.addBrowserHeaders(hreq.Header, string(f.mode), originValue)
	if f.credentialsIncluded() {
		f.attachCookies(hreq.Header)
	}
	return hreq, nil
}

// copyHeader copies the lines of src into dst, all in one array, each key's
// lines a full slice of it so that an append to one cannot reach the next.
func copyHeader(dst, src http.Header) {
	lines := 0
	for _, vs := range src {
		lines += len(vs)
	}
	values := make([]string, lines)
	for k, vs := range src {
		if vs == nil {
			dst[k] = nil
			continue
		}
		n := copy(values, vs)
		dst[k] = values[:n:n]
		values = values[n:]
	}
}

// crossedLastHop reports whether the last redirect in the URL list changed
// origin.
func crossedLastHop(urls []*weburl.URL) bool {
	n := len(urls)
	return n > 1 && !urls[n-2].Origin().SameOrigin(urls[n-1].Origin())
}

// crossedOrigins reports whether any redirect in the URL list changed
// origin.
func crossedOrigins(urls []*weburl.URL) bool {
	for i := 1; i < len(urls); i++ {
		if !urls[i-1].Origin().SameOrigin(urls[i].Origin()) {
			return true
		}
	}
	return false
}

// roundTrip sends one request and returns its response with the body
// unread; the caller closes it. A transport's error is the Cause of the
// network error returned. A response a browser refuses as a whole
// (checkResponseHeader) is a network error, its body closed unread.
//
// preflight says whether hreq is a CORS preflight, whose failures Firefox
// reports through the request it preflights.
func (f *fetchState) roundTrip(hreq *http.Request, preflight bool) (int, http.Header, io.ReadCloser, int64, error) {
	// A transport that ignores the context (a scripted server) is not
	// asked once the request's context is done.
	if err := f.ctxErr(); err != nil {
		return 0, nil, nil, 0, err
	}
	resp, err := f.c.transport.RoundTrip(hreq)
	if err == nil && resp == nil {
		// The RoundTripper contract is a non-nil response or an error;
		// a transport that breaks it gives no response.
		err = errNilResponse
	}
	if err != nil {
		if resp != nil && resp.Body != nil {
			resp.Body.Close()
		}
		f.tr.block(secNetwork, "concept-http-network-fetch", "the transport failed: network error", in("error", err.Error()))
		// A transport that knows Chromium's net error for its failure
		// (such as *wire.Error for a response the network stack refuses)
		// names it in the console line.
		code := "ERR_FAILED"
		var ne interface{ ChromiumNetError() string }
		if errors.As(err, &ne) && ne.ChromiumNetError() != "" {
			code = ne.ChromiumNetError()
		}
		if f.c.profile.Browser == enforce.Firefox {
			if e := f.firefoxWireFailure(err, code, preflight); e != nil {
				return 0, nil, nil, 0, e
			}
		}
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			// Fetch's "terminate": Firefox's listener does not report a
			// cancelled channel (NS_BINDING_ABORTED).
			return 0, nil, nil, 0, f.netErrorCause("the transport failed: "+err.Error(), "Failed to load resource: net::"+code, err)
		}
		return 0, nil, nil, 0, f.channelFailed(f.current(), "the transport failed: "+err.Error(), "Failed to load resource: net::"+code, err)
	}
	if resp.Body == nil {
		// Nor may a response have a nil Body (http.Response: "The
		// http Client and Transport guarantee that Body is always
		// non-nil"); one that does gives no body to read.
		f.tr.block(secNetwork, "concept-http-network-fetch", "the transport returned a response with a nil Body: network error")
		return 0, nil, nil, 0, f.channelFailed(f.current(), "the transport returned a response with a nil Body", "Failed to load resource: net::ERR_FAILED", errNilBody)
	}
	h := resp.Header
	if h == nil {
		h = http.Header{}
	}
	if reason, console := checkResponseHeader(h, f.c.profile.Redirect.DuplicateLocation); reason != "" {
		resp.Body.Close()
		f.tr.block(secNetwork, "concept-http-network-fetch", "the response is refused: "+reason)
		return 0, nil, nil, 0, f.channelFailed(f.current(), reason, console, nil)
	}
	if f.c.profile.HTTPCache.PartialContentRewrite && resp.StatusCode == http.StatusPartialContent {
		// The HTTP cache between the network and Fetch (Fetch §4.6
		// HTTP-network-or-cache fetch); the transport's map stays as sent.
		fixed := h.Clone()
		if rewritePartialContent(hreq.Method, hreq.Header.Get("Range"), resp.StatusCode, fixed) {
			h = fixed
			f.tr.add(secNetwork, "concept-http-network-or-cache-fetch", "the browser's HTTP cache writes Content-Range and Content-Length anew for the range asked for",
				in("Content-Range", h.Get("Content-Range")), in("Content-Length", h.Get("Content-Length")))
		}
	}
	return resp.StatusCode, h, resp.Body, resp.ContentLength, nil
}

// firefoxWireFailure is what Firefox makes of a response its network stack
// refused in a way it reports on its own, or nil for the general rule
// (channelFailed).
func (f *fetchState) firefoxWireFailure(err error, code string, preflight bool) *Error {
	var we *wire.Error
	if !errors.As(err, &we) {
		return nil
	}
	msg := "the transport failed: " + err.Error()
	switch {
	case we.NoHead:
		// The channel starts without a response head and without a
		// failure: the CORS listener's header visit fails, which it
		// reports as a duplicate Access-Control-Allow-Origin
		// (nsCORSListenerProxy.cpp CheckRequestApproved,
		// VisitOriginalResponseHeaders); without CORS the fetch fails
		// silently (recorded: firefox/status/get-answered-100-…).
		if f.tainting != enforce.TaintCORS {
			return f.netErrorCause(msg, "", err)
		}
		f.tr.block(secCheck, "concept-cors-check", "Firefox's CORS listener finds no response head to check and reports it as more than one Access-Control-Allow-Origin")
		// In Chromium's vocabulary the response is invalid: no header
		// change helps, a final response after the 1xx does.
		e := f.corsError(&enforce.Error{Reason: enforce.InvalidResponse, FirefoxReason: enforce.FirefoxMultipleAllowOrigin, Step: secCheck})
		e.Cause = err
		return e
	case we.BadStatusLine && !preflight:
		// nsHttpChannel reports an unparsable status line to the page's
		// console before any CORS line, in every mode (recorded:
		// firefox/status/get-answered-1000-…); a preflight's is reported
		// through the request it preflights, as "did not succeed"
		// (preflight-status/…-answered-1000-…).
		e := f.netErrorCause(msg, "", err)
		e.Console = "The status line of the HTTP response is invalid"
		return e
	}
	return nil
}

// errNilBody is the Cause when a RoundTripper breaks its contract by
// returning a response with a nil Body.
var errNilBody = errors.New("the RoundTripper returned a response with a nil Body")

// errNilResponse is the Cause when a RoundTripper breaks its contract by
// returning neither a response nor an error.
var errNilResponse = errors.New("the RoundTripper returned neither a response nor an error")

// followRedirect is HTTP-redirect fetch
// (https://fetch.spec.whatwg.org/#concept-http-redirect-fetch), steps 6-18.
func (f *fetchState) followRedirect(status int, header http.Header, loc *weburl.URL) error {
	cur := f.current()
	// Mode same-origin: a target of another origin fails before any other
	// check of it; Chromium's renderer refuses it with its "Unsafe attempt"
	// line whatever its scheme or credentials (recorded: redirect-rules/
	// same-origin-same-origin-get-redirected-302-to-ftp-c-test-r). The
	// standard fails it too, at main fetch for the new URL.
	// A scheme Chromium never redirects to is refused even before that
	// (…-302-to-about-blank: net::ERR_UNSAFE_REDIRECT).
	unsafeTarget := !loc.IsHTTPScheme() && chromiumUnsafeRedirectScheme(loc.Scheme()) &&
		f.c.profile.Schemes.RedirectTargets == profile.RedirectTargetsChromium
	if f.mode == ModeSameOrigin && !f.c.origin.SameOrigin(loc.Origin()) && !unsafeTarget {
		f.tr.block(secRedirect, "concept-http-redirect-fetch", "mode same-origin and the redirect goes to another origin: network error", in("Location", loc.String()))
		return &Error{Kind: NetworkError, URL: loc.StringWithoutFragment(), Message: "mode same-origin forbids a cross-origin URL",
			Console: f.sameOriginModeConsole("Unsafe attempt to load URL "+loc.StringWithoutFragment()+" from frame with URL "+f.c.docURL+". Domains, protocols and ports must match.\n", loc)}
	}
	// Step 6: the location must be an HTTP(S) URL.
	if !loc.IsHTTPScheme() {
		f.tr.block(secRedirect, "concept-http-redirect-fetch", "the redirect goes to a URL that is not HTTP(S): network error", in("Location", loc.String()))
		if f.c.profile.Schemes.RedirectTargets == profile.RedirectTargetsFirefox {
			return f.firefoxNonHTTPRedirect(cur, loc)
		}
		// Chromium refuses redirects to local schemes outright
		// (content/public/common/url_utils.cc IsSafeRedirectTarget) before
		// the CORS loader sees the target.
		if f.mode == ModeCORS && !chromiumUnsafeRedirectScheme(loc.Scheme()) && !chromiumCORSEnabledScheme(loc.Scheme()) {
			// Chromium: CorsURLLoader reports kCorsDisabledScheme for a CORS
			// request redirected to a scheme CORS cannot serve.
			e := &enforce.Error{Reason: enforce.CorsDisabledScheme, FirefoxReason: enforce.FirefoxRequestNotHTTP, Step: secRedirect + ", step 6"}
			f.urls = append(f.urls, loc)
			err := f.corsError(e)
			return err
		}
		if chromiumUnsafeRedirectScheme(loc.Scheme()) {
			return f.netError("the redirect goes to a URL that is not HTTP(S)", "Failed to load resource: net::ERR_UNSAFE_REDIRECT")
		}
		// Any other scheme reaches Chromium's network stack, which has no
		// handler for it (recorded: redirect-rules/cross-origin-no-cors-
		// get-redirected-302-to-ftp-c-test-r).
		return f.netError("the redirect goes to a URL that is not HTTP(S)", "Failed to load resource: net::ERR_UNKNOWN_URL_SCHEME")
	}
	// Steps 7-8: at most 20 redirects.
	if f.redirectCount == redirect.Limit {
		f.tr.block(secRedirect, "concept-http-redirect-fetch", "more than 20 redirects: network error")
		return f.channelFailed(cur, "too many redirects", "Failed to load resource: net::ERR_TOO_MANY_REDIRECTS", nil)
	}
	f.redirectCount++
	// Steps 9-10: credentials in the location of a CORS request.
	if redirect.CredentialsForbidden(f.mode == ModeCORS, f.tainting == enforce.TaintCORS, f.c.origin, loc) {
		f.tr.block(secRedirect, "concept-http-redirect-fetch", "the location includes credentials, which a cross-origin CORS request may not follow", in("Location", loc.String()))
		// Chromium reports the failed parameter empty (recorded).
		// Firefox reports it as the request not succeeding, without a status
		// (nsCORSListenerProxy.cpp UpdateChannel → NS_ERROR_DOM_BAD_URI).
		return f.corsError(&enforce.Error{Reason: enforce.RedirectContainsCredentials, FirefoxReason: enforce.FirefoxDidNotSucceed, Step: secRedirect + ", steps 9-10"})
	}
	// Chromium fails a redirect to a location with credentials in every
	// mode, even when it stays same-origin, unless the CORS check below
	// reports it (profile.CredentialedRedirectAlwaysFails).
	if f.c.profile.CredentialedRedirectAlwaysFails && f.tainting != enforce.TaintCORS && loc.IncludesCredentials() {
		f.tr.block(secRedirect, "concept-http-redirect-fetch", "Chromium refuses a redirect to a location with credentials", in("Location", loc.String()))
		return f.netError("the redirect location includes credentials", "")
	}
	// Chromium's header order is fixed when the request is made; the
	// steps below only remove headers from it, so it is kept before the
	// first redirect changes the list (PreflightPolicy.DisallowedHeaderOrder).
	if f.firstNames == nil && f.c.profile.Preflight.DisallowedHeaderOrder != enforce.SortedHeaderOrder {
		f.firstNames = sortedKeys(f.header)
	}
	// Step 12: 301/302 POST and 303 non-GET/HEAD become GET without a body.
	m, changed := redirect.MethodRewrite(status, f.method)
	if !changed && f.c.profile.Redirect.CrossOriginDeleteBecomesGet && f.method == "DELETE" && redirect.CrossOriginHop(cur, loc) {
		// WebKit: redirect.Policy.CrossOriginDeleteBecomesGet.
		m, changed = "GET", true
	}
	if changed {
		f.tr.add(secRedirect, "concept-http-redirect-fetch", "status "+strconv.Itoa(status)+" turns "+f.method+" into GET: the body and its headers are removed")
		f.method = m
		f.body = nil
		for _, name := range redirect.RequestBodyHeaderNames() {
			f.header.Del(name)
		}
		f.rewritten = true
	}
	// Step 11: a body that must be sent again needs a source; a stream
	// that was already sent has none.
	if f.body != nil && !f.body.replayable() {
		f.tr.block(secRedirect, "concept-http-redirect-fetch", "the redirect keeps the request body, which is a stream already sent: network error")
		return f.netError("the redirect keeps the request body, a stream that cannot be sent again", "Failed to load resource: net::ERR_FAILED")
	}
	// Step 13: a cross-origin hop drops Authorization.
	if redirect.CrossOriginHop(cur, loc) && f.c.profile.RemoveAuthorizationOnCrossOriginRedirect {
		if _, ok := f.header["Authorization"]; ok {
			f.header.Del("Authorization")
			f.tr.add(secRedirect, "concept-http-redirect-fetch", "the redirect crosses origins: Authorization is removed")
		}
	}
	// Step 14: set request's referrer policy on redirect.
	if p := policyFromHeader(header); p != "" {
		f.referrerPolicy = p
	}
	// Step 18: append the location to the URL list.
	f.urls = append(f.urls, loc)
	tainted := ""
	if redirect.Tainted(f.c.origin, f.urls) {
		tainted = " (the request origin is now redirect-tainted: Origin becomes null)"
	}
	f.tr.add(secRedirect, "concept-http-redirect-fetch", "follow the redirect"+tainted,
		in("status", strconv.Itoa(status)), in("from", cur.StringWithoutFragment()), in("to", loc.StringWithoutFragment()))
	if err := f.mixedContent(); err != nil {
		return err
	}
	return nil
}

// firefoxNonHTTPFirstURL is how Firefox fails a CORS fetch of a URL that
// is not HTTP(S) (recorded: firefox/typeerror/cors-fetch-of-the-url-*): the
// security manager refuses a file: URL for the document; a blob: URL that
// resolves to nothing and ws: fail silently; any other scheme opens a
// channel that the CORS listener refuses as "CORS request not http"
// (nsCORSListenerProxy.cpp CheckPreflightNeeded).
func (f *fetchState) firefoxNonHTTPFirstURL(u *weburl.URL) *Error {
	target := u.StringWithoutFragment()
	const msg = "a CORS request needs an http or https URL"
	switch u.Scheme() {
	case "file":
		return &Error{Kind: NetworkError, URL: target, Message: msg, Console: enforce.FirefoxLoadURILine(f.c.docURL, target)}
	case "blob", "ws", "wss":
		return &Error{Kind: NetworkError, URL: target, Message: msg}
	}
	return f.corsError(&enforce.Error{Reason: enforce.CorsDisabledScheme, FirefoxReason: enforce.FirefoxRequestNotHTTP, Step: secMain + ", step 12"})
}

// firefoxNonHTTPRedirect is how Firefox fails a redirect from cur to loc,
// a URL that is not HTTP(S) (profile.RedirectTargetsFirefox cites the
// recordings). HTTP-redirect fetch, step 6, makes every such redirect a
// network error; Firefox refuses it at different places, which decides
// the line it prints.
func (f *fetchState) firefoxNonHTTPRedirect(cur, loc *weburl.URL) error {
	target := loc.StringWithoutFragment()
	const msg = "the redirect goes to a URL that is not HTTP(S)"
	switch loc.Scheme() {
	case "file":
		// The security manager checks the load of a file: URL against the
		// redirecting URL's principal in mode cors, the document's
		// otherwise.
		from := f.c.docURL
		if f.mode == ModeCORS {
			from = cur.StringWithoutFragment()
		}
		return &Error{Kind: NetworkError, URL: target, Message: msg, Console: enforce.FirefoxLoadURILine(from, target)}
	case "blob":
		if !cur.Origin().SameOrigin(loc.Origin()) {
			return &Error{Kind: NetworkError, URL: target, Message: msg, Console: enforce.FirefoxSameOriginLine(cur.StringWithoutFragment(), target)}
		}
		// A blob of the redirecting URL's origin is looked up and not
		// found (recorded: same-origin-cors-get-redirected-302-to-blob-
		// http-a-test-x prints nothing).
		return f.channelFailed(cur, msg, "", nil)
	case "data", "javascript", "ws", "wss":
		// No channel opens for the target: the redirecting request fails.
		return f.channelFailed(cur, msg, "", nil)
	}
	if f.mode == ModeCORS {
		// A channel opens for the target, which a CORS request refuses.
		f.urls = append(f.urls, loc)
		return f.corsError(&enforce.Error{Reason: enforce.CorsDisabledScheme, FirefoxReason: enforce.FirefoxRequestNotHTTP, Step: secRedirect + ", step 6"})
	}
	if loc.Scheme() == "mailto" && f.mode == ModeNoCORS && f.again == againNo && !f.c.origin.SameOrigin(cur.Origin()) {
		// The whole fetch is made again (RedirectTargetsFirefox).
		f.again = againRequested
	}
	return f.netError(msg, "")
}

// redirectTargetError is the check Chromium's network service makes on a
// redirect target before the redirect mode applies: a scheme it never
// follows, or credentials in a cross-origin CORS target.
func (f *fetchState) redirectTargetError(loc *weburl.URL) error {
	if !loc.IsHTTPScheme() && chromiumUnsafeRedirectScheme(loc.Scheme()) {
		f.tr.block(secRedirect, "concept-http-redirect-fetch", "the redirect goes to a scheme the browser never follows: network error", in("Location", loc.String()))
		return f.netError("the redirect goes to a URL that is not HTTP(S)", "Failed to load resource: net::ERR_UNSAFE_REDIRECT")
	}
	if loc.IsHTTPScheme() && redirect.CredentialsForbidden(f.mode == ModeCORS, f.tainting == enforce.TaintCORS, f.c.origin, loc) {
		f.tr.block(secRedirect, "concept-http-redirect-fetch", "the location includes credentials, which a cross-origin CORS request may not follow", in("Location", loc.String()))
		return f.corsError(&enforce.Error{Reason: enforce.RedirectContainsCredentials, FirefoxReason: enforce.FirefoxDidNotSucceed, Step: secRedirect + ", steps 9-10"})
	}
	return nil
}

// chromiumUnsafeRedirectScheme lists the schemes IsSafeRedirectTarget
// refuses (about, file, filesystem, blob, data, and the WebUI schemes) with
// net::ERR_UNSAFE_REDIRECT; javascript: reaches the CORS loader, which
// reports CorsDisabledScheme (recorded: redirect-rules/cross-origin-cors-
// get-redirected-302-to-javascript-1).
func chromiumUnsafeRedirectScheme(s string) bool {
	switch s {
	case "about", "file", "filesystem", "blob", "data", "chrome", "chrome-untrusted":
		return true
	}
	return false
}

// chromiumCORSEnabledScheme: url::GetCorsEnabledSchemes.
func chromiumCORSEnabledScheme(s string) bool {
	switch s {
	case "http", "https", "data", "chrome", "chrome-extension", "chrome-untrusted", "isolated-app", "chrome-experimental-site-token-provider":
		return true
	}
	return false
}

// corsError wraps a CORS failure with where it happened.
func (f *fetchState) corsError(e *enforce.Error) *Error {
	u := f.current()
	e.URL = u.StringWithoutFragment()
	if len(f.urls) > 1 {
		e.InitialURL = f.urls[0].StringWithoutFragment()
	}
	if e.Origin == "" {
		e.Origin = f.serializedOrigin()
	}
	e.Initiator = f.c.origin.String()
	e.Browser = f.c.profile.Browser
	return &Error{Kind: NetworkError, CORS: e, URL: e.URL, Message: e.Sentence(), Console: e.Console()}
}

func (f *fetchState) netError(msg, console string) *Error {
	return &Error{Kind: NetworkError, URL: f.current().StringWithoutFragment(), Message: msg, Console: f.consoleIf(console)}
}

// channelFailed is a network error of the request in flight for channelURL:
// it went out, or its redirect was being followed, and no usable response
// came back. Chromium prints chromiumConsole. Firefox's CORS listener prints
// its "did not succeed" line when the request has gone cross-origin in mode
// cors (response tainting cors), naming channelURL; it prints nothing for a
// same-origin, no-cors or same-origin-mode request, which has no CORS
// listener that saw a cross-origin URL (nsCORSListenerProxy.cpp
// CheckRequestApproved returns early unless mHasBeenCrossSite).
func (f *fetchState) channelFailed(channelURL *weburl.URL, msg, chromiumConsole string, cause error) *Error {
	e := f.netErrorCause(msg, chromiumConsole, cause)
	if f.c.profile.Browser == enforce.Firefox && f.tainting == enforce.TaintCORS {
		e.Console = enforce.FirefoxDidNotSucceedLine(channelURL.StringWithoutFragment())
	}
	return e
}

func (f *fetchState) netErrorCause(msg, console string, cause error) *Error {
	e := f.netError(msg, console)
	e.Cause = cause
	return e
}

// clearCacheAfterFailure clears the entries for key after a CORS request
// failed, as the profile's Cache.ClearOnFailure says: main fetch step 12
// ("clear cache entries" when a request on the preflight path ends in a
// network error) or Firefox's broader rule.
func (f *fetchState) clearCacheAfterFailure(key preflightcache.Key, preflightPath bool) {
	switch f.c.profile.Cache.ClearOnFailure {
	case preflightcache.ClearAfterPreflightPathFailure:
		if !preflightPath {
			return
		}
	case preflightcache.ClearAfterCORSFailure:
	default:
		return
	}
	f.c.cache.Clear(key)
	f.tr.add(secCache, "concept-cache-clear", "the CORS request failed: the cache entries for this origin and URL are cleared",
		in("origin", key.Origin), in("URL", key.URL))
}

func (f *fetchState) cacheKey() preflightcache.Key {
	o := f.c.origin.String()
	if f.c.profile.CacheKeyTaintedOrigin {
		o = f.serializedOrigin()
	}
	return preflightcache.Key{Origin: o, URL: f.current().StringWithoutFragment()}
}

func checkInputs(h http.Header, origin string, cred bool) []Input {
	return []Input{
		in("request origin", origin),
		in("credentials mode include", strconv.FormatBool(cred)),
		in("Access-Control-Allow-Origin", headerOrAbsent(h, "Access-Control-Allow-Origin")),
		in("Access-Control-Allow-Credentials", headerOrAbsent(h, "Access-Control-Allow-Credentials")),
	}
}

func headerOrAbsent(h http.Header, name string) string {
	v, ok := httpheader.Get(h, name)
	if !ok {
		return "(absent)"
	}
	return strconv.Quote(v)
}

func listOrNone(names []string) string {
	if len(names) == 0 {
		return "no headers"
	}
	return strings.Join(names, ", ")
}

// traceCORSRequest records main fetch's verdict on a CORS request: each
// header's safelist verdict and why a preflight is or is not needed.
func (f *fetchState) traceCORSRequest(unsafe []string, needPreflight bool) {
	u := f.current()
	inputs := []Input{in("request origin", f.serializedOrigin()), in("URL", u.StringWithoutFragment()), in("method", f.method)}
	for _, k := range sortedKeys(f.header) {
		v, _ := httpheader.Get(f.header, k)
		verdict := "CORS-safelisted"
		if httpheader.ContainsFold(unsafe, k) {
			why := f.rules().ExplainRequestHeader(k, v)
			if why == "" {
				why = "the safelisted header values add up to more than 1024 bytes"
			}
			verdict = "CORS-unsafe: " + why
		}
		inputs = append(inputs, in("header "+k, strconv.Quote(v)+" ("+verdict+")"))
	}
	why := "a simple request: no preflight"
	if needPreflight {
		var reasons []string
		if !safelist.IsCORSSafelistedMethod(f.method) {
			reasons = append(reasons, "method "+f.method+" is not GET, HEAD or POST")
		}
		if len(unsafe) > 0 {
			reasons = append(reasons, "CORS-unsafe request-header names: "+strings.Join(unsafe, ","))
		}
		if len(reasons) == 0 {
			reasons = append(reasons, "the request as first made had CORS-unsafe request headers")
		}
		why = "preflight needed: " + strings.Join(reasons, "; ")
	}
	f.tr.add(secMain, "concept-main-fetch", "cross-origin request in mode cors: response tainting is cors; "+why, inputs...)
}
