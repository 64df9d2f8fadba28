package badport

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestBlocked(t *testing.T) {
	chromium := Policy{Unblocked: [4]uint16{4190}}
	tests := []struct {
		name string
		p    Policy
		port int
		want bool
	}{
		{"spec blocks 0", Policy{}, 0, true},
		{"spec blocks smtp", Policy{}, 25, true},
		{"spec blocks 10080", Policy{}, 10080, true},
		{"spec blocks 4190", Policy{}, 4190, true},
		{"spec allows 80", Policy{}, 80, false},
		{"spec allows 6664 beside the irc range", Policy{}, 6664, false},
		{"spec allows 6670 beside the irc range", Policy{}, 6670, false},
		{"chromium allows 4190", chromium, 4190, false},
		{"chromium still blocks 0", chromium, 0, true},
		{"out of range is not a port", Policy{}, 70000, false},
		{"negative is not a port", Policy{}, -1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Blocked(tt.port); got != tt.want {
				t.Errorf("Blocked(%d) = %v, want %v", tt.port, got, tt.want)
			}
		})
	}
}

func TestPortsListsTheTableLessTheExceptions(t *testing.T) {
	got := Policy{Unblocked: [4]uint16{4190}}.Ports()
	want := slices.DeleteFunc(slices.Clone(specPorts[:]), func(p int) bool { return p == 4190 })
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Ports() (-want +got):\n%s", d)
	}
}

// An exception unblocks exactly its port and nothing else.
func TestUnblockingChangesOnlyThatPort(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ex := rapid.SampledFrom(specPorts[1:]).Draw(t, "exception")
		port := rapid.IntRange(-10, 70000).Draw(t, "port")
		p := Policy{Unblocked: [4]uint16{uint16(ex)}}
		want := Policy{}.Blocked(port) && port != ex
		if got := p.Blocked(port); got != want {
			t.Fatalf("Blocked(%d) with %d unblocked = %v, want %v", port, ex, got, want)
		}
	})
}

func FuzzBlocked(f *testing.F) {
	for _, p := range []int{0, 25, 80, 4190, 65535} {
		f.Add(p, uint16(4190))
	}
	f.Fuzz(func(t *testing.T, port int, ex uint16) {
		p := Policy{Unblocked: [4]uint16{ex}}
		if p.Blocked(port) && !(Policy{}).Blocked(port) {
			t.Fatalf("port %d blocked by a policy but not by the standard", port)
		}
	})
}

func BenchmarkBlocked(b *testing.B) {
	p := Policy{Unblocked: [4]uint16{4190}}
	for i := 0; i < b.N; i++ {
		p.Blocked(i & 0xFFFF)
	}
}
