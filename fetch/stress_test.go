package fetch_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/corsim/corsim/fetch"
	"github.com/corsim/corsim/origin"
	"github.com/corsim/corsim/preflightcache"
)

// stressServer answers preflights and requests for URLs /0 … /n-1 by kind
// (i % 4): 0 allows PUT for 2 s, 1 allows it uncached (Max-Age 0), 2 fails
// every preflight, 3 allows the preflight for 2 s but fails the request's
// CORS check. It records, per URL, the latest expiry a preflight it allowed
// can have, and checks every PUT that reaches it against that record.
type stressServer struct {
	clock   *atomic.Int64 // virtual nanoseconds since fixedClock()
	mu      sync.Mutex
	expiry  map[string]int64 // URL path → latest allowed preflight's expiry
	count   map[string]int   // method + " " + path → requests received
	started sync.Map         // X-Req-Id → the clock when that fetch began
	errs    []string
}

func (s *stressServer) fail(format string, args ...any) {
	s.mu.Lock()
	s.errs = append(s.errs, fmt.Sprintf(format, args...))
	s.mu.Unlock()
}

func (s *stressServer) RoundTrip(r *http.Request) (*http.Response, error) {
	i, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
	s.mu.Lock()
	s.count[r.Method+" "+r.URL.Path]++
	s.mu.Unlock()
	kind := i % 4
	h := http.Header{"Access-Control-Allow-Origin": {"http://a.test"}, "X-Secret": {"s"}}
	status := 200
	switch r.Method {
	case http.MethodOptions:
		status = 204
		h.Set("Access-Control-Allow-Methods", "PUT")
		h.Set("Access-Control-Allow-Headers", "X-Req-Id")
		age := 2
		switch kind {
		case 1:
			age = 0
		case 2:
			h.Del("Access-Control-Allow-Origin")
		}
		h.Set("Access-Control-Max-Age", strconv.Itoa(age))
		if kind != 2 {
			exp := s.clock.Load() + int64(age)*int64(time.Second)
			s.mu.Lock()
			if exp > s.expiry[r.URL.Path] {
				s.expiry[r.URL.Path] = exp
			}
			s.mu.Unlock()
		}
	case http.MethodPut:
		id := r.Header.Get("X-Req-Id")
		start, _ := s.started.Load(id)
		s.mu.Lock()
		exp, ok := s.expiry[r.URL.Path]
		s.mu.Unlock()
		switch {
		case kind == 2:
			s.fail("PUT %s reached the server though every preflight for it fails", r.URL.Path)
		case !ok || start == nil || exp < start.(int64):
			// Only a preflight still live when the fetch began (or one
			// the fetch sent itself, even with Max-Age 0) may admit a
			// PUT.
			s.fail("PUT %s (fetch %s began at %v) admitted with no preflight live then (latest expiry %v)", r.URL.Path, id, start, exp)
		}
		if kind == 3 {
			h.Del("Access-Control-Allow-Origin")
		}
	}
	return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader("body")), Request: r}, nil
}

// TestStressOneClientSharedCache runs 64 goroutines on one client per
// profile, whose cache is also shared with a second client, with simple,
// preflighted and failing requests on a clock the goroutines move forward.
// The server checks that no PUT passes without a live preflight, and a
// watcher checks the cache's bound while they run; run it under -race.
func TestStressOneClientSharedCache(t *testing.T) {
	const goroutines, perGoroutine, urls = 64, 24, 32
	for _, p := range allProfiles() {
		t.Run(p.Name, func(t *testing.T) {
			var clock atomic.Int64
			now := func() time.Time { return fixedClock().Add(time.Duration(clock.Load())) }
			srv := &stressServer{clock: &clock, expiry: map[string]int64{}, count: map[string]int{}}
			cache := preflightcache.New(p.Cache)
			doc := origin.MustParse("http://a.test")
			c1, err := fetch.NewClient(doc, srv, now, fetch.WithProfile(p), fetch.WithCache(cache))
			if err != nil {
				t.Fatal(err)
			}
			c2, _ := fetch.NewClient(doc, srv, now, fetch.WithProfile(p), fetch.WithCache(cache))
			done := make(chan struct{})
			var watcher sync.WaitGroup
			watcher.Add(1)
			go func() {
				defer watcher.Done()
				for {
					select {
					case <-done:
						return
					default:
					}
					if n := cache.Len(); n > p.Cache.MaxEntries {
						srv.fail("cache Len %d above MaxEntries %d", n, p.Cache.MaxEntries)
					}
					time.Sleep(time.Millisecond)
				}
			}()
			var wg sync.WaitGroup
			var ids atomic.Int64
			for g := range goroutines {
				wg.Add(1)
				go func() {
					defer wg.Done()
					client := c1
					if g%8 == 7 {
						client = c2
					}
					for i := range perGoroutine {
						n := (g*7 + i*5) % urls
						url := "http://b.test/" + strconv.Itoa(n)
						clock.Add(int64(37 * time.Millisecond))
						id := strconv.FormatInt(ids.Add(1), 10)
						srv.started.Store(id, clock.Load())
						var req *fetch.Request
						switch i % 3 {
						case 0: // simple
							req = &fetch.Request{URL: url}
						default: // preflighted
							req = &fetch.Request{URL: url, Method: "PUT", Header: http.Header{"X-Req-Id": {id}}, Body: []byte("x")}
						}
						resp, err := client.Fetch(context.Background(), req)
						kind := n % 4
						wantOK := req.Method == "" || kind == 0 || kind == 1
						if (err == nil) != wantOK {
							srv.fail("%s %s (kind %d): response %v, error %v", req.Method, url, kind, resp, err)
						}
						if err == nil && len(resp.HeaderNames()) != 0 {
							srv.fail("%s: script reads %v, none exposed", url, resp.HeaderNames())
						}
					}
				}()
			}
			wg.Wait()
			close(done)
			watcher.Wait()
			// Max-Age 0 caches nothing: every PUT had its own preflight.
			for n := 1; n < urls; n += 4 {
				path := "/" + strconv.Itoa(n)
				if puts, opts := srv.count["PUT "+path], srv.count["OPTIONS "+path]; puts > opts {
					t.Errorf("%s: %d PUTs after %d preflights with Max-Age 0", path, puts, opts)
				}
			}
			if cache.Len() > p.Cache.MaxEntries {
				t.Errorf("cache Len %d above MaxEntries %d", cache.Len(), p.Cache.MaxEntries)
			}
			for _, e := range srv.errs {
				t.Error(e)
			}
		})
	}
}
