package corstest

import (
	"context"
	"testing"

	"github.com/corsim/corsim/profile"
)

func BenchmarkHostileOrigins(b *testing.B) {
	allowed := []string{"https://app.example.com", "https://admin.example.com:8443"}
	b.ReportAllocs()
	for b.Loop() {
		HostileOrigins(allowed)
	}
}

// BenchmarkRun is the whole matrix of appPolicy against a correct handler
// in process, under Chromium.
func BenchmarkRun(b *testing.B) {
	target := Handler(apiURL, correctConfig(appPolicy).Wrap(items))
	opts := Options{Profiles: []profile.Profile{profile.Chromium()}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(context.Background(), appPolicy, target, opts); err != nil {
			b.Fatal(err)
		}
	}
}
