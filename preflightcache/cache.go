package preflightcache

import (
	"fmt"
	"hash/maphash"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Key identifies what a cache entry is for: the Fetch standard's network
// partition key, byte-serialized origin and URL
// (https://fetch.spec.whatwg.org/#concept-cache-key). Chromium's key is
// the same triple plus the target IP address space; WebKit's is (session,
// client origin, URL); Firefox adds the credentials mode, which this package
// does under Policy.CredentialsInKey.
type Key struct {
	// Origin is the byte-serialized request origin ("null" for an opaque
	// origin).
	Origin string
	// URL is the request's current URL, serialized.
	URL string
	// Partition is the network partition key, serialized by the caller
	// (e.g. the top-level site); "" when partitioning is not simulated.
	Partition string
}

// Result is what a successful CORS-preflight response allows, already
// parsed by the caller (https://fetch.spec.whatwg.org/#cors-preflight-fetch-0,
// step 7).
type Result struct {
	// Methods lists Access-Control-Allow-Methods as sent (case preserved);
	// it may contain "*". When the request's use-CORS-preflight flag forced
	// the preflight and the header was absent, the caller puts the
	// request's method here (Fetch: CORS-preflight fetch, step 7.4).
	Methods []string
	// Headers lists Access-Control-Allow-Headers as sent; it may contain
	// "*". Names match request headers ASCII case-insensitively.
	Headers []string
	// Credentials reports that the preflight was made for a request whose
	// credentials mode is "include". It must equal the Credentials of the
	// Request passed to Store.
	Credentials bool
	// MaxAge is the lifetime, from ParseMaxAge under the policy's rule.
	MaxAge time.Duration
}

// Request is what the cache needs to know about the request being checked or
// the request a preflight was made for.
type Request struct {
	// Method is the request's method, already normalized as Fetch does.
	Method string
	// UnsafeHeaderNames are the request's CORS-unsafe request-header names
	// (https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names).
	UnsafeHeaderNames []string
	// Credentials reports that the credentials mode is "include".
	Credentials bool
	// OpaqueOrigin reports that the request's origin is opaque (a sandboxed
	// document, for instance).
	OpaqueOrigin bool
}

// Match is Lookup's answer.
type Match struct {
	// Hit reports that the request may skip its preflight: the method and
	// every unsafe header name are covered by a usable entry.
	Hit bool
	// MethodHit reports that the method is covered: exempt under the
	// policy, or matched by a usable entry (the Fetch "method cache entry
	// match").
	MethodHit bool
	// MissingHeaders lists, in the request's order, the unsafe header names
	// no usable entry covers (no "header-name cache entry match"). It is nil
	// on a hit and a fresh slice otherwise.
	MissingHeaders []string
	// Reason says why, as a sentence, for people.
	Reason string
}

// ReasonHit is Match.Reason on a hit.
const ReasonHit = "a cached preflight covers the method and every header"

// Cache is a CORS-preflight cache under one Policy. It is safe for
// concurrent use. Create one with New.
//
// Every operation that may change the cache holds mu, so they happen one
// at a time in the order the policy's algorithms assume. A Lookup that can
// answer without changing anything (a hit that neither refreshes an LRU
// order nor drops an expired name) takes no lock at all: entries are
// immutable once the index holds them, and it reads the index as table
// describes, so that hits scale across goroutines; see lookupShared.
type Cache struct {
	mu     sync.Mutex
	policy Policy
	rand   func(n int) int
	seed   maphash.Seed
	// table indexes the entries by key (nil until the first store); n
	// counts them.
	table atomic.Pointer[table]
	n     int
	// order is the sentinel of a circular list of entries: order.next is
	// the newest (or most recently used, under EvictLRU), order.prev the
	// oldest.
	order entry
	// byKey holds every entry in key order under EvictPurgeRun, so that a
	// purge finds its run without sorting the cache.
	byKey []*entry
	// earliest is a lower bound of the first instant at which an entry
	// may become unable to hit (no entry can die before it), valid when
	// hasEarliest. makeRoom skips its sweep of dead entries before it, so
	// a full cache whose entries are all alive evicts in constant time.
	earliest    instant
	hasEarliest bool
	// resultSeen remembers the keys that had a result, under
	// Policy.FirstResultUnused.
	resultSeen keysSeen
}

// entryKey is a Key plus, under Policy.CredentialsInKey, the credentials
// mode.
type entryKey struct {
	Key
	credentials bool
}

// entry is what the cache holds for one entryKey. Its fields are laid out
// to fit 128 bytes. Once the index holds an entry, only its links (prev and
// next, which Lookup's shared path never reads) change: a change to its
// names, expiry or credentials makes a new entry that replaces it
// (Cache.replace), so that readers without the lock see one or the other
// whole.
type entry struct {
	key        Key
	prev, next *entry
	// methods and headers are the cached names. Under MergeReplace each
	// token repeats the entry's credentials and expiry.
	methods []token
	headers []token
	// expirySec and expiryNsec are the entry's expiry (an instant), and
	// credentials its credentials, describing the whole entry under
	// MergeReplace. keyCredentials is the entryKey's credentials.
	expirySec      int64
	expiryNsec     int32
	credentials    bool
	keyCredentials bool
	// tag is the top 16 bits of the key's hash, which a probe of the
	// index compares before the key (see hashTag).
	tag uint16
}

func (e *entry) entryKey() entryKey { return entryKey{e.key, e.keyCredentials} }

// hasKey reports whether e's entryKey is ek, comparing the URL first: of
// the cached keys, it is the part that most often differs.
func (e *entry) hasKey(k *Key, credentials bool) bool {
	return e.key.URL == k.URL && e.key.Origin == k.Origin && e.key.Partition == k.Partition &&
		e.keyCredentials == credentials
}
func (e *entry) expiry() instant { return instant{e.expirySec, e.expiryNsec} }
func (e *entry) setExpiry(i instant) {
	e.expirySec, e.expiryNsec = i.sec, i.nsec
}

// token is one cached method or header name: a Fetch cache entry's method or
// header name with its own credentials flag and expiry
// (https://fetch.spec.whatwg.org/#concept-cache-method), in 32 bytes.
type token struct {
	name        string
	expirySec   int64
	expiryNsec  int32
	credentials bool
}

func newToken(name string, credentials bool, expiry instant) token {
	return token{name, expiry.sec, expiry.nsec, credentials}
}

func (t *token) expiry() instant { return instant{t.expirySec, t.expiryNsec} }
func (t *token) setExpiry(i instant) {
	t.expirySec, t.expiryNsec = i.sec, i.nsec
}

// Option configures New.
type Option func(*Cache)

// WithRand sets the random source EvictPurgeRun draws from: rand(n) must
// return an int in [0, n); other values are reduced modulo n. It is called
// with the cache locked and must not use the cache. Without WithRand the
// draw is always 0, so a full Chromium cache purges the first PurgeUnit
// entries in key order: deterministic, unlike Chromium's base::RandInt.
func WithRand(rand func(n int) int) Option {
	return func(c *Cache) {
		if rand != nil {
			c.rand = rand
		}
	}
}

// New returns an empty cache under p. A policy is program configuration, so
// New panics if p.Validate reports an error, as regexp.MustCompile does for a
// bad pattern; check p.Validate first when p comes from input.
func New(p Policy, opts ...Option) *Cache {
	if err := p.Validate(); err != nil {
		panic(err)
	}
	c := &Cache{
		policy: p,
		rand:   func(int) int { return 0 },
		seed:   maphash.MakeSeed(),
	}
	c.order.next, c.order.prev = &c.order, &c.order
	for _, o := range opts {
		o(c)
	}
	return c
}

// Policy returns the cache's policy.
func (c *Cache) Policy() Policy { return c.policy }

// Len returns the number of entries (keys) the cache holds, including
// entries that can no longer hit but have not been removed yet: like the
// browsers, the cache removes them lazily, when Lookup or Store meets them
// or when it needs room. It is never more than Policy.MaxEntries when that
// is positive.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// Clear removes the entries for k, with and without credentials: Fetch
// "clear cache entries" (https://fetch.spec.whatwg.org/#concept-cache-clear),
// and Firefox's nsPreflightCache::RemoveEntries, which removes both
// credentials variants of the key.
func (c *Cache) Clear(k Key) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, cred := range [2]bool{false, true} {
		if e := c.get(entryKey{k, cred}); e != nil {
			c.remove(e)
		}
	}
}

// entryKey returns the map key for k and a request's credentials mode.
func (c *Cache) entryKey(k Key, credentials bool) entryKey {
	return entryKey{k, c.policy.CredentialsInKey && credentials}
}

// Store records a successful preflight's result r for key k, made for
// request req, at time now: Fetch CORS-preflight fetch, steps 7.11-7.15
// (https://fetch.spec.whatwg.org/#cors-preflight-fetch-0), or what the
// policy's browser does instead. It reports whether it stored or refreshed
// anything; it stores nothing when the policy declines (an opaque origin under
// NoCacheForOpaqueOrigins, a URL at or over MaxURLLength, a zero age under
// MaxAgeFirefox, a key's first result under FirstResultUnused, nothing to
// store under MergeSpec) or when r.Credentials and req.Credentials
// disagree.
func (c *Cache) Store(k Key, r Result, req Request, now time.Time) bool {
	if r.Credentials != req.Credentials {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	at := instantOf(now)
	p := &c.policy
	// Chromium: recorded behaviour, see Policy.NoCacheForOpaqueOrigins.
	if p.NoCacheForOpaqueOrigins && req.OpaqueOrigin {
		return false
	}
	// Chromium PreflightCache::AppendEntry: "Do not cache
	// `preflight_result` if `url` is too long."
	if p.MaxURLLength > 0 && len(k.URL) >= p.MaxURLLength {
		return false
	}
	// Firefox AddResultToCache: `if (!age …) return;`
	if p.MaxAge == MaxAgeFirefox && r.MaxAge <= 0 {
		return false
	}
	ek := c.entryKey(k, req.Credentials)
	// Firefox, recorded: see Policy.FirstResultUnused.
	if p.FirstResultUnused && c.resultSeen.add(c.hash(&ek)) {
		return false
	}
	// time.Time.Add saturates at the ends of its range (Go's addSec), so
	// an entry stored near the end of time never expires in the past
	// (TestExpiryNearTheEndOfTimeSaturates).
	expiry := instantOf(now.Add(r.MaxAge))
	// Noted on return, after makeRoom's sweep may have reset the bound.
	defer c.noteExpiry(expiry)
	old := c.get(ek)
	if old == nil && p.Merge == MergeSpec && !storeSpecCreates(r, at, expiry) {
		return false
	}
	// The entry is built aside and then published whole, replacing old.
	e := &entry{key: ek.Key, keyCredentials: ek.credentials}
	changed := true
	switch p.Merge {
	case MergeReplace:
		// Chromium: `cache_[key] = std::move(preflight_result)`; WebKit:
		// `m_preflightHashMap.set(…)`. The previous entry is gone.
		e.credentials = req.Credentials
		e.setExpiry(expiry)
		var lower [8]string
		e.methods, e.headers = replaceTokens(r.Methods, lowerNames(r.Headers, lower[:0]), req.Credentials, expiry)
	case MergeFirefox:
		// nsPreflightCache::GetEntry(…, aCreate=true) creates the entry
		// (making room first) or moves it to the front of the LRU list;
		// insert and touch below do that.
		e.methods, e.headers = tokensFor(old, len(r.Methods), len(r.Headers))
		e.methods = mergeExact(e.methods, r.Methods, req.Credentials, expiry)
		e.headers = mergeExact(e.headers, r.Headers, req.Credentials, expiry)
		if e.empty() {
			// An entry without names is dead from the start.
			defer c.noteExpiry(at)
		}
	default: // MergeSpec
		e.methods, e.headers = tokensFor(old, len(r.Methods), len(r.Headers))
		var lower [8]string
		r.Headers = lowerNames(r.Headers, lower[:0])
		changed = c.storeSpec(e, r, req, at, expiry)
		if e.empty() {
			if old != nil {
				c.remove(old)
			}
			return changed
		}
	}
	if old == nil {
		c.insert(e, at)
	} else {
		c.touch(old)
		c.replace(old, e)
	}
	return changed
}

// tokensFor returns copies of old's methods and headers (none when old is
// nil) with room for addMethods and addHeaders more, in one allocation, so
// that a new entry can change and extend them without changing its
// predecessor's.
func tokensFor(old *entry, addMethods, addHeaders int) (methods, headers []token) {
	var oldMethods, oldHeaders []token
	if old != nil {
		oldMethods, oldHeaders = old.methods, old.headers
	}
	m := len(oldMethods) + addMethods
	out := make([]token, m+len(oldHeaders)+addHeaders)
	// The full slice expression keeps an append to the methods from
	// writing over the headers.
	return append(out[:0:m], oldMethods...), append(out[m:m], oldHeaders...)
}

// storeSpecCreates reports whether storeSpec would create an entry for a
// key that has none: Entries with max-age 0 "must be removed after" 0
// seconds, so a result that cannot live creates nothing, and neither does
// one without a name.
func storeSpecCreates(r Result, now, expiry instant) bool {
	return now.before(expiry) && (hasName(r.Methods) || hasName(r.Headers))
}

// storeSpec is Fetch CORS-preflight fetch, steps 7.12-7.15, on e, a new
// entry holding a copy of the key's cached names (or none) that Store
// publishes afterwards unless it is left empty.
func (c *Cache) storeSpec(e *entry, r Result, req Request, now, expiry instant) bool {
	live := now.before(expiry)
	// Expired entries "must be removed": they cannot be refreshed.
	e.purgeExpired(now)
	changed := false
	// Fetch: steps 7.12 and 7.13, for each method in methods. The index
	// finds the tokens a name can match (itself or `*`) without scanning
	// every cached token, so a server listing n names costs O(n), not
	// O(n²).
	ix := newTokenIndex(e.methods, false)
	for _, m := range r.Methods {
		if m == "" {
			continue
		}
		matched := false
		for _, i := range ix.candidates(m) {
			t := &e.methods[i]
			// Fetch: step 7.12, a method cache entry match: set the
			// matching entry's max-age. The text keeps the time the
			// entry was stored, which would make a refresh shorten or end
			// an entry's life; this package restarts the lifetime, as
			// Firefox does with its expiration times. The matching entry
			// keeps its credentials flag: an uncredentialed preflight
			// refreshes an entry stored with credentials.
			if t.serves(req.Credentials) && c.methodMatches(t, m, req.Credentials) {
				t.setExpiry(expiry)
				matched, changed = true, true
			}
		}
		// Fetch: step 7.13, create a new cache entry.
		if !matched && live {
			e.methods = append(e.methods, newToken(m, req.Credentials, expiry))
			ix.add(len(e.methods)-1, m)
			changed = true
		}
	}
	// Fetch: steps 7.14 and 7.15, for each headerName in headerNames.
	ix = newTokenIndex(e.headers, true)
	for _, h := range r.Headers {
		if h == "" {
			continue
		}
		matched := false
		for _, i := range ix.candidates(h) {
			t := &e.headers[i]
			if t.serves(req.Credentials) && c.headerMatches(t, h, req.Credentials) {
				t.setExpiry(expiry)
				matched, changed = true, true
			}
		}
		if !matched && live {
			e.headers = append(e.headers, newToken(h, req.Credentials, expiry))
			ix.add(len(e.headers)-1, h)
			changed = true
		}
	}
	e.purgeExpired(now)
	return changed
}

// noteExpiry lowers the earliest possible death of an entry to t.
func (c *Cache) noteExpiry(t instant) {
	if !c.hasEarliest || t.before(c.earliest) {
		c.earliest, c.hasEarliest = t, true
	}
}

// replaceTokens returns methods and headers as tokens, skipping empty
// names, in one allocation.
func replaceTokens(methods, headers []string, credentials bool, expiry instant) (methodTokens, headerTokens []token) {
	out := make([]token, 0, len(methods)+len(headers))
	for _, n := range methods {
		if n != "" {
			out = append(out, newToken(n, credentials, expiry))
		}
	}
	// The full slice expression keeps an append to the methods from
	// writing over the headers.
	methodTokens = out[:len(out):len(out)]
	for _, n := range headers {
		if n != "" {
			out = append(out, newToken(n, credentials, expiry))
		}
	}
	return methodTokens, out[len(methodTokens):]
}

// mergeExact is the token loop of Firefox's AddResultToCache: a token equal
// byte for byte to a stored one refreshes its expiration time, others are
// appended. Empty tokens are skipped. Firefox scans its token array for each
// name; an index gives the same result in time linear in the names.
func mergeExact(tokens []token, names []string, credentials bool, expiry instant) []token {
	ix := newTokenIndex(tokens, false)
	for _, n := range names {
		if n == "" {
			continue
		}
		if i, ok := ix.first(n); ok {
			tokens[i].setExpiry(expiry)
			continue
		}
		tokens = append(tokens, newToken(n, credentials, expiry))
		ix.add(len(tokens)-1, n)
	}
	return tokens
}

// tokenIndex maps a name (byte-lower-cased when fold) to the positions of
// the tokens holding it, and keeps the positions of `*` tokens, so that the
// tokens a name can match are found without scanning all of them. Up to
// smallTokenIndex tokens (every real preflight) it holds no map: a scan of
// so few is cheaper than building one, and candidates then returns every
// position, which the callers' match tests filter as the map would.
type tokenIndex struct {
	fold   bool
	n      int // tokens held in small, while byName is nil
	small  [smallTokenIndex]string
	byName map[string][]int
	stars  []int
	buf    []int
	all    [smallTokenIndex]int
}

// smallTokenIndex is how many tokens an index holds before it builds its
// map.
const smallTokenIndex = 8

func newTokenIndex(tokens []token, fold bool) tokenIndex {
	ix := tokenIndex{fold: fold}
	for i, t := range tokens {
		ix.add(i, t.name)
	}
	return ix
}

func (ix *tokenIndex) key(name string) string {
	if ix.fold {
		return lowerASCII(name)
	}
	return name
}

func (ix *tokenIndex) add(i int, name string) {
	if ix.byName == nil {
		if ix.n < smallTokenIndex {
			// Positions arrive in order, from 0.
			ix.small[ix.n], ix.all[ix.n] = name, i
			ix.n++
			return
		}
		ix.byName = make(map[string][]int, 2*smallTokenIndex)
		for j, n := range ix.small[:ix.n] {
			ix.index(ix.all[j], n)
		}
	}
	ix.index(i, name)
}

func (ix *tokenIndex) index(i int, name string) {
	k := ix.key(name)
	ix.byName[k] = append(ix.byName[k], i)
	if name == "*" {
		ix.stars = append(ix.stars, i)
	}
}

// first returns the position of the first token named exactly name.
func (ix *tokenIndex) first(name string) (int, bool) {
	if ix.byName == nil {
		for j, n := range ix.small[:ix.n] {
			if ix.key(n) == ix.key(name) {
				return ix.all[j], true
			}
		}
		return 0, false
	}
	for _, i := range ix.byName[ix.key(name)] {
		return i, true
	}
	return 0, false
}

// candidates returns the positions of the tokens that may match name: those
// with its (folded) name and the `*` tokens, each once, in order (or, while
// the index is small, every position).
func (ix *tokenIndex) candidates(name string) []int {
	if ix.byName == nil {
		return ix.all[:ix.n]
	}
	same := ix.byName[ix.key(name)]
	if len(ix.stars) == 0 || name == "*" {
		return same
	}
	ix.buf = append(append(ix.buf[:0], same...), ix.stars...)
	slices.Sort(ix.buf)
	return slices.Compact(ix.buf)
}

// lowerNames returns names byte-lowercased, appended to buf, with one
// allocation for all their bytes, or names itself when none has an
// upper-case letter. Header names are stored so, as Chromium's
// PreflightResult does (base::ToLowerASCII), except under MergeFirefox,
// whose merge compares them case-sensitively: they match
// byte-case-insensitively, and lower-case request names then match as
// equal strings.
func lowerNames(names, buf []string) []string {
	size, upper := 0, false
	for _, n := range names {
		size += len(n)
		upper = upper || strings.ContainsFunc(n, func(r rune) bool { return 'A' <= r && r <= 'Z' })
	}
	if !upper {
		return names
	}
	var b strings.Builder
	b.Grow(size)
	for _, n := range names {
		for i := 0; i < len(n); i++ {
			b.WriteByte(byteLower[n[i]])
		}
	}
	all := b.String()
	for _, n := range names {
		buf = append(buf, all[:len(n)])
		all = all[len(n):]
	}
	return buf
}

// lowerASCII is byte-lowercase (https://infra.spec.whatwg.org/#byte-lowercase).
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// Lookup reports whether the cache lets req skip its CORS preflight for key
// k at time now: Fetch HTTP fetch, step 4.1
// (https://fetch.spec.whatwg.org/#concept-http-fetch), with "method cache
// entry match" (https://fetch.spec.whatwg.org/#concept-cache-match-method)
// and "header-name cache entry match"
// (https://fetch.spec.whatwg.org/#concept-cache-match-header), or the
// policy's browser's equivalent. Without an entry for k the answer is a
// miss, even for an exempt method with no unsafe headers.
//
// Lookup may change the cache as the browser's does: it drops expired
// names, erases an insufficient entry under EraseOnMiss and counts as a use
// under EvictLRU. On a hit it allocates nothing.
func (c *Cache) Lookup(k Key, req Request, now time.Time) Match {
	at := instantOf(now)
	// The entryKey, without copying k.
	cred := c.policy.CredentialsInKey && req.Credentials
	h := c.hashKey(&k, cred)
	if c.lookupShared(h, &k, cred, req, at) {
		return Match{Hit: true, MethodHit: true, Reason: ReasonHit}
	}
	return c.lookupLocked(h, &k, cred, req, at)
}

// lookupLocked is Lookup under c.mu, for every answer lookupShared leaves
// to it. It is apart so that a hit does not pay for its frame.
func (c *Cache) lookupLocked(h uint64, k *Key, cred bool, req Request, at instant) Match {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := &c.policy
	if p.NoCacheForOpaqueOrigins && req.OpaqueOrigin {
		return c.miss(req, "preflights from an opaque origin are never reused")
	}
	var e *entry
	if t := c.table.Load(); t != nil {
		e = t.get(h, k, cred)
	}
	if e == nil {
		if p.MaxURLLength > 0 && len(k.URL) >= p.MaxURLLength {
			return c.miss(req, fmt.Sprintf("URLs of %d bytes or more are never cached", p.MaxURLLength))
		}
		return c.miss(req, "no cached preflight for this origin and URL")
	}
	// Firefox: GetEntry moves an existing entry to the front of the LRU
	// list before CheckRequest runs.
	c.touch(e)
	if p.Merge == MergeReplace {
		// Chromium: PreflightResult::IsExpired (`expiry <= now`); WebKit:
		// allowsRequest (`m_absoluteExpiryTime < now`). WebKit alone would
		// still hit at the exact expiry instant; this package treats that
		// instant as expired for every policy, so that a zero max-age never
		// hits (as it never does in a running browser, whose clock has
		// moved on by the next request).
		if !at.before(e.expiry()) {
			return c.missErasing(e, req, "the cached preflight has expired")
		}
		// Chromium EnsureAllowedRequest / WebKit allowsRequest: an entry
		// stored without credentials serves no credentialed request.
		if !e.credentials && req.Credentials {
			return c.missErasing(e, req, "the cached preflight was made without credentials and the request includes them")
		}
	} else {
		// Firefox: CheckRequest starts with PurgeExpired; Fetch: expired
		// entries "must be removed".
		had := !e.empty()
		e = c.purged(e, at)
		if p.Merge == MergeSpec {
			if e.empty() {
				// The spec's cache holds nothing for this key any more.
				c.remove(e)
				if had {
					return c.miss(req, "the cached preflight has expired")
				}
				return c.miss(req, "no cached preflight for this origin and URL")
			}
			// Fetch "cache entry match": without credentials, no entry
			// serves a credentialed request.
			if req.Credentials && !e.hasCredentialedToken() {
				return c.miss(req, "the cached preflight was made without credentials and the request includes them")
			}
		}
		// Firefox keeps an entry whose names have all expired, and
		// CheckRequest still passes GET or POST without unsafe headers.
	}
	methodOK := c.methodCovered(e, req)
	missing := 0
	for _, h := range req.UnsafeHeaderNames {
		if !c.headerNameCacheEntryMatch(e, h, req.Credentials) {
			missing++
		}
	}
	if methodOK && missing == 0 {
		return Match{Hit: true, MethodHit: true, Reason: ReasonHit}
	}
	m := Match{MethodHit: methodOK}
	if missing > 0 {
		m.MissingHeaders = make([]string, 0, missing)
		for _, h := range req.UnsafeHeaderNames {
			if !c.headerNameCacheEntryMatch(e, h, req.Credentials) {
				m.MissingHeaders = append(m.MissingHeaders, h)
			}
		}
	}
	switch {
	case !methodOK && missing > 0:
		m.Reason = fmt.Sprintf("method %q and header %q are not covered by the cached preflight", req.Method, m.MissingHeaders[0])
	case !methodOK:
		m.Reason = fmt.Sprintf("method %q is not covered by the cached preflight", req.Method)
	default:
		m.Reason = fmt.Sprintf("header %q is not covered by the cached preflight", m.MissingHeaders[0])
	}
	// Chromium and WebKit: "The cache entry is either stale or not
	// sufficient. Remove the item from the cache."
	if p.EraseOnMiss {
		c.remove(e)
	}
	return m
}

// lookupShared answers Lookup without a lock when nothing has to change:
// it reports true for a hit that lookupLocked would also answer without
// touching the cache, and false for everything else (misses, an LRU use,
// a name to drop), which lookupLocked then decides under the cache's lock.
// The entry it reads cannot change (see entry), so its answer is the one
// lookupLocked would have given at the moment the entry was loaded.
func (c *Cache) lookupShared(h uint64, k *Key, cred bool, req Request, now instant) bool {
	p := &c.policy
	if p.Eviction == EvictLRU || p.NoCacheForOpaqueOrigins && req.OpaqueOrigin {
		return false
	}
	t := c.table.Load()
	if t == nil {
		return false
	}
	e := t.get(h, k, cred)
	if e == nil {
		return false
	}
	if p.Merge == MergeReplace {
		// As Lookup: not expired, and no credentialed request served by an
		// entry stored without credentials.
		if !now.before(e.expiry()) || !e.credentials && req.Credentials {
			return false
		}
	} else {
		// As Lookup, when purgeExpired would drop nothing and the entry is
		// not empty.
		if e.empty() || e.hasExpiredToken(now) {
			return false
		}
		if p.Merge == MergeSpec && req.Credentials && !e.hasCredentialedToken() {
			return false
		}
	}
	if !c.methodCovered(e, req) {
		return false
	}
	for _, name := range req.UnsafeHeaderNames {
		if !c.headerNameCacheEntryMatch(e, name, req.Credentials) {
			return false
		}
	}
	return true
}

// methodCovered reports whether req's method has a method cache entry
// match in e or needs no cached method.
func (c *Cache) methodCovered(e *entry, req Request) bool {
	return c.methodCacheEntryMatch(e, req.Method, req.Credentials) || c.policy.ExemptMethodsOnHit.Contains(req.Method)
}

// missErasing is a miss caused by entry e as a whole, which EraseOnMiss
// erases.
func (c *Cache) missErasing(e *entry, req Request, reason string) Match {
	if c.policy.EraseOnMiss {
		c.remove(e)
	}
	return c.miss(req, reason)
}

// miss is a miss where no cached name counts: the method is covered only if
// exempt and every unsafe header name is missing.
func (c *Cache) miss(req Request, reason string) Match {
	m := Match{MethodHit: c.policy.ExemptMethodsOnHit.Contains(req.Method), Reason: reason}
	if len(req.UnsafeHeaderNames) > 0 {
		m.MissingHeaders = append([]string(nil), req.UnsafeHeaderNames...)
	}
	return m
}

// serves is the credentials half of Fetch "cache entry match"
// (https://fetch.spec.whatwg.org/#concept-cache-match): an entry stored with
// credentials serves every request; one stored without serves requests whose
// credentials mode is not "include".
func (t *token) serves(requestCredentials bool) bool {
	return t.credentials || !requestCredentials
}

// wildcardCounts reports whether a cached `*` stored with entryCredentials
// acts as a wildcard for a request with requestCredentials.
func (c *Cache) wildcardCounts(entryCredentials, requestCredentials bool) bool {
	switch c.policy.WildcardOnHit {
	case WildcardAlways:
		return true
	case WildcardUncredentialedEntry:
		return !entryCredentials
	case WildcardUncredentialedRequest:
		return !requestCredentials
	}
	return false
}

// methodMatches reports whether cached token t is method or a `*` that
// counts (Fetch: "its method is method or `*`"). Methods compare byte for
// byte, as in every browser.
func (c *Cache) methodMatches(t *token, method string, requestCredentials bool) bool {
	return t.name == method || t.name == "*" && c.wildcardCounts(t.credentials, requestCredentials)
}

// headerMatches reports whether cached token t covers header name h: a
// byte-case-insensitive match, or a `*` that counts and h is not a CORS
// non-wildcard request-header name (unless the policy lets `*` cover it).
func (c *Cache) headerMatches(t *token, h string, requestCredentials bool) bool {
	// Stored header names are byte-lowercased (except under MergeFirefox),
	// as CORS-unsafe request-header names are: equal strings compare
	// faster than folded ones.
	if t.name == h || equalFoldASCII(t.name, h) {
		return true
	}
	return t.name == "*" && c.wildcardCounts(t.credentials, requestCredentials) &&
		(c.policy.WildcardCoversAuthorizationOnHit || !isCORSNonWildcardRequestHeaderName(h))
}

// methodCacheEntryMatch is https://fetch.spec.whatwg.org/#concept-cache-match-method
// restricted to entry e, which holds every cache entry for the request's key.
func (c *Cache) methodCacheEntryMatch(e *entry, method string, requestCredentials bool) bool {
	for i := range e.methods {
		t := &e.methods[i]
		if t.serves(requestCredentials) && c.methodMatches(t, method, requestCredentials) {
			return true
		}
	}
	return false
}

// headerNameCacheEntryMatch is https://fetch.spec.whatwg.org/#concept-cache-match-header
// restricted to entry e.
func (c *Cache) headerNameCacheEntryMatch(e *entry, h string, requestCredentials bool) bool {
	for i := range e.headers {
		t := &e.headers[i]
		if t.serves(requestCredentials) && c.headerMatches(t, h, requestCredentials) {
			return true
		}
	}
	return false
}

// isCORSNonWildcardRequestHeaderName is
// https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name.
func isCORSNonWildcardRequestHeaderName(name string) bool {
	return equalFoldASCII(name, "Authorization")
}

// equalFoldASCII is byte-case-insensitive equality
// (https://infra.spec.whatwg.org/#byte-case-insensitive), without
// allocating.
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	b = b[:len(a)]
	for i := 0; i < len(a); i++ {
		if byteLower[a[i]] != byteLower[b[i]] {
			return false
		}
	}
	return true
}

// byteLower maps each byte to its byte-lowercase
// (https://infra.spec.whatwg.org/#byte-lowercase): A-Z to a-z, others to
// themselves. A table lookup per byte costs less than a test and a branch.
var byteLower = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
		if 'A' <= i && i <= 'Z' {
			t[i] += 'a' - 'A'
		}
	}
	return t
}()

func hasName(names []string) bool {
	for _, n := range names {
		if n != "" {
			return true
		}
	}
	return false
}

// hasCredentialedToken reports whether a name in e was stored with
// credentials.
func (e *entry) hasCredentialedToken() bool {
	for _, ts := range [2][]token{e.methods, e.headers} {
		for _, t := range ts {
			if t.credentials {
				return true
			}
		}
	}
	return false
}

// hasExpiredToken reports whether purgeExpired(now) would drop a name
// from e.
func (e *entry) hasExpiredToken(now instant) bool {
	for _, ts := range [2][]token{e.methods, e.headers} {
		for i := range ts {
			if !now.before(ts[i].expiry()) {
				return true
			}
		}
	}
	return false
}

// empty reports whether e holds no names.
func (e *entry) empty() bool { return len(e.methods) == 0 && len(e.headers) == 0 }

// purgeExpired drops names whose expiry is not after now (Firefox
// CacheEntry::PurgeExpired: `now >= expirationTime`) from e, an entry the
// index does not hold yet; purged does it to one the index holds.
func (e *entry) purgeExpired(now instant) {
	e.methods = purgeTokens(e.methods, now)
	e.headers = purgeTokens(e.headers, now)
}

func purgeTokens(ts []token, now instant) []token {
	out := ts[:0]
	for _, t := range ts {
		if now.before(t.expiry()) {
			out = append(out, t)
		}
	}
	clear(ts[len(out):])
	return out
}

// purged returns the cache's entry for e's key once the names whose expiry
// is not after now are dropped: e itself when there are none (or the policy
// keeps one expiry per entry), else a copy without them that replaces it.
func (c *Cache) purged(e *entry, now instant) *entry {
	if c.policy.Merge == MergeReplace || !e.hasExpiredToken(now) {
		return e
	}
	n := &entry{key: e.key, keyCredentials: e.keyCredentials, credentials: e.credentials,
		expirySec: e.expirySec, expiryNsec: e.expiryNsec}
	n.methods, n.headers = tokensFor(e, 0, 0)
	n.purgeExpired(now)
	c.replace(e, n)
	return n
}

// dead reports whether e, purged at now, can no longer hit for any request
// at now.
func (c *Cache) dead(e *entry, now instant) bool {
	if c.policy.Merge == MergeReplace {
		return !now.before(e.expiry())
	}
	return e.empty()
}
