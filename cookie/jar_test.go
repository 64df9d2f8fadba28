package cookie_test

import (
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/publicsuffix"
	"pgregory.net/rapid"

	"github.com/corsim/corsim/cookie"
	"github.com/corsim/corsim/origin"
)

var now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func newJar(t testing.TB) *cookie.Jar {
	t.Helper()
	inner, err := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
	if err != nil {
		t.Fatal(err)
	}
	j, err := cookie.New(inner)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// req is the context of a request from a page at top to u (no redirects).
func req(top, u string) cookie.Request {
	return cookie.Request{TopLevel: origin.MustParse(top), Chain: []origin.Origin{origin.MustParse(strings.TrimSuffix(u, "/"))}}
}

func names(cs []*http.Cookie) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	sort.Strings(out)
	return out
}

// laxByDefault is RFC 6265bis's rules with third-party cookies allowed.
var laxByDefault = cookie.Policy{DefaultSameSite: http.SameSiteLaxMode, NoneRequiresSecure: true, Schemeful: true, ThirdParty: cookie.ThirdPartyAllow, TrustworthyIsSecure: true}

func TestNewRefusesANilJar(t *testing.T) {
	if _, err := cookie.New(nil); err == nil {
		t.Error("cookie.New(nil) must fail")
	}
}

// What Receive stores: each line set from https://b.test/ by a page at top,
// then read back first-party.
func TestReceiveStorageRules(t *testing.T) {
	long := strings.Repeat("v", cookie.MaxNameValueBytes)
	tests := []struct {
		name   string
		policy cookie.Policy
		top    string
		url    string
		line   string
		stored bool
	}{
		{"same_site_plain", laxByDefault, "https://b.test", "https://b.test/", "a=1", true},
		{"secure_from_https", laxByDefault, "https://b.test", "https://b.test/", "a=1; Secure", true},
		{"secure_from_http_is_ignored", laxByDefault, "http://b.test", "http://b.test/", "a=1; Secure", false},
		{"secure_from_localhost_is_kept", laxByDefault, "http://localhost", "http://localhost/", "a=1; Secure", true},
		{"secure_from_localhost_needs_trustworthy_is_secure", cookie.Policy{}, "http://localhost", "http://localhost/", "a=1; Secure", false},
		{"secure_prefix_without_secure", laxByDefault, "https://b.test", "https://b.test/", "__Secure-a=1", false},
		{"secure_prefix_any_case", laxByDefault, "https://b.test", "https://b.test/", "__SECURE-a=1", false},
		{"secure_prefix_with_secure", laxByDefault, "https://b.test", "https://b.test/", "__Secure-a=1; Secure", true},
		{"host_prefix_with_domain", laxByDefault, "https://b.test", "https://b.test/", "__Host-a=1; Secure; Path=/; Domain=b.test", false},
		{"host_prefix_without_root_path", laxByDefault, "https://b.test", "https://b.test/", "__Host-a=1; Secure; Path=/x", false},
		{"host_prefix_right", laxByDefault, "https://b.test", "https://b.test/", "__Host-a=1; Secure; Path=/", true},
		{"none_without_secure", laxByDefault, "https://b.test", "https://b.test/", "a=1; SameSite=None", false},
		{"none_without_secure_allowed", cookie.Policy{}, "https://b.test", "https://b.test/", "a=1; SameSite=None", true},
		{"name_plus_value_at_the_limit", laxByDefault, "https://b.test", "https://b.test/", "a=" + long[:cookie.MaxNameValueBytes-1], true},
		{"name_plus_value_past_the_limit", laxByDefault, "https://b.test", "https://b.test/", "a=" + long, false},
		{"lax_from_a_cross_site_response", laxByDefault, "https://a.test", "https://b.test/", "a=1; SameSite=Lax; Secure", false},
		{"unset_from_a_cross_site_response_lax_default", laxByDefault, "https://a.test", "https://b.test/", "a=1; Secure", false},
		{"unset_from_a_cross_site_response_none_default", cookie.Policy{}, "https://a.test", "https://b.test/", "a=1", true},
		{"none_from_a_cross_site_response", laxByDefault, "https://a.test", "https://b.test/", "a=1; SameSite=None; Secure", true},
		{"third_party_blocked", cookie.Policy{ThirdParty: cookie.ThirdPartyBlock}, "https://a.test", "https://b.test/", "a=1; SameSite=None; Secure", false},
		{"third_party_store_blocked", cookie.Policy{ThirdParty: cookie.ThirdPartyBlockStore}, "https://a.test", "https://b.test/", "a=1; SameSite=None; Secure", false},
		{"third_party_partitioned_not_first_party", cookie.Policy{ThirdParty: cookie.ThirdPartyPartition}, "https://a.test", "https://b.test/", "a=1; SameSite=None; Secure", false},
		{"malformed_line", laxByDefault, "https://b.test", "https://b.test/", "=", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := newJar(t)
			u := mustURL(tt.url)
			if err := j.Receive(tt.policy, req(tt.top, tt.url), u, []string{tt.line}, now); err != nil {
				t.Fatal(err)
			}
			if got := len(j.Send(tt.policy, req(strings.TrimSuffix(tt.url, "/"), tt.url), u)) == 1; got != tt.stored {
				t.Errorf("stored = %v, want %v", got, tt.stored)
			}
		})
	}
}

// What Send attaches, for cookies seeded first-party on b.test.
func TestSendRules(t *testing.T) {
	seeded := []string{"strict=1; SameSite=Strict; Secure", "lax=1; SameSite=Lax; Secure", "none=1; SameSite=None; Secure", "unset=1; Secure"}
	tests := []struct {
		name   string
		policy cookie.Policy
		r      cookie.Request
		want   []string
	}{
		{"same_site_all", laxByDefault, req("https://b.test", "https://b.test"), []string{"lax", "none", "strict", "unset"}},
		{"cross_site_lax_default", laxByDefault, req("https://a.test", "https://b.test"), []string{"none"}},
		{"cross_site_none_default", cookie.Policy{}, req("https://a.test", "https://b.test"), []string{"none", "unset"}},
		{"schemeful_cross_site", laxByDefault, req("http://b.test", "https://b.test"), []string{"none"}},
		{"schemeless_same_site", cookie.Policy{}, req("http://b.test", "https://b.test"), []string{"lax", "none", "strict", "unset"}},
		{"opaque_top_level", cookie.Policy{}, cookie.Request{TopLevel: origin.OpaqueFromID(1), Chain: []origin.Origin{origin.MustParse("https://b.test")}}, []string{"none", "unset"}},
		{"block", cookie.Policy{ThirdParty: cookie.ThirdPartyBlock}, req("https://a.test", "https://b.test"), nil},
		{"block_store_still_sends", cookie.Policy{ThirdParty: cookie.ThirdPartyBlockStore}, req("https://a.test", "https://b.test"), []string{"none", "unset"}},
		{"partition_hides_first_party", cookie.Policy{ThirdParty: cookie.ThirdPartyPartition}, req("https://a.test", "https://b.test"), nil},
		{"redirect_chain_counts", cookie.Policy{RedirectChainCounts: true}, cookie.Request{TopLevel: origin.MustParse("https://b.test"),
			Chain: []origin.Origin{origin.MustParse("https://a.test"), origin.MustParse("https://b.test")}}, []string{"none", "unset"}},
		{"redirect_chain_ignored", cookie.Policy{}, cookie.Request{TopLevel: origin.MustParse("https://b.test"),
			Chain: []origin.Origin{origin.MustParse("https://a.test"), origin.MustParse("https://b.test")}}, []string{"lax", "none", "strict", "unset"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := newJar(t)
			u := mustURL("https://b.test/")
			var cs []*http.Cookie
			for _, l := range seeded {
				c, _ := http.ParseSetCookie(l)
				cs = append(cs, c)
			}
			j.SetCookies(u, cs)
			if diff := cmp.Diff(tt.want, names(j.Send(tt.policy, tt.r, u))); diff != "" {
				t.Errorf("sent (-want +got):\n%s", diff)
			}
		})
	}
}

// Two cookies of one name on different paths: each keeps its own
// SameSite, and an ambiguous match takes the stricter one.
func TestSendKeepsSameSitePerPath(t *testing.T) {
	j := newJar(t)
	u := mustURL("https://b.test/api/x")
	j.SetCookies(mustURL("https://b.test/"), []*http.Cookie{{Name: "s", Value: "root", Path: "/", SameSite: http.SameSiteNoneMode, Secure: true}})
	r := req("https://a.test", "https://b.test")
	if got := names(j.Send(cookie.Policy{}, r, u)); len(got) != 1 {
		t.Fatalf("one None cookie: sent %v", got)
	}
	j.SetCookies(mustURL("https://b.test/api/"), []*http.Cookie{{Name: "s", Value: "api", Path: "/api", SameSite: http.SameSiteStrictMode, Secure: true}})
	if got := j.Send(cookie.Policy{}, r, mustURL("https://b.test/other")); len(got) != 1 || got[0].Value != "root" {
		t.Errorf("outside /api only the None cookie applies: sent %v", got)
	}
	if got := j.Send(cookie.Policy{}, r, u); len(got) != 0 {
		t.Errorf("under /api the names collide and the stricter SameSite wins: sent %v", got)
	}
}

func TestEvictionKeepsTheJarBounded(t *testing.T) {
	j := newJar(t)
	u := mustURL("https://b.test/")
	for i := 0; i <= cookie.MaxCookies; i++ {
		j.SetCookies(u, []*http.Cookie{{Name: fmt.Sprintf("c%d", i), Value: "1"}})
	}
	got := j.Cookies(u)
	if len(got) != cookie.MaxCookies {
		t.Fatalf("the jar holds %d cookies, want MaxCookies = %d", len(got), cookie.MaxCookies)
	}
	for _, c := range got {
		if c.Name == "c0" {
			t.Error("the oldest cookie was not evicted")
		}
	}
}

func TestTooManyPartitionsIsAnError(t *testing.T) {
	j := newJar(t)
	p := cookie.Policy{ThirdParty: cookie.ThirdPartyPartition}
	u := mustURL("https://b.test/")
	line := []string{"a=1; SameSite=None; Secure"}
	for i := 0; i < cookie.MaxPartitions; i++ {
		if err := j.Receive(p, req(fmt.Sprintf("https://s%d.test", i), "https://b.test"), u, line, now); err != nil {
			t.Fatalf("partition %d: %v", i, err)
		}
	}
	if err := j.Receive(p, req("https://one-more.test", "https://b.test"), u, line, now); err != cookie.ErrTooManyPartitions {
		t.Errorf("got %v, want ErrTooManyPartitions", err)
	}
}

// Properties over random policies, cookies and sites: Send never invents a
// cookie, never sends a Lax or Strict cookie (or one without SameSite under
// Lax by default) cross-site, and a blocking policy sends nothing
// third-party. Every cookie gets a unique value, so the model knows the
// SameSite each sent cookie was set with.
func TestSendProperties(t *testing.T) {
	sites := []string{"https://a.test", "https://b.test", "https://sub.b.test", "http://b.test", "https://c.example"}
	rapid.Check(t, func(t *rapid.T) {
		inner, _ := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
		j, _ := cookie.New(inner)
		p := cookie.Policy{
			DefaultSameSite:     rapid.SampledFrom([]http.SameSite{http.SameSiteLaxMode, http.SameSiteNoneMode}).Draw(t, "default"),
			NoneRequiresSecure:  rapid.Bool().Draw(t, "noneSecure"),
			Schemeful:           rapid.Bool().Draw(t, "schemeful"),
			RedirectChainCounts: rapid.Bool().Draw(t, "chain"),
			ThirdParty:          cookie.ThirdParty(rapid.IntRange(0, 3).Draw(t, "thirdParty")),
		}
		setWith := map[string]http.SameSite{} // value → SameSite attribute
		for i, n := 0, rapid.IntRange(0, 8).Draw(t, "n"); i < n; i++ {
			name := rapid.SampledFrom([]string{"a", "b", "c"}).Draw(t, "name")
			ss := rapid.SampledFrom([]http.SameSite{0, http.SameSiteLaxMode, http.SameSiteStrictMode, http.SameSiteNoneMode}).Draw(t, "samesite")
			host := rapid.SampledFrom(sites).Draw(t, "setter")
			value := fmt.Sprintf("v%d", i)
			line := name + "=" + value + "; Secure"
			switch ss {
			case http.SameSiteLaxMode:
				line += "; SameSite=Lax"
			case http.SameSiteStrictMode:
				line += "; SameSite=Strict"
			case http.SameSiteNoneMode:
				line += "; SameSite=None"
			}
			setWith[value] = ss
			if rapid.Bool().Draw(t, "firstParty") {
				c, _ := http.ParseSetCookie(line)
				j.SetCookies(mustURL(host+"/"), []*http.Cookie{c})
			} else {
				top := rapid.SampledFrom(sites).Draw(t, "top")
				if err := j.Receive(p, req(top, host), mustURL(host+"/"), []string{line}, now); err != nil {
					t.Fatal(err)
				}
			}
		}
		top := rapid.SampledFrom(sites).Draw(t, "requestTop")
		target := rapid.SampledFrom(sites).Draw(t, "target")
		r := req(top, target)
		u := mustURL(target + "/")
		sent := j.Send(p, r, u)
		thirdParty := p.IsThirdParty(r)
		if thirdParty && p.ThirdParty == cookie.ThirdPartyBlock && len(sent) > 0 {
			t.Fatalf("ThirdPartyBlock sent %v third-party", names(sent))
		}
		firstParty := map[string]bool{}
		for _, c := range j.Cookies(u) {
			firstParty[c.Value] = true
		}
		for _, c := range sent {
			if !(thirdParty && p.ThirdParty == cookie.ThirdPartyPartition) && !firstParty[c.Value] {
				t.Fatalf("sent %s=%s, which the jar does not hold for %s", c.Name, c.Value, u)
			}
			ss := setWith[c.Value]
			if ss == 0 || ss == http.SameSiteDefaultMode {
				ss = p.DefaultSameSite
			}
			if !p.IsSameSite(r) && ss != http.SameSiteNoneMode {
				t.Fatalf("sent %s=%s (SameSite %v) on a cross-site request", c.Name, c.Value, ss)
			}
		}
	})
}

// FuzzReceive stores any Set-Cookie line from a cross-site response and
// checks what a browser would: nothing is stored under ThirdPartyBlock,
// and whatever is stored goes back cross-site only as SameSite=None.
func FuzzReceive(f *testing.F) {
	for _, s := range []string{"a=1", "a=1; SameSite=None; Secure", "__Host-a=1; Secure; Path=/", "a=1; Domain=b.test; SameSite=Lax", "a=1; Max-Age=-1", "=", "a=\"q\"; Path=/x"} {
		f.Add(s, uint8(0), true)
	}
	f.Fuzz(func(t *testing.T, line string, tp uint8, laxDefault bool) {
		j := newJar(t)
		p := cookie.Policy{ThirdParty: cookie.ThirdParty(tp % 4), DefaultSameSite: http.SameSiteNoneMode}
		if laxDefault {
			p.DefaultSameSite = http.SameSiteLaxMode
		}
		u := mustURL("https://b.test/")
		r := req("https://a.test", "https://b.test")
		if err := j.Receive(p, r, u, []string{line}, now); err != nil {
			t.Fatal(err)
		}
		stored := len(j.Cookies(u)) > 0
		if stored && p.ThirdParty != cookie.ThirdPartyAllow {
			t.Fatalf("policy %v stored %q first-party from a third-party response", p.ThirdParty, line)
		}
		if !stored {
			return
		}
		c, err := http.ParseSetCookie(line)
		if err != nil {
			t.Fatalf("stored a line that does not parse: %q", line)
		}
		if c.SameSite == http.SameSiteLaxMode || c.SameSite == http.SameSiteStrictMode || (laxDefault && c.SameSite != http.SameSiteNoneMode) {
			t.Fatalf("stored %q, which could not be sent back cross-site", line)
		}
	})
}

// A crawler seeds its jar as a first-party visit would (a login), then a
// page at another site fetches with credentials: with Lax by default and
// third-party cookies allowed, only the SameSite=None cookie goes.
func ExampleJar() {
	inner, _ := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
	jar, _ := cookie.New(inner)
	api := mustURL("https://api.example/")
	jar.SetCookies(api, []*http.Cookie{
		{Name: "session", Value: "1", Secure: true, SameSite: http.SameSiteNoneMode},
		{Name: "csrf", Value: "2", Secure: true, SameSite: http.SameSiteLaxMode},
		{Name: "legacy", Value: "3", Secure: true}, // no SameSite: Lax by default
	})
	r := cookie.Request{TopLevel: origin.MustParse("https://app.test"), Chain: []origin.Origin{origin.MustParse("https://api.example")}}
	for _, c := range jar.Send(laxByDefault, r, api) {
		fmt.Println(c.Name)
	}
	// Output: session
}

// Same-site for cookies, with and without the scheme: a page at
// http://shop.example fetching https://api.shop.example.
func ExamplePolicy_IsSameSite() {
	r := cookie.Request{TopLevel: origin.MustParse("http://shop.example"), Chain: []origin.Origin{origin.MustParse("https://api.shop.example")}}
	fmt.Println(cookie.Policy{Schemeful: true}.IsSameSite(r), cookie.Policy{Schemeful: false}.IsSameSite(r))
	// Output: false true
}

// A third-party response's cookies under each policy: stored first-party,
// kept in the page's partition, or dropped.
func ExampleJar_Receive() {
	for _, tp := range []cookie.ThirdParty{cookie.ThirdPartyAllow, cookie.ThirdPartyPartition, cookie.ThirdPartyBlockStore} {
		inner, _ := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
		jar, _ := cookie.New(inner)
		p := cookie.Policy{ThirdParty: tp}
		api := mustURL("https://api.example/")
		r := cookie.Request{TopLevel: origin.MustParse("https://app.test"), Chain: []origin.Origin{origin.MustParse("https://api.example")}}
		jar.Receive(p, r, api, []string{"id=7; SameSite=None; Secure"}, now)
		fmt.Println(tp, len(jar.Cookies(api)), len(jar.Send(p, r, api)))
	}
	// Output:
	// allow 1 1
	// partition 0 1
	// block-store 0 0
}
