package preflightcache

import (
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/corsim/corsim/internal/benchcpu"
)

// The benchmarks of issue 10, beside the code. Each runs under every ready
// policy; docs/performance.md records the figures and how to re-run them.

// hitKeys is how many distinct cached keys the hit benchmarks look up in
// turn: a crawler's working set, large enough that goroutines seldom meet
// on one key, small enough to stay in cache.
const hitKeys = 64

// hitCache returns a cache under p holding a realistic population (900
// other preflights, fewer than every bound) and hitKeys keys each holding a
// preflight that covers the returned request, a credentialed PUT with two
// unsafe headers.
func hitCache(tb testing.TB, p Policy) (*Cache, []Key, Request, time.Time) {
	c := New(p)
	for i := range 900 {
		c.Store(Key{Origin: "https://other.example", URL: "https://api.example/other/" + strconv.Itoa(i)},
			result(time.Hour, list("PUT")), req("PUT"), t0)
	}
	keys := make([]Key, hitKeys)
	r := credReq("PUT", "x-request-id", "content-type")
	for i := range keys {
		keys[i] = Key{Origin: "https://app.example", URL: "https://api.example/items/" + strconv.Itoa(i)}
		storeUsable(c, keys[i], Result{
			Methods:     []string{"PUT", "DELETE"},
			Headers:     []string{"X-Request-Id", "Content-Type"},
			Credentials: true,
			MaxAge:      time.Hour,
		}, r, t0)
	}
	now := t0.Add(time.Second)
	for _, k := range keys {
		if m := c.Lookup(k, r, now); !m.Hit {
			tb.Fatalf("fixture does not hit %v: %+v", k, m)
		}
	}
	return c, keys, r, now
}

// BenchmarkPreflightCacheHit is one Lookup that lets a request skip its
// preflight.
func BenchmarkPreflightCacheHit(b *testing.B) {
	for _, p := range allPolicies() {
		b.Run(p.name, func(b *testing.B) {
			c, keys, r, now := hitCache(b, p.policy)
			b.ReportAllocs()
			i := 0
			cpu := benchcpu.Start(b)
			for b.Loop() {
				c.Lookup(keys[i%hitKeys], r, now)
				i++
			}
			cpu.Stop()
		})
	}
}

// BenchmarkPreflightCacheHitParallel is the same hit from every P at once,
// each goroutine walking the keys from its own place; compare ns/op at
// -cpu 1 and -cpu 2.
func BenchmarkPreflightCacheHitParallel(b *testing.B) {
	for _, p := range allPolicies() {
		b.Run(p.name, func(b *testing.B) {
			c, keys, r, now := hitCache(b, p.policy)
			b.ReportAllocs()
			var start atomic.Int32
			b.ResetTimer()
			cpu := benchcpu.Start(b)
			defer cpu.Stop()
			b.RunParallel(func(pb *testing.PB) {
				// Each goroutine starts on its own key; no shared state.
				i := int(start.Add(1)) * 7
				for pb.Next() {
					c.Lookup(keys[i%hitKeys], r, now)
					i++
				}
			})
		})
	}
}

// BenchmarkPreflightCacheStoreFull is a Store of a new key into a cache
// that is full under its policy's bound, so every store evicts (or, under
// Chromium's purge, every tenth store purges ten). Under Firefox's
// FirstResultUnused a key's first result is dropped, so an operation there
// is the two stores that keep one (storeUsable), as a crawler meets them.
func BenchmarkPreflightCacheStoreFull(b *testing.B) {
	for _, p := range allPolicies() {
		b.Run(p.name, func(b *testing.B) {
			c := New(p.policy)
			res := Result{Methods: []string{"PUT", "DELETE"}, Headers: []string{"X-Request-Id", "Content-Type"}, MaxAge: time.Hour}
			q := req("PUT", "x-request-id")
			const distinct = 1 << 16
			keys := make([]Key, distinct)
			for i := range keys {
				keys[i] = Key{Origin: "https://app.example", URL: "https://api.example/items/" + strconv.Itoa(i)}
			}
			for i := range p.policy.MaxEntries {
				storeUsable(c, keys[i], res, q, t0)
			}
			if c.Len() != p.policy.MaxEntries {
				b.Fatalf("Len = %d after filling, want %d", c.Len(), p.policy.MaxEntries)
			}
			i := p.policy.MaxEntries
			b.ReportAllocs()
			cpu := benchcpu.Start(b)
			for b.Loop() {
				storeUsable(c, keys[i%distinct], res, q, t0)
				i++
			}
			cpu.Stop()
		})
	}
}
