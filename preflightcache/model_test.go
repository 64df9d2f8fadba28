package preflightcache

// Model-based tests. Each model below is a separate, literal transcription
// of one cache: the Fetch text (a flat list of per-name cache entries),
// Chromium's PreflightCache/PreflightResult, Firefox's nsPreflightCache and
// WebKit's CrossOriginPreflightResultCache. A rapid state machine stores,
// looks up, clears and advances a virtual clock, and after every step the
// Cache must agree with its model. On top of agreement, the invariants the
// package promises are checked against a ledger of what was stored.

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// model is a reference implementation of one policy.
type model interface {
	store(k Key, r Result, req Request, now time.Time)
	lookup(k Key, req Request, now time.Time) lookupResult
	clear(k Key)
	// len returns the number of entries, or -1 if the model does not track
	// the Cache's notion of an entry.
	len() int
}

type lookupResult struct {
	Hit       bool
	MethodHit bool
	Missing   []string
}

func missAll(method string, exempt func(string) bool, names []string) lookupResult {
	r := lookupResult{MethodHit: exempt(method)}
	if len(names) > 0 {
		r.Missing = slices.Clone(names)
	}
	return r
}

func finish(methodHit bool, missing []string) lookupResult {
	return lookupResult{Hit: methodHit && len(missing) == 0, MethodHit: methodHit, Missing: missing}
}

// ---- Fetch ----

// specEntry is https://fetch.spec.whatwg.org/#concept-cache: one entry per
// method or header name. stored restarts when max-age is set again (see
// Cache.storeSpec).
type specEntry struct {
	key         Key
	credentials bool
	method      string // "" when this is a header-name entry
	header      string // "" when this is a method entry
	stored      time.Time
	maxAge      time.Duration
}

type specModel struct{ entries []*specEntry }

// removeExpired: "Cache entries must be removed after the seconds specified
// in their max-age field have passed since storing the entry."
func (m *specModel) removeExpired(now time.Time) {
	m.entries = slices.DeleteFunc(m.entries, func(e *specEntry) bool {
		return !now.Before(e.stored.Add(e.maxAge))
	})
}

func (m *specModel) cacheEntryMatch(e *specEntry, k Key, credentials bool) bool {
	return e.key == k && (e.credentials || !credentials)
}

func (m *specModel) methodMatches(k Key, method string, credentials bool) []*specEntry {
	var out []*specEntry
	for _, e := range m.entries {
		if m.cacheEntryMatch(e, k, credentials) && e.method != "" && (e.method == method || e.method == "*") {
			out = append(out, e)
		}
	}
	return out
}

func (m *specModel) headerMatches(k Key, name string, credentials bool) []*specEntry {
	var out []*specEntry
	for _, e := range m.entries {
		if m.cacheEntryMatch(e, k, credentials) && e.header != "" &&
			(strings.EqualFold(e.header, name) || e.header == "*" && !strings.EqualFold(name, "Authorization")) {
			out = append(out, e)
		}
	}
	return out
}

func (m *specModel) store(k Key, r Result, req Request, now time.Time) {
	m.removeExpired(now)
	create := func(method, header string) {
		m.entries = append(m.entries, &specEntry{k, req.Credentials, method, header, now, r.MaxAge})
	}
	// Steps 7.12 and 7.13, as two loops.
	for _, method := range r.Methods {
		for _, e := range m.methodMatches(k, method, req.Credentials) {
			e.maxAge, e.stored = r.MaxAge, now
		}
	}
	for _, method := range r.Methods {
		if len(m.methodMatches(k, method, req.Credentials)) == 0 {
			create(method, "")
		}
	}
	// Steps 7.14 and 7.15.
	for _, name := range r.Headers {
		for _, e := range m.headerMatches(k, name, req.Credentials) {
			e.maxAge, e.stored = r.MaxAge, now
		}
	}
	for _, name := range r.Headers {
		if len(m.headerMatches(k, name, req.Credentials)) == 0 {
			create("", name)
		}
	}
	m.removeExpired(now)
}

func (m *specModel) lookup(k Key, req Request, now time.Time) lookupResult {
	m.removeExpired(now)
	exempt := CORSSafelistedMethods.Contains
	// No entry with a cache entry match: a miss, even for an exempt method
	// without unsafe headers (see Cache.Lookup).
	if !slices.ContainsFunc(m.entries, func(e *specEntry) bool { return m.cacheEntryMatch(e, k, req.Credentials) }) {
		return missAll(req.Method, exempt, req.UnsafeHeaderNames)
	}
	methodHit := exempt(req.Method) || len(m.methodMatches(k, req.Method, req.Credentials)) > 0
	var missing []string
	for _, name := range req.UnsafeHeaderNames {
		if len(m.headerMatches(k, name, req.Credentials)) == 0 {
			missing = append(missing, name)
		}
	}
	return finish(methodHit, missing)
}

func (m *specModel) clear(k Key) {
	m.entries = slices.DeleteFunc(m.entries, func(e *specEntry) bool { return e.key == k })
}

func (m *specModel) len() int { return -1 }

// ---- Chromium ----

type chromiumResult struct {
	credentials bool
	methods     map[string]bool // case kept
	headers     map[string]bool // lower-cased
	expiry      time.Time
}

type chromiumModel struct {
	cache      map[Key]*chromiumResult
	maxEntries int
	randInt    func(lo, hi int) int // base::RandInt, inclusive
}

func (m *chromiumModel) store(k Key, r Result, req Request, now time.Time) {
	if req.OpaqueOrigin { // recorded behaviour
		return
	}
	if len(k.URL) >= 1024 { // kMaxKeyLength
		return
	}
	if _, ok := m.cache[k]; !ok {
		m.mayPurge(m.maxEntries-1, 10)
	}
	res := &chromiumResult{credentials: req.Credentials, methods: map[string]bool{}, headers: map[string]bool{}, expiry: now.Add(r.MaxAge)}
	for _, v := range r.Methods {
		res.methods[v] = true
	}
	for _, v := range r.Headers {
		res.headers[strings.ToLower(v)] = true
	}
	m.cache[k] = res
}

// mayPurge is PreflightCache::MayPurge over a std::map ordered by key.
func (m *chromiumModel) mayPurge(maxEntries, purgeUnit int) {
	if len(m.cache) <= maxEntries {
		return
	}
	keys := make([]Key, 0, len(m.cache))
	for k := range m.cache {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b Key) int {
		return strings.Compare(a.Origin+"\x00"+a.URL+"\x00"+a.Partition, b.Origin+"\x00"+b.URL+"\x00"+b.Partition)
	})
	begin := m.randInt(0, len(keys)-purgeUnit)
	for _, k := range keys[begin : begin+purgeUnit] {
		delete(m.cache, k)
	}
}

func isCorsSafelistedMethod(method string) bool {
	u := strings.ToUpper(method)
	return u == "GET" || u == "HEAD" || u == "POST"
}

func (m *chromiumModel) lookup(k Key, req Request, now time.Time) lookupResult {
	if req.OpaqueOrigin {
		return missAll(req.Method, isCorsSafelistedMethod, req.UnsafeHeaderNames)
	}
	e, ok := m.cache[k]
	if !ok {
		return missAll(req.Method, isCorsSafelistedMethod, req.UnsafeHeaderNames)
	}
	// IsExpired: absolute_expiry_time_ <= Now().
	if !e.expiry.After(now) {
		delete(m.cache, k)
		return missAll(req.Method, isCorsSafelistedMethod, req.UnsafeHeaderNames)
	}
	// EnsureAllowedRequest.
	if !e.credentials && req.Credentials {
		delete(m.cache, k)
		return missAll(req.Method, isCorsSafelistedMethod, req.UnsafeHeaderNames)
	}
	methodHit := e.methods[req.Method] || isCorsSafelistedMethod(req.Method) ||
		!e.credentials && e.methods["*"]
	var missing []string
	hasWildcard := !e.credentials && e.headers["*"]
	for _, name := range req.UnsafeHeaderNames {
		lower := strings.ToLower(name)
		if hasWildcard {
			// NonWildcardRequestHeadersSupport(true) on cache hits.
			if lower == "authorization" && !e.headers["authorization"] {
				missing = append(missing, name)
			}
			continue
		}
		if !e.headers[lower] {
			missing = append(missing, name)
		}
	}
	r := finish(methodHit, missing)
	if !r.Hit {
		delete(m.cache, k)
	}
	return r
}

func (m *chromiumModel) clear(k Key) { delete(m.cache, k) }
func (m *chromiumModel) len() int    { return len(m.cache) }

// ---- Firefox ----

type tokenTime struct {
	token          string
	expirationTime time.Time
}

type firefoxEntry struct {
	key      string
	mMethods []tokenTime
	mHeaders []tokenTime
}

func (e *firefoxEntry) purgeExpired(now time.Time) {
	e.mMethods = slices.DeleteFunc(e.mMethods, func(t tokenTime) bool { return !now.Before(t.expirationTime) })
	e.mHeaders = slices.DeleteFunc(e.mHeaders, func(t tokenTime) bool { return !now.Before(t.expirationTime) })
}

type firefoxModel struct {
	mTable map[string]*firefoxEntry
	mList  []*firefoxEntry // front first
	size   int             // PREFLIGHT_CACHE_SIZE
	// seen holds the keys that had a result, when the recorded rule that
	// drops a key's first result applies (Policy.FirstResultUnused).
	seen map[string]bool
}

func firefoxKey(k Key, withCredentials bool) string {
	return fmt.Sprintf("%q %q %q %v", k.Origin, k.URL, k.Partition, withCredentials)
}

func (m *firefoxModel) unlink(e *firefoxEntry) {
	m.mList = slices.DeleteFunc(m.mList, func(x *firefoxEntry) bool { return x == e })
}

func (m *firefoxModel) getEntry(k Key, withCredentials, create bool, now time.Time) *firefoxEntry {
	key := firefoxKey(k, withCredentials)
	if e, ok := m.mTable[key]; ok {
		m.unlink(e)
		m.mList = append([]*firefoxEntry{e}, m.mList...)
		return e
	}
	if !create {
		return nil
	}
	if len(m.mTable) == m.size {
		for key, e := range m.mTable {
			e.purgeExpired(now)
			if len(e.mHeaders) == 0 && len(e.mMethods) == 0 {
				m.unlink(e)
				delete(m.mTable, key)
			}
		}
		if len(m.mTable) == m.size {
			lru := m.mList[len(m.mList)-1]
			m.mList = m.mList[:len(m.mList)-1]
			delete(m.mTable, lru.key)
		}
	}
	e := &firefoxEntry{key: key}
	m.mTable[key] = e
	m.mList = append([]*firefoxEntry{e}, m.mList...)
	return e
}

func (m *firefoxModel) store(k Key, r Result, req Request, now time.Time) {
	if req.OpaqueOrigin { // recorded behaviour
		return
	}
	if r.MaxAge <= 0 { // `if (!age …) return;`
		return
	}
	if m.seen != nil {
		key := firefoxKey(k, req.Credentials)
		if !m.seen[key] {
			m.seen[key] = true
			return
		}
	}
	expirationTime := now.Add(r.MaxAge)
	entry := m.getEntry(k, req.Credentials, true, now)
	add := func(list []tokenTime, tokens []string) []tokenTime {
		for _, tok := range tokens {
			i := slices.IndexFunc(list, func(t tokenTime) bool { return t.token == tok })
			if i >= 0 {
				list[i].expirationTime = expirationTime
			} else {
				list = append(list, tokenTime{tok, expirationTime})
			}
		}
		return list
	}
	entry.mMethods = add(entry.mMethods, r.Methods)
	entry.mHeaders = add(entry.mHeaders, r.Headers)
}

func (m *firefoxModel) lookup(k Key, req Request, now time.Time) lookupResult {
	getOrPost := func(method string) bool { return method == "GET" || method == "POST" }
	if req.OpaqueOrigin { // recorded behaviour
		return missAll(req.Method, getOrPost, req.UnsafeHeaderNames)
	}
	entry := m.getEntry(k, req.Credentials, false, now)
	if entry == nil {
		return missAll(req.Method, getOrPost, req.UnsafeHeaderNames)
	}
	// CheckRequest.
	entry.purgeExpired(now)
	methodHit := getOrPost(req.Method) ||
		slices.ContainsFunc(entry.mMethods, func(t tokenTime) bool { return t.token == req.Method })
	var missing []string
	for _, h := range req.UnsafeHeaderNames {
		if !slices.ContainsFunc(entry.mHeaders, func(t tokenTime) bool { return strings.EqualFold(t.token, h) }) {
			missing = append(missing, h)
		}
	}
	return finish(methodHit, missing)
}

// clear is RemoveEntries: both credentials variants.
func (m *firefoxModel) clear(k Key) {
	for _, cred := range []bool{true, false} {
		if e, ok := m.mTable[firefoxKey(k, cred)]; ok {
			m.unlink(e)
			delete(m.mTable, e.key)
		}
	}
}

func (m *firefoxModel) len() int { return len(m.mTable) }

// ---- WebKit ----

type webkitItem struct {
	absoluteExpiryTime     time.Time
	storedCredentialsUse   bool
	methods                map[string]bool
	headersCaseInsensitive map[string]bool // lower-cased keys
}

// webkitModel is WebKit's HashMap, plus corsim's bound (WebKit has none):
// with size > 0, a new key in a full map first drops the expired items, then
// the items inserted first.
type webkitModel struct {
	m     map[Key]*webkitItem
	size  int
	order []Key // keys in insertion order
}

func (m *webkitModel) delete(k Key) {
	delete(m.m, k)
	m.order = slices.DeleteFunc(m.order, func(o Key) bool { return o == k })
}

func (m *webkitModel) store(k Key, r Result, req Request, now time.Time) {
	if _, ok := m.m[k]; !ok {
		if m.size > 0 && len(m.m) >= m.size {
			for _, o := range slices.Clone(m.order) {
				if !m.m[o].absoluteExpiryTime.After(now) {
					m.delete(o)
				}
			}
			for len(m.m) >= m.size {
				m.delete(m.order[0])
			}
		}
		m.order = append(m.order, k)
	}
	item := &webkitItem{now.Add(r.MaxAge), req.Credentials, map[string]bool{}, map[string]bool{}}
	for _, v := range r.Methods {
		item.methods[v] = true
	}
	for _, v := range r.Headers {
		item.headersCaseInsensitive[strings.ToLower(v)] = true
	}
	m.m[k] = item
}

func webkitSimpleMethod(method string) bool {
	return method == "GET" || method == "HEAD" || method == "POST"
}

func (m *webkitModel) lookup(k Key, req Request, now time.Time) lookupResult {
	item, ok := m.m[k]
	if !ok {
		return missAll(req.Method, webkitSimpleMethod, req.UnsafeHeaderNames)
	}
	// allowsRequest. WebKit tests `m_absoluteExpiryTime < now`; the package
	// treats the exact expiry instant as expired for every policy (see
	// Cache.Lookup), and so does this model.
	if !item.absoluteExpiryTime.After(now) || req.Credentials && !item.storedCredentialsUse {
		m.delete(k)
		return missAll(req.Method, webkitSimpleMethod, req.UnsafeHeaderNames)
	}
	methodHit := item.methods[req.Method] || item.methods["*"] && !req.Credentials || webkitSimpleMethod(req.Method)
	validWildcard := item.headersCaseInsensitive["*"] && !req.Credentials
	var missing []string
	for _, h := range req.UnsafeHeaderNames {
		if !item.headersCaseInsensitive[strings.ToLower(h)] && !validWildcard {
			missing = append(missing, h)
		}
	}
	r := finish(methodHit, missing)
	if !r.Hit {
		m.delete(k)
	}
	return r
}

func (m *webkitModel) clear(k Key) { m.delete(k) }
func (m *webkitModel) len() int    { return len(m.m) }

// ---- the state machine ----

// lcg is a deterministic random source; the Cache and the Chromium model
// each get their own copy with the same seed.
type lcg struct{ x uint64 }

func (g *lcg) next(n int) int {
	g.x = g.x*6364136223846793005 + 1442695040888963407
	return int((g.x >> 33) % uint64(n))
}

// ledgerEntry is one Store the cache accepted, for the invariants.
type ledgerEntry struct {
	key         Key
	credentials bool
	methods     []string
	expiry      time.Time
}

var (
	modelOrigins    = []string{"http://a.test", "null", "https://a.test"}
	modelURLs       = []string{"http://b.test/1", "http://b.test/2", "http://b.test/3", "http://b.test/4", "http://b.test/5", "http://b.test/6", longURLKey(ChromiumMaxURLLength).URL}
	modelPartitions = []string{"", "https://top.test"}
	modelMethods    = []string{"GET", "HEAD", "POST", "PUT", "DELETE", "put", "get", "*"}
	storedMethods   = append(slices.Clone(modelMethods), "*", "PUT")
	modelHeaders    = []string{"x-a", "X-A", "x-b", "authorization", "Authorization", "content-type", "*"}
	modelMaxAges    = [][]string{nil, {"0"}, {"1"}, {"2"}, {"10"}, {"-1"}, {"10s"}, {"600"}, {"86400"}, {"10", "20"}}
	modelSteps      = []time.Duration{0, time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second, 5 * time.Second, 11 * time.Second, time.Hour}
)

// drawKey mostly picks one of a few hot keys, so that stores and lookups
// meet, and otherwise any key of the pool, so that bounded caches fill up.
func drawKey(t *rapid.T) Key {
	if rapid.IntRange(0, 3).Draw(t, "hot") > 0 {
		return Key{
			Origin: rapid.SampledFrom(modelOrigins[:2]).Draw(t, "origin"),
			URL:    rapid.SampledFrom(modelURLs[:2]).Draw(t, "url"),
		}
	}
	return Key{
		Origin:    rapid.SampledFrom(modelOrigins).Draw(t, "origin"),
		URL:       rapid.SampledFrom(modelURLs).Draw(t, "url"),
		Partition: rapid.SampledFrom(modelPartitions).Draw(t, "partition"),
	}
}

func drawRequest(t *rapid.T, k Key, headerPool []string) Request {
	return Request{
		Method:            rapid.SampledFrom(modelMethods[:len(modelMethods)-1]).Draw(t, "method"),
		UnsafeHeaderNames: rapid.SliceOfN(rapid.SampledFrom(headerPool), 0, 2).Draw(t, "unsafe"),
		Credentials:       rapid.Bool().Draw(t, "credentials"),
		OpaqueOrigin:      k.Origin == "null",
	}
}

type machineCase struct {
	name     string
	policy   Policy
	newModel func(seed uint64) model
	// exact is false when the model is the unbounded spec and the policy
	// bounds the cache: then a Cache hit must be a model hit, not the
	// reverse.
	exact bool
}

func machineCases() []machineCase {
	spec := func(uint64) model { return &specModel{} }
	chromium := func(maxEntries int) func(uint64) model {
		return func(seed uint64) model {
			g := &lcg{seed}
			return &chromiumModel{cache: map[Key]*chromiumResult{}, maxEntries: maxEntries,
				randInt: func(lo, hi int) int { return lo + g.next(hi-lo+1) }}
		}
	}
	firefox := func(size int) func(uint64) model {
		return func(uint64) model {
			return &firefoxModel{mTable: map[string]*firefoxEntry{}, size: size, seen: map[string]bool{}}
		}
	}
	webkit := func(size int) func(uint64) model {
		return func(uint64) model { return &webkitModel{m: map[Key]*webkitItem{}, size: size} }
	}

	smallChromium := ChromiumPolicy()
	smallChromium.MaxEntries = 12
	smallFirefox := FirefoxPolicy()
	smallFirefox.MaxEntries = 3
	smallSpec := SpecPolicy()
	smallSpec.MaxEntries = 3
	smallWebKit := WebKitPolicy()
	smallWebKit.MaxEntries = 3
	return []machineCase{
		{"spec", SpecPolicy(), spec, true},
		{"spec_bounded_to_3", smallSpec, spec, false},
		{"chromium", ChromiumPolicy(), chromium(ChromiumMaxEntries), true},
		{"chromium_bounded_to_12", smallChromium, chromium(12), true},
		{"firefox", FirefoxPolicy(), firefox(FirefoxMaxEntries), true},
		{"firefox_bounded_to_3", smallFirefox, firefox(3), true},
		{"webkit", WebKitPolicy(), webkit(WebKitMaxEntries), true},
		{"webkit_bounded_to_3", smallWebKit, webkit(3), true},
	}
}

func TestCache_agrees_with_model(t *testing.T) {
	for _, mc := range machineCases() {
		t.Run(mc.name, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) { runMachine(t, mc) })
		})
	}
}

func runMachine(t *rapid.T, mc machineCase) {
	seed := rapid.Uint64().Draw(t, "seed")
	g := &lcg{seed}
	c := New(mc.policy, WithRand(g.next))
	m := mc.newModel(seed)
	now := t0
	var ledger []ledgerEntry
	p := mc.policy

	t.Repeat(map[string]func(*rapid.T){
		"store": func(t *rapid.T) {
			k := drawKey(t)
			req := drawRequest(t, k, modelHeaders[:len(modelHeaders)-1])
			age, _ := ParseMaxAge(p.MaxAge, rapid.SampledFrom(modelMaxAges).Draw(t, "max-age"))
			r := Result{
				Methods:     rapid.SliceOfN(rapid.SampledFrom(storedMethods), 0, 3).Draw(t, "methods"),
				Headers:     rapid.SliceOfN(rapid.SampledFrom(modelHeaders), 0, 3).Draw(t, "headers"),
				Credentials: req.Credentials,
				MaxAge:      age,
			}
			if c.Store(k, r, req, now) {
				ledger = append(ledger, ledgerEntry{k, req.Credentials, r.Methods, now.Add(age)})
			}
			m.store(k, r, req, now)
		},
		"fill": func(t *rapid.T) {
			// Store one result under many keys, to reach the bounds.
			req := Request{Method: "PUT"}
			r := Result{Methods: []string{"PUT"}, MaxAge: rapid.SampledFrom([]time.Duration{time.Second, time.Minute}).Draw(t, "fill-age")}
			for range rapid.IntRange(1, 15).Draw(t, "fill-count") {
				k := drawKey(t)
				req.OpaqueOrigin = k.Origin == "null"
				if c.Store(k, r, req, now) {
					ledger = append(ledger, ledgerEntry{k, false, r.Methods, now.Add(r.MaxAge)})
				}
				m.store(k, r, req, now)
			}
		},
		"lookup": func(t *rapid.T) {
			k := drawKey(t)
			req := drawRequest(t, k, modelHeaders[:len(modelHeaders)-1])
			got := c.Lookup(k, req, now)
			want := m.lookup(k, req, now)
			gotR := lookupResult{got.Hit, got.MethodHit, got.MissingHeaders}
			if mc.exact {
				if diff := cmp.Diff(want, gotR); diff != "" {
					t.Fatalf("Lookup(%+v, %+v) at %v disagrees with the model (-model +cache):\n%s", k, req, now.Sub(t0), diff)
				}
			} else if got.Hit && !want.Hit {
				t.Fatalf("Lookup(%+v, %+v) at %v hit where the unbounded model misses", k, req, now.Sub(t0))
			}
			checkHitInvariants(t, p, ledger, k, req, got, now)
		},
		"advance": func(t *rapid.T) {
			now = now.Add(rapid.SampledFrom(modelSteps).Draw(t, "step"))
		},
		"clear": func(t *rapid.T) {
			k := drawKey(t)
			c.Clear(k)
			m.clear(k)
			ledger = slices.DeleteFunc(ledger, func(l ledgerEntry) bool { return l.key == k })
		},
		"": func(t *rapid.T) {
			n := c.Len()
			if p.MaxEntries > 0 && n > p.MaxEntries {
				t.Fatalf("Len = %d, above MaxEntries %d", n, p.MaxEntries)
			}
			if want := m.len(); want >= 0 && n != want {
				t.Fatalf("Len = %d, model holds %d", n, want)
			}
		},
	})
}

// checkHitInvariants checks what a hit promises, from the ledger alone.
func checkHitInvariants(t *rapid.T, p Policy, ledger []ledgerEntry, k Key, req Request, m Match, now time.Time) {
	if !m.Hit {
		if m.Reason == ReasonHit {
			t.Fatalf("miss with the hit reason")
		}
		return
	}
	if m.MissingHeaders != nil || !m.MethodHit {
		t.Fatalf("hit with MethodHit %v and MissingHeaders %q", m.MethodHit, m.MissingHeaders)
	}
	// Firefox's CheckRequest passes GET or POST without unsafe headers for
	// any entry it finds, even one whose names have all expired: such a hit
	// says nothing about what is cached.
	if p.Merge == MergeFirefox && p.ExemptMethodsOnHit.Contains(req.Method) && len(req.UnsafeHeaderNames) == 0 {
		return
	}
	var live []ledgerEntry
	for _, l := range ledger {
		if l.key == k && now.Before(l.expiry) {
			live = append(live, l)
		}
	}
	// An expired entry never hits.
	if len(live) == 0 {
		t.Fatalf("hit for %+v at %v with no live stored preflight", k, now.Sub(t0))
	}
	// A credentialed request never hits an entry stored without
	// credentials. Under MergeSpec a credentialed entry may owe its life to
	// a later uncredentialed preflight: that preflight's names have a cache
	// entry match with it (an entry stored with credentials matches every
	// request), so step 7.12 refreshes its max-age and it stays credentialed.
	credentialed := func(l ledgerEntry) bool { return l.credentials }
	if p.Merge == MergeSpec {
		if req.Credentials && !slices.ContainsFunc(ledger, func(l ledgerEntry) bool { return l.key == k && l.credentials }) {
			t.Fatalf("credentialed hit for %+v with only uncredentialed preflights stored", k)
		}
	} else if req.Credentials && !slices.ContainsFunc(live, credentialed) {
		t.Fatalf("credentialed hit for %+v with only uncredentialed preflights live", k)
	}
	// Under MergeReplace a new Store replaces old methods: the method must
	// come from the latest Store for the key (its credentials variant).
	if p.Merge == MergeReplace && !p.ExemptMethodsOnHit.Contains(req.Method) {
		var last *ledgerEntry
		for i := range ledger {
			if ledger[i].key == k {
				last = &ledger[i]
			}
		}
		if last == nil || !slices.Contains(last.methods, req.Method) && !slices.Contains(last.methods, "*") {
			t.Fatalf("method %q hit although the latest preflight for %+v allowed %q", req.Method, k, last.methods)
		}
	}
}
