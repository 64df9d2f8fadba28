package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/corsim/corsim/scenario"
	"github.com/google/go-cmp/cmp"
)

// The wire of a format-1 scenario keeps format 1's four headers, so that a
// format-1 file records exactly what it always did; format 2 adds the
// cookies sent, the referrer and the fetch metadata.
func TestScriptServerRecordsTheFormatsWireHeaders(t *testing.T) {
	srv, addr, _ := testServer(t)
	request := "GET /r HTTP/1.1\r\nHost: b.test\r\nOrigin: http://a.test\r\nCookie: c=1; d=2\r\nReferer: http://a.test/\r\n" +
		"Sec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: cors\r\nSec-Fetch-Dest: empty\r\nUser-Agent: test\r\nAccept: */*\r\n\r\n"
	for _, tt := range []struct {
		format int
		want   map[string]string
	}{
		{1, map[string]string{"origin": "http://a.test"}},
		{2, map[string]string{"origin": "http://a.test", "cookie": "c=1; d=2", "referer": "http://a.test/",
			"sec-fetch-site": "cross-site", "sec-fetch-mode": "cors", "sec-fetch-dest": "empty"}},
	} {
		srv.load(&scenario.Scenario{Format: tt.format, Origin: "http://a.test"})
		srv.beginStep(nil)
		exchange(t, addr, false, nil, request)
		want := []scenario.WireRequest{{Method: "GET", URL: "http://b.test/r", Headers: tt.want}}
		if diff := cmp.Diff(want, srv.endStep()); diff != "" {
			t.Errorf("format %d wire (-want +got):\n%s", tt.format, diff)
		}
	}
}

// Outside a step, a cookie's URL answers with the page and that URL's
// Set-Cookie lines in file order; it is no stray request.
func TestScriptServerSetsTheScenariosCookiesOnAFirstPartyVisit(t *testing.T) {
	srv, addr, _ := testServer(t)
	srv.load(&scenario.Scenario{Format: 2, Origin: "http://a.test", Cookies: []scenario.Cookie{
		{URL: "http://b.test/", Set: "a=1; SameSite=None; Secure"},
		{URL: "http://c.test/", Set: "other=1"},
		{URL: "http://B.test/", Set: "b=2"},
		{URL: "http://b.test/p?q", Set: "p=3; Path=/p"},
	}})
	for _, tt := range []struct {
		request string
		want    []string
	}{
		{"GET / HTTP/1.1\r\nHost: b.test\r\n\r\n", []string{"a=1; SameSite=None; Secure", "b=2"}},
		{"GET /p?q HTTP/1.1\r\nHost: b.test\r\n\r\n", []string{"p=3; Path=/p"}},
		{"GET / HTTP/1.1\r\nHost: a.test\r\n\r\n", nil}, // the initiator page sets none
	} {
		got := exchange(t, addr, false, nil, tt.request)
		resp, err := http.ReadResponse(bufio.NewReader(strings.NewReader(got)), nil)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || string(body) != pageHTML {
			t.Errorf("%q: got %d %q, want the page", tt.request, resp.StatusCode, body)
		}
		if diff := cmp.Diff(tt.want, resp.Header.Values("Set-Cookie")); diff != "" {
			t.Errorf("%q: Set-Cookie (-want +got):\n%s", tt.request, diff)
		}
	}
	if stray := srv.takeStray(); len(stray) != 0 {
		t.Errorf("the cookie visits were logged as stray: %v", stray)
	}
	// During a step the cookie URL is the scenario's like any other.
	srv.beginStep(nil)
	if got := exchange(t, addr, false, nil, "GET / HTTP/1.1\r\nHost: b.test\r\n\r\n"); !strings.HasPrefix(got, "HTTP/1.1 404 ") {
		t.Errorf("in a step the cookie URL got %q, want the scenario's 404", got)
	}
	srv.endStep()
}

func TestCookieURLsAreVisitedOnceInFileOrder(t *testing.T) {
	sc := &scenario.Scenario{Format: 2, Cookies: []scenario.Cookie{
		{URL: "https://b.test/", Set: "a=1"}, {URL: "http://c.test/x", Set: "b=1"}, {URL: "https://B.test/", Set: "c=1"},
	}}
	var visited []string
	err := visitCookieURLs(context.Background(), sc, func(_ context.Context, url string) error {
		visited = append(visited, url)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"https://b.test/", "http://c.test/x"}, visited); diff != "" {
		t.Errorf("visits (-want +got):\n%s", diff)
	}
	if err := visitCookieURLs(context.Background(), &scenario.Scenario{Format: 1}, nil); err != nil {
		t.Errorf("a scenario without cookies visits nothing, got %v", err)
	}

	cause := context.DeadlineExceeded
	err = visitCookieURLs(context.Background(), sc, func(context.Context, string) error { return cause })
	var ve *cookieVisitError
	if !errors.As(err, &ve) || ve.URL != "https://b.test/" || !errors.Is(err, cause) {
		t.Errorf("a failed visit gives %v, want a cookieVisitError for https://b.test/ wrapping the cause", err)
	}
}

// The certificate and the listeners cover the cookies' URLs.
func TestScenarioPortsAndHostsIncludeTheCookies(t *testing.T) {
	sc := &scenario.Scenario{Format: 2, Origin: "http://a.test", Cookies: []scenario.Cookie{{URL: "https://c.test:9443/", Set: "a=1"}}}
	if diff := cmp.Diff([]int{80, 443, 9443}, scenarioPorts(sc)); diff != "" {
		t.Errorf("scenarioPorts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"a.test", "c.test"}, scenarioHosts([]*scenario.Scenario{sc})); diff != "" {
		t.Errorf("scenarioHosts (-want +got):\n%s", diff)
	}
}
