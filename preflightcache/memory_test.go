package preflightcache

import (
	"flag"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// distinctPreflights is how many distinct keys TestMemoryStaysFlat stores
// per policy: by default enough to cycle every bounded cache dozens of
// times. The measure (a million, which held 575 MB in the
// unbounded caches) is
// `go test ./preflightcache -run TestMemoryStaysFlat -preflights=1000000`.
var distinctPreflights = flag.Int("preflights", 50_000, "distinct preflights TestMemoryStaysFlat stores per policy")

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// Every ready policy's cache holds at most its bound, and its heap after
// storing many distinct preflights is what it was after filling it once:
// the entries are replaced, not accumulated. Half of the preflights carry a
// short max-age on a moving clock, so that expired entries are what makes
// room as often as the oldest ones.
func TestMemoryStaysFlat(t *testing.T) {
	for _, p := range allPolicies() {
		t.Run(p.name, func(t *testing.T) {
			if p.policy.MaxEntries <= 0 {
				t.Fatalf("policy %s is unbounded", p.name)
			}
			c := New(p.policy)
			now := t0
			store := func(i int) {
				age := time.Hour
				if i%2 == 0 {
					age = time.Second
				}
				k := Key{Origin: "https://origin-" + strconv.Itoa(i%97) + ".example", URL: "https://api.example/items/" + strconv.Itoa(i)}
				c.Store(k, Result{Methods: []string{"PUT", "DELETE"}, Headers: []string{"X-Request-Id", "Content-Type"}, MaxAge: age}, Request{Method: "PUT"}, now)
				now = now.Add(100 * time.Millisecond)
			}
			fill := 4 * p.policy.MaxEntries
			for i := range fill {
				store(i)
			}
			total := *distinctPreflights
			if raceEnabled {
				total = min(total, fill+8*p.policy.MaxEntries)
			}
			before := heapInUse()
			for i := fill; i < total; i++ {
				store(i)
				if i%4096 == 0 && c.Len() > p.policy.MaxEntries {
					t.Fatalf("Len = %d, above MaxEntries %d", c.Len(), p.policy.MaxEntries)
				}
			}
			after := heapInUse()
			if c.Len() > p.policy.MaxEntries {
				t.Errorf("Len = %d, above MaxEntries %d", c.Len(), p.policy.MaxEntries)
			}
			// An entry of this shape costs well under 1 KiB; the slack
			// is for the map's buckets and the runtime's own noise, far
			// below what a million entries would take (about
			// 100 MB at 500 B each).
			const slack = 4 << 20
			if after > before+slack {
				t.Errorf("heap grew from %d to %d bytes over %d distinct preflights", before, after, total-fill)
			}
			runtime.KeepAlive(c)
		})
	}
}

// A preflight stored at a clock near the end of time.Time's range keeps its
// max-age: now + age saturates instead of wrapping into the past, where the
// entry would be expired at once (or, with a wrapped clock, fresh forever).
func TestExpiryNearTheEndOfTimeSaturates(t *testing.T) {
	end := time.Unix(1<<63-1-62135596800, 999_999_999) // the latest time.Time
	for _, p := range allPolicies() {
		// 3 s before the end, a max-age of 5 s runs to the end of time.
		for _, now := range []time.Time{end.Add(-3 * time.Second), end.Add(-3*time.Second + 2*time.Second)} {
			c := New(p.policy)
			k := Key{Origin: "http://a.test", URL: "http://b.test/r"}
			if !storeUsable(c, k, Result{Methods: []string{"PUT"}, MaxAge: 5 * time.Second}, Request{Method: "PUT"}, now) {
				t.Fatalf("%s: nothing stored", p.name)
			}
			if m := c.Lookup(k, Request{Method: "PUT"}, now); !m.Hit {
				t.Errorf("%s at %v: the entry is expired at once: %s", p.name, now, m.Reason)
			}
		}
	}
}

// A preflight answer listing many names (as many as a 256 KiB header block
// holds) is stored in time linear in them: each name finds the cached
// tokens it can match through an index, not a scan (it used to take a
// minute for 40,000 names under the spec and Firefox merge rules). Every
// name is cached and found afterwards.
func TestStoringManyNamesCachesEveryName(t *testing.T) {
	n := 40_000
	if raceEnabled {
		n = 4_000
	}
	names := make([]string, n)
	for i := range names {
		names[i] = "X-" + strconv.Itoa(i)
	}
	for _, p := range allPolicies() {
		c := New(p.policy)
		k := Key{Origin: "http://a.test", URL: "http://b.test/r"}
		// Twice: the second store refreshes what the first created.
		for range 2 {
			c.Store(k, Result{Methods: names, Headers: names, MaxAge: time.Minute}, Request{Method: "X-1"}, t0)
		}
		for _, n := range []string{names[0], names[len(names)/2], names[len(names)-1]} {
			m := c.Lookup(k, Request{Method: n, UnsafeHeaderNames: []string{lowerASCII(n)}}, t0.Add(time.Second))
			if !m.Hit {
				t.Errorf("%s: %s not found after storing %d names: %s", p.name, n, len(names), m.Reason)
			}
		}
	}
}

func BenchmarkStoreManyNames(b *testing.B) {
	names := make([]string, 40_000)
	for i := range names {
		names[i] = "X-" + strconv.Itoa(i)
	}
	for _, p := range allPolicies() {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				c := New(p.policy)
				c.Store(Key{Origin: "o", URL: "u"}, Result{Methods: names, Headers: names, MaxAge: time.Minute}, Request{Method: "PUT"}, t0)
			}
		})
	}
}
