package preflightcache

// MaxKeysSeen bounds the keys a cache remembers under
// Policy.FirstResultUnused (8 bytes of hash and map overhead each, about
// 40 KiB when full). When it is reached the memory starts afresh, so after
// that many distinct keys a key's next result may be dropped once more; the
// bound keeps a crawler's cache flat under millions of URLs.
const MaxKeysSeen = 1024

// keysSeen is the set of keys that had a result stored, for
// Policy.FirstResultUnused, by their hash under the cache's seed. The
// cache's mutex guards it.
type keysSeen struct {
	m map[uint64]struct{}
}

// add records the key of hash h and reports whether it is new: the first
// result for it, which the policy drops.
func (s *keysSeen) add(h uint64) (first bool) {
	if _, ok := s.m[h]; ok {
		return false
	}
	if s.m == nil || len(s.m) >= MaxKeysSeen {
		s.m = make(map[uint64]struct{})
	}
	s.m[h] = struct{}{}
	return true
}
