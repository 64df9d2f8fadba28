// Package blinkorder computes the order in which Chromium's network
// service sees the headers of a fetch() request, which decides which of
// several disallowed headers a failed preflight names.
//
// The path, as read in Chromium's source:
//
//  1. Blink keeps the Request's header list in FetchHeaderList, a
//     std::multimap ordered by byte-lowercased name
//     (third_party/blink/renderer/core/fetch/fetch_header_list.h).
//  2. FetchManager copies it, in that order, into the ResourceRequest's
//     HTTPHeaderMap with AddHttpHeaderField
//     (third_party/blink/renderer/core/fetch/fetch_manager.cc
//     PerformHTTPFetch). HTTPHeaderMap is a WTF::HashMap keyed by
//     AtomicString under CaseFoldingHashTraits
//     (third_party/blink/renderer/platform/network/http_header_map.h), so
//     case variants of a name share one entry.
//  3. The conversion to network::ResourceRequest walks that hash map and
//     calls net::HttpRequestHeaders::SetHeader for each entry
//     (third_party/blink/renderer/platform/loader/fetch/url_loader/
//     request_conversion.cc PopulateResourceRequest), so the network
//     service's header vector is in WTF::HashTable bucket order.
//  4. PreflightResult::EnsureAllowedCrossOriginHeaders
//     (services/network/cors/preflight_result.cc) walks
//     CorsUnsafeNotForbiddenRequestHeaderNames of that vector
//     (services/network/public/cpp/cors/cors.cc) and names the first
//     name the preflight does not allow.
//
// Blink adds entries of its own after the script's (see Order), which
// take buckets too.
//
// The hash is WTF::CaseFoldingHash (see caseFoldingHash) and the table is
// WTF::HashTable (third_party/blink/renderer/platform/wtf/hash_table.h):
// a power-of-two array of at least 8 buckets, open addressing that probes
// h, h+1, h+3, h+6, … (the step grows by one each time) modulo the size,
// doubled once the entries fill half of it, a rehash re-inserting the old
// buckets from bucket 0 up, and iteration from bucket 0 up.
package blinkorder

// minTableSize is WTF::HashTraits' kMinimumTableSize: the first insert
// allocates this many buckets (hash_traits.h).
const minTableSize = 8

// stackBuckets is how many buckets a table holds without a heap
// allocation: enough for 31 names.
const stackBuckets = 64

// entry is one occupied bucket: a byte-lowercased name and its hash.
type entry struct {
	name string
	hash uint32
}

// table is a WTF::HashTable of names, keyed case-insensitively. Only
// insertion is modelled: HTTPHeaderMap entries are never removed on the
// way from fetch() to the network service. Up to stackBuckets buckets
// live in the two arrays, taken in turn as the table doubles; beyond, in
// big. (No field points into the table itself, so a table on the stack
// stays there.)
type table struct {
	size  int // buckets in use; 0 before the first insert
	count int
	onB   bool // the buckets are b, not a (while size <= stackBuckets)
	a, b  [stackBuckets]entry
	big   []entry
}

// buckets returns the current bucket array.
func (t *table) buckets() []entry {
	switch {
	case t.size > stackBuckets:
		return t.big
	case t.onB:
		return t.b[:t.size]
	default:
		return t.a[:t.size]
	}
}

// insert adds name (byte-lowercased) unless the table has it, as
// HashTable::insert does: probe from hash & mask, stop at an equal key or
// an empty bucket, then grow once count * kMaxLoad (2) >= size.
func (t *table) insert(name string) {
	hash := caseFoldingHash(name)
	if t.size == 0 {
		t.size = minTableSize // the first insert allocates (Expand)
	}
	buckets := t.buckets()
	mask := uint32(len(buckets) - 1)
	i := hash & mask
	for step := uint32(0); buckets[i].name != ""; {
		if buckets[i].hash == hash && buckets[i].name == name {
			return // HashMap::Set or AddHttpHeaderField on a present key
		}
		step++
		i = (i + step) & mask
	}
	buckets[i] = entry{name, hash}
	t.count++
	if t.count*2 >= len(buckets) {
		t.rehash(buckets, 2*len(buckets))
	}
}

// rehash moves every entry of old into a table of size buckets, visiting
// the old buckets from 0 up and probing as insert does
// (HashTable::RehashTo and Reinsert).
func (t *table) rehash(old []entry, size int) {
	t.size = size
	var buckets []entry
	switch {
	case size > stackBuckets:
		t.big = make([]entry, size)
		buckets = t.big
	case t.onB:
		t.onB = false
		t.a = [stackBuckets]entry{}
		buckets = t.a[:size]
	default:
		t.onB = true
		t.b = [stackBuckets]entry{}
		buckets = t.b[:size]
	}
	mask := uint32(size - 1)
	for _, e := range old {
		if e.name == "" {
			continue
		}
		i := e.hash & mask
		for step := uint32(0); buckets[i].name != ""; {
			step++
			i = (i + step) & mask
		}
		buckets[i] = e
	}
}

// appendOrder appends the names in bucket order: how HashTable's
// iterator, which starts at bucket 0, yields them.
func (t *table) appendOrder(dst []string) []string {
	for _, e := range t.buckets() {
		if e.name != "" {
			dst = append(dst, e.name)
		}
	}
	return dst
}

// HashMapOrder inserts names, byte-lowercased and in the order given,
// into a model of Blink's HTTPHeaderMap, and appends the distinct names to
// dst in the order iterating the map yields them.
func HashMapOrder(dst []string, names []string) []string {
	var t table
	for _, n := range names {
		t.insert(lowerASCII(n))
	}
	return t.appendOrder(dst)
}

// userAgent is the header Blink sets on every request it prepares, after
// the script's headers and any client hints: ResourceFetcher::
// PrepareRequest calls FetchContext::PrepareRequest, where
// FrameFetchContext sets User-Agent (third_party/blink/renderer/core/
// loader/frame_fetch_context.cc). Script cannot set it in Chromium
// (forbidden), so only Blink's entry exists.
const userAgent = "user-agent"

// clientHints are the User-Agent client hints Blink sets, in this order,
// on a request to a URL that may carry client hints: BaseFetchContext::
// AddClientHintsIfNecessary (core/loader/base_fetch_context.cc), called
// from FrameFetchContext::PopulateResourceRequest early in
// ResourceFetcher::PrepareRequest, sends Sec-CH-UA and Sec-CH-UA-Mobile to
// every eligible origin and Sec-CH-UA-Platform by the default
// permissions policy. They are forbidden to script (Sec- prefix).
var clientHints = [...]string{"sec-ch-ua", "sec-ch-ua-mobile", "sec-ch-ua-platform"}

// Order returns the distinct header names of a fetch() request,
// byte-lowercased, in the order Chromium's network service holds them,
// appended to dst. names are the names of the request's header list,
// tokens as fetch() requires (in any order and case, repeats allowed, the
// body's implied Content-Type included). They go into the map in byte-lowercased order,
// as FetchHeaderList yields them; then, when hints is set, Blink's
// client hints; then Blink's User-Agent. Those are part of the result.
// hints says that the request's URL may carry client hints: an http or
// https URL whose origin is potentially trustworthy
// (ClientHintsPreferences::IsClientHintsAllowed).
func Order(dst []string, names []string, hints bool) []string {
	var t table
	var stack [stackBuckets / 2]string
	for _, n := range sortedLower(stack[:0], names) {
		t.insert(n)
	}
	if hints {
		for _, n := range clientHints {
			t.insert(n)
		}
	}
	t.insert(userAgent)
	return t.appendOrder(dst)
}
