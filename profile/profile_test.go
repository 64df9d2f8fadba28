package profile

import (
	"testing"

	"pgregory.net/rapid"
)

func TestForBrowser(t *testing.T) {
	tests := []struct {
		field, want string
		err         bool
	}{
		{"", "chromium", false},
		{"chromium 156.0.8078.79", "chromium", false},
		{"firefox 153.7.0", "firefox", false},
		{"webkit 2.50.6", "webkit", false},
		{"spec", "spec", false},
		{"  firefox", "firefox", false},
		{"Chromium 156", "", true},
		{"safari 18", "", true},
	}
	for _, tt := range tests {
		p, err := ForBrowser(tt.field)
		if (err != nil) != tt.err || (!tt.err && p.Name != tt.want) {
			t.Errorf("ForBrowser(%q) = %q, %v; want %q (error %v)", tt.field, p.Name, err, tt.want, tt.err)
		}
	}
}

func TestByNameReturnsTheNamedProfile(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		name := rapid.SampledFrom(Names()).Draw(t, "name")
		p, err := ByName(name)
		if err != nil || p.Name != name || p.Browser.String() != name || p.Preflight.Browser != p.Browser {
			t.Fatalf("ByName(%q) = %+v, %v", name, p, err)
		}
	})
}

// The profiles differ where the browsers do; a profile equal to another
// would model nothing.
func TestProfilesAreDistinct(t *testing.T) {
	seen := map[Profile]string{}
	for _, n := range Names() {
		p, _ := ByName(n)
		q := p
		q.Name = ""
		if other, dup := seen[q]; dup {
			t.Errorf("profiles %s and %s are identical but for the name", n, other)
		}
		seen[q] = n
	}
}
