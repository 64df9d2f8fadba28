package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// A small client for classic W3C WebDriver over HTTP
// (https://www.w3.org/TR/webdriver2/), enough to drive WebKitWebDriver:
// every command is an HTTP request to the driver whose JSON answer is
// {"value": …}; a failed command answers with an HTTP error status and
// {"value": {"error": code, "message": …}} (WebDriver §6.6 Handling
// errors).

// maxWebDriverAnswer bounds the answer the client reads for one command.
const maxWebDriverAnswer = 16 << 20

// webDriver is a WebDriver endpoint, e.g. "http://127.0.0.1:4444".
type webDriver struct {
	base   string
	client *http.Client
}

// newWebDriver returns a client for the driver at base. It talks to the
// driver directly, never through a proxy the environment names.
func newWebDriver(base string) *webDriver {
	return &webDriver{
		base:   strings.TrimSuffix(base, "/"),
		client: &http.Client{Transport: &http.Transport{Proxy: nil, DisableCompression: true}},
	}
}

// webDriverError is a command the driver answered with an error.
type webDriverError struct {
	Command    string // e.g. "POST /session"
	HTTPStatus int
	Code       string // the WebDriver error code, e.g. "javascript error"
	Message    string
}

func (e *webDriverError) Error() string {
	return fmt.Sprintf("WebDriver %s: %s (HTTP %d): %s", e.Command, e.Code, e.HTTPStatus, e.Message)
}

// command sends one command and decodes the answer's value into result
// (when not nil). body nil sends no body for GET and DELETE, and {} for
// POST, as the standard asks.
func (d *webDriver) command(ctx context.Context, method, path string, body, result any) error {
	cmd := method + " " + path
	var rd io.Reader
	if method == http.MethodPost {
		if body == nil {
			body = struct{}{}
		}
		data, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("WebDriver %s: %v", cmd, err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, d.base+path, rd)
	if err != nil {
		return fmt.Errorf("WebDriver %s: %v", cmd, err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return fmt.Errorf("WebDriver %s: %w", cmd, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxWebDriverAnswer+1))
	if err != nil {
		return fmt.Errorf("WebDriver %s: reading the answer: %w", cmd, err)
	}
	if len(data) > maxWebDriverAnswer {
		return fmt.Errorf("WebDriver %s: the answer exceeds %d bytes", cmd, maxWebDriverAnswer)
	}
	var answer struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(data, &answer); err != nil || answer.Value == nil {
		return fmt.Errorf("WebDriver %s: HTTP %d with an answer that is not {\"value\": …}: %.200q", cmd, resp.StatusCode, data)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		}
		json.Unmarshal(answer.Value, &e)
		return &webDriverError{Command: cmd, HTTPStatus: resp.StatusCode, Code: e.Error, Message: e.Message}
	}
	if result == nil {
		return nil
	}
	if err := json.Unmarshal(answer.Value, result); err != nil {
		return fmt.Errorf("WebDriver %s: decoding the value: %v", cmd, err)
	}
	return nil
}

// ready reports whether the driver accepts a new session (GET /status).
func (d *webDriver) ready(ctx context.Context) (bool, error) {
	var st struct {
		Ready bool `json:"ready"`
	}
	if err := d.command(ctx, http.MethodGet, "/status", nil, &st); err != nil {
		return false, err
	}
	return st.Ready, nil
}

// webDriverSession is one session the driver created.
type webDriverSession struct {
	d  *webDriver
	ID string
	// BrowserName and BrowserVersion are the matched capabilities.
	BrowserName, BrowserVersion string
}

// newSession creates a session whose capabilities must all match
// alwaysMatch (POST /session).
func (d *webDriver) newSession(ctx context.Context, alwaysMatch map[string]any) (*webDriverSession, error) {
	var v struct {
		SessionID    string `json:"sessionId"`
		Capabilities struct {
			BrowserName    string `json:"browserName"`
			BrowserVersion string `json:"browserVersion"`
		} `json:"capabilities"`
	}
	body := map[string]any{"capabilities": map[string]any{"alwaysMatch": alwaysMatch}}
	if err := d.command(ctx, http.MethodPost, "/session", body, &v); err != nil {
		return nil, err
	}
	if v.SessionID == "" {
		return nil, fmt.Errorf("WebDriver POST /session: no sessionId in the answer")
	}
	return &webDriverSession{d: d, ID: v.SessionID, BrowserName: v.Capabilities.BrowserName, BrowserVersion: v.Capabilities.BrowserVersion}, nil
}

func (s *webDriverSession) path(suffix string) string {
	return "/session/" + url.PathEscape(s.ID) + suffix
}

// Delete ends the session and closes its browser (DELETE /session/{id}).
func (s *webDriverSession) Delete(ctx context.Context) error {
	return s.d.command(ctx, http.MethodDelete, s.path(""), nil, nil)
}

// webDriverTimeouts are a session's timeouts in milliseconds; zero leaves
// one unchanged.
type webDriverTimeouts struct {
	Script   int64 `json:"script,omitempty"`
	PageLoad int64 `json:"pageLoad,omitempty"`
	Implicit int64 `json:"implicit,omitempty"`
}

// SetTimeouts sets the session's timeouts (POST /session/{id}/timeouts).
func (s *webDriverSession) SetTimeouts(ctx context.Context, t webDriverTimeouts) error {
	return s.d.command(ctx, http.MethodPost, s.path("/timeouts"), t, nil)
}

// Navigate loads url in the current top-level browsing context and waits
// for it to load (POST /session/{id}/url).
func (s *webDriverSession) Navigate(ctx context.Context, url string) error {
	return s.d.command(ctx, http.MethodPost, s.path("/url"), map[string]string{"url": url}, nil)
}

// ExecuteSync runs script as the body of a function called with args and
// decodes its return value into result (POST /session/{id}/execute/sync).
func (s *webDriverSession) ExecuteSync(ctx context.Context, script string, args []any, result any) error {
	return s.execute(ctx, "/execute/sync", script, args, result)
}

// ExecuteAsync runs script as the body of a function called with args and
// one more argument, a callback; the value passed to the callback is
// decoded into result (POST /session/{id}/execute/async).
func (s *webDriverSession) ExecuteAsync(ctx context.Context, script string, args []any, result any) error {
	return s.execute(ctx, "/execute/async", script, args, result)
}

func (s *webDriverSession) execute(ctx context.Context, endpoint, script string, args []any, result any) error {
	if args == nil {
		args = []any{}
	}
	return s.d.command(ctx, http.MethodPost, s.path(endpoint), map[string]any{"script": script, "args": args}, result)
}
