package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/corsim/corsim/cookie"
	"github.com/corsim/corsim/enforce"
	"github.com/corsim/corsim/internal/httpheader"
	"github.com/corsim/corsim/internal/weburl"
	"github.com/corsim/corsim/origin"
	"github.com/corsim/corsim/preflightcache"
	"github.com/corsim/corsim/profile"
	"github.com/corsim/corsim/safelist"
)

// MaxBodyBytes is the longest response body Client.Fetch reads into
// Response.Body; a longer one fails the fetch with Kind LimitExceeded and
// Cause ErrBodyTooLarge (never a cut body). EnforcingTransport streams
// bodies and has no such limit.
const MaxBodyBytes = 64 << 20

// Client fetches on behalf of one document: its origin, its browser
// profile, its preflight cache and clock. It is safe for concurrent use.
type Client struct {
	origin     origin.Origin
	docURL     string // the document's URL, for console lines that name it
	transport  http.RoundTripper
	now        func() time.Time
	profile    profile.Profile
	cache      *preflightcache.Cache
	jar        *cookie.Jar
	userAgent  *string // nil: the profile's
	acceptLang *string
	docRef     referrer    // the document's URL as a referrer
	docBase    *weburl.URL // the document's URL parsed, nil when it does not parse
}

// Option configures a Client.
type Option func(*Client)

// WithProfile selects the browser whose behaviour the client simulates
// (default profile.Chromium()).
func WithProfile(p profile.Profile) Option { return func(c *Client) { c.profile = p } }

// WithDocumentURL sets the URL of the document that fetches, which some
// console lines name (mixed content, a same-origin request redirected away).
// Default: the origin followed by "/", or "about:blank" for an opaque origin.
func WithDocumentURL(u string) Option { return func(c *Client) { c.docURL = u } }

// WithCache shares a preflight cache between clients (default: a new cache
// with the profile's policy).
func WithCache(cache *preflightcache.Cache) Option { return func(c *Client) { c.cache = cache } }

// WithCookieJar gives the client the cookie jar of its browser: requests
// whose credentials are included (Fetch's credentials mode) carry its
// cookies, chosen by the profile's cookie policy (SameSite, Secure,
// prefixes, third-party policy), and responses' Set-Cookie lines are stored
// in it, on redirects too, never on preflights. A *cookie.Jar is used as
// it is; any other http.CookieJar (net/http/cookiejar with
// golang.org/x/net/publicsuffix) is wrapped with cookie.New, and cookies
// put into it directly count as set without SameSite.
//
// The jar belongs here, not on http.Client: an http.Client's Jar would add
// cookies to every request whatever its credentials mode, and
// EnforcingTransport refuses such a request (ErrRequestCookie).
func WithCookieJar(jar http.CookieJar) Option {
	return func(c *Client) {
		switch j := jar.(type) {
		case nil:
			c.jar = nil
		case *cookie.Jar:
			c.jar = j
		default:
			c.jar, _ = cookie.New(j)
		}
	}
}

// WithUserAgent sets the `User-Agent` the client sends (default: the
// profile's Headers.UserAgent). "" sends none. A page cannot change it; a
// crawler configures its browser's.
func WithUserAgent(ua string) Option { return func(c *Client) { c.userAgent = &ua } }

// WithAcceptLanguage sets the `Accept-Language` the client sends when
// script sets none (default: the profile's Headers.AcceptLanguage). ""
// sends none.
func WithAcceptLanguage(v string) Option { return func(c *Client) { c.acceptLang = &v } }

// NewClient returns a client for a document whose origin is doc, talking to
// servers through rt, reading time from now. Every argument is required:
// there is no default transport or clock.
func NewClient(doc origin.Origin, rt http.RoundTripper, now func() time.Time, opts ...Option) (*Client, error) {
	if !doc.IsValid() {
		return nil, errors.New("fetch: NewClient: the document origin is not valid")
	}
	if rt == nil {
		return nil, errors.New("fetch: NewClient: nil RoundTripper")
	}
	if now == nil {
		return nil, errors.New("fetch: NewClient: nil clock")
	}
	c := &Client{origin: doc, transport: rt, now: now, profile: profile.Chromium()}
	for _, o := range opts {
		o(c)
	}
	if c.cache == nil {
		c.cache = preflightcache.New(c.profile.Cache)
	}
	if c.docURL == "" {
		c.docURL = "about:blank"
		if !doc.IsOpaque() {
			c.docURL = doc.String() + "/"
		}
	}
	c.docRef = documentReferrer(c.docURL)
	// Parsed once: every fetch resolves its URL against it.
	if base, err := weburl.Parse(c.docURL); err == nil {
		c.docBase = base
	}
	return c, nil
}

// Origin returns the document's origin.
func (c *Client) Origin() origin.Origin { return c.origin }

// Profile returns the browser profile the client simulates.
func (c *Client) Profile() profile.Profile { return c.profile }

// Fetch runs fetch(req) and returns what script would see, its body read
// whole (at most MaxBodyBytes).
func (c *Client) Fetch(ctx context.Context, req *Request) (*Response, error) {
	// No trace: a nil *Trace records nothing, and the steps skip building
	// their inputs.
	f, err := c.newFetch(ctx, req, scriptBody(req), nil)
	if err != nil {
		return nil, err
	}
	resp, err := f.run()
	if err != nil {
		return nil, err
	}
	return resp, f.readBody(resp)
}

// FetchTrace is Fetch that also returns the trace of every decision made.
func (c *Client) FetchTrace(ctx context.Context, req *Request) (*Response, *Trace, error) {
	tr := &Trace{}
	f, err := c.newFetch(ctx, req, scriptBody(req), tr)
	if err != nil {
		return nil, tr, err
	}
	resp, err := f.run()
	if err != nil {
		return nil, tr, err
	}
	return resp, tr, f.readBody(resp)
}

// readBody reads the body of a response script can read into resp.Body,
// failing past MaxBodyBytes.
func (f *fetchState) readBody(resp *Response) error {
	if resp.stream == nil {
		return nil
	}
	defer resp.stream.Close()
	b, err := readAtMost(resp.stream, MaxBodyBytes+1, resp.contentLength)
	resp.stream = nil
	if err != nil {
		return &Error{Kind: NetworkError, URL: resp.finalURL.StringWithoutFragment(), Message: "reading the response body failed: " + err.Error(), Cause: err}
	}
	if len(b) > MaxBodyBytes {
		return &Error{Kind: LimitExceeded, URL: resp.finalURL.StringWithoutFragment(), Message: "the response body is longer than MaxBodyBytes (" + strconv.Itoa(MaxBodyBytes) + ")", Cause: ErrBodyTooLarge}
	}
	resp.Body = b
	return nil
}

// readAtMost reads r to its end or to limit bytes, whichever comes first,
// into one buffer sized from the declared length when there is one (-1:
// unknown), as io.ReadAll(io.LimitReader(r, limit)) does with fewer
// allocations.
func readAtMost(r io.Reader, limit, declared int64) ([]byte, error) {
	size := int64(512)
	if declared >= 0 && declared < limit {
		// One byte more than declared, so that the read that finds the
		// end has room and a body longer than declared still fits.
		size = declared + 1
	}
	b := make([]byte, 0, size)
	for int64(len(b)) < limit {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		room := b[len(b):cap(b)]
		if left := limit - int64(len(b)); int64(len(room)) > left {
			room = room[:left]
		}
		n, err := r.Read(room)
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
	return b, nil
}

// scriptBody is the body of a Request script passed, or nil.
func scriptBody(req *Request) *requestBody {
	if req.Body == nil {
		return nil
	}
	b := append([]byte{}, req.Body...)
	return &requestBody{bytes: b, length: int64(len(b)), text: req.BodyIsText}
}

// requestBody is a request's body: bytes script passed, or a stream an
// http.Request carries, which can be sent again only through getBody.
type requestBody struct {
	bytes   []byte
	text    bool // a string body: implies Content-Type text/plain;charset=UTF-8
	stream  io.ReadCloser
	getBody func() (io.ReadCloser, error)
	length  int64 // -1: unknown
	sent    bool  // the stream has been handed to the transport
}

// replayable reports whether the body can be sent again (its "source" is
// not null, in the standard's words).
func (b *requestBody) replayable() bool {
	return b.stream == nil || !b.sent || b.getBody != nil
}

// next returns the body for one more request on the wire.
func (b *requestBody) next() (io.ReadCloser, error) {
	switch {
	case b.stream == nil:
		return io.NopCloser(bytes.NewReader(b.bytes)), nil
	case !b.sent:
		b.sent = true
		return b.stream, nil
	case b.getBody != nil:
		return b.getBody()
	}
	return nil, errors.New("the request body is a stream that cannot be sent again")
}

// close closes a stream that was never handed to the transport.
func (b *requestBody) close() {
	if b != nil && b.stream != nil && !b.sent {
		b.sent = true
		b.stream.Close()
	}
}

// fetchState is one fetch in progress: the request as the standard's
// request concept holds it.
type fetchState struct {
	c   *Client
	ctx context.Context
	tr  *Trace

	method         string
	header         http.Header // the request's header list, canonical keys
	body           *requestBody
	mode           Mode
	credentials    Credentials
	redirect       RedirectMode
	referrerPolicy ReferrerPolicy
	referrer       referrer
	curOrigin      origin.Origin // the origin of the current URL, set by main fetch

	unsafeNames    []string       // the CORS-unsafe request-header names, set by main fetch for the preflight
	urls           []*weburl.URL  // the URL list
	firstURL       [1]*weburl.URL // the URL list's array until a redirect
	tainting       enforce.Tainting
	redirectCount  int
	lastSentOrig   bool        // the previous hop carried an Origin header
	rewritten      bool        // a redirect changed the method
	startUnsafe    bool        // the request as first made had CORS-unsafe headers (PreflightPolicy.UnsafeHeadersFixedAtStart)
	preflightStays bool        // an earlier hop needed a preflight (PreflightPolicy.PreflightStaysRequired)
	startHeader    http.Header // the headers as first made (PreflightPolicy.OriginalHeadersAfterRedirect), else nil
	firstNames     []string    // the header names before the first redirect changed them (PreflightPolicy.DisallowedHeaderOrder), else nil

	req     *Request     // the request as script made it, for a run made again
	reqBody *requestBody // its body
	again   againState   // whether the fetch is run a second time (RedirectTargetsFirefox)
}

// againState tracks Firefox's second run of a no-cors fetch redirected to
// a mailto: URL (profile.RedirectTargetsFirefox).
type againState uint8

const (
	againNo        againState = iota
	againRequested            // the first run failed and asks for the second
	againRunning              // this is the second run: Origin is null throughout
)

func (f *fetchState) current() *weburl.URL { return f.urls[len(f.urls)-1] }

func (f *fetchState) rules() safelist.Rules { return f.c.profile.Safelist }

// newFetch runs the Request constructor's checks
// (https://fetch.spec.whatwg.org/#dom-request) and fetch()'s set-up.
func (c *Client) newFetch(ctx context.Context, req *Request, body *requestBody, tr *Trace) (*fetchState, error) {
	const section, anchor = "Fetch §5.4 Request class (new Request)", "dom-request"
	f := &fetchState{c: c, ctx: ctx, tr: tr, mode: req.Mode, credentials: req.Credentials, redirect: req.Redirect,
		referrerPolicy: req.ReferrerPolicy, referrer: c.docRef, req: req, reqBody: body}
	if f.referrerPolicy == "" {
		f.referrerPolicy = ReferrerPolicy(c.profile.Headers.ReferrerPolicy)
	}
	if f.mode == "" {
		f.mode = ModeCORS
	}
	if f.credentials == "" {
		f.credentials = CredentialsSameOrigin
	}
	if f.redirect == "" {
		f.redirect = RedirectFollow
	}
	switch f.mode {
	case ModeCORS, ModeNoCORS, ModeSameOrigin:
	default:
		return nil, f.typeError(section, anchor, req.URL, fmt.Sprintf("mode %q is not cors, no-cors or same-origin", f.mode))
	}
	switch f.credentials {
	case CredentialsOmit, CredentialsSameOrigin, CredentialsInclude:
	default:
		return nil, f.typeError(section, anchor, req.URL, fmt.Sprintf("credentials %q is not omit, same-origin or include", f.credentials))
	}
	switch f.redirect {
	case RedirectFollow, RedirectError, RedirectManual:
	default:
		return nil, f.typeError(section, anchor, req.URL, fmt.Sprintf("redirect %q is not follow, error or manual", f.redirect))
	}
	if f.referrerPolicy == "" {
		f.referrerPolicy = ReferrerStrictOriginWhenCrossOrigin
	}
	if !f.referrerPolicy.valid() {
		return nil, f.typeError(section, anchor, req.URL, fmt.Sprintf("referrerPolicy %q is not a referrer policy", f.referrerPolicy))
	}
	// new Request(): parse the URL with the document's URL as the base;
	// failure or credentials in it throw a TypeError.
	u, err := c.parseURL(req.URL)
	if err != nil {
		return nil, f.typeError(section, anchor, req.URL, "the URL does not parse: "+err.Error())
	}
	if u.IncludesCredentials() {
		return nil, f.typeError(section, anchor, req.URL, "the URL includes credentials")
	}
	f.firstURL[0] = u
	f.urls = f.firstURL[:]
	// new Request(): init.method must be a method token and not a forbidden
	// method; then it is normalized.
	method := req.Method
	if method == "" {
		method = "GET"
	}
	if !httpheader.IsToken(method) {
		return nil, f.typeError(section, anchor, req.URL, fmt.Sprintf("%q is not a valid HTTP method", method))
	}
	if safelist.IsForbiddenMethod(method) {
		return nil, f.typeError(section, anchor, req.URL, fmt.Sprintf("%q is a forbidden method", method))
	}
	f.method = safelist.NormalizeMethod(method)
	if f.method != method {
		tr.add(section, "concept-method-normalize", "the method is normalized", in("method", method), in("normalized", f.method))
	}
	// new Request(): in mode no-cors the method must be CORS-safelisted.
	if f.mode == ModeNoCORS && !safelist.IsCORSSafelistedMethod(f.method) {
		return nil, f.typeError(section, anchor, req.URL, fmt.Sprintf("%q is not a CORS-safelisted method, which mode no-cors requires", f.method))
	}
	// new Request(): a GET or HEAD request cannot have a body.
	if body != nil && (f.method == "GET" || f.method == "HEAD") {
		return nil, f.typeError(section, anchor, req.URL, "a request with method GET or HEAD cannot have a body")
	}
	// new Request(): fill the headers; the guard drops what script may not
	// set.
	if err := f.fillHeaders(req.Header); err != nil {
		return nil, err
	}
	// new Request(): a body whose type implies a Content-Type adds it when
	// the headers have none.
	if body != nil {
		f.body = body
		if body.text && len(f.header["Content-Type"]) == 0 {
			f.header.Set("Content-Type", "text/plain;charset=UTF-8")
			tr.add(section, "concept-bodyinit-extract", "a string body sets Content-Type", in("Content-Type", "text/plain;charset=UTF-8"))
		}
	}
	return f, nil
}

// fillHeaders appends script's headers through the Headers guard
// (https://fetch.spec.whatwg.org/#concept-headers-append): "request" drops
// forbidden request-headers; "request-no-cors" also drops anything that is
// not a no-CORS-safelisted request-header.
func (f *fetchState) fillHeaders(h http.Header) error {
	const section, anchor = "Fetch §5.1 Headers class (append)", "concept-headers-append"
	f.header = make(http.Header, len(h))
	rules := f.rules()
	// One array holds every line kept; a name's lines are a full slice of
	// it, so that an append to one cannot reach the next.
	count := 0
	for _, vs := range h {
		count += len(vs)
	}
	lines := make([]string, 0, count)
	lastKey, start := "", 0 // the key of the last line in lines, and where its lines start
	var keys [smallHeader]string
	for _, name := range appendSortedKeys(keys[:0], h) {
		for _, value := range h[name] {
			if !httpheader.IsToken(name) {
				return f.typeError(section, anchor, f.current().String(), fmt.Sprintf("%q is not a valid header name", name))
			}
			value = httpheader.TrimHTTPWhitespace(value)
			if strings.ContainsAny(value, "\x00\r\n") {
				return f.typeError(section, anchor, f.current().String(), fmt.Sprintf("the value of header %q contains NUL, CR or LF", name))
			}
			if rules.IsForbiddenRequestHeader(name, value) {
				f.tr.add(section, "forbidden-request-header", "script may not set this header; it is dropped", in(name, value))
				continue
			}
			key := http.CanonicalHeaderKey(name)
			if f.mode == ModeNoCORS {
				temp := value
				if prev, ok := httpheader.Get(f.header, key); ok {
					temp = prev + ", " + value
				}
				if !safelist.IsNoCORSSafelistedRequestHeader(name, temp) {
					f.tr.add(section, "no-cors-safelisted-request-header", "mode no-cors keeps only no-CORS-safelisted request-headers; it is dropped", in(name, value))
					continue
				}
			}
			switch prev := f.header[key]; {
			case key == lastKey:
				lines = append(lines, value)
				f.header[key] = lines[start:len(lines):len(lines)]
			case prev != nil:
				// Another spelling of the name, earlier in byte order.
				f.header[key] = append(prev, value)
			default:
				lastKey, start = key, len(lines)
				lines = append(lines, value)
				f.header[key] = lines[start:len(lines):len(lines)]
			}
		}
	}
	return nil
}

// parseURL parses raw against the document's URL, as new Request() does
// with the relevant settings object's API base URL: "/r", "?q", "#f" and ""
// name URLs of the document's own origin.
func (c *Client) parseURL(raw string) (*weburl.URL, error) {
	if c.docBase == nil {
		return weburl.Parse(raw)
	}
	return c.docBase.Resolve(raw)
}

func (f *fetchState) typeError(section, anchor, url, msg string) *Error {
	f.tr.block(section, anchor, "TypeError: "+msg)
	return &Error{Kind: TypeError, URL: url, Message: msg}
}

func sortedKeys(h http.Header) []string {
	return appendSortedKeys(make([]string, 0, len(h)), h)
}

// smallHeader is how many keys a header list usually has at most: the
// sorted keys of one that has no more fit in an array on the stack.
const smallHeader = 16

// appendSortedKeys appends h's keys to keys, sorted in byte order.
func appendSortedKeys(keys []string, h http.Header) []string {
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func sortedLowerNames(h http.Header) []string {
	names := make([]string, 0, len(h))
	for k := range h {
		// Byte-lowercase: strings.ToLower would turn a name's invalid
		// UTF-8 into U+FFFD and report a header the server never sent.
		names = append(names, httpheader.LowerASCII(k))
	}
	sort.Strings(names)
	out := names[:0]
	for i, n := range names {
		if i == 0 || n != names[i-1] {
			out = append(out, n)
		}
	}
	return out
}
