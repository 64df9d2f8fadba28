package preflightcache

import (
	"runtime"
	"strconv"
	"testing"
	"time"
)

// maxFullCacheBytes is issue 10's memory budget for one full cache, every
// policy: a thousandth of a headless Chromium (about 380 MiB).
const maxFullCacheBytes = 380 << 10

// fullCacheBytes returns the heap a cache under p holds once full of
// preflights shaped like a crawler's (two methods, two headers, a fresh
// origin and URL string per key), measured with runtime.MemStats: the
// cache itself, its index, its entries and the key strings only it keeps.
func fullCacheBytes(p Policy) (uint64, *Cache) {
	before := heapInUse()
	c := New(p)
	for i := range p.MaxEntries {
		k := Key{Origin: "https://origin-" + strconv.Itoa(i%97) + ".example", URL: "https://api.example/items/" + strconv.Itoa(i)}
		storeUsable(c, k, Result{Methods: []string{"PUT", "DELETE"}, Headers: []string{"X-Request-Id", "Content-Type"}, MaxAge: time.Hour}, Request{Method: "PUT"}, t0)
	}
	after := heapInUse()
	return after - before, c
}

// A full cache of every ready policy fits the budget.
func TestFullCacheFitsTheBudget(t *testing.T) {
	for _, p := range allPolicies() {
		t.Run(p.name, func(t *testing.T) {
			got, c := fullCacheBytes(p.policy)
			if c.Len() != p.policy.MaxEntries {
				t.Fatalf("Len = %d, want the bound %d", c.Len(), p.policy.MaxEntries)
			}
			t.Logf("%s: %d entries hold %d bytes, %d per entry", p.name, c.Len(), got, got/uint64(c.Len()))
			if got > maxFullCacheBytes {
				t.Errorf("a full %s cache holds %d bytes (%d per entry), above the budget of %d", p.name, got, got/uint64(c.Len()), maxFullCacheBytes)
			}
			runtime.KeepAlive(c)
		})
	}
}
