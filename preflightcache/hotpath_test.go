package preflightcache

import (
	"fmt"
	"testing"
	"time"
)

// hitFixture returns a cache under p holding a preflight for keyA and a
// request it covers.
func hitFixture(p Policy) (*Cache, Request) {
	c := New(p)
	return c, storeFixture(c)
}

// storeFixture stores the fixture's preflight in c and returns the request
// it covers.
func storeFixture(c *Cache) Request {
	stored := credReq("PUT", "x-a", "x-b")
	storeUsable(c, keyA, Result{
		Methods:     []string{"PUT", "DELETE"},
		Headers:     []string{"X-A", "X-B", "Content-Type"},
		Credentials: true,
		MaxAge:      time.Minute,
	}, stored, t0)
	return credReq("PUT", "x-a", "x-b")
}

func TestLookup_hit_does_not_allocate(t *testing.T) {
	for _, p := range allPolicies() {
		t.Run(p.name, func(t *testing.T) {
			c, r := hitFixture(p.policy)
			now := t0.Add(time.Second)
			if m := c.Lookup(keyA, r, now); !m.Hit {
				t.Fatalf("fixture does not hit: %+v", m)
			}
			allocs := testing.AllocsPerRun(200, func() {
				c.Lookup(keyA, r, now)
			})
			if allocs != 0 {
				t.Errorf("Lookup hit allocates %v times, want 0", allocs)
			}
		})
	}
}

func TestLookup_miss_without_headers_does_not_allocate(t *testing.T) {
	// A miss allocates only for its reason sentence or MissingHeaders;
	// a miss on a missing key with no unsafe headers needs neither.
	for _, p := range allPolicies() {
		c := New(p.policy)
		r := req("PUT")
		allocs := testing.AllocsPerRun(200, func() {
			c.Lookup(keyA, r, t0)
		})
		if allocs != 0 {
			t.Errorf("%s: Lookup miss allocates %v times, want 0", p.name, allocs)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	for _, p := range allPolicies() {
		c := New(p.policy)
		// A realistic population: many other keys, then the fixture (last,
		// so that a bounded cache has not evicted it).
		for i := range 900 {
			c.Store(keyN(i), result(time.Minute, list("PUT")), req("PUT"), t0)
		}
		r := storeFixture(c)
		now := t0.Add(time.Second)
		if m := c.Lookup(keyA, r, now); !m.Hit {
			b.Fatalf("%s: fixture does not hit: %+v", p.name, m)
		}
		b.Run("hit/"+p.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.Lookup(keyA, r, now)
			}
		})
		absent := Key{Origin: "http://a.test", URL: "http://b.test/absent"}
		b.Run("miss_no_entry/"+p.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.Lookup(absent, r, now)
			}
		})
		b.Run("miss_hostile_header_list/"+p.name, func(b *testing.B) {
			hostile := req("PUT")
			for i := range 200 {
				hostile.UnsafeHeaderNames = append(hostile.UnsafeHeaderNames, fmt.Sprintf("x-h%d", i))
			}
			k := Key{Origin: "http://a.test", URL: "http://b.test/hostile"}
			fc := New(p.policy)
			b.ReportAllocs()
			for b.Loop() {
				// Firefox and the spec keep an insufficient entry, the
				// others erase it: store again so every lookup sees one.
				fc.Store(k, result(time.Minute, list("PUT"), "x-a"), req("PUT"), t0)
				fc.Lookup(k, hostile, now)
			}
		})
	}
}

func BenchmarkStore(b *testing.B) {
	for _, p := range allPolicies() {
		b.Run(p.name, func(b *testing.B) {
			c := New(p.policy)
			r := result(time.Minute, list("PUT", "DELETE"), "X-A", "X-B")
			q := req("PUT", "x-a")
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				c.Store(keyN(i%2048), r, q, t0)
				i++
			}
		})
	}
}
