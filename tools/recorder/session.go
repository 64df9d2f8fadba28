package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/corsim/corsim/internal/weburl"
	"github.com/corsim/corsim/scenario"
)

// Time limits of one scenario run.
const (
	loadTimeout  = 20 * time.Second
	fetchTimeout = 30 * time.Second
	// settleQuiet is how long a failed step waits with no new event before
	// its console lines and CorsError are taken as complete.
	settleQuiet = 100 * time.Millisecond
	settleMax   = 2 * time.Second
	// maxLate is how late a step may start before the recorder warns.
	maxLate = 100 * time.Millisecond
)

// stepResult is what one fetch() call showed, before it becomes an expect.
type stepResult struct {
	Outcome    string   `json:"outcome"`
	Type       string   `json:"type"`
	Status     int      `json:"status"`
	URL        string   `json:"url"`
	Redirected bool     `json:"redirected"`
	Headers    []string `json:"headers"`
	Message    string   `json:"message"` // the rejection's message, for -v
}

// consoleEntry is a console line the page printed.
type consoleEntry struct {
	Source, Level, Text, URL string
}

// runOnce records every step of sc once, in a fresh browser context (its
// own cookie jar, HTTP cache and preflight cache), and returns one expect
// a step. log receives each step's raw observations; warn, what may make a
// recording wrong (a step that started late).
func runOnce(ctx context.Context, b *browser, srv *scriptServer, sc *scenario.Scenario, log, warn func(format string, args ...any)) ([]scenario.Expect, error) {
	if err := srv.ensurePorts(scenarioPorts(sc)); err != nil {
		return nil, err
	}
	srv.load(sc)
	pageURL, err := initiatorURL(sc.Origin)
	if err != nil {
		return nil, err
	}

	var bc struct {
		BrowserContextID string `json:"browserContextId"`
	}
	if err := b.conn.call(ctx, "", "Target.createBrowserContext", nil, &bc); err != nil {
		return nil, err
	}
	defer func() {
		dctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		b.conn.call(dctx, "", "Target.disposeBrowserContext", map[string]any{"browserContextId": bc.BrowserContextID}, nil)
	}()
	var target struct {
		TargetID string `json:"targetId"`
	}
	if err := b.conn.call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank", "browserContextId": bc.BrowserContextID}, &target); err != nil {
		return nil, err
	}
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	if err := b.conn.call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &attached); err != nil {
		return nil, err
	}
	sid := attached.SessionID
	events := b.conn.events(sid)
	defer b.conn.forget(sid)
	for _, domain := range []string{"Page", "Runtime", "Log", "Network"} {
		if err := b.conn.call(ctx, sid, domain+".enable", nil, nil); err != nil {
			return nil, err
		}
	}

	navigate := func(ctx context.Context, url string) error {
		var nav struct {
			ErrorText string `json:"errorText"`
		}
		if err := b.conn.call(ctx, sid, "Page.navigate", map[string]any{"url": url}, &nav); err != nil {
			return err
		}
		if nav.ErrorText != "" {
			return errors.New(nav.ErrorText)
		}
		return waitEvent(ctx, events, "Page.loadEventFired", loadTimeout)
	}
	// Set the scenario's cookies (format 2) by first-party visits.
	if err := visitCookieURLs(ctx, sc, navigate); err != nil {
		return nil, err
	}
	// Load the initiator page and check that its origin is the scenario's.
	if err := navigate(ctx, pageURL); err != nil {
		return nil, fmt.Errorf("loading the initiator page %s: %v", pageURL, err)
	}
	var where []any
	if err := evaluate(ctx, b.conn, sid, "[self.origin, location.href]", &where); err != nil {
		return nil, err
	}
	if err := checkInitiator(where, sc.Origin, pageURL); err != nil {
		return nil, err
	}
	if err := srv.noStray(); err != nil {
		return nil, err
	}

	out := make([]scenario.Expect, 0, len(sc.Steps))
	start := time.Now()
	for i, st := range sc.Steps {
		if err := waitForStep(ctx, start, sc, i, warn); err != nil {
			return nil, err
		}
		events.drain()
		srv.beginStep(st.Server)
		res, err := callFetch(ctx, b.conn, sid, st.Fetch)
		if err != nil {
			srv.endStep()
			return nil, fmt.Errorf("step %d: %v", i, err)
		}
		var evs []cdpMessage
		if res.Outcome != "ok" {
			evs = settle(ctx, events)
		}
		wire := srv.endStep()
		f := readEvents(evs)
		log("  step %d: %s %s; console %q; CorsError %q", i, res.Outcome, res.Message, f.Consoles, f.CorsErrors)
		out = append(out, expectOf(res, wire, f))
	}
	if err := srv.noStray(); err != nil {
		return nil, err
	}
	return out, nil
}

// initiatorURL is the URL of the initiator page: the origin's "/", and for
// the opaque origin a sandboxed page at http://a.test/.
func initiatorURL(origin string) (string, error) {
	if origin == "null" {
		return "http://a.test/", nil
	}
	if !strings.HasPrefix(origin, "http://") && !strings.HasPrefix(origin, "https://") {
		return "", fmt.Errorf("origin %q: the recorder serves only http and https initiators", origin)
	}
	return origin + "/", nil
}

// fetchScript calls fetch(url, init) and reports the Response's fields, or
// the rejection.
const fetchScript = `(async (url, init) => {
  try {
    const r = await fetch(url, init);
    return {outcome: "ok", type: r.type, status: r.status, url: r.url, redirected: r.redirected, headers: [...r.headers.keys()]};
  } catch (e) {
    return {outcome: "network-error", message: String(e)};
  }
})(%s, %s)`

// fetchInit is the init argument of fetch(): only the members a step sets.
type fetchInit struct {
	Method      string      `json:"method,omitempty"`
	Mode        string      `json:"mode,omitempty"`
	Credentials string      `json:"credentials,omitempty"`
	Redirect    string      `json:"redirect,omitempty"`
	Headers     [][2]string `json:"headers,omitempty"` // a sequence of pairs keeps order and repetition
	Body        *string     `json:"body,omitempty"`
}

// fetchExpression is the script that performs f in the page.
func fetchExpression(f scenario.Fetch) (string, error) {
	init := fetchInit{Method: f.Method, Mode: f.Mode, Credentials: f.Credentials, Redirect: f.Redirect, Body: f.Body}
	for _, h := range f.Headers {
		init.Headers = append(init.Headers, [2]string{h.Name, h.Value})
	}
	u, err := json.Marshal(f.URL)
	if err != nil {
		return "", err
	}
	in, err := json.Marshal(init)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf(fetchScript, u, in), nil
}

func callFetch(ctx context.Context, conn *cdpConn, sid string, f scenario.Fetch) (stepResult, error) {
	expr, err := fetchExpression(f)
	if err != nil {
		return stepResult{}, err
	}
	fctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	var res stepResult
	if err := evaluate(fctx, conn, sid, expr, &res); err != nil {
		return stepResult{}, err
	}
	// Headers iterate lower-cased and sorted; make them unique as well.
	slices.Sort(res.Headers)
	res.Headers = slices.Compact(res.Headers)
	if res.Headers == nil {
		res.Headers = []string{}
	}
	return res, nil
}

// evaluate runs expr in the page, awaits a promise result, and decodes the
// value into v.
func evaluate(ctx context.Context, conn *cdpConn, sid, expr string, v any) error {
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	err := conn.call(ctx, sid, "Runtime.evaluate", map[string]any{
		"expression": expr, "awaitPromise": true, "returnByValue": true,
	}, &r)
	if err != nil {
		return err
	}
	if r.ExceptionDetails != nil {
		return fmt.Errorf("script failed: %s %s", r.ExceptionDetails.Text, r.ExceptionDetails.Exception.Description)
	}
	return json.Unmarshal(r.Result.Value, v)
}

// waitEvent waits for an event named method.
func waitEvent(ctx context.Context, q *eventQueue, method string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		evs, err := q.wait(ctx)
		if err != nil {
			return fmt.Errorf("waiting for %s: %v", method, err)
		}
		for _, e := range evs {
			if e.Method == method {
				return nil
			}
		}
	}
}

// settle collects the events of a failed step until none arrived for
// settleQuiet (or settleMax passed): the console lines and the
// loadingFailed events come from the renderer and the network service on
// their own schedule.
func settle(ctx context.Context, q *eventQueue) []cdpMessage {
	ctx, cancel := context.WithTimeout(ctx, settleMax)
	defer cancel()
	evs := q.drain()
	for {
		qctx, qcancel := context.WithTimeout(ctx, settleQuiet)
		more, err := q.wait(qctx)
		qcancel()
		if err != nil {
			return evs
		}
		evs = append(evs, more...)
	}
}

// failure is what a failed step left in the DevTools events.
type failure struct {
	Consoles   []consoleEntry
	CorsErrors []string // Network.loadingFailed's corsErrorStatus.corsError, fetch requests first
}

// readEvents picks out the console lines (Log.entryAdded) and the CorsError
// values of failed loads (Network.loadingFailed's corsErrorStatus).
func readEvents(evs []cdpMessage) failure {
	var f failure
	var preflight []string
	for _, e := range evs {
		switch e.Method {
		case "Log.entryAdded":
			var p struct {
				Entry struct {
					Source string `json:"source"`
					Level  string `json:"level"`
					Text   string `json:"text"`
					URL    string `json:"url"`
				} `json:"entry"`
			}
			if json.Unmarshal(e.Params, &p) == nil {
				f.Consoles = append(f.Consoles, consoleEntry{p.Entry.Source, p.Entry.Level, p.Entry.Text, p.Entry.URL})
			}
		case "Network.loadingFailed":
			var p struct {
				Type            string `json:"type"`
				CorsErrorStatus *struct {
					CorsError string `json:"corsError"`
				} `json:"corsErrorStatus"`
			}
			if json.Unmarshal(e.Params, &p) != nil || p.CorsErrorStatus == nil || p.CorsErrorStatus.CorsError == "" {
				continue
			}
			if p.Type == "Preflight" {
				preflight = append(preflight, p.CorsErrorStatus.CorsError)
			} else {
				f.CorsErrors = append(f.CorsErrors, p.CorsErrorStatus.CorsError)
			}
		}
	}
	f.CorsErrors = append(f.CorsErrors, preflight...)
	return f
}

// console returns the line the corpus records for a failure: the first
// error-level line, leaving out the page's own favicon request (the
// browser's, not the scenario's). For a CORS failure Chromium prints the
// "Access to fetch … blocked by CORS policy" line before its generic
// "Failed to load resource: net::ERR_FAILED"; for mixed content the "Mixed
// Content" line; otherwise the net error line. A line about the cookie
// store (Firefox's "Cookie “l” has been rejected because …", printed at
// error level while the response's Set-Cookie is processed) is the jar's,
// not the fetch's failure, and is left out too.
func (f failure) console() (string, bool) {
	for _, c := range f.Consoles {
		if c.Level != "error" || isFaviconURL(c.URL) || isCookieStoreLine(c.Text) {
			continue
		}
		return c.Text, true
	}
	return "", false
}

// isCookieStoreLine reports a console line Firefox prints about a cookie
// it refused to store (netwerk/cookie/CookieLogging: the messages start
// "Cookie “<name>”").
func isCookieStoreLine(text string) bool { return strings.HasPrefix(text, "Cookie “") }

// isFaviconURL reports the favicon a browser asks for by itself.
func isFaviconURL(raw string) bool {
	u, err := weburl.Parse(raw)
	return err == nil && u.Path() == "/favicon.ico" && u.RawQuery() == ""
}

// expectOf turns what a step showed into the fields of `expect` the corpus
// records: for a resolved fetch the Response's fields and the wire; for a
// rejected one the wire, the CorsError when a CORS check failed, and the
// console line when one was printed.
func expectOf(res stepResult, wire []scenario.WireRequest, f failure) scenario.Expect {
	e := scenario.Expect{Outcome: res.Outcome, Wire: &wire}
	if res.Outcome == "ok" {
		e.Type, e.Status, e.URL, e.Redirected, e.Headers = &res.Type, &res.Status, &res.URL, &res.Redirected, &res.Headers
		return e
	}
	if len(f.CorsErrors) > 0 {
		e.Error = &f.CorsErrors[0]
	}
	if c, ok := f.console(); ok {
		e.Console = &c
	}
	return e
}

// waitForStep waits until step i of sc is due: steps run on real time, `at`
// counting from the first step, which is due at start. A step that starts
// more than maxLate after its time is reported to warn, since a
// timing-sensitive result (a preflight cache entry near its Max-Age) may
// then be off.
func waitForStep(ctx context.Context, start time.Time, sc *scenario.Scenario, i int, warn func(string, ...any)) error {
	due := start.Add(time.Duration((sc.Steps[i].At - sc.Steps[0].At) * float64(time.Second)))
	if wait := time.Until(due); wait > 0 {
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return ctx.Err()
		}
	} else if late := -wait; i > 0 && late > maxLate {
		warn("warning: step %d started %v after its time; a timing-sensitive result may be off", i, late.Round(time.Millisecond))
	}
	return nil
}

// checkInitiator checks that the initiator page reported [self.origin,
// location.href] as where, and that they are the scenario's origin and the
// page the recorder meant to load.
func checkInitiator(where []any, origin, pageURL string) error {
	if fmt.Sprint(where) != fmt.Sprint([]any{origin, pageURL}) {
		return fmt.Errorf("the initiator page has origin and URL %v, want %q at %q", where, origin, pageURL)
	}
	return nil
}
