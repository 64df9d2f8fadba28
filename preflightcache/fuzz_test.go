package preflightcache

import (
	"testing"

	"pgregory.net/rapid"
)

// FuzzCacheSequence drives each policy's cache through a fuzzed sequence of
// stores, lookups, clears and clock moves (the state machine of
// TestCache_agrees_with_model, fed by the fuzzer's bytes) and checks after
// every step: the cache agrees with the browser's model (or, for a bounded
// spec cache, never hits where the unbounded model misses), never holds
// more than its bound, never hits with no live stored preflight for the
// key, never serves a credentialed request from preflights stored without
// credentials, and under replacement only hits a method the latest
// preflight allowed.
func FuzzCacheSequence(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
	f.Add([]byte{255, 0, 255, 0, 128, 64, 32, 16, 8, 4, 2, 1})
	cases := machineCases()
	f.Fuzz(rapid.MakeFuzz(func(t *rapid.T) {
		mc := rapid.SampledFrom(cases).Draw(t, "policy")
		runMachine(t, mc)
	}))
}
