package preflightcache

import (
	"cmp"
	"slices"
)

// hold takes sh's write lock for the rest of the operation holding c.mu;
// release gives it back. In between, lockShard knows not to take it again.
func (c *Cache) hold(sh *shard) {
	sh.mu.Lock()
	c.held = sh
}

func (c *Cache) release() {
	c.held.mu.Unlock()
	c.held = nil
}

// lockShard takes sh's write lock, for a change by the operation holding
// c.mu, unless that operation holds it already. It reports whether the
// caller must unlock it.
func (c *Cache) lockShard(sh *shard) bool {
	if c.held == sh {
		return false
	}
	sh.mu.Lock()
	return true
}

// get returns the entry for ek, for the operation holding c.mu (whose
// reads need no shard lock: only holders of c.mu write).
func (c *Cache) get(ek entryKey) *entry {
	h := c.hash(&ek)
	return c.shardOf(h).get(h, &ek)
}

// insert adds an empty entry for ek at the front of the order list, first
// making room under the policy's bound.
func (c *Cache) insert(ek entryKey, now instant) *entry {
	c.makeRoom(now)
	e := &entry{key: ek.Key, keyCredentials: ek.credentials}
	h := c.hash(&ek)
	sh := c.shardOf(h)
	if c.lockShard(sh) {
		defer sh.mu.Unlock()
	}
	sh.put(h, e)
	c.n++
	c.linkFront(e)
	if c.policy.Eviction == EvictPurgeRun {
		i, _ := slices.BinarySearchFunc(c.byKey, ek, func(x *entry, k entryKey) int { return compareKeys(x.entryKey(), k) })
		c.byKey = slices.Insert(c.byKey, i, e)
	}
	return e
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
	h := c.hash(&ek)
	sh := c.shardOf(h)
	if c.lockShard(sh) {
		sh.del(h, e)
		sh.mu.Unlock()
	} else {
		sh.del(h, e)
	}
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
		if c.deadLocked(e, now) {
			c.remove(e)
		} else {
			c.noteEntryExpiry(e)
		}
		e = next
	}
}

// deadLocked is dead(e, now) under e's shard's write lock, since dead drops
// expired names.
func (c *Cache) deadLocked(e *entry, now instant) bool {
	ek := e.entryKey()
	sh := c.shardOf(c.hash(&ek))
	if !c.lockShard(sh) {
		return c.dead(e, now)
	}
	defer sh.mu.Unlock()
	return c.dead(e, now)
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
