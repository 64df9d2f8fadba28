package preflightcache_test

import (
	"fmt"
	"time"

	"github.com/corsim/corsim/preflightcache"
)

var start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func ExampleParseMaxAge() {
	for _, rule := range []preflightcache.MaxAgeRule{
		preflightcache.MaxAgeSpec,
		preflightcache.MaxAgeChromium,
		preflightcache.MaxAgeFirefox,
		preflightcache.MaxAgeWebKit,
	} {
		age, cacheable := preflightcache.ParseMaxAge(rule, []string{"600"})
		fmt.Println(age, cacheable)
	}
	// Output:
	// 10m0s true
	// 10m0s true
	// 10m0s true
	// 10m0s true
}

// A classic mistake: asking browsers to cache a preflight for a day.
// Chromium keeps it two hours and WebKit ten minutes.
func ExampleParseMaxAge_aDayIsCapped() {
	day := []string{"86400"}
	cr, _ := preflightcache.ParseMaxAge(preflightcache.MaxAgeChromium, day)
	ff, _ := preflightcache.ParseMaxAge(preflightcache.MaxAgeFirefox, day)
	wk, _ := preflightcache.ParseMaxAge(preflightcache.MaxAgeWebKit, day)
	fmt.Println("Chromium:", cr)
	fmt.Println("Firefox:", ff)
	fmt.Println("WebKit:", wk)
	// Output:
	// Chromium: 2h0m0s
	// Firefox: 24h0m0s
	// WebKit: 10m0s
}

// A classic mistake: a proxy and the application both add the header.
// Two lines make the value unusable: Chromium, WebKit and the standard fall
// back to 5 s, and Firefox does not cache the preflight at all.
func ExampleParseMaxAge_repeatedHeader() {
	twice := []string{"600", "600"}
	spec, _ := preflightcache.ParseMaxAge(preflightcache.MaxAgeSpec, twice)
	cr, _ := preflightcache.ParseMaxAge(preflightcache.MaxAgeChromium, twice)
	ff, ffOK := preflightcache.ParseMaxAge(preflightcache.MaxAgeFirefox, twice)
	fmt.Println("spec:", spec)
	fmt.Println("Chromium:", cr)
	fmt.Println("Firefox:", ff, ffOK)
	// Output:
	// spec: 5s
	// Chromium: 5s
	// Firefox: 0s false
}

// A classic mistake: a unit suffix. "10s" is not delta-seconds.
func ExampleParseMaxAge_unitSuffix() {
	spec, _ := preflightcache.ParseMaxAge(preflightcache.MaxAgeSpec, []string{"10s"})
	ff, ffOK := preflightcache.ParseMaxAge(preflightcache.MaxAgeFirefox, []string{"10s"})
	fmt.Println(spec, ff, ffOK)
	// Output: 5s 0s false
}

func ExampleMaxAgeRule_Cap() {
	fmt.Println(preflightcache.MaxAgeChromium.Cap())
	fmt.Println(preflightcache.MaxAgeWebKit.Cap())
	// Output:
	// 2h0m0s
	// 10m0s
}

func ExampleMethodSet_Contains() {
	fmt.Println(preflightcache.CORSSafelistedMethods.Contains("HEAD"))
	fmt.Println(preflightcache.FirefoxPolicy().ExemptMethodsOnHit.Contains("HEAD"))
	fmt.Println(preflightcache.CORSSafelistedMethods.Contains("get"))
	fmt.Println((preflightcache.CORSSafelistedMethods | preflightcache.MethodsIgnoreCase).Contains("get"))
	// Output:
	// true
	// false
	// false
	// true
}

func ExampleMethodSet_String() {
	fmt.Println(preflightcache.ChromiumPolicy().ExemptMethodsOnHit)
	fmt.Println(preflightcache.FirefoxPolicy().ExemptMethodsOnHit)
	// Output:
	// GET HEAD POST (ignoring case)
	// GET POST
}

func ExamplePolicy_Validate() {
	p := preflightcache.ChromiumPolicy()
	fmt.Println(p.Validate())
	p.MaxEntries = -1
	fmt.Println(p.Validate())
	// Output:
	// <nil>
	// preflightcache: Policy.MaxEntries -1 is negative (use 0 for unbounded)
}

func ExampleSpecPolicy() {
	// The standard keeps one entry per method, each with its own lifetime:
	// a second preflight adds DELETE without forgetting PUT.
	c := preflightcache.New(preflightcache.SpecPolicy())
	k := preflightcache.Key{Origin: "https://app.test", URL: "https://api.test/items"}
	c.Store(k, preflightcache.Result{Methods: []string{"PUT"}, MaxAge: 10 * time.Second},
		preflightcache.Request{Method: "PUT"}, start)
	c.Store(k, preflightcache.Result{Methods: []string{"DELETE"}, MaxAge: 10 * time.Second},
		preflightcache.Request{Method: "DELETE"}, start.Add(5*time.Second))
	for _, at := range []time.Duration{8 * time.Second, 12 * time.Second} {
		put := c.Lookup(k, preflightcache.Request{Method: "PUT"}, start.Add(at)).Hit
		del := c.Lookup(k, preflightcache.Request{Method: "DELETE"}, start.Add(at)).Hit
		fmt.Printf("at %v: PUT %v, DELETE %v\n", at, put, del)
	}
	// Output:
	// at 8s: PUT true, DELETE true
	// at 12s: PUT false, DELETE true
}

func ExampleChromiumPolicy() {
	// Chromium replaces the whole entry: after a preflight for DELETE, a
	// PUT needs a new preflight.
	c := preflightcache.New(preflightcache.ChromiumPolicy())
	k := preflightcache.Key{Origin: "https://app.test", URL: "https://api.test/items"}
	c.Store(k, preflightcache.Result{Methods: []string{"PUT"}, MaxAge: time.Minute},
		preflightcache.Request{Method: "PUT"}, start)
	c.Store(k, preflightcache.Result{Methods: []string{"DELETE"}, MaxAge: time.Minute},
		preflightcache.Request{Method: "DELETE"}, start.Add(time.Second))
	m := c.Lookup(k, preflightcache.Request{Method: "PUT"}, start.Add(2*time.Second))
	fmt.Println(m.Hit, m.Reason)
	// Output: false method "PUT" is not covered by the cached preflight
}

func ExampleFirefoxPolicy() {
	// Firefox caches `*` as a literal token: it never covers a method on a
	// cache hit, and HEAD is not exempt there either.
	c := preflightcache.New(preflightcache.FirefoxPolicy())
	k := preflightcache.Key{Origin: "https://app.test", URL: "https://api.test/items"}
	r := preflightcache.Result{Methods: []string{"*"}, Headers: []string{"X-Token"}, MaxAge: time.Minute}
	req := preflightcache.Request{Method: "PUT", UnsafeHeaderNames: []string{"x-token"}}
	// Firefox drops a key's first result (Policy.FirstResultUnused): the
	// second preflight's result is the one that stays.
	fmt.Println(c.Store(k, r, req, start), c.Store(k, r, req, start))
	at := start.Add(time.Second)
	fmt.Println(c.Lookup(k, preflightcache.Request{Method: "PUT", UnsafeHeaderNames: []string{"x-token"}}, at).Hit)
	fmt.Println(c.Lookup(k, preflightcache.Request{Method: "HEAD", UnsafeHeaderNames: []string{"x-token"}}, at).Hit)
	fmt.Println(c.Lookup(k, preflightcache.Request{Method: "GET", UnsafeHeaderNames: []string{"x-token"}}, at).Hit)
	// Output:
	// false true
	// false
	// false
	// true
}

func ExampleWebKitPolicy() {
	// WebKit lets a cached `*` cover Authorization; Chromium does not.
	k := preflightcache.Key{Origin: "https://app.test", URL: "https://api.test/items"}
	r := preflightcache.Result{Methods: []string{"PUT"}, Headers: []string{"*"}, MaxAge: time.Minute}
	req := preflightcache.Request{Method: "PUT", UnsafeHeaderNames: []string{"authorization"}}
	for _, p := range []preflightcache.Policy{preflightcache.WebKitPolicy(), preflightcache.ChromiumPolicy()} {
		c := preflightcache.New(p)
		c.Store(k, r, req, start)
		m := c.Lookup(k, req, start.Add(time.Second))
		fmt.Println(m.Hit, m.MissingHeaders)
	}
	// Output:
	// true []
	// false [authorization]
}

func ExampleNew() {
	c := preflightcache.New(preflightcache.ChromiumPolicy())
	fmt.Println(c.Len(), c.Policy().MaxEntries)
	// Output: 0 1024
}

func ExampleWithRand() {
	// A full Chromium cache erases ten entries that are contiguous in key
	// order, from a random position. Here the draw is always 1, so the run
	// starts at the second key.
	p := preflightcache.ChromiumPolicy()
	p.MaxEntries = 12
	c := preflightcache.New(p, preflightcache.WithRand(func(n int) int { return 1 }))
	key := func(i int) preflightcache.Key {
		return preflightcache.Key{Origin: "https://app.test", URL: fmt.Sprintf("https://api.test/%02d", i)}
	}
	r := preflightcache.Result{Methods: []string{"PUT"}, MaxAge: time.Minute}
	req := preflightcache.Request{Method: "PUT"}
	for i := range 13 {
		c.Store(key(i), r, req, start)
	}
	fmt.Println(c.Len())
	for _, i := range []int{0, 1, 10, 11, 12} {
		fmt.Println(i, c.Lookup(key(i), req, start).Hit)
	}
	// Output:
	// 3
	// 0 true
	// 1 false
	// 10 false
	// 11 true
	// 12 true
}

func ExampleCache_Store() {
	c := preflightcache.New(preflightcache.ChromiumPolicy())
	k := preflightcache.Key{Origin: "https://app.test", URL: "https://api.test/items"}
	age, _ := preflightcache.ParseMaxAge(preflightcache.MaxAgeChromium, []string{"600"})
	stored := c.Store(k, preflightcache.Result{
		Methods: []string{"PUT"},
		Headers: []string{"Content-Type", "X-Token"},
		MaxAge:  age,
	}, preflightcache.Request{Method: "PUT", UnsafeHeaderNames: []string{"content-type", "x-token"}}, start)
	fmt.Println(stored, c.Len())
	// Output: true 1
}

func ExampleCache_Lookup() {
	c := preflightcache.New(preflightcache.ChromiumPolicy())
	k := preflightcache.Key{Origin: "https://app.test", URL: "https://api.test/items"}
	req := preflightcache.Request{Method: "PUT", UnsafeHeaderNames: []string{"x-token"}}
	c.Store(k, preflightcache.Result{Methods: []string{"PUT"}, Headers: []string{"X-Token"}, MaxAge: 10 * time.Second}, req, start)

	m := c.Lookup(k, req, start.Add(time.Second))
	fmt.Println(m.Hit, m.Reason)
	m = c.Lookup(k, preflightcache.Request{Method: "PUT", UnsafeHeaderNames: []string{"x-token", "x-trace"}}, start.Add(2*time.Second))
	fmt.Println(m.Hit, m.MethodHit, m.MissingHeaders)
	// Output:
	// true a cached preflight covers the method and every header
	// false true [x-trace]
}

// A classic mistake: expecting one preflight to cover a whole API. The
// cache is keyed by URL, so /items/2 is preflighted again.
func ExampleCache_Lookup_perURL() {
	c := preflightcache.New(preflightcache.SpecPolicy())
	req := preflightcache.Request{Method: "DELETE"}
	c.Store(preflightcache.Key{Origin: "https://app.test", URL: "https://api.test/items/1"},
		preflightcache.Result{Methods: []string{"DELETE"}, MaxAge: time.Hour}, req, start)
	m := c.Lookup(preflightcache.Key{Origin: "https://app.test", URL: "https://api.test/items/2"}, req, start.Add(time.Second))
	fmt.Println(m.Hit, m.Reason)
	// Output: false no cached preflight for this origin and URL
}

// A classic mistake: answering `*` to a credentialed request. Chromium
// treats `*` as a wildcard only in an entry stored without credentials.
func ExampleCache_Lookup_wildcardWithCredentials() {
	c := preflightcache.New(preflightcache.ChromiumPolicy())
	k := preflightcache.Key{Origin: "https://app.test", URL: "https://api.test/items"}
	put := preflightcache.Request{Method: "PUT", Credentials: true}
	c.Store(k, preflightcache.Result{Methods: []string{"PUT", "*"}, Credentials: true, MaxAge: time.Minute}, put, start)
	m := c.Lookup(k, preflightcache.Request{Method: "DELETE", Credentials: true}, start.Add(time.Second))
	fmt.Println(m.Hit, m.Reason)
	// Output: false method "DELETE" is not covered by the cached preflight
}

func ExampleCache_Clear() {
	// Fetch clears a key's entries when a preflighted request fails its
	// CORS check; Firefox removes both credentials variants.
	c := preflightcache.New(preflightcache.FirefoxPolicy())
	k := preflightcache.Key{Origin: "https://app.test", URL: "https://api.test/items"}
	r := preflightcache.Result{Methods: []string{"PUT"}, MaxAge: time.Minute}
	// Twice each: Firefox drops a key's first result.
	for range 2 {
		c.Store(k, r, preflightcache.Request{Method: "PUT"}, start)
	}
	r.Credentials = true
	for range 2 {
		c.Store(k, r, preflightcache.Request{Method: "PUT", Credentials: true}, start)
	}
	fmt.Println(c.Len())
	c.Clear(k)
	fmt.Println(c.Len())
	// Output:
	// 2
	// 0
}

func ExampleCache_Len() {
	// Chromium keeps a stale entry until a lookup meets it.
	c := preflightcache.New(preflightcache.ChromiumPolicy())
	k := preflightcache.Key{Origin: "https://app.test", URL: "https://api.test/items"}
	req := preflightcache.Request{Method: "PUT"}
	c.Store(k, preflightcache.Result{Methods: []string{"PUT"}, MaxAge: time.Second}, req, start)
	fmt.Println(c.Len())
	c.Lookup(k, req, start.Add(time.Minute))
	fmt.Println(c.Len())
	// Output:
	// 1
	// 0
}

func ExampleCache_Policy() {
	c := preflightcache.New(preflightcache.WebKitPolicy())
	fmt.Println(c.Policy() == preflightcache.WebKitPolicy())
	// Output: true
}
