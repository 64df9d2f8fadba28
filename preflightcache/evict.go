package preflightcache

import (
	"cmp"
	"slices"
	"time"
)

// insert adds an empty entry for ek at the front of the order list, first
// making room under the policy's bound.
func (c *Cache) insert(ek entryKey, now time.Time) *entry {
	c.makeRoom(now)
	e := &entry{key: ek}
	c.entries[ek] = e
	c.linkFront(e)
	return e
}

// remove drops e from the cache.
func (c *Cache) remove(e *entry) {
	delete(c.entries, e.key)
	e.prev.next, e.next.prev = e.next, e.prev
	e.prev, e.next = nil, nil
}

// touch records a use of e: under EvictLRU it moves to the front.
func (c *Cache) touch(e *entry) {
	if c.policy.Eviction != EvictLRU || c.order.next == e {
		return
	}
	e.prev.next, e.next.prev = e.next, e.prev
	c.linkFront(e)
}

func (c *Cache) linkFront(e *entry) {
	e.prev, e.next = &c.order, c.order.next
	c.order.next.prev = e
	c.order.next = e
}

// makeRoom evicts entries so that one more fits under Policy.MaxEntries.
func (c *Cache) makeRoom(now time.Time) {
	limit := c.policy.MaxEntries
	if limit <= 0 || len(c.entries) < limit {
		return
	}
	if c.policy.Eviction == EvictPurgeRun {
		c.purgeRun()
		return
	}
	// EvictLRU is Firefox nsPreflightCache::GetEntry: "Try to kick out all
	// the expired entries." then "If that didn't remove anything then kick
	// out the least recently used entry." EvictOldestInserted does the
	// same in insertion order: Fetch says expired entries "must be
	// removed", and then the oldest goes.
	c.dropDead(now)
	for len(c.entries) >= limit {
		c.remove(c.order.prev)
	}
}

// dropDead removes every entry that can no longer hit. It costs nothing
// before the earliest instant an entry can die, and afterwards resets that
// instant from the entries left, so that a full cache sweeps only when
// something may have expired.
func (c *Cache) dropDead(now time.Time) {
	if !c.hasEarliest || now.Before(c.earliest) {
		return
	}
	c.hasEarliest = false
	for e := c.order.next; e != &c.order; {
		next := e.next
		if c.dead(e, now) {
			c.remove(e)
		} else {
			c.noteEntryExpiry(e)
		}
		e = next
	}
}

// noteEntryExpiry lowers the earliest possible death to that of live entry
// e: its expiry, or its first token's.
func (c *Cache) noteEntryExpiry(e *entry) {
	if c.policy.Merge == MergeReplace {
		c.noteExpiry(e.expiry)
		return
	}
	for _, ts := range [2][]token{e.methods, e.headers} {
		for _, t := range ts {
			c.noteExpiry(t.expiry)
		}
	}
}

// purgeRun is Chromium's PreflightCache::MayPurge(kMaxCacheEntries - 1,
// kPurgeUnit): erase PurgeUnit entries (or all of them, if fewer) that are
// contiguous in key order, starting at base::RandInt(0, size - purge_unit).
// Chromium DCHECKs that the cache holds at least PurgeUnit entries; a
// smaller configured bound purges what there is.
func (c *Cache) purgeRun() {
	keys := make([]*entry, 0, len(c.entries))
	for _, e := range c.entries {
		keys = append(keys, e)
	}
	slices.SortFunc(keys, func(a, b *entry) int { return compareKeys(a.key, b.key) })
	n := min(PurgeUnit, len(keys))
	span := len(keys) - n + 1
	start := c.rand(span) % span
	if start < 0 {
		start += span
	}
	for _, e := range keys[start : start+n] {
		c.remove(e)
	}
}

// compareKeys orders entry keys by origin, URL, partition, then credentials.
func compareKeys(a, b entryKey) int {
	if d := cmp.Compare(a.Origin, b.Origin); d != 0 {
		return d
	}
	if d := cmp.Compare(a.URL, b.URL); d != 0 {
		return d
	}
	if d := cmp.Compare(a.Partition, b.Partition); d != 0 {
		return d
	}
	switch {
	case a.credentials == b.credentials:
		return 0
	case !a.credentials:
		return -1
	}
	return 1
}
