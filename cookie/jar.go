package cookie

import (
	"errors"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/publicsuffix"

	"github.com/corsim/corsim/origin"
)

// MaxCookies is how many cookies set through a Jar it remembers the
// attributes of; past it the least recently set cookie is evicted from the
// Jar and from the underlying jar, as browsers evict (Firefox
// network.cookie.maxNumber = 3000; Chromium CookieMonster kMaxCookies =
// 3300).
const MaxCookies = 3000

// MaxPartitions is how many third-party partitions (one per top-level site)
// a Jar holds. Storing into one more is an error: partitions come from the
// documents a crawler simulates, not from servers.
const MaxPartitions = 1024

// ErrTooManyPartitions is returned when a Jar would hold more than
// MaxPartitions partitions.
var ErrTooManyPartitions = errors.New("cookie: more than MaxPartitions third-party partitions")

// Jar is where corsim keeps cookies: an http.CookieJar for first-party (and
// unpartitioned) cookies, one more per top-level site for partitioned
// third-party cookies, and the attributes the http.CookieJar interface
// drops. It is safe for concurrent use.
//
// Jar is itself an http.CookieJar: SetCookies stores cookies as a
// first-party visit to the URL would (use it to seed a crawler with a
// login), Cookies returns the underlying jar's. Seed through the Jar, not
// the underlying jar, so that SameSite is kept: a cookie the Jar did not see
// being set is enforced with the profile's default SameSite.
type Jar struct {
	mu         sync.Mutex
	main       http.CookieJar
	newJar     func() (http.CookieJar, error)
	partitions map[string]http.CookieJar
	attrs      map[attrKey]*attrEntry
	byName     map[nameKey][]attrKey
	seq        uint64
}

// attrKey identifies a cookie as RFC 6265bis §5.7 step 24 does: name,
// domain and path (and, here, its partition).
type attrKey struct {
	partition, domain, path, name string
}

type nameKey struct{ partition, name string }

type attrEntry struct {
	sameSite http.SameSite
	hostOnly bool
	setURL   *url.URL // where it was set, to delete it on eviction
	seq      uint64
}

// New returns a Jar over main, the jar of first-party cookies. Partitioned
// third-party cookies go to jars made by net/http/cookiejar with the public
// suffix list.
func New(main http.CookieJar) (*Jar, error) {
	if main == nil {
		return nil, errors.New("cookie: New: nil http.CookieJar")
	}
	return &Jar{
		main: main,
		newJar: func() (http.CookieJar, error) {
			return cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
		},
		partitions: map[string]http.CookieJar{},
		attrs:      map[attrKey]*attrEntry{},
		byName:     map[nameKey][]attrKey{},
	}, nil
}

// SetCookies stores cookies as a first-party response from u would, keeping
// their SameSite. It implements http.CookieJar.
func (j *Jar) SetCookies(u *url.URL, cookies []*http.Cookie) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, c := range cookies {
		j.store("", j.main, u, c, time.Time{})
	}
}

// Cookies returns the first-party cookies the underlying jar holds for u.
// It implements http.CookieJar.
func (j *Jar) Cookies(u *url.URL) []*http.Cookie { return j.main.Cookies(u) }

// Send returns the cookies a browser following p attaches to a request for
// u in context r (RFC 6265bis §5.8.3 "Retrieval Algorithm", for a
// non-navigation request). The caller decides whether credentials are
// included at all (Fetch's credentials mode).
func (j *Jar) Send(p Policy, r Request, u *url.URL) []*http.Cookie {
	if len(r.Chain) == 0 {
		return nil
	}
	partition := ""
	src := j.main
	if p.IsThirdParty(r) {
		switch p.ThirdParty {
		case ThirdPartyBlock:
			return nil
		case ThirdPartyPartition:
			partition = partitionKey(r.TopLevel)
			j.mu.Lock()
			src = j.partitions[partition]
			j.mu.Unlock()
			if src == nil {
				return nil
			}
		}
	}
	q := u
	if p.TrustworthyIsSecure && u.Scheme == "http" && r.target().IsPotentiallyTrustworthy() {
		// The underlying jar sends Secure cookies to https only: ask it
		// for the https twin of u, which matches the same cookies.
		twin := *u
		twin.Scheme = "https"
		q = &twin
	}
	cands := src.Cookies(q)
	if len(cands) == 0 {
		return nil
	}
	sameSite := p.IsSameSite(r)
	j.mu.Lock()
	defer j.mu.Unlock()
	out := cands[:0]
	for _, c := range cands {
		// §5.8.3 step 2: a cookie whose same-site-flag is not "None" is
		// sent only with a same-site request (for a subresource request,
		// Lax and Strict are the same).
		if !sameSite && p.effectiveSameSite(j.sameSiteOf(partition, c.Name, u)) != http.SameSiteNoneMode {
			continue
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// Receive stores the Set-Cookie lines of a response from u, requested in
// context r, as a browser following p does (RFC 6265bis §5.7 "Storage
// Model"). Lines a browser ignores are ignored. Its only error is
// ErrTooManyPartitions.
func (j *Jar) Receive(p Policy, r Request, u *url.URL, lines []string, now time.Time) error {
	if len(lines) == 0 || len(r.Chain) == 0 {
		return nil
	}
	sameSite := p.IsSameSite(r)
	thirdParty := p.IsThirdParty(r)
	secure := u.Scheme == "https" || p.TrustworthyIsSecure && r.target().IsPotentiallyTrustworthy()
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, line := range lines {
		c, err := http.ParseSetCookie(line)
		if err != nil {
			// §5.6: a line that does not parse is ignored.
			continue
		}
		if len(c.Name)+len(c.Value) > MaxNameValueBytes {
			continue
		}
		// §5.7 step 10: a Secure cookie from a non-secure URL is ignored
		// (what is secure: Policy.TrustworthyIsSecure).
		if c.Secure && !secure {
			continue
		}
		if !p.IgnorePrefixes && !prefixOK(c) {
			continue
		}
		if c.SameSite == http.SameSiteNoneMode && !c.Secure && p.NoneRequiresSecure {
			continue
		}
		// §5.7 steps 18-19: a cookie that would not be sent cross-site
		// cannot be set from a cross-site request.
		if !sameSite && p.effectiveSameSite(c.SameSite) != http.SameSiteNoneMode {
			continue
		}
		partition, dst := "", j.main
		if thirdParty {
			switch p.ThirdParty {
			case ThirdPartyBlock, ThirdPartyBlockStore:
				continue
			case ThirdPartyPartition:
				partition = partitionKey(r.TopLevel)
				dst = j.partitions[partition]
				if dst == nil {
					if len(j.partitions) >= MaxPartitions {
						return ErrTooManyPartitions
					}
					jar, err := j.newJar()
					if err != nil {
						return err
					}
					dst = jar
					j.partitions[partition] = dst
				}
			}
		}
		j.store(partition, dst, u, c, now)
	}
	return nil
}

// store puts c into dst and remembers its attributes. j.mu is held.
func (j *Jar) store(partition string, dst http.CookieJar, u *url.URL, c *http.Cookie, now time.Time) {
	dst.SetCookies(u, []*http.Cookie{c})
	key := attrKey{partition: partition, domain: strings.TrimPrefix(strings.ToLower(c.Domain), "."), path: c.Path, name: c.Name}
	hostOnly := key.domain == ""
	if hostOnly {
		key.domain = strings.ToLower(u.Hostname())
	}
	if !strings.HasPrefix(key.path, "/") {
		key.path = defaultPath(u.EscapedPath())
	}
	deleted := c.MaxAge < 0 || (!now.IsZero() && !c.Expires.IsZero() && c.Expires.Before(now))
	if deleted {
		j.forget(key)
		return
	}
	j.seq++
	if e, ok := j.attrs[key]; ok {
		e.sameSite, e.hostOnly, e.setURL, e.seq = c.SameSite, hostOnly, u, j.seq
		return
	}
	if len(j.attrs) >= MaxCookies {
		j.evictOldest()
	}
	j.attrs[key] = &attrEntry{sameSite: c.SameSite, hostOnly: hostOnly, setURL: u, seq: j.seq}
	nk := nameKey{partition, key.name}
	j.byName[nk] = append(j.byName[nk], key)
}

func (j *Jar) forget(key attrKey) {
	if _, ok := j.attrs[key]; !ok {
		return
	}
	delete(j.attrs, key)
	nk := nameKey{key.partition, key.name}
	keys := j.byName[nk]
	for i, k := range keys {
		if k == key {
			keys = append(keys[:i], keys[i+1:]...)
			break
		}
	}
	if len(keys) == 0 {
		delete(j.byName, nk)
	} else {
		j.byName[nk] = keys
	}
}

// evictOldest removes the least recently set cookie from the Jar and from
// the jar that holds it.
func (j *Jar) evictOldest() {
	var oldest attrKey
	var min uint64
	first := true
	for k, e := range j.attrs {
		if first || e.seq < min {
			oldest, min, first = k, e.seq, false
		}
	}
	if first {
		return
	}
	e := j.attrs[oldest]
	dst := j.main
	if oldest.partition != "" {
		dst = j.partitions[oldest.partition]
	}
	if dst != nil {
		del := &http.Cookie{Name: oldest.name, Path: oldest.path, MaxAge: -1}
		if !e.hostOnly {
			del.Domain = oldest.domain
		}
		dst.SetCookies(e.setURL, []*http.Cookie{del})
	}
	j.forget(oldest)
}

// sameSiteOf returns the SameSite of the cookie called name that the jar
// returned for u: the attribute recorded when it was set through the Jar,
// the strictest one when several stored cookies of that name match u, or
// 0 (the policy's default) when the Jar did not see it set. j.mu is held.
func (j *Jar) sameSiteOf(partition, name string, u *url.URL) http.SameSite {
	host := strings.ToLower(u.Hostname())
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	var ss http.SameSite
	for _, k := range j.byName[nameKey{partition, name}] {
		e := j.attrs[k]
		if e.hostOnly && host != k.domain || !e.hostOnly && !domainMatch(host, k.domain) || !pathMatch(path, k.path) {
			continue
		}
		if strictness(e.sameSite) > strictness(ss) {
			ss = e.sameSite
		}
	}
	return ss
}

func strictness(ss http.SameSite) int {
	switch ss {
	case http.SameSiteNoneMode:
		return 1
	case http.SameSiteLaxMode:
		return 3
	case http.SameSiteStrictMode:
		return 4
	}
	return 0 // unset: the policy's default
}

// domainMatch is RFC 6265bis §5.1.3.
func domainMatch(host, domain string) bool {
	return host == domain || strings.HasSuffix(host, "."+domain)
}

// pathMatch is RFC 6265bis §5.1.4.
func pathMatch(reqPath, cookiePath string) bool {
	if reqPath == cookiePath {
		return true
	}
	if strings.HasPrefix(reqPath, cookiePath) {
		return strings.HasSuffix(cookiePath, "/") || reqPath[len(cookiePath)] == '/'
	}
	return false
}

// defaultPath is RFC 6265bis §5.1.4's default-path of a request path.
func defaultPath(p string) string {
	if p == "" || p[0] != '/' {
		return "/"
	}
	i := strings.LastIndex(p, "/")
	if i == 0 {
		return "/"
	}
	return p[:i]
}

// partitionKey is the top-level site a partition belongs to: scheme and
// registrable domain (or host when it has none).
func partitionKey(top origin.Origin) string {
	if top.IsOpaque() {
		return top.String()
	}
	host := top.Host()
	if reg, err := publicsuffix.EffectiveTLDPlusOne(strings.TrimSuffix(host, ".")); err == nil {
		host = reg
	}
	return top.Scheme() + "://" + host
}
