package benchcpu

import (
	"runtime"
	"testing"
)

var sink int

// The process time grows while the process computes, and never goes back.
func TestProcessTimeAdvances(t *testing.T) {
	start, ok := processTime()
	if !ok {
		if runtime.GOOS == "windows" || runtime.GOOS == "plan9" || runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
			return // no process time here: Stop reports nothing
		}
		t.Fatalf("no process time on %s", runtime.GOOS)
	}
	for {
		for i := range 1_000_000 {
			sink += i
		}
		now, _ := processTime()
		if now < start {
			t.Fatalf("process time went back: %v then %v", start, now)
		}
		if now > start {
			return
		}
	}
}

func BenchmarkStartStop(b *testing.B) {
	t := Start(b)
	for b.Loop() {
		sink++
	}
	t.Stop()
}
