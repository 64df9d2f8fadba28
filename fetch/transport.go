package fetch

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
)

// EnforcingTransport is an http.RoundTripper that makes every request as
// fetch() from the client's document would, and returns only what script
// would see: a crawler that embeds it in an http.Client sees the web as a
// page does.
//
// Options. Mode, Credentials, Redirect and ReferrerPolicy are the defaults
// for every request; a request overrides them through its context
// (WithRequestOptions). Script's headers are the request's; forbidden ones
// are dropped as fetch() drops them. The `User-Agent`, `Accept-Language`,
// `Accept`, `Referer`, `Sec-Fetch-*` and `Cookie` headers are the
// browser's (WithUserAgent, WithAcceptLanguage, WithCookieJar on the
// Client). A request that already has a `Cookie` header fails with
// ErrRequestCookie: put the jar on the Client, not on http.Client.
//
// Redirects. corsim follows redirects itself, as the browser does, with
// Fetch's rules (redirect mode, CORS checks at every hop, cookies per hop,
// at most 20); the inner RoundTripper sees one request per hop. So
// http.Client never receives a 3xx and never calls CheckRedirect. Redirect
// mode "error" fails on a redirect; "manual" returns the opaque-redirect
// filtered response: StatusCode 0, Status "0 opaqueredirect", no headers,
// an empty body, and resp.Request.URL the URL that answered with the
// redirect.
//
// The response. StatusCode, Header and Body are what script reads: a CORS
// failure, a network error or a TypeError is returned as a *Error; an
// opaque response (mode no-cors) has StatusCode 0, no headers and an empty
// body. resp.Request.URL is the URL of the last request made (after
// redirects), and ResponseInfoOf gives the response's type, url and
// redirected as script sees them.
//
// Bodies stream both ways: a readable response body is the inner
// transport's, unread, for the caller to read and close; a body script
// could not read (a blocked response, an opaque one, a redirect followed, a
// preflight's) is closed at once unread. The request body is handed to the
// inner transport as it is; a 307/308 redirect sends it again through
// req.GetBody, and fails as a network error without one, as fetch() fails
// for a stream body.
type EnforcingTransport struct {
	Client         *Client
	Mode           Mode           // default cors
	Credentials    Credentials    // default same-origin
	Redirect       RedirectMode   // default follow
	ReferrerPolicy ReferrerPolicy // default: the profile's (the document's)
}

// ResponseInfo is what script sees of a response beyond status, headers and
// body.
type ResponseInfo struct {
	Type       ResponseType // basic, cors, opaque or opaqueredirect
	URL        string       // Response.url: "" for an opaque response
	Redirected bool         // Response.redirected
}

type responseInfoKey struct{}

// ResponseInfoOf returns the ResponseInfo of a response EnforcingTransport
// returned (also through an http.Client), or false for any other response.
func ResponseInfoOf(resp *http.Response) (ResponseInfo, bool) {
	if resp == nil || resp.Request == nil {
		return ResponseInfo{}, false
	}
	r, ok := resp.Request.Context().Value(responseInfoKey{}).(*Response)
	if !ok {
		return ResponseInfo{}, false
	}
	return ResponseInfo{Type: r.Type, URL: r.URL, Redirected: r.Redirected}, true
}

// RoundTrip runs req through the client as fetch() would.
func (t EnforcingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body *requestBody
	if req.Body != nil && req.Body != http.NoBody {
		body = &requestBody{stream: req.Body, getBody: req.GetBody, length: req.ContentLength}
		if body.length == 0 {
			body.length = -1
		}
	} else if req.Body != nil {
		req.Body.Close()
	}
	// The RoundTripper contract: the request body is closed, on errors
	// too; once handed to the inner transport, it closes it.
	defer body.close()
	if t.Client == nil {
		return nil, errors.New("fetch: EnforcingTransport: nil Client")
	}
	if _, ok := req.Header["Cookie"]; ok {
		return nil, ErrRequestCookie
	}
	ctx := req.Context()
	opts, _ := RequestOptionsFrom(ctx)
	opts = opts.or(RequestOptions{Mode: t.Mode, Credentials: t.Credentials, Redirect: t.Redirect, ReferrerPolicy: t.ReferrerPolicy})
	freq := &Request{
		URL:            req.URL.String(),
		Method:         req.Method,
		Header:         req.Header,
		Mode:           opts.Mode,
		Credentials:    opts.Credentials,
		Redirect:       opts.Redirect,
		ReferrerPolicy: opts.ReferrerPolicy,
	}
	f, err := t.Client.newFetch(ctx, freq, body, nil)
	if err != nil {
		return nil, err
	}
	resp, err := f.run()
	if err != nil {
		return nil, err
	}
	out := &http.Response{
		Status:        statusLine(resp.Status),
		StatusCode:    resp.Status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        resp.Header,
		Body:          http.NoBody,
		ContentLength: 0,
	}
	if resp.Type == TypeOpaque || resp.Type == TypeOpaqueRedirect {
		out.Status = "0 " + string(resp.Type)
	}
	if resp.stream != nil {
		out.Body, out.ContentLength = resp.stream, resp.contentLength
	}
	// The context carries the filtered response (a pointer: no copy to
	// box) for ResponseInfoOf.
	final := req.WithContext(context.WithValue(ctx, responseInfoKey{}, resp))
	if resp.finalURL.String() != freq.URL {
		// A redirect, or a URL the URL standard writes otherwise. (When
		// they agree, the request's URL is kept, as WithContext shares it.)
		final.URL = resp.finalURL.StdURL()
	}
	out.Request = final
	return out, nil
}

// statusLines holds http.Response.Status for every status code with a
// reason phrase: "200 OK", built once. It is never written after
// initialisation.
var statusLines = func() (lines [600]string) {
	for code := range lines {
		if text := http.StatusText(code); text != "" {
			lines[code] = strconv.Itoa(code) + " " + text
		}
	}
	return lines
}()

// statusLine is http.Response.Status for a status code: the code, a space
// and net/http's reason phrase (none for a code it does not know).
func statusLine(code int) string {
	if code >= 0 && code < len(statusLines) && statusLines[code] != "" {
		return statusLines[code]
	}
	return strconv.Itoa(code) + " " + http.StatusText(code)
}

// HandlerTransport is an http.RoundTripper that serves every request with
// Handler in process: the way to run browser behaviour against your own
// server code without a network.
//
// The handler runs in its own goroutine and its response streams: the
// status and headers are returned when it writes them (or returns), and the
// body is read from what it writes, through a pipe that holds nothing, so
// memory stays flat whatever it writes. The request's context is the
// handler's; when it is done, RoundTrip returns its error and the body's
// Read fails with it. A handler that panics fails the request (before its
// headers) or the body read (after).
type HandlerTransport struct {
	Handler http.Handler
}

// RoundTrip serves req with the handler.
func (t HandlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	in := req.Clone(ctx)
	if in.Body == nil {
		in.Body = http.NoBody
	}
	in.RequestURI = req.URL.RequestURI()
	in.Host = req.URL.Host
	pr, pw := io.Pipe()
	w := &pipeResponseWriter{header: http.Header{}, pw: pw, ready: make(chan struct{}), req: req, head: req.Method == http.MethodHead}
	body := &handlerBody{pr: pr}
	// A done context ends the body: the reader gets its error, the
	// handler's next Write fails.
	body.stop = context.AfterFunc(ctx, func() { pw.CloseWithError(ctx.Err()) })
	go func() {
		defer in.Body.Close()
		defer func() {
			if p := recover(); p != nil {
				err := errors.New("fetch: HandlerTransport: the handler panicked")
				if p == http.ErrAbortHandler {
					err = http.ErrAbortHandler
				}
				w.fail(err)
				return
			}
			w.finish()
		}()
		t.Handler.ServeHTTP(w, in)
	}()
	select {
	case <-w.ready:
	case <-ctx.Done():
		body.Close()
		return nil, ctx.Err()
	}
	if w.err != nil {
		body.Close()
		return nil, w.err
	}
	w.resp.Body = body
	return w.resp, nil
}

// handlerBody is a handler's response body as the client reads it.
type handlerBody struct {
	pr   *io.PipeReader
	stop func() bool
}

func (b *handlerBody) Read(p []byte) (int, error) { return b.pr.Read(p) }

func (b *handlerBody) Close() error {
	b.stop()
	return b.pr.Close()
}

// pipeResponseWriter is the http.ResponseWriter a handler writes to: the
// header is committed once, the body goes into a pipe.
type pipeResponseWriter struct {
	req    *http.Request
	header http.Header
	pw     *io.PipeWriter
	head   bool

	once   sync.Once
	ready  chan struct{}
	resp   *http.Response // set before ready is closed
	err    error          // set before ready is closed
	status int
}

func (w *pipeResponseWriter) Header() http.Header { return w.header }

// WriteHeader commits the status and a copy of the headers, as net/http's
// server does; informational statuses are not the response.
func (w *pipeResponseWriter) WriteHeader(code int) {
	if code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
		return
	}
	w.commit(code, nil)
}

func (w *pipeResponseWriter) commit(code int, first []byte) {
	w.once.Do(func() {
		h := w.header.Clone()
		if _, ok := h["Content-Type"]; !ok && first != nil && !bodyForbidden(code) && h.Get("Transfer-Encoding") == "" {
			// net/http's server sniffs a missing Content-Type from the
			// first bytes written.
			h.Set("Content-Type", http.DetectContentType(first))
		}
		cl := int64(-1)
		if v := h.Get("Content-Length"); v != "" {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
				cl = n
			}
		}
		if bodyForbidden(code) || w.head {
			cl = 0
		}
		w.status = code
		w.resp = &http.Response{
			Status:        strconv.Itoa(code) + " " + http.StatusText(code),
			StatusCode:    code,
			Proto:         "HTTP/1.1",
			ProtoMajor:    1,
			ProtoMinor:    1,
			Header:        h,
			ContentLength: cl,
			Request:       w.req,
		}
		close(w.ready)
	})
}

func (w *pipeResponseWriter) Write(p []byte) (int, error) {
	w.commit(http.StatusOK, p)
	if w.err != nil {
		return 0, w.err
	}
	if bodyForbidden(w.status) {
		return 0, http.ErrBodyNotAllowed
	}
	if w.head {
		return len(p), nil
	}
	return w.pw.Write(p)
}

// Flush commits the headers (http.Flusher); written bytes are never held.
func (w *pipeResponseWriter) Flush() { w.commit(http.StatusOK, nil) }

// finish ends the response when the handler returns. A handler that
// returns because the request's context is done has not finished its
// body: the reader gets the context's error, not io.EOF.
func (w *pipeResponseWriter) finish() {
	w.commit(http.StatusOK, nil)
	if err := w.req.Context().Err(); err != nil {
		w.pw.CloseWithError(err)
		return
	}
	w.pw.Close()
}

// fail ends the response with err: RoundTrip returns it when the headers
// were not written yet, the body's Read otherwise.
func (w *pipeResponseWriter) fail(err error) {
	w.once.Do(func() {
		w.err = err
		close(w.ready)
	})
	w.pw.CloseWithError(err)
}

func bodyForbidden(code int) bool {
	return code == http.StatusNoContent || code == http.StatusNotModified || (code >= 100 && code < 200)
}
