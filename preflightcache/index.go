package preflightcache

import (
	"hash/maphash"
	"math"
	"sync/atomic"
	"time"
)

// table is the key index: an open-addressing hash table, probed linearly,
// whose slots are atomic pointers to entries. Lookup's shared path
// (lookupShared) probes it without any lock. Only operations holding
// Cache.mu change it, and they never change an entry a reader can reach:
// a changed entry is a new entry published in the old one's slot
// (Cache.replace), a removed one leaves a tombstone, and a table with too
// few empty slots is rebuilt into a new table that replaces it whole. So a
// reader sees, for its key, an entry that was the key's entry at the
// moment it loaded the slot, or none; it can miss an entry that is moved
// under it (a rebuild, a remove and insert of its key), which is harmless
// because a reader's miss is decided again under Cache.mu.
type table struct {
	slots []atomic.Pointer[entry]
	mask  uint64
	// used counts the slots that are not empty (entries and tombstones),
	// live the entries. Only holders of Cache.mu read or write them.
	used, live int
}

// tombstone marks a slot whose entry was removed: probes go past it.
// Nothing ever writes to it.
var tombstone = new(entry)

// minTableSlots is the size of a cache's first table.
const minTableSlots = 8

func newTable(slots int) *table {
	return &table{slots: make([]atomic.Pointer[entry], slots), mask: uint64(slots - 1)}
}

// get returns the entry for the entryKey {k, credentials}, whose hash is h,
// or nil.
func (t *table) get(h uint64, k *Key, credentials bool) *entry {
	tag := hashTag(h)
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		e := t.slots[i].Load()
		if e == nil {
			return nil
		}
		if e.tag == tag && e != tombstone && e.hasKey(k, credentials) {
			return e
		}
	}
}

// slotOf returns the slot holding e, whose hash is h. e must be in t.
func (t *table) slotOf(h uint64, e *entry) *atomic.Pointer[entry] {
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		if t.slots[i].Load() == e {
			return &t.slots[i]
		}
	}
}

// hashTag is the part of a hash that entries keep as their tag: the bits
// the slot position does not use, so that keys probed in one run seldom
// share it.
func hashTag(h uint64) uint16 { return uint16(h >> 48) }

// add puts e, whose hash is h and whose key t does not hold, in the first
// free slot of its probe sequence.
func (t *table) add(h uint64, e *entry) {
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		switch t.slots[i].Load() {
		case nil:
			t.used++
			fallthrough
		case tombstone:
			t.slots[i].Store(e)
			t.live++
			return
		}
	}
}

// full reports whether t needs rebuilding before one more entry is added:
// a quarter of its slots stay empty, so that every probe ends soon.
func (t *table) full() bool { return 4*(t.used+1) > 3*len(t.slots) }

// index returns the cache's table, creating it on first use: a client that
// never preflights (most replays) pays for none.
func (c *Cache) index() *table {
	t := c.table.Load()
	if t == nil {
		t = newTable(minTableSlots)
		c.table.Store(t)
	}
	return t
}

// indexAdd adds e, whose hash is h, to the index, under c.mu. When the
// table is too full it is first rebuilt without its tombstones, at a size
// where the entries fill at most a quarter of it. A full cache that
// replaces its entries one by one then rebuilds once every half table of
// stores (2,048 stores for 1,024 entries), so that the rebuild, which
// rehashes every entry, costs a store little.
func (c *Cache) indexAdd(h uint64, e *entry) {
	e.tag = hashTag(h)
	t := c.index()
	if t.full() {
		size := len(t.slots)
		for 4*(t.live+1) > size {
			size *= 2
		}
		nt := newTable(size)
		for i := range t.slots {
			if old := t.slots[i].Load(); old != nil && old != tombstone {
				ek := old.entryKey()
				nt.add(c.hash(&ek), old)
			}
		}
		nt.add(h, e)
		// Readers that loaded t finish on it: it no longer changes.
		c.table.Store(nt)
		return
	}
	t.add(h, e)
}

// indexDel removes e, whose hash is h, from the index, under c.mu.
func (c *Cache) indexDel(h uint64, e *entry) {
	t := c.table.Load()
	t.slotOf(h, e).Store(tombstone)
	t.live--
}

// indexReplace puts n in the slot of old, which has the same key and hash
// h, under c.mu.
func (c *Cache) indexReplace(h uint64, old, n *entry) {
	n.tag = old.tag
	c.table.Load().slotOf(h, old).Store(n)
}

// hash returns ek's hash under the cache's seed: one pass over the URL,
// one over the origin, and one over the partition when there is one.
func (c *Cache) hash(ek *entryKey) uint64 { return c.hashKey(&ek.Key, ek.credentials) }

// hashKey is hash of the entryKey {k, credentials}.
func (c *Cache) hashKey(k *Key, credentials bool) uint64 {
	h := maphash.String(c.seed, k.URL)
	h = h*0x100000001b3 ^ maphash.String(c.seed, k.Origin)
	if k.Partition != "" {
		h = h*0x100000001b3 ^ maphash.String(c.seed, k.Partition)
	}
	if credentials {
		h ^= 0x9e3779b97f4a7c15
	}
	return h
}

// instant is a time.Time reduced to what the cache compares, seconds and
// nanoseconds since the Unix epoch: 12 bytes without time.Time's location
// pointer, so that entries and names stay small. Instants compare as the
// times they come from, except that every time before the Unix second
// math.MinInt64 (some 292 billion years BC) is that second.
type instant struct {
	sec  int64
	nsec int32
}

// earliestInstant is the first time an instant tells apart.
var earliestInstant = time.Unix(math.MinInt64, 0)

func instantOf(t time.Time) instant {
	if t.Before(earliestInstant) {
		return instant{sec: math.MinInt64}
	}
	return instant{t.Unix(), int32(t.Nanosecond())}
}

// before reports whether a is before b, as time.Time.Before.
func (a instant) before(b instant) bool {
	return a.sec < b.sec || a.sec == b.sec && a.nsec < b.nsec
}
