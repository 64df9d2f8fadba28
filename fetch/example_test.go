package fetch_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"time"

	"golang.org/x/net/publicsuffix"

	"github.com/corsim/corsim/cookie"
	"github.com/corsim/corsim/enforce"
	"github.com/corsim/corsim/fetch"
	"github.com/corsim/corsim/origin"
)

// A server developer checks their own handler against browser behaviour,
// in process.
func ExampleHandlerTransport() {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
			w.Header().Set("Access-Control-Allow-Methods", "PUT")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		// Forgot Access-Control-Allow-Origin on the actual response.
		w.Write([]byte("saved"))
	})
	clock := func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	c, _ := fetch.NewClient(origin.MustParse("https://app.example"), fetch.HandlerTransport{Handler: api}, clock)
	_, err := c.Fetch(context.Background(), &fetch.Request{URL: "https://api.example/items/1", Method: "PUT"})
	var ce *enforce.Error
	if errors.As(err, &ce) {
		fmt.Println(ce.Reason)
		fmt.Println(ce.Console())
	}
	// Output:
	// MissingAllowOriginHeader
	// Access to fetch at 'https://api.example/items/1' from origin 'https://app.example' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.
}

func ExampleClient_FetchTrace() {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("X-Secret", "1")
		w.Header().Set("Content-Type", "text/plain")
	})
	clock := func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	c, _ := fetch.NewClient(origin.MustParse("http://a.test"), fetch.HandlerTransport{Handler: api}, clock)
	resp, tr, err := c.FetchTrace(context.Background(), &fetch.Request{URL: "http://b.test/r"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.Type, resp.Status, resp.HeaderNames())
	for _, s := range tr.Steps {
		fmt.Println(s.Section, "—", s.Outcome)
	}
	// Output:
	// cors 200 [content-type]
	// Fetch §4.1 Main fetch — cross-origin request in mode cors: response tainting is cors; a simple request: no preflight
	// Fetch §4.6 HTTP-network-or-cache fetch — the request was sent
	// Fetch §4.10 CORS check — passes
	// Fetch §4.1 Main fetch — a cors filtered response: script can read content-type
}

// A crawler sees the web as a page does: blocked responses are errors.
func ExampleEnforcingTransport() {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "http://a.test")
		w.Write([]byte("hello"))
	})
	clock := func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	c, _ := fetch.NewClient(origin.MustParse("http://a.test"), fetch.HandlerTransport{Handler: api}, clock)
	hc := &http.Client{Transport: fetch.EnforcingTransport{Client: c}}
	resp, err := hc.Get("http://b.test/data")
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(body))
	// Output: 200 hello
}

// A crawler: an http.Client whose transport is a page at
// https://app.example.com with its cookie jar. The jar belongs to the Client,
// not to http.Client; credentials, mode and the rest are set per request
// through the context, and the response tells what script would see.
func ExampleEnforcingTransport_crawler() {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/me", http.StatusMovedPermanently)
			return
		}
		fmt.Fprintf(w, "cookie=%q site=%s", r.Header.Get("Cookie"), r.Header.Get("Sec-Fetch-Site"))
	})
	inner, _ := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
	jar, _ := cookie.New(inner)
	// A first-party login at the API left a session cookie.
	jar.SetCookies(&url.URL{Scheme: "https", Host: "api.example.com", Path: "/"}, []*http.Cookie{
		{Name: "session", Value: "s3cr3t", Secure: true, SameSite: http.SameSiteNoneMode},
	})
	clock := func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	c, _ := fetch.NewClient(origin.MustParse("https://app.example.com"), fetch.HandlerTransport{Handler: api}, clock,
		fetch.WithCookieJar(jar), fetch.WithUserAgent("ExampleBot/1.0 (like Chrome)"))
	hc := &http.Client{Transport: fetch.EnforcingTransport{Client: c}}

	for _, cred := range []fetch.Credentials{fetch.CredentialsSameOrigin, fetch.CredentialsInclude} {
		ctx := fetch.WithRequestOptions(context.Background(), fetch.RequestOptions{Credentials: cred})
		req, _ := http.NewRequestWithContext(ctx, "GET", "https://api.example.com/old", nil)
		resp, err := hc.Do(req)
		if err != nil {
			fmt.Println(err)
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		info, _ := fetch.ResponseInfoOf(resp)
		fmt.Println(cred, resp.StatusCode, info.Type, info.Redirected, resp.Request.URL)
		fmt.Println(" ", string(body))
	}
	// Output:
	// same-origin 200 cors true https://api.example.com/me
	//   cookie="" site=same-site
	// include 200 cors true https://api.example.com/me
	//   cookie="session=s3cr3t" site=same-site
}

// Per-request options travel in the request's context; zero fields keep
// the transport's defaults.
func ExampleWithRequestOptions() {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		fmt.Fprint(w, "data")
	})
	clock := func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	c, _ := fetch.NewClient(origin.MustParse("https://a.example"), fetch.HandlerTransport{Handler: api}, clock)
	hc := &http.Client{Transport: fetch.EnforcingTransport{Client: c, Mode: fetch.ModeCORS}}
	for _, mode := range []fetch.Mode{"", fetch.ModeNoCORS} {
		ctx := fetch.WithRequestOptions(context.Background(), fetch.RequestOptions{Mode: mode})
		req, _ := http.NewRequestWithContext(ctx, "GET", "https://b.example/r", nil)
		resp, err := hc.Do(req)
		if err != nil {
			fmt.Println(err)
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		info, _ := fetch.ResponseInfoOf(resp)
		fmt.Printf("%s: %d %q\n", info.Type, resp.StatusCode, body)
	}
	// Output:
	// cors: 200 "data"
	// opaque: 0 ""
}

// ResponseInfoOf tells what script sees beyond status, headers and body;
// resp.Request.URL is the URL of the last request, after redirects.
func ExampleResponseInfoOf() {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/new", http.StatusFound)
		}
	})
	clock := func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	c, _ := fetch.NewClient(origin.MustParse("https://a.example"), fetch.HandlerTransport{Handler: api}, clock)
	hc := &http.Client{Transport: fetch.EnforcingTransport{Client: c}}
	resp, err := hc.Get("https://b.example/old")
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	info, _ := fetch.ResponseInfoOf(resp)
	fmt.Println(info.Type, info.URL, info.Redirected, resp.Request.URL)
	// Output: cors https://b.example/new true https://b.example/new
}

// The wire as the server sees it: the User-Agent the crawler configured
// and the headers the browser adds (fetch metadata only to potentially
// trustworthy URLs such as https).
func ExampleWithUserAgent() {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		for _, k := range []string{"User-Agent", "Accept", "Accept-Language", "Referer", "Sec-Fetch-Site", "Sec-Fetch-Mode", "Sec-Fetch-Dest"} {
			fmt.Fprintf(w, "%s: %s\n", k, r.Header.Get(k))
		}
	})
	clock := func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	c, _ := fetch.NewClient(origin.MustParse("https://a.example"), fetch.HandlerTransport{Handler: api}, clock,
		fetch.WithUserAgent("ExampleBot/1.0"), fetch.WithAcceptLanguage("fr-FR,fr;q=0.9"), fetch.WithDocumentURL("https://a.example/page?x=1"))
	resp, err := c.Fetch(context.Background(), &fetch.Request{URL: "https://b.example/r"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(resp.Body))
	// Output:
	// User-Agent: ExampleBot/1.0
	// Accept: */*
	// Accept-Language: fr-FR,fr;q=0.9
	// Referer: https://a.example/
	// Sec-Fetch-Site: cross-site
	// Sec-Fetch-Mode: cors
	// Sec-Fetch-Dest: empty
}

// The cookie jar belongs to the Client: an http.Client with its own jar
// would add cookies whatever the credentials mode, so the transport
// refuses the request.
func ExampleWithCookieJar() {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	jar, _ := cookiejar.New(nil)
	jar.SetCookies(&url.URL{Scheme: "https", Host: "b.example"}, []*http.Cookie{{Name: "sid", Value: "1"}})
	clock := func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	c, _ := fetch.NewClient(origin.MustParse("https://a.example"), fetch.HandlerTransport{Handler: api}, clock)
	hc := &http.Client{Transport: fetch.EnforcingTransport{Client: c}, Jar: jar} // the mistake
	_, err := hc.Get("https://b.example/r")
	fmt.Println(errors.Is(err, fetch.ErrRequestCookie))
	// Output: true
}
