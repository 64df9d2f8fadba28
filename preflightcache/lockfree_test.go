package preflightcache

import (
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// Lookup's shared path reads the index and its entries without a lock
// while Store, Clear and Lookup's locked path change them. A hit it reports
// must be the cache's answer at some moment of the operation it overlaps:
// for a single operation, the answer before it or the answer after it.
// Readers here run that path for every probe, over and over, while one
// operation at a time changes the cache; under -race this also checks
// that no reader reads what a writer writes.
func TestLockFreeHitsAreLinearizable(t *testing.T) {
	for _, mc := range machineCases() {
		if mc.policy.Eviction == EvictLRU {
			// Firefox's hits change the LRU order: they take the lock.
			continue
		}
		t.Run(mc.name, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) { runConcurrentReaders(t, mc.policy) })
		})
	}
}

// probe is a lookup the readers repeat.
type probe struct {
	key Key
	req Request
}

func runConcurrentReaders(t *rapid.T, p Policy) {
	g := &lcg{rapid.Uint64().Draw(t, "seed")}
	c := New(p, WithRand(g.next))
	now := t0
	var probes []probe
	for _, o := range modelOrigins[:2] {
		for _, u := range modelURLs[:3] {
			k := Key{Origin: o, URL: u}
			for _, cred := range []bool{false, true} {
				probes = append(probes,
					probe{k, Request{Method: "PUT", UnsafeHeaderNames: []string{"x-a"}, Credentials: cred, OpaqueOrigin: o == "null"}},
					probe{k, Request{Method: "GET", Credentials: cred, OpaqueOrigin: o == "null"}})
			}
		}
	}
	hits := func(at time.Time) []bool {
		out := make([]bool, len(probes))
		for i, pr := range probes {
			out[i] = sharedHit(c, pr, at)
		}
		return out
	}
	// during runs op while two readers probe, and checks their hits.
	during := func(t *rapid.T, op func()) {
		before := hits(now)
		seen := make([]atomic.Bool, len(probes))
		var stop atomic.Bool
		var wg sync.WaitGroup
		for r := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := r; !stop.Load() || i < 2*len(probes); i++ {
					pr := probes[i%len(probes)]
					if sharedHit(c, pr, now) {
						seen[i%len(probes)].Store(true)
					}
				}
			}()
		}
		op()
		stop.Store(true)
		wg.Wait()
		after := hits(now)
		for i := range probes {
			if seen[i].Load() && !before[i] && !after[i] {
				t.Fatalf("a reader hit %+v during the operation, which misses before and after it", probes[i])
			}
		}
	}
	methods := []string{"PUT", "GET", "*", "DELETE"}
	headers := []string{"x-a", "X-A", "*", "x-b"}
	t.Repeat(map[string]func(*rapid.T){
		"store": func(t *rapid.T) {
			pr := rapid.SampledFrom(probes).Draw(t, "probe")
			r := Result{
				Methods:     rapid.SliceOfN(rapid.SampledFrom(methods), 0, 2).Draw(t, "methods"),
				Headers:     rapid.SliceOfN(rapid.SampledFrom(headers), 0, 2).Draw(t, "headers"),
				Credentials: pr.req.Credentials,
				MaxAge:      rapid.SampledFrom([]time.Duration{0, time.Second, time.Minute}).Draw(t, "age"),
			}
			during(t, func() { c.Store(pr.key, r, pr.req, now) })
		},
		"lookup": func(t *rapid.T) {
			pr := rapid.SampledFrom(probes).Draw(t, "probe")
			during(t, func() { c.Lookup(pr.key, pr.req, now) })
		},
		"clear": func(t *rapid.T) {
			pr := rapid.SampledFrom(probes).Draw(t, "probe")
			during(t, func() { c.Clear(pr.key) })
		},
		"advance": func(t *rapid.T) {
			now = now.Add(rapid.SampledFrom([]time.Duration{500 * time.Millisecond, time.Second, time.Minute}).Draw(t, "step"))
		},
		"": func(t *rapid.T) {
			// Every shared hit is a hit of Lookup itself.
			for i, hit := range hits(now) {
				if hit && !c.Lookup(probes[i].key, probes[i].req, now).Hit {
					t.Fatalf("the shared path hits %+v, Lookup misses", probes[i])
				}
			}
			if slices.Contains(hits(now), true) && c.Len() == 0 {
				t.Fatalf("a hit in an empty cache")
			}
		},
	})
}

// sharedHit runs Lookup's lock-free path alone.
func sharedHit(c *Cache, pr probe, now time.Time) bool {
	cred := c.policy.CredentialsInKey && pr.req.Credentials
	k := pr.key
	return c.lookupShared(c.hashKey(&k, cred), &k, cred, pr.req, instantOf(now))
}
