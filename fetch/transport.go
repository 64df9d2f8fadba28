package fetch

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
)

// HandlerTransport is an http.RoundTripper that serves every request with
// Handler in process: the way to run browser behaviour against your own
// server code without a network.
type HandlerTransport struct {
	Handler http.Handler
}

// RoundTrip serves req with the handler.
func (t HandlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	in := req.Clone(req.Context())
	if in.Body == nil {
		in.Body = http.NoBody
	}
	in.RequestURI = req.URL.RequestURI()
	in.Host = req.URL.Host
	t.Handler.ServeHTTP(rec, in)
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

// EnforcingTransport is an http.RoundTripper that makes every request as
// fetch() from the client's document would, and returns only what script
// would see: a crawler that embeds it sees the web as a page does. A
// blocked request returns the *Error; an opaque response comes back with
// StatusCode 0, no headers and an empty body.
type EnforcingTransport struct {
	Client      *Client
	Mode        Mode        // default cors
	Credentials Credentials // default same-origin
}

// RoundTrip runs req through the client.
func (t EnforcingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	freq := &Request{
		URL:         req.URL.String(),
		Method:      req.Method,
		Header:      req.Header.Clone(),
		Mode:        t.Mode,
		Credentials: t.Credentials,
	}
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(io.LimitReader(req.Body, MaxBodyBytes))
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		freq.Body = b
	}
	ctx := req.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	resp, err := t.Client.Fetch(ctx, freq)
	if err != nil {
		return nil, err
	}
	body := resp.Body
	return &http.Response{
		Status:        strconv.Itoa(resp.Status) + " " + http.StatusText(resp.Status),
		StatusCode:    resp.Status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        resp.Header.Clone(),
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}, nil
}
