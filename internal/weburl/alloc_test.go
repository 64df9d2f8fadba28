package weburl

import "testing"

func TestNoAllocs(t *testing.T) {
	u, err := Parse("https://user:pw@example.com:8443/a/b?q=1#f")
	if err != nil {
		t.Fatal(err)
	}
	var s string
	var ok bool
	tests := []struct {
		name string
		f    func()
	}{
		{"String", func() { s = u.String() }},
		{"StringWithoutFragment", func() { s = u.StringWithoutFragment() }},
		{"Scheme", func() { s = u.Scheme() }},
		{"Host", func() { s = u.Host() }},
		{"Path", func() { s = u.Path() }},
		{"RawQuery", func() { s = u.RawQuery() }},
		{"IncludesCredentials", func() { ok = u.IncludesCredentials() }},
		{"IsHTTPScheme", func() { ok = u.IsHTTPScheme() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := testing.AllocsPerRun(100, tt.f); n != 0 {
				t.Errorf("%s allocates %v times per run, want 0", tt.name, n)
			}
		})
	}
	_, _ = s, ok
}

// parseAllocBudget is the most allocations Parse may make for the typical
// request URL below (14; 17 before the path, query and fragment became
// substrings of the serialization): the rune slice and working buffer, one
// string per path segment and for the host, the URL and its serialization.
// A regression past it means a new avoidable copy.
const parseAllocBudget = 14

func TestParseAllocBudget(t *testing.T) {
	n := testing.AllocsPerRun(100, func() {
		_, _ = Parse("https://api.example.com/v1/items/42?expand=owner#top")
	})
	if n > parseAllocBudget {
		t.Errorf("Parse allocates %v times, budget %d", n, parseAllocBudget)
	}
}

// A canonical http(s) URL, the kind a fetch mostly meets, is parsed
// without the state machine: one allocation, the URL.
func TestParseCanonicalAllocatesOnce(t *testing.T) {
	for _, raw := range []string{"http://b.test/items/1", "https://api.example.com:8443/v1/items/42?expand=owner&x=%20", "http://127.0.0.1:8080/r"} {
		if n := testing.AllocsPerRun(100, func() { _, _ = Parse(raw) }); n != 1 {
			t.Errorf("Parse(%q) allocates %v times, want 1", raw, n)
		}
	}
}

// The origin of a URL without credentials is parsed from the start of its
// serialization, without a new string.
func TestOriginDoesNotAllocate(t *testing.T) {
	for _, raw := range []string{"http://b.test/items/1", "https://api.example.com:8443/v1?q", "http://[::1]:8080/", "ws://127.0.0.1/"} {
		u, err := Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if n := testing.AllocsPerRun(100, func() { _ = u.Origin() }); n != 0 {
			t.Errorf("Origin of %q allocates %v times, want 0", raw, n)
		}
	}
}
