// Package scenario reads, replays and checks CORS scenario files (format
// versions 1 and 2, described in FORMAT.md at the repository root): a document at an
// origin calls fetch() against a scripted server on a virtual clock, and the
// file records what a real browser observably did.
package scenario

import (
	"encoding/json"
	"fmt"
)

// Scenario is one scenario file.
type Scenario struct {
	Format  int    `json:"format"`
	Name    string `json:"name"`
	Origin  string `json:"origin"`
	Browser string `json:"browser,omitempty"`
	Server  []Rule `json:"server"`
	// Cookies are the cookies the browser holds before the first step
	// (format 2 only).
	Cookies []Cookie `json:"cookies,omitempty"`
	Steps   []Step   `json:"steps"`
}

// Cookie is a cookie the browser already holds when the scenario starts,
// as if a first-party visit to URL had answered with `Set-Cookie: Set`
// (format 2).
type Cookie struct {
	URL string `json:"url"`
	Set string `json:"set"`
}

// Rule is a scripted server answer.
type Rule struct {
	Method  string   `json:"method"`
	URL     string   `json:"url"`
	Status  int      `json:"status"`
	Headers []Header `json:"headers"`
	Body    *string  `json:"body,omitempty"`
}

// Header is one header line: a [name, value] pair.
type Header struct {
	Name, Value string
}

// MarshalJSON writes the pair as a two-element array.
func (h Header) MarshalJSON() ([]byte, error) {
	return json.Marshal([2]string{h.Name, h.Value})
}

// UnmarshalJSON reads a two-element array of strings.
func (h *Header) UnmarshalJSON(b []byte) error {
	var raw []string
	if err := json.Unmarshal(b, &raw); err != nil || len(raw) != 2 {
		return fmt.Errorf("a header must be a [name, value] pair of strings, got %s", truncate(string(b), 80))
	}
	h.Name, h.Value = raw[0], raw[1]
	return nil
}

// Step is one fetch() call and what the browser did.
type Step struct {
	At     float64 `json:"at"`
	Server []Rule  `json:"server,omitempty"`
	Fetch  Fetch   `json:"fetch"`
	Expect Expect  `json:"expect"`
}

// Fetch holds the arguments of fetch(url, init).
type Fetch struct {
	URL         string   `json:"url"`
	Method      string   `json:"method,omitempty"`
	Mode        string   `json:"mode,omitempty"`
	Credentials string   `json:"credentials,omitempty"`
	Redirect    string   `json:"redirect,omitempty"`
	Headers     []Header `json:"headers,omitempty"`
	Body        *string  `json:"body,omitempty"`
}

// Expect is what a browser observably did; absent fields are not compared.
// Observed uses the same type for what corsim did.
type Expect struct {
	Outcome    string         `json:"outcome,omitempty"`
	Type       *string        `json:"type,omitempty"`
	Status     *int           `json:"status,omitempty"`
	URL        *string        `json:"url,omitempty"`
	Redirected *bool          `json:"redirected,omitempty"`
	Headers    *[]string      `json:"headers,omitempty"`
	Wire       *[]WireRequest `json:"wire,omitempty"`
	Error      *string        `json:"error,omitempty"`
	Console    *string        `json:"console,omitempty"`
}

// WireRequest is a request the server received.
type WireRequest struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
}

// wireHeaderNames are the request headers a wire entry records.
var wireHeaderNames = [...]string{"origin", "access-control-request-method", "access-control-request-headers", "content-type"}

// wireHeaderNamesV2 are the request headers a wire entry records in format
// 2: version 1's, the cookies sent, and the headers a browser adds that
// servers act on.
var wireHeaderNamesV2 = [...]string{"origin", "access-control-request-method", "access-control-request-headers", "content-type",
	"cookie", "referer", "sec-fetch-site", "sec-fetch-mode", "sec-fetch-dest"}

// WireHeaderNames returns the request headers a wire entry records in
// format 1.
func WireHeaderNames() []string { return append([]string(nil), wireHeaderNames[:]...) }

// WireHeaderNamesOf returns the request headers a wire entry records in
// the given format version (format 2 adds cookie, referer and the fetch
// metadata headers), for recorders that write either version.
func WireHeaderNamesOf(format int) []string { return append([]string(nil), wireNames(format)...) }

// wireNames returns the request headers a wire entry records in format.
func wireNames(format int) []string {
	if format >= 2 {
		return wireHeaderNamesV2[:]
	}
	return wireHeaderNames[:]
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
