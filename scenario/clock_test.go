package scenario

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/corsim/corsim/profile"
)

// A preflight cached with Max-Age 5 at step 0 must not serve a step taken
// at a huge `at`: the virtual clock used to overflow time.Duration at about
// 9.2e9 s and wrap to before the epoch, where the entry looked fresh.
func TestHugeStepTimeDoesNotReuseAnExpiredPreflight(t *testing.T) {
	for _, at := range []float64{6, 9.2e9, 9.3e9, 1e12, 1e18, math.MaxFloat64} {
		s := &Scenario{
			Format: 1, Name: "clock", Origin: "http://a.test",
			Server: []Rule{
				{Method: "OPTIONS", URL: "http://b.test/r", Status: 204, Headers: []Header{
					{"Access-Control-Allow-Origin", "http://a.test"}, {"Access-Control-Allow-Methods", "PUT"}, {"Access-Control-Max-Age", "5"}}},
				{Method: "PUT", URL: "http://b.test/r", Status: 200, Headers: []Header{{"Access-Control-Allow-Origin", "http://a.test"}}},
			},
			Steps: []Step{
				{At: 0, Fetch: Fetch{URL: "http://b.test/r", Method: "PUT"}},
				{At: at, Fetch: Fetch{URL: "http://b.test/r", Method: "PUT"}},
			},
		}
		for _, name := range profile.Names() {
			p, _ := profile.ByName(name)
			obs, err := Replay(context.Background(), s, p)
			if err != nil {
				t.Fatal(err)
			}
			wire := *obs[1].Observed.Wire
			if len(wire) != 2 || wire[0].Method != "OPTIONS" {
				t.Errorf("at %g under %s: second step sent %v, want a fresh preflight then PUT", at, name, wire)
			}
		}
	}
}

func TestStepTimeIsMonotoneAndSaturates(t *testing.T) {
	prev := stepTime(0)
	for _, at := range []float64{0, 1e-9, 0.5, 1, 5, 1e9, 9.2e9, 9.3e9, 1e15, maxStepSeconds - 1, maxStepSeconds, 1e300, math.Inf(1)} {
		now := stepTime(at)
		if now.Before(prev) {
			t.Errorf("stepTime(%g) = %v is before the previous %v", at, now, prev)
		}
		prev = now
	}
	if got, want := stepTime(1e300), epoch; !got.After(want) {
		t.Errorf("stepTime(1e300) = %v, not after the epoch", got)
	}
	if got, want := stepTime(2.5), epoch.Add(2500*time.Millisecond); !got.Equal(want) {
		t.Errorf("stepTime(2.5) = %v, want %v", got, want)
	}
}
