// Package benchcpu adds a processor-time figure to benchmarks, for
// machines where other work competes for the cores: wall-clock ns/op then
// counts the time a benchmark waited for a core, while cpu-ns/op counts
// only the time the process ran (all its threads, garbage collection
// included). Neither is a quiet machine's ns/op; cpu-ns/op is the one that
// stays comparable between runs minutes apart on a loaded machine.
package benchcpu

import (
	"testing"
	"time"
)

// Timer measures the processor time of a benchmark's loop.
type Timer struct {
	b     *testing.B
	start time.Duration
	ok    bool
}

// Start begins measuring; call it just before the benchmark's loop and
// Stop just after it:
//
//	t := benchcpu.Start(b)
//	for b.Loop() { ... }
//	t.Stop()
func Start(b *testing.B) Timer {
	d, ok := processTime()
	return Timer{b: b, start: d, ok: ok}
}

// Stop reports the processor time since Start divided by b.N as
// "cpu-ns/op". Where the platform has no process time it reports nothing.
func (t Timer) Stop() {
	end, ok := processTime()
	if !t.ok || !ok || t.b.N == 0 {
		return
	}
	t.b.ReportMetric(float64(end-t.start)/float64(t.b.N), "cpu-ns/op")
}
