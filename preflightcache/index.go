package preflightcache

import (
	"hash/maphash"
	"math"
	"sync"
	"time"
)

// numShards is how many parts the key index is split into, each with its
// own read-write lock, so that hits on different keys from several
// goroutines do not wait on one another (a power of two).
const numShards = 16

// shard is one part of the key index. Its maps, and the names, expiry and
// credentials of the entries in them, change only with both Cache.mu and
// the shard's write lock held; Lookup's shared path (lookupShared) reads
// them under the read lock alone.
type shard struct {
	mu sync.RWMutex
	// byHash maps a key's hash to its entry: 16 bytes a slot, where a map
	// keyed by the key itself would spend 64. overflow holds the rare
	// entry whose hash another key's entry already occupies.
	byHash   map[uint64]*entry
	overflow map[entryKey]*entry
	// The padding keeps two shards' locks off one cache line.
	_ [64]byte
}

// get returns the entry for ek, whose hash is h, or nil.
func (s *shard) get(h uint64, ek *entryKey) *entry {
	if e := s.byHash[h]; e != nil && e.hasKey(ek) {
		return e
	}
	if len(s.overflow) > 0 {
		return s.overflow[*ek]
	}
	return nil
}

// put adds e, whose hash is h, under the shard's write lock.
func (s *shard) put(h uint64, e *entry) {
	if s.byHash == nil {
		// Made on first use: a client that never preflights (most
		// replays) pays for no map.
		s.byHash = make(map[uint64]*entry)
	}
	if s.byHash[h] == nil {
		s.byHash[h] = e
		return
	}
	if s.overflow == nil {
		s.overflow = make(map[entryKey]*entry)
	}
	s.overflow[e.entryKey()] = e
}

// del removes e, whose hash is h, under the shard's write lock.
func (s *shard) del(h uint64, e *entry) {
	if s.byHash[h] == e {
		delete(s.byHash, h)
		return
	}
	delete(s.overflow, e.entryKey())
}

// hash returns ek's hash under the cache's seed: one pass over the URL,
// one over the origin, and one over the partition when there is one.
func (c *Cache) hash(ek *entryKey) uint64 {
	h := maphash.String(c.seed, ek.URL)
	h = h*0x100000001b3 ^ maphash.String(c.seed, ek.Origin)
	if ek.Partition != "" {
		h = h*0x100000001b3 ^ maphash.String(c.seed, ek.Partition)
	}
	if ek.credentials {
		h ^= 0x9e3779b97f4a7c15
	}
	return h
}

// shardOf returns the shard that holds keys of hash h.
func (c *Cache) shardOf(h uint64) *shard {
	return &c.shards[h>>32&(numShards-1)]
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
