package preflightcache

import (
	"sync"
	"testing"
	"time"
)

func TestCache_concurrent_use(t *testing.T) {
	policies := allPolicies()
	small := ChromiumPolicy()
	small.MaxEntries = 12
	policies = append(policies, namedPolicy{"chromium_bounded_to_12", small})
	smallFF := FirefoxPolicy()
	smallFF.MaxEntries = 3
	policies = append(policies, namedPolicy{"firefox_bounded_to_3", smallFF})
	for _, p := range policies {
		t.Run(p.name, func(t *testing.T) {
			var mu sync.Mutex
			next := 0
			c := New(p.policy, WithRand(func(n int) int {
				// Called with the cache locked; its own state needs its
				// own lock.
				mu.Lock()
				defer mu.Unlock()
				next++
				return next % n
			}))
			var wg sync.WaitGroup
			for g := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range 500 {
						k := keyN((g*7 + i) % 20)
						now := t0.Add(time.Duration(i) * 100 * time.Millisecond)
						switch i % 4 {
						case 0, 1:
							c.Store(k, result(time.Second, list("PUT"), "x-a"), req("PUT", "x-a"), now)
						case 2:
							c.Lookup(k, req("PUT", "x-a"), now)
						default:
							if i%40 == 3 {
								c.Clear(k)
							}
						}
						if n, limit := c.Len(), p.policy.MaxEntries; limit > 0 && n > limit {
							t.Errorf("Len = %d, above MaxEntries %d", n, limit)
							return
						}
					}
				}()
			}
			wg.Wait()
		})
	}
}
