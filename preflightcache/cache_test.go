package preflightcache

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

var keyA = Key{Origin: "http://a.test", URL: "http://b.test/r"}

func keyN(n int) Key { return Key{Origin: "http://a.test", URL: fmt.Sprintf("http://b.test/%02d", n)} }

// event is one call on the cache in a table test. Exactly one of store,
// lookup and clear is set.
type event struct {
	at     float64 // seconds after t0
	key    *Key    // nil means keyA
	store  *Result
	lookup bool
	clear  bool
	req    Request
}

// outcome is what an event observed: Stored for a store, the Match fields
// for a lookup, and Len after every event.
type outcome struct {
	Stored    bool
	Hit       bool
	MethodHit bool
	Missing   []string
	Len       int
}

func storeAt(at float64, req Request, r Result) event {
	r.Credentials = req.Credentials
	return event{at: at, store: &r, req: req}
}

func lookupAt(at float64, req Request) event { return event{at: at, lookup: true, req: req} }

func clearAt(at float64) event { return event{at: at, clear: true} }

func (e event) on(k Key) event { e.key = &k; return e }

func req(method string, headers ...string) Request {
	return Request{Method: method, UnsafeHeaderNames: headers}
}

func credReq(method string, headers ...string) Request {
	r := req(method, headers...)
	r.Credentials = true
	return r
}

func result(age time.Duration, methods []string, headers ...string) Result {
	return Result{Methods: methods, Headers: headers, MaxAge: age}
}

// maxAge parses one Access-Control-Max-Age line under rule.
func maxAge(rule MaxAgeRule, line string) time.Duration {
	age, _ := ParseMaxAge(rule, []string{line})
	return age
}

func list(s ...string) []string { return s }

func stored(n int) outcome   { return outcome{Stored: true, Len: n} }
func declined(n int) outcome { return outcome{Len: n} }
func hit(n int) outcome      { return outcome{Hit: true, MethodHit: true, Len: n} }
func methodMiss(n int, missing ...string) outcome {
	return outcome{Missing: nilIfEmpty(missing), Len: n}
}
func headerMiss(n int, missing ...string) outcome {
	return outcome{MethodHit: true, Missing: nilIfEmpty(missing), Len: n}
}
func length(n int) outcome { return outcome{Len: n} }

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

func run(t *testing.T, c *Cache, events []event) []outcome {
	t.Helper()
	var got []outcome
	for _, ev := range events {
		k := keyA
		if ev.key != nil {
			k = *ev.key
		}
		now := t0.Add(time.Duration(ev.at * float64(time.Second)))
		var o outcome
		switch {
		case ev.store != nil:
			o.Stored = c.Store(k, *ev.store, ev.req, now)
		case ev.lookup:
			m := c.Lookup(k, ev.req, now)
			o.Hit, o.MethodHit, o.Missing = m.Hit, m.MethodHit, m.MissingHeaders
			if m.Reason == "" {
				t.Errorf("Lookup at %v s gave an empty Reason", ev.at)
			}
			if m.Hit != (m.Reason == ReasonHit) {
				t.Errorf("Lookup at %v s: Hit %v with Reason %q", ev.at, m.Hit, m.Reason)
			}
		case ev.clear:
			c.Clear(k)
		}
		o.Len = c.Len()
		got = append(got, o)
	}
	return got
}

type cacheCase struct {
	name   string
	policy Policy
	opts   []Option
	events []event
	want   []outcome
}

func runCases(t *testing.T, tests []cacheCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.events) != len(tt.want) {
				t.Fatalf("bad test: %d events, %d outcomes", len(tt.events), len(tt.want))
			}
			got := run(t, New(tt.policy, tt.opts...), tt.events)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("outcomes mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// Chromium cases. Those marked "recorded" reproduce the cache's part of a
// scenario in testdata/chromium/cache (Chromium 156); the file name is given.
func TestCache_chromium(t *testing.T) {
	cr := ChromiumPolicy()
	age := func(line string) time.Duration { return maxAge(MaxAgeChromium, line) }
	runCases(t, []cacheCase{{
		// recorded: preflight-cached-for-put-a-delete-at-0-5-s-needs-a-new-preflight
		name:   "put_cached_then_delete_needs_a_new_preflight_and_the_miss_erases_the_entry",
		policy: cr,
		events: []event{
			storeAt(0, req("PUT", "x-foo"), result(age("10"), list("PUT"), "X-Foo")),
			lookupAt(0.5, req("DELETE", "x-foo")),
			storeAt(0.5, req("DELETE", "x-foo"), result(DefaultMaxAge, list("PUT", "DELETE"), "X-Foo")),
			lookupAt(1, req("DELETE", "x-foo")),
		},
		want: []outcome{stored(1), methodMiss(0), stored(1), hit(1)},
	}, {
		// recorded: preflight-cached-for-x-foo-and-x-bar-a-put-with-only-x-foo-at-0-5-s-reuses-it
		name:   "entry_for_two_headers_serves_a_request_with_one",
		policy: cr,
		events: []event{
			storeAt(0, req("PUT", "x-bar", "x-foo"), result(age("10"), list("PUT"), "X-Foo", "X-Bar")),
			lookupAt(0.5, req("PUT", "x-foo")),
		},
		want: []outcome{stored(1), hit(1)},
	}, {
		// recorded: preflight-cached-for-x-foo-a-put-with-x-bar-at-0-5-s-needs-a-new-preflight
		name:   "header_not_in_the_entry_misses",
		policy: cr,
		events: []event{
			storeAt(0, req("PUT", "x-foo"), result(age("10"), list("PUT"), "X-Foo")),
			lookupAt(0.5, req("PUT", "x-bar")),
		},
		want: []outcome{stored(1), headerMiss(0, "x-bar")},
	}, {
		// recorded: preflight-with-access-control-max-age-1-reused-at-0-3-s-repeated-at-1-8-s
		name:   "max_age_1_reused_at_0.3_s_and_expired_at_1.8_s",
		policy: cr,
		events: []event{
			storeAt(0, req("PUT", "x-foo"), result(age("1"), list("PUT"), "X-Foo")),
			lookupAt(0.3, req("PUT", "x-foo")),
			lookupAt(1.8, req("PUT", "x-foo")),
		},
		want: []outcome{stored(1), hit(1), methodMiss(0, "x-foo")},
	}, {
		// recorded: preflight-with-access-control-max-age-2-reused-at-1-s-repeated-at-3-s
		name:   "max_age_2_reused_at_1_s_and_expired_at_its_exact_expiry",
		policy: cr,
		events: []event{
			storeAt(0, req("PUT", "x-foo"), result(age("2"), list("PUT"), "X-Foo")),
			lookupAt(1, req("PUT", "x-foo")),
			lookupAt(2, req("PUT", "x-foo")),
		},
		want: []outcome{stored(1), hit(1), methodMiss(0, "x-foo")},
	}, {
		// recorded: preflight-with-access-control-max-age-0-is-not-cached-repeated-at-0-5-s
		name:   "max_age_0_is_stored_but_never_hits",
		policy: cr,
		events: []event{
			storeAt(0, req("PUT", "x-foo"), result(age("0"), list("PUT"), "X-Foo")),
			lookupAt(0, req("PUT", "x-foo")),
		},
		want: []outcome{stored(1), methodMiss(0, "x-foo")},
	}, {
		// recorded: preflight-with-access-control-max-age-1-second-request-at-0-5-s ('-1')
		name:   "negative_max_age_replaces_a_good_entry_with_a_dead_one",
		policy: cr,
		events: []event{
			storeAt(0, req("PUT", "x-foo"), result(age("600"), list("PUT"), "X-Foo")),
			storeAt(0.1, req("PUT", "x-foo"), result(age("-1"), list("PUT"), "X-Foo")),
			lookupAt(0.5, req("PUT", "x-foo")),
		},
		want: []outcome{stored(1), stored(1), methodMiss(0, "x-foo")},
	}, {
		// recorded: preflight-with-access-control-max-age-86400-reused-at-0-5-s
		name:   "max_age_86400_is_capped_at_two_hours",
		policy: cr,
		events: []event{
			storeAt(0, req("PUT"), result(age("86400"), list("PUT"))),
			lookupAt(0.5, req("PUT")),
			lookupAt(7199.9, req("PUT")),
			lookupAt(7200, req("PUT")),
		},
		want: []outcome{stored(1), hit(1), hit(1), methodMiss(0)},
	}, {
		// recorded: preflight-with-allow-methods-cached-by-a-credentials-omit-request-a-credentials-include-delete-at-0
		name:   "entry_stored_without_credentials_misses_for_a_credentialed_request",
		policy: cr,
		events: []event{
			storeAt(0, req("PUT", "x-foo"), result(age("10"), list("*"), "X-Foo")),
			lookupAt(0.5, credReq("DELETE", "x-foo")),
		},
		want: []outcome{stored(1), methodMiss(0, "x-foo")},
	}, {
		name:   "wildcard_in_an_uncredentialed_entry_covers_any_method",
		policy: cr,
		events: []event{
			storeAt(0, req("PUT", "x-foo"), result(age("10"), list("*"), "X-Foo")),
			lookupAt(0.5, req("DELETE", "x-foo")),
		},
		want: []outcome{stored(1), hit(1)},
	}, {
		// recorded: testdata/chromium/opaque-origin/opaque-origin-preflighted-put-preflight-cached-for-10-s-second-put-at-0-5-s
		name:   "preflight_from_an_opaque_origin_is_never_reused",
		policy: cr,
		events: []event{
			storeAt(0, Request{Method: "PUT", OpaqueOrigin: true}, result(age("10"), list("PUT"))).on(Key{Origin: "null", URL: "http://b.test/r"}),
			lookupAt(0.5, Request{Method: "PUT", OpaqueOrigin: true}).on(Key{Origin: "null", URL: "http://b.test/r"}),
		},
		want: []outcome{declined(0), methodMiss(0)},
	}, {
		name:   "wildcard_in_a_credentialed_entry_is_not_a_wildcard",
		policy: cr,
		events: []event{
			storeAt(0, credReq("PUT", "x-foo"), result(age("10"), list("PUT", "*"), "*", "x-foo")),
			lookupAt(0.5, credReq("PUT", "x-foo")),
			lookupAt(0.5, credReq("DELETE", "x-foo")),
			storeAt(1, credReq("PUT", "x-foo"), result(age("10"), list("PUT", "*"), "*", "x-foo")),
			lookupAt(1, req("DELETE", "x-foo")),
		},
		want: []outcome{stored(1), hit(1), methodMiss(0), stored(1), methodMiss(0)},
	}, {
		name:   "wildcard_headers_do_not_cover_authorization_on_a_hit",
		policy: cr,
		events: []event{
			storeAt(0, req("PUT", "authorization"), result(age("10"), list("PUT"), "*")),
			lookupAt(0.5, req("PUT", "x-a")),
			lookupAt(0.5, req("PUT", "authorization", "x-a")),
		},
		want: []outcome{stored(1), hit(1), headerMiss(0, "authorization")},
	}, {
		name:   "listed_authorization_is_covered_next_to_a_wildcard",
		policy: cr,
		events: []event{
			storeAt(0, req("PUT", "authorization"), result(age("10"), list("PUT"), "*", "Authorization")),
			lookupAt(0.5, req("PUT", "authorization", "x-a")),
		},
		want: []outcome{stored(1), hit(1)},
	}, {
		name:   "url_of_1024_bytes_is_never_cached",
		policy: cr,
		events: []event{
			storeAt(0, req("PUT"), result(age("10"), list("PUT"))).on(longURLKey(ChromiumMaxURLLength)),
			lookupAt(0, req("PUT")).on(longURLKey(ChromiumMaxURLLength)),
			storeAt(0, req("PUT"), result(age("10"), list("PUT"))).on(longURLKey(ChromiumMaxURLLength - 1)),
			lookupAt(0, req("PUT")).on(longURLKey(ChromiumMaxURLLength - 1)),
		},
		want: []outcome{declined(0), methodMiss(0), stored(1), hit(1)},
	}, {
		name:   "safelisted_method_is_exempt_whatever_its_case",
		policy: cr,
		events: []event{
			storeAt(0, req("PUT", "x-a"), result(age("10"), list("PUT"), "X-A")),
			lookupAt(0.5, req("get", "x-a")),
			lookupAt(0.5, req("HEAD", "X-A")),
		},
		want: []outcome{stored(1), hit(1), hit(1)},
	}, {
		name:   "cached_methods_compare_case_sensitively",
		policy: cr,
		events: []event{
			storeAt(0, req("put"), result(age("10"), list("put"))),
			lookupAt(0.5, req("PUT")),
		},
		want: []outcome{stored(1), methodMiss(0)},
	}, {
		name:   "new_preflight_replaces_the_old_methods",
		policy: cr,
		events: []event{
			storeAt(0, req("PUT"), result(age("10"), list("PUT"))),
			storeAt(1, req("DELETE"), result(age("10"), list("DELETE"))),
			lookupAt(2, req("DELETE")),
			lookupAt(2, req("PUT")),
		},
		want: []outcome{stored(1), stored(1), hit(1), methodMiss(0)},
	}, {
		name:   "credentialed_entry_serves_an_uncredentialed_request",
		policy: cr,
		events: []event{
			storeAt(0, credReq("PUT"), result(age("10"), list("PUT"))),
			lookupAt(0.5, req("PUT")),
		},
		want: []outcome{stored(1), hit(1)},
	}, {
		name:   "clear_removes_the_entry",
		policy: cr,
		events: []event{
			storeAt(0, req("PUT"), result(age("10"), list("PUT"))),
			clearAt(0.1),
			lookupAt(0.2, req("PUT")),
		},
		want: []outcome{stored(1), length(0), methodMiss(0)},
	}})
}

func longURLKey(n int) Key {
	const prefix = "http://b.test/"
	return Key{Origin: "http://a.test", URL: prefix + strings.Repeat("x", n-len(prefix))}
}

func TestCache_chromium_purge_run(t *testing.T) {
	small := ChromiumPolicy()
	small.MaxEntries = 12
	fill := func(n int) []event {
		var evs []event
		for i := range n {
			evs = append(evs, storeAt(0, req("PUT"), result(time.Minute, list("PUT"))).on(keyN(i)))
		}
		return evs
	}
	fillWant := func(n int) []outcome {
		var want []outcome
		for i := range n {
			want = append(want, stored(i+1))
		}
		return want
	}
	probe := []event{
		lookupAt(1, req("PUT")).on(keyN(0)),
		lookupAt(1, req("PUT")).on(keyN(1)),
		lookupAt(1, req("PUT")).on(keyN(10)),
		lookupAt(1, req("PUT")).on(keyN(11)),
		lookupAt(1, req("PUT")).on(keyN(12)),
	}
	runCases(t, []cacheCase{{
		// Without WithRand the draw is 0: the first ten keys go.
		name:   "default_draw_erases_the_first_ten_keys_in_order",
		policy: small,
		events: append(append(fill(12), storeAt(0, req("PUT"), result(time.Minute, list("PUT"))).on(keyN(12))), probe...),
		want: append(append(fillWant(12), stored(3)),
			methodMiss(3), methodMiss(3), hit(3), hit(3), hit(3)),
	}, {
		// RandInt(0, size - kPurgeUnit) = 1: keys 01..10 go.
		name:   "draw_of_one_erases_the_run_starting_at_the_second_key",
		policy: small,
		opts:   []Option{WithRand(func(n int) int { return 1 })},
		events: append(append(fill(12), storeAt(0, req("PUT"), result(time.Minute, list("PUT"))).on(keyN(12))), probe...),
		want: append(append(fillWant(12), stored(3)),
			hit(3), methodMiss(3), methodMiss(3), hit(3), hit(3)),
	}, {
		name:   "out_of_range_draw_is_reduced_modulo_the_span",
		policy: small,
		opts:   []Option{WithRand(func(n int) int { return -n - 1 })},
		events: append(fill(12), storeAt(0, req("PUT"), result(time.Minute, list("PUT"))).on(keyN(12))),
		want:   append(fillWant(12), stored(3)),
	}, {
		name:   "replacing_an_existing_key_in_a_full_cache_purges_nothing",
		policy: small,
		events: append(fill(12), storeAt(1, req("PUT"), result(time.Minute, list("PUT"))).on(keyN(5))),
		want:   append(fillWant(12), stored(12)),
	}})
}

func TestCache_webkit(t *testing.T) {
	wk := WebKitPolicy()
	age := func(line string) time.Duration { return maxAge(MaxAgeWebKit, line) }
	runCases(t, []cacheCase{{
		// recorded: testdata/webkit/cache/preflight-with-access-control-max-age-1-reused-at-0-3-s-repeated-at-1-8-s
		name:   "max_age_1_reused_at_0.3_s_and_expired_at_1.8_s",
		policy: wk,
		events: []event{
			storeAt(0, req("PUT", "x-foo"), result(age("1"), list("PUT"), "X-Foo")),
			lookupAt(0.3, req("PUT", "x-foo")),
			lookupAt(1.8, req("PUT", "x-foo")),
		},
		want: []outcome{stored(1), hit(1), methodMiss(0, "x-foo")},
	}, {
		// recorded: testdata/webkit/cache/preflight-with-allow-methods-cached-by-a-credentials-omit-request-a-credentials-include-delete-at-0
		name:   "entry_stored_without_credentials_misses_for_a_credentialed_request",
		policy: wk,
		events: []event{
			storeAt(0, req("PUT", "x-foo"), result(age("10"), list("*"), "X-Foo")),
			lookupAt(0.5, credReq("DELETE", "x-foo")),
		},
		want: []outcome{stored(1), methodMiss(0, "x-foo")},
	}, {
		name:   "wildcard_headers_cover_authorization",
		policy: wk,
		events: []event{
			storeAt(0, req("PUT"), result(age("10"), list("PUT"), "*")),
			lookupAt(0.5, req("PUT", "authorization", "x-a")),
		},
		want: []outcome{stored(1), hit(1)},
	}, {
		name:   "wildcard_in_a_credentialed_entry_counts_for_an_uncredentialed_request",
		policy: wk,
		events: []event{
			storeAt(0, credReq("PUT", "x-a"), result(age("10"), list("PUT", "*"), "*", "X-A")),
			lookupAt(0.5, req("DELETE", "x-b")),
			lookupAt(0.5, credReq("DELETE", "x-a")),
		},
		want: []outcome{stored(1), hit(1), methodMiss(0)},
	}, {
		name:   "negative_max_age_replaces_a_good_entry_with_a_dead_one",
		policy: wk,
		events: []event{
			storeAt(0, req("PUT"), result(age("600"), list("PUT"))),
			storeAt(1, req("PUT"), result(age("-1"), list("PUT"))),
			lookupAt(1, req("PUT")),
		},
		want: []outcome{stored(1), stored(1), methodMiss(0)},
	}, {
		name:   "head_is_exempt",
		policy: wk,
		events: []event{
			storeAt(0, req("PUT", "x-a"), result(age("10"), list("PUT"), "x-a")),
			lookupAt(0.5, req("HEAD", "X-A")),
		},
		want: []outcome{stored(1), hit(1)},
	}, {
		name:   "safelisted_exemption_is_case_sensitive",
		policy: wk,
		events: []event{
			storeAt(0, req("PUT", "x-a"), result(age("10"), list("PUT"), "x-a")),
			lookupAt(0.5, req("get", "x-a")),
		},
		want: []outcome{stored(1), methodMiss(0)},
	}, {
		name:   "new_preflight_replaces_the_old_methods",
		policy: wk,
		events: []event{
			storeAt(0, req("PUT"), result(age("10"), list("PUT"))),
			storeAt(1, req("DELETE"), result(age("10"), list("DELETE"))),
			lookupAt(2, req("PUT")),
		},
		want: []outcome{stored(1), stored(1), methodMiss(0)},
	}})

	t.Run("the_cache_is_bounded_by_corsim", func(t *testing.T) {
		// WebKit has no bound; corsim keeps WebKitMaxEntries, the
		// newest entries.
		c := New(wk)
		for i := range 3 * WebKitMaxEntries {
			c.Store(keyN(i), result(time.Minute, list("PUT")), req("PUT"), t0)
		}
		if got, want := c.Len(), WebKitMaxEntries; got != want {
			t.Errorf("Len = %d, want %d", got, want)
		}
		if m := c.Lookup(keyN(3*WebKitMaxEntries-1), req("PUT"), t0); !m.Hit {
			t.Errorf("the newest entry was evicted: %s", m.Reason)
		}
		if m := c.Lookup(keyN(0), req("PUT"), t0); m.Hit {
			t.Errorf("the oldest entry survived past the bound")
		}
	})
}

func TestCache_firefox(t *testing.T) {
	// The rules of nsCORSListenerProxy.cpp; the recorded drop of a key's
	// first result is held by TestCache_firefoxFirstResultUnused.
	ff := FirefoxPolicy()
	ff.FirstResultUnused = false
	age := func(line string) time.Duration { return maxAge(MaxAgeFirefox, line) }
	small := ff
	small.MaxEntries = 2
	k1, k2, k3 := keyN(1), keyN(2), keyN(3)
	runCases(t, []cacheCase{{
		name:   "head_is_not_exempt",
		policy: ff,
		events: []event{
			storeAt(0, req("PUT", "x-a"), result(age("10"), list("PUT"), "X-A")),
			lookupAt(0.5, req("HEAD", "x-a")),
			lookupAt(0.5, req("GET", "x-a")),
			lookupAt(0.5, req("POST", "x-a")),
		},
		want: []outcome{stored(1), methodMiss(1), hit(1), hit(1)},
	}, {
		name:   "cached_wildcard_is_a_literal_token",
		policy: ff,
		events: []event{
			storeAt(0, req("PUT", "x-a"), result(age("10"), list("*", "PUT"), "*", "X-A")),
			lookupAt(0.5, req("DELETE")),
			lookupAt(0.5, req("PUT", "x-b")),
		},
		want: []outcome{stored(1), methodMiss(1), headerMiss(1, "x-b")},
	}, {
		name:   "credentials_are_part_of_the_key",
		policy: ff,
		events: []event{
			storeAt(0, credReq("PUT"), result(age("10"), list("PUT"))),
			lookupAt(0.5, req("PUT")),
			lookupAt(0.5, credReq("PUT")),
			storeAt(1, req("PUT"), result(age("10"), list("PUT"))),
		},
		want: []outcome{stored(1), methodMiss(1), hit(1), stored(2)},
	}, {
		name:   "new_preflight_merges_and_each_method_keeps_its_own_expiry",
		policy: ff,
		events: []event{
			storeAt(0, req("PUT"), result(age("10"), list("PUT"))),
			storeAt(5, req("DELETE"), result(age("10"), list("DELETE"))),
			lookupAt(8, req("PUT")),
			lookupAt(11, req("PUT")),
			lookupAt(11, req("DELETE")),
			lookupAt(15, req("DELETE")),
		},
		want: []outcome{stored(1), stored(1), hit(1), methodMiss(1), hit(1), methodMiss(1)},
	}, {
		name:   "zero_max_age_is_not_stored_and_keeps_the_old_entry",
		policy: ff,
		events: []event{
			storeAt(0, req("PUT"), result(age("10"), list("PUT"))),
			storeAt(1, req("DELETE"), result(age("0"), list("DELETE"))),
			lookupAt(2, req("PUT")),
			lookupAt(2, req("DELETE")),
		},
		want: []outcome{stored(1), declined(1), hit(1), methodMiss(1)},
	}, {
		name:   "non_numeric_max_age_is_not_stored",
		policy: ff,
		events: []event{
			storeAt(0, req("PUT"), result(age("10s"), list("PUT"))),
		},
		want: []outcome{declined(0)},
	}, {
		name:   "header_refresh_compares_case_sensitively",
		policy: ff,
		events: []event{
			storeAt(0, req("PUT", "x-a"), result(age("100"), list("PUT"), "X-A")),
			storeAt(5, req("GET", "x-a"), result(age("10"), nil, "x-a")),
			lookupAt(50, req("PUT", "x-a")),
		},
		want: []outcome{stored(1), stored(1), hit(1)},
	}, {
		name:   "insufficient_entry_is_kept",
		policy: ff,
		events: []event{
			storeAt(0, req("PUT"), result(age("10"), list("PUT"))),
			lookupAt(1, req("DELETE")),
			lookupAt(20, req("PUT")),
		},
		want: []outcome{stored(1), methodMiss(1), methodMiss(1)},
	}, {
		name:   "entry_with_no_names_left_still_serves_get",
		policy: ff,
		events: []event{
			storeAt(0, req("PUT"), result(age("10"), list("PUT"))),
			lookupAt(20, req("GET")),
		},
		want: []outcome{stored(1), hit(1)},
	}, {
		name:   "clear_removes_both_credential_variants",
		policy: ff,
		events: []event{
			storeAt(0, req("PUT"), result(age("10"), list("PUT"))),
			storeAt(0, credReq("PUT"), result(age("10"), list("PUT"))),
			clearAt(1),
		},
		want: []outcome{stored(1), stored(2), length(0)},
	}, {
		name:   "full_cache_evicts_the_least_recently_used_entry",
		policy: small,
		events: []event{
			storeAt(0, req("PUT"), result(age("100"), list("PUT"))).on(k1),
			storeAt(1, req("PUT"), result(age("100"), list("PUT"))).on(k2),
			lookupAt(2, req("DELETE")).on(k1), // a use, even though it misses
			storeAt(3, req("PUT"), result(age("100"), list("PUT"))).on(k3),
			lookupAt(4, req("PUT")).on(k2),
			lookupAt(4, req("PUT")).on(k1),
		},
		want: []outcome{stored(1), stored(2), methodMiss(2), stored(2), methodMiss(2), hit(2)},
	}, {
		name:   "full_cache_drops_expired_entries_before_the_least_recently_used",
		policy: small,
		events: []event{
			storeAt(0, req("PUT"), result(age("100"), list("PUT"))).on(k1),
			storeAt(1, req("PUT"), result(age("1"), list("PUT"))).on(k2),
			storeAt(5, req("PUT"), result(age("100"), list("PUT"))).on(k3),
			lookupAt(6, req("PUT")).on(k1),
		},
		want: []outcome{stored(1), stored(2), stored(2), hit(2)},
	}})
}

func TestCache_spec(t *testing.T) {
	sp := SpecPolicy()
	age := func(line string) time.Duration { return maxAge(MaxAgeSpec, line) }
	bounded := sp
	bounded.MaxEntries = 2
	k1, k2, k3 := keyN(1), keyN(2), keyN(3)
	runCases(t, []cacheCase{{
		name:   "new_preflight_merges_and_each_method_keeps_its_own_expiry",
		policy: sp,
		events: []event{
			storeAt(0, req("PUT"), result(age("10"), list("PUT"))),
			storeAt(5, req("DELETE"), result(age("10"), list("DELETE"))),
			lookupAt(8, req("PUT")),
			lookupAt(11, req("PUT")),
			lookupAt(11, req("DELETE")),
			lookupAt(15, req("DELETE")),
		},
		want: []outcome{stored(1), stored(1), hit(1), methodMiss(1), hit(1), methodMiss(0)},
	}, {
		name:   "refresh_matches_header_names_case_insensitively_and_restarts_the_lifetime",
		policy: sp,
		events: []event{
			storeAt(0, req("PUT", "x-a"), result(age("100"), list("PUT"), "X-A")),
			storeAt(5, req("GET", "x-a"), result(age("10"), nil, "x-a")),
			lookupAt(14, req("PUT", "x-a")),
			lookupAt(50, req("PUT", "x-a")),
		},
		want: []outcome{stored(1), stored(1), hit(1), headerMiss(1, "x-a")},
	}, {
		// The standard's text: the credentials check is in "cache entry
		// match" only, so a `*` entry created by a credentialed preflight
		// (which had to list PUT explicitly to pass) covers any later
		// credentialed method and header but Authorization.
		name:   "credentialed_wildcard_entry_covers_a_credentialed_request",
		policy: sp,
		events: []event{
			storeAt(0, credReq("PUT", "x-a"), result(age("10"), list("PUT", "*"), "X-A", "*")),
			lookupAt(1, credReq("DELETE", "x-b")),
			lookupAt(1, credReq("DELETE", "authorization")),
		},
		want: []outcome{stored(1), hit(1), headerMiss(1, "authorization")},
	}, {
		name:   "wildcard_does_not_cover_authorization",
		policy: sp,
		events: []event{
			storeAt(0, req("DELETE", "x-a"), result(age("10"), list("*"), "*")),
			lookupAt(1, req("DELETE", "authorization")),
			lookupAt(1, req("DELETE", "x-a")),
		},
		want: []outcome{stored(1), headerMiss(1, "authorization"), hit(1)},
	}, {
		name:   "uncredentialed_entry_does_not_serve_a_credentialed_request",
		policy: sp,
		events: []event{
			storeAt(0, req("PUT"), result(age("10"), list("PUT"))),
			lookupAt(1, credReq("PUT")),
			lookupAt(1, req("PUT")),
		},
		want: []outcome{stored(1), methodMiss(1), hit(1)},
	}, {
		name:   "credentialed_and_uncredentialed_entries_coexist_for_one_key",
		policy: sp,
		events: []event{
			storeAt(0, req("PUT"), result(age("10"), list("PUT"))),
			storeAt(1, credReq("DELETE"), result(age("10"), list("DELETE"))),
			lookupAt(2, credReq("DELETE")),
			lookupAt(2, credReq("PUT")),
			lookupAt(2, req("PUT")),
			lookupAt(2, req("DELETE")),
		},
		want: []outcome{stored(1), stored(1), hit(1), methodMiss(1), hit(1), hit(1)},
	}, {
		name:   "zero_max_age_expires_the_entries_it_matches",
		policy: sp,
		events: []event{
			storeAt(0, req("PUT"), result(age("10"), list("PUT"))),
			storeAt(1, req("PUT"), result(age("0"), list("PUT"))),
			lookupAt(1, req("PUT")),
		},
		want: []outcome{stored(1), stored(0), methodMiss(0)},
	}, {
		name:   "zero_max_age_on_an_empty_cache_stores_nothing",
		policy: sp,
		events: []event{
			storeAt(0, req("PUT"), result(age("0"), list("PUT"))),
			storeAt(0, req("PUT"), result(age("10"), nil)),
		},
		want: []outcome{declined(0), declined(0)},
	}, {
		name:   "duplicate_max_age_lines_mean_five_seconds",
		policy: sp,
		events: []event{
			storeAt(0, req("PUT"), result(func() time.Duration { a, _ := ParseMaxAge(MaxAgeSpec, list("600", "600")); return a }(), list("PUT"))),
			lookupAt(4.9, req("PUT")),
			lookupAt(5, req("PUT")),
		},
		want: []outcome{stored(1), hit(1), methodMiss(0)},
	}, {
		name:   "opaque_origins_share_the_null_key",
		policy: sp,
		events: []event{
			storeAt(0, Request{Method: "PUT", OpaqueOrigin: true}, result(age("10"), list("PUT"))).on(Key{Origin: "null", URL: "http://b.test/r"}),
			lookupAt(1, Request{Method: "PUT", OpaqueOrigin: true}).on(Key{Origin: "null", URL: "http://b.test/r"}),
		},
		want: []outcome{stored(1), hit(1)},
	}, {
		name:   "cache_is_per_url_not_per_origin",
		policy: sp,
		events: []event{
			storeAt(0, req("PUT"), result(age("10"), list("PUT"))).on(k1),
			lookupAt(1, req("PUT")).on(k2),
		},
		want: []outcome{stored(1), methodMiss(1)},
	}, {
		name:   "cache_is_per_partition",
		policy: sp,
		events: []event{
			storeAt(0, req("PUT"), result(age("10"), list("PUT"))).on(Key{Origin: keyA.Origin, URL: keyA.URL, Partition: "https://top.test"}),
			lookupAt(1, req("PUT")),
		},
		want: []outcome{stored(1), methodMiss(1)},
	}, {
		name:   "clear_cache_entries_removes_both_credential_kinds",
		policy: sp,
		events: []event{
			storeAt(0, req("PUT"), result(age("10"), list("PUT"))),
			storeAt(0, credReq("DELETE"), result(age("10"), list("DELETE"))),
			clearAt(1),
			lookupAt(1, req("PUT")),
		},
		want: []outcome{stored(1), stored(1), length(0), methodMiss(0)},
	}, {
		name:   "bounded_cache_evicts_the_oldest_inserted_key",
		policy: bounded,
		events: []event{
			storeAt(0, req("PUT"), result(age("100"), list("PUT"))).on(k1),
			storeAt(1, req("PUT"), result(age("100"), list("PUT"))).on(k2),
			lookupAt(2, req("PUT")).on(k1),
			storeAt(3, req("PUT"), result(age("100"), list("PUT"))).on(k3),
			lookupAt(4, req("PUT")).on(k1),
			lookupAt(4, req("PUT")).on(k2),
		},
		want: []outcome{stored(1), stored(2), hit(2), stored(2), methodMiss(2), hit(2)},
	}, {
		name:   "bounded_cache_drops_expired_keys_first",
		policy: bounded,
		events: []event{
			storeAt(0, req("PUT"), result(age("100"), list("PUT"))).on(k1),
			storeAt(1, req("PUT"), result(age("1"), list("PUT"))).on(k2),
			storeAt(5, req("PUT"), result(age("100"), list("PUT"))).on(k3),
			lookupAt(6, req("PUT")).on(k1),
		},
		want: []outcome{stored(1), stored(2), stored(2), hit(2)},
	}})
}

func TestStore_mismatched_credentials_store_nothing(t *testing.T) {
	for _, p := range allPolicies() {
		c := New(p.policy)
		r := result(time.Minute, list("PUT"))
		r.Credentials = true
		if c.Store(keyA, r, req("PUT"), t0) {
			t.Errorf("%s: Store with Result.Credentials true and Request.Credentials false reported a change", p.name)
		}
		if c.Len() != 0 {
			t.Errorf("%s: Len = %d after a refused Store", p.name, c.Len())
		}
	}
}

func TestLookup_reason_names_the_offending_value(t *testing.T) {
	c := New(ChromiumPolicy())
	c.Store(keyA, result(time.Minute, list("PUT"), "X-Foo"), req("PUT", "x-foo"), t0)
	got := c.Lookup(keyA, req("DELETE", "x-bar"), t0).Reason
	want := `method "DELETE" and header "x-bar" are not covered by the cached preflight`
	if got != want {
		t.Errorf("Reason = %q, want %q", got, want)
	}
}

func TestLookup_missing_headers_is_a_copy(t *testing.T) {
	for _, p := range allPolicies() {
		c := New(p.policy)
		headers := []string{"x-a", "x-b"}
		m := c.Lookup(keyA, req("PUT", headers...), t0)
		m.MissingHeaders[0] = "changed"
		if headers[0] != "x-a" {
			t.Errorf("%s: Lookup handed out the caller's slice", p.name)
		}
	}
}

func TestStore_does_not_keep_the_callers_slices(t *testing.T) {
	for _, p := range allPolicies() {
		c := New(p.policy)
		methods, headers := []string{"PUT"}, []string{"x-a"}
		storeUsable(c, keyA, result(time.Minute, methods, headers...), req("PUT", "x-a"), t0)
		methods[0], headers[0] = "DELETE", "x-b"
		if m := c.Lookup(keyA, req("PUT", "x-a"), t0.Add(time.Second)); !m.Hit {
			t.Errorf("%s: changing the stored slices changed the cache: %+v", p.name, m)
		}
	}
}

// storeUsable stores r for k so that a lookup can use it: under
// Policy.FirstResultUnused a key's first result is dropped, so the result
// is stored a second time. It reports what the last Store reported.
func storeUsable(c *Cache, k Key, r Result, rq Request, now time.Time) bool {
	if c.Policy().FirstResultUnused {
		c.Store(k, r, rq, now)
	}
	return c.Store(k, r, rq, now)
}

type namedPolicy struct {
	name   string
	policy Policy
}

func allPolicies() []namedPolicy {
	return []namedPolicy{
		{"spec", SpecPolicy()},
		{"chromium", ChromiumPolicy()},
		{"firefox", FirefoxPolicy()},
		{"webkit", WebKitPolicy()},
	}
}

func TestPolicy_Validate(t *testing.T) {
	for _, p := range allPolicies() {
		if err := p.policy.Validate(); err != nil {
			t.Errorf("%sPolicy().Validate() = %v", p.name, err)
		}
	}
	if err := (Policy{}).Validate(); err != nil {
		t.Errorf("zero Policy: Validate() = %v", err)
	}
	bad := Policy{
		MaxAge:             numMaxAgeRules,
		MaxEntries:         -1,
		Eviction:           numEvictionRules,
		Merge:              numMergeRules,
		MaxURLLength:       -2,
		ExemptMethodsOnHit: 1 << 6,
		WildcardOnHit:      numWildcardRules,
		ClearOnFailure:     numClearRules,
	}
	err := bad.Validate()
	if err == nil {
		t.Fatal("Validate accepted a policy with every field out of range")
	}
	want := []string{
		"preflightcache: Policy.MaxAge 4 is not a MaxAgeRule",
		"preflightcache: Policy.MaxEntries -1 is negative (use 0 for unbounded)",
		"preflightcache: Policy.Eviction 3 is not an EvictionRule",
		"preflightcache: Policy.Merge 3 is not a MergeRule",
		"preflightcache: Policy.MaxURLLength -2 is negative (use 0 for no limit)",
		"preflightcache: Policy.ExemptMethodsOnHit has unknown bits 0x40",
		"preflightcache: Policy.WildcardOnHit 4 is not a WildcardRule",
		"preflightcache: Policy.ClearOnFailure 3 is not a ClearRule",
	}
	if diff := cmp.Diff(want, strings.Split(err.Error(), "\n")); diff != "" {
		t.Errorf("Validate errors mismatch (-want +got):\n%s", diff)
	}
}

func TestNew_panics_on_an_invalid_policy(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New accepted a negative MaxEntries")
		}
	}()
	New(Policy{MaxEntries: -1})
}

func TestPolicies_cite_the_browser_limits(t *testing.T) {
	type limits struct {
		MaxAge       MaxAgeRule
		Cap          time.Duration
		MaxEntries   int
		MaxURLLength int
		Exempt       string
	}
	got := map[string]limits{}
	for _, p := range allPolicies() {
		got[p.name] = limits{p.policy.MaxAge, p.policy.MaxAge.Cap(), p.policy.MaxEntries, p.policy.MaxURLLength, p.policy.ExemptMethodsOnHit.String()}
	}
	want := map[string]limits{
		"spec":     {MaxAgeSpec, 2147483648 * time.Second, 1024, 0, "GET HEAD POST"},
		"chromium": {MaxAgeChromium, 7200 * time.Second, 1024, 1024, "GET HEAD POST (ignoring case)"},
		"firefox":  {MaxAgeFirefox, 86400 * time.Second, 100, 0, "GET POST"},
		"webkit":   {MaxAgeWebKit, 600 * time.Second, 1024, 0, "GET HEAD POST"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("policy limits mismatch (-want +got):\n%s", diff)
	}
}

func TestMethodSet(t *testing.T) {
	tests := []struct {
		set    MethodSet
		method string
		want   bool
	}{
		{CORSSafelistedMethods, "GET", true},
		{CORSSafelistedMethods, "HEAD", true},
		{CORSSafelistedMethods, "POST", true},
		{CORSSafelistedMethods, "get", false},
		{CORSSafelistedMethods, "PUT", false},
		{CORSSafelistedMethods, "", false},
		{CORSSafelistedMethods | MethodsIgnoreCase, "gEt", true},
		{CORSSafelistedMethods | MethodsIgnoreCase, "pUt", false},
		{MethodGET | MethodPOST, "HEAD", false},
		{0, "GET", false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s", tt.set, tt.method), func(t *testing.T) {
			if got := tt.set.Contains(tt.method); got != tt.want {
				t.Errorf("%v.Contains(%q) = %v, want %v", tt.set, tt.method, got, tt.want)
			}
		})
	}
	if got, want := MethodSet(1<<6|1).String(), "GET MethodSet(0x40)"; got != want {
		t.Errorf("String of a set with unknown bits = %q, want %q", got, want)
	}
}

func TestEqualFoldASCII_agrees_with_strings_EqualFold_on_ASCII(t *testing.T) {
	for a := 0; a < 128; a++ {
		for b := 0; b < 128; b++ {
			x, y := string(rune(a)), string(rune(b))
			if got, want := equalFoldASCII(x, y), strings.EqualFold(x, y); got != want {
				t.Fatalf("equalFoldASCII(%q, %q) = %v, strings.EqualFold says %v", x, y, got, want)
			}
		}
	}
	// Non-ASCII bytes only match themselves (strings.EqualFold would fold
	// U+212A KELVIN SIGN to k).
	if equalFoldASCII("\u212a", "k") {
		t.Error("equalFoldASCII folded a non-ASCII character")
	}
}

// Firefox drops the first result stored for each key (Policy.
// FirstResultUnused). Each case is the cache's part of a recording in
// testdata/firefox/cache (Firefox 153.8.0esr), named by its file.
func TestCache_firefoxFirstResultUnused(t *testing.T) {
	ff := FirefoxPolicy()
	put := result(time.Minute, list("PUT", "DELETE"))
	runCases(t, []cacheCase{{
		// first-result-put-five-times
		name:   "the_second_result_is_the_first_kept",
		policy: ff,
		events: []event{
			lookupAt(0, req("PUT")), storeAt(0, req("PUT"), put),
			lookupAt(0.5, req("PUT")), storeAt(0.5, req("PUT"), put),
			lookupAt(1, req("PUT")),
		},
		want: []outcome{methodMiss(0), declined(0), methodMiss(0), stored(1), hit(1)},
	}, {
		// first-result-another-url-first
		name:   "another_keys_result_does_not_count",
		policy: ff,
		events: []event{
			storeAt(0, req("PUT"), put).on(keyN(1)),
			storeAt(0.5, req("PUT"), put),
			lookupAt(1, req("PUT")),
			storeAt(1, req("PUT"), put),
			lookupAt(1.5, req("PUT")),
		},
		want: []outcome{declined(0), declined(0), methodMiss(0), stored(1), hit(1)},
	}, {
		// first-result-credentials-split
		name:   "each_credentials_mode_has_its_own_first_result",
		policy: ff,
		events: []event{
			storeAt(0, req("PUT"), put),
			storeAt(0.3, credReq("PUT"), put),
			storeAt(0.6, req("PUT"), put),
			lookupAt(0.9, credReq("PUT")),
			storeAt(0.9, credReq("PUT"), put),
			lookupAt(1.2, req("PUT")),
			lookupAt(1.5, credReq("PUT")),
		},
		want: []outcome{declined(0), declined(0), stored(1), methodMiss(1), stored(2), hit(2), hit(2)},
	}, {
		// first-result-cleared-by-a-failure-is-not-first-again
		name:   "a_cleared_key_is_not_first_again",
		policy: ff,
		events: []event{
			storeAt(0, req("PUT"), put),
			storeAt(0.3, req("PUT"), put),
			clearAt(0.6),
			lookupAt(0.9, req("PUT")),
			storeAt(0.9, req("PUT"), put),
			lookupAt(1.2, req("PUT")),
		},
		want: []outcome{declined(0), stored(1), length(0), methodMiss(0), stored(1), hit(1)},
	}, {
		// Not recorded; inferred from AddResultToCache, which returns on a
		// zero age before it makes any entry: a result that is not cached
		// at all does not use up the key's first result.
		name:   "a_zero_max_age_is_not_a_first_result",
		policy: ff,
		events: []event{
			storeAt(0, req("PUT"), result(0, list("PUT"))),
			storeAt(0.3, req("PUT"), put),
			lookupAt(0.6, req("PUT")),
		},
		want: []outcome{declined(0), declined(0), methodMiss(0)},
	}})
}

// The keys a Firefox cache remembers are bounded: after MaxKeysSeen
// distinct keys the memory starts afresh, and the cache stays usable.
func TestFirstResultMemoryIsBounded(t *testing.T) {
	c := New(FirefoxPolicy())
	put := Result{Methods: []string{"PUT"}, MaxAge: time.Hour}
	for i := range MaxKeysSeen {
		if c.Store(keyN(i), put, req("PUT"), t0) {
			t.Fatalf("key %d: a first result was stored", i)
		}
	}
	if n := len(c.resultSeen.m); n != MaxKeysSeen {
		t.Fatalf("remembered %d keys, want %d", n, MaxKeysSeen)
	}
	// One more key: the memory starts afresh with it.
	c.Store(keyN(MaxKeysSeen), put, req("PUT"), t0)
	if n := len(c.resultSeen.m); n != 1 {
		t.Errorf("after the bound, remembered %d keys, want 1", n)
	}
	if !c.Store(keyN(MaxKeysSeen), put, req("PUT"), t0) || !c.Lookup(keyN(MaxKeysSeen), req("PUT"), t0).Hit {
		t.Errorf("the cache is unusable after its memory of keys started afresh")
	}
}
