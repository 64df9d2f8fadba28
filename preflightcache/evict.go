package preflightcache

import (
	"cmp"
	"slices"
)

// get returns the entry for ek, for the operation holding c.mu.
func (c *Cache) get(ek entryKey) *entry {
	t := c.table.Load()
	if t == nil {
		return nil
	}
	return t.get(c.hash(&ek), &ek.Key, ek.credentials)
}

// insert adds e, a new entry whose key the cache does not hold, at the
// front of the order list, first making room under the policy's bound.
func (c *Cache) insert(e *entry, now instant) {
	c.makeRoom(now)
	ek := e.entryKey()
	c.indexAdd(c.hash(&ek), e)
	c.n++
	c.linkFront(e)
	if c.policy.Eviction == EvictPurgeRun {
		i, _ := slices.BinarySearchFunc(c.byKey, ek, func(x *entry, k entryKey) int { return compareKeys(x.entryKey(), k) })
		c.byKey = slices.Insert(c.byKey, i, e)
	}
}

// replace puts n, a new entry with old's key, in old's place: in the index
// (where readers see either old or n), the order list and byKey. Entries
// readers can reach never change; every change of one is a replace.
func (c *Cache) replace(old, n *entry) {
	ek := old.entryKey()
	c.indexReplace(c.hash(&ek), old, n)
	n.prev, n.next = old.prev, old.next
	n.prev.next, n.next.prev = n, n
	old.prev, old.next = nil, nil
	if c.policy.Eviction == EvictPurgeRun {
		if i, ok := slices.BinarySearchFunc(c.byKey, ek, func(x *entry, k entryKey) int { return compareKeys(x.entryKey(), k) }); ok {
			c.byKey[i] = n
		}
	}
}

// remove drops e from the cache.
func (c *Cache) remove(e *entry) {
	if c.policy.Eviction == EvictPurgeRun {
		ek := e.entryKey()
		if i, ok := slices.BinarySearchFunc(c.byKey, ek, func(x *entry, k entryKey) int { return compareKeys(x.entryKey(), k) }); ok {
			c.byKey = slices.Delete(c.byKey, i, i+1)
		}
	}
	c.unlink(e)
}

// unlink drops e from the index and the order list, but not from byKey.
func (c *Cache) unlink(e *entry) {
	ek := e.entryKey()
	c.indexDel(c.hash(&ek), e)
	c.n--
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
func (c *Cache) makeRoom(now instant) {
	limit := c.policy.MaxEntries
	if limit <= 0 || c.n < limit {
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
	for c.n >= limit {
		c.remove(c.order.prev)
	}
}

// dropDead removes every entry that can no longer hit. It costs nothing
// before the earliest instant an entry can die, and afterwards resets that
// instant from the entries left, so that a full cache sweeps only when
// something may have expired.
func (c *Cache) dropDead(now instant) {
	if !c.hasEarliest || now.before(c.earliest) {
		return
	}
	c.hasEarliest = false
	for e := c.order.next; e != &c.order; {
		next := e.next
		if e = c.purged(e, now); c.dead(e, now) {
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
		c.noteExpiry(e.expiry())
		return
	}
	for _, ts := range [2][]token{e.methods, e.headers} {
		for i := range ts {
			c.noteExpiry(ts[i].expiry())
		}
	}
}

// purgeRun is Chromium's PreflightCache::MayPurge(kMaxCacheEntries - 1,
// kPurgeUnit): erase PurgeUnit entries (or all of them, if fewer) that are
// contiguous in key order, starting at base::RandInt(0, size - purge_unit).
// Chromium DCHECKs that the cache holds at least PurgeUnit entries; a
// smaller configured bound purges what there is. byKey keeps the entries
// in key order (Chromium's std::map), so the run is a slice of it.
func (c *Cache) purgeRun() {
	keys := c.byKey
	n := min(PurgeUnit, len(keys))
	span := len(keys) - n + 1
	start := c.rand(span) % span
	if start < 0 {
		start += span
	}
	for _, e := range keys[start : start+n] {
		c.unlink(e)
	}
	c.byKey = slices.Delete(keys, start, start+n)
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
