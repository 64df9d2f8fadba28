package main

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/corsim/corsim/scenario"
)

// A format-2 scenario's `cookies` are set as a first-party visit sets
// them: before step 0, in the run's fresh browser state, the browser
// navigates to each cookie's URL, which the server answers with a page and
// the cookie's `Set-Cookie` lines, and then to the initiator page.

// cookieURLs returns the distinct URLs of sc's cookies in the order they
// first appear, each visited once.
func cookieURLs(sc *scenario.Scenario) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range sc.Cookies {
		u := canonicalURL(c.URL)
		if !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	return out
}

// cookieSets returns the Set-Cookie values of the cookies whose URL is
// url, in file order.
func cookieSets(cookies []scenario.Cookie, url string) []string {
	var sets []string
	for _, c := range cookies {
		if canonicalURL(c.URL) == url {
			sets = append(sets, c.Set)
		}
	}
	return sets
}

// cookiePage returns the page answering a cookie URL: the initiator
// document with one Set-Cookie line a cookie.
func (s *scriptServer) cookiePage(sets []string) []byte {
	r := scenario.Rule{Status: http.StatusOK, Headers: []scenario.Header{
		{Name: "Content-Type", Value: "text/html; charset=utf-8"},
		{Name: "Cache-Control", Value: "no-store"},
		{Name: "Content-Length", Value: strconv.Itoa(len(pageHTML))},
	}}
	for _, set := range sets {
		r.Headers = append(r.Headers, scenario.Header{Name: "Set-Cookie", Value: set})
	}
	body := pageHTML
	r.Body = &body
	return appendResponse(nil, r, false)
}

// visitCookieURLs navigates to each of sc's cookie URLs in turn with
// navigate, which returns once the page has loaded.
func visitCookieURLs(ctx context.Context, sc *scenario.Scenario, navigate func(ctx context.Context, url string) error) error {
	for _, u := range cookieURLs(sc) {
		if err := navigate(ctx, u); err != nil {
			return &cookieVisitError{URL: u, Err: err}
		}
	}
	return nil
}

// cookieVisitError is a cookie URL whose page did not load.
type cookieVisitError struct {
	URL string
	Err error
}

func (e *cookieVisitError) Error() string {
	return "setting the scenario's cookies: loading " + e.URL + ": " + e.Err.Error()
}

func (e *cookieVisitError) Unwrap() error { return e.Err }

// awaitFavicon waits up to max for a favicon request outside any step
// (WebKit asks for a page's favicon once it has loaded), then forgets the
// count, so that the next page's wait starts afresh.
func (s *scriptServer) awaitFavicon(ctx context.Context, max time.Duration) error {
	for deadline := time.Now().Add(max); s.pageFavicons() == 0 && time.Now().Before(deadline); {
		select {
		case <-time.After(10 * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	s.mu.Lock()
	s.favicons = 0
	s.mu.Unlock()
	return nil
}
