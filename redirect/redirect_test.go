package redirect

import (
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/corsim/corsim/internal/weburl"
	"github.com/corsim/corsim/origin"
)

func mustURL(t testing.TB, s string) *weburl.URL {
	t.Helper()
	u, err := weburl.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestIsRedirectStatus(t *testing.T) {
	var got []int
	for s := 100; s < 600; s++ {
		if IsRedirectStatus(s) {
			got = append(got, s)
		}
	}
	if diff := cmp.Diff([]int{301, 302, 303, 307, 308}, got); diff != "" {
		t.Errorf("redirect statuses (-want +got):\n%s", diff)
	}
}

func TestLocationURL(t *testing.T) {
	cur := mustURL(t, "http://b.test/dir/r?q#frag")
	tests := []struct {
		name   string
		status int
		loc    []string
		want   string // "" = no location URL
		err    bool
	}{
		{"relative_path_resolves_against_the_response_url", 302, []string{"final"}, "http://b.test/dir/final#frag", false},
		{"absolute_url", 307, []string{"http://c.test/x"}, "http://c.test/x#frag", false},
		{"own_fragment_wins", 301, []string{"/x#mine"}, "http://b.test/x#mine", false},
		{"no_location_header", 302, nil, "", false},
		{"300_is_not_a_redirect_status", 300, []string{"/x"}, "", false},
		{"other_scheme_is_returned_for_the_caller_to_refuse", 302, []string{"ftp://b.test/final"}, "ftp://b.test/final#frag", false},
		{"bad_url", 302, []string{"http://[::1"}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for _, l := range tt.loc {
				h.Add("Location", l)
			}
			u, err := LocationURL(tt.status, h, cur)
			if (err != nil) != tt.err {
				t.Fatalf("error = %v, want error %v", err, tt.err)
			}
			got := ""
			if u != nil {
				got = u.String()
			}
			if got != tt.want {
				t.Errorf("LocationURL = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMethodRewrite(t *testing.T) {
	tests := []struct {
		status  int
		method  string
		want    string
		changed bool
	}{
		{301, "POST", "GET", true},
		{302, "POST", "GET", true},
		{303, "POST", "GET", true},
		{303, "PUT", "GET", true},
		{303, "HEAD", "HEAD", false},
		{303, "GET", "GET", false},
		{301, "PUT", "PUT", false},
		{302, "DELETE", "DELETE", false},
		{307, "POST", "POST", false},
		{308, "POST", "POST", false},
	}
	for _, tt := range tests {
		m, changed := MethodRewrite(tt.status, tt.method)
		if m != tt.want || changed != tt.changed {
			t.Errorf("MethodRewrite(%d, %s) = %s, %v; want %s, %v", tt.status, tt.method, m, changed, tt.want, tt.changed)
		}
	}
}

func TestTainted(t *testing.T) {
	a := origin.MustParse("http://a.test")
	tests := []struct {
		name string
		urls []string
		want bool
	}{
		{"no_redirect", []string{"http://b.test/r"}, false},
		{"same_origin_then_cross_origin", []string{"http://a.test/r", "http://b.test/final"}, false},
		{"cross_origin_then_same_target", []string{"http://b.test/r", "http://b.test/final"}, false},
		{"cross_origin_then_another_origin", []string{"http://b.test/r", "http://c.test/final"}, true},
		{"cross_origin_then_back_home", []string{"http://b.test/r", "http://a.test/final"}, true},
		{"scheme_change_is_cross_origin", []string{"http://b.test/r", "https://b.test/r"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var urls []*weburl.URL
			for _, s := range tt.urls {
				urls = append(urls, mustURL(t, s))
			}
			if got := Tainted(a, urls); got != tt.want {
				t.Errorf("Tainted(%v) = %v, want %v", tt.urls, got, tt.want)
			}
		})
	}
}

// Once tainted, a longer URL list stays tainted.
func TestTaintedIsMonotonic(t *testing.T) {
	hosts := []string{"http://a.test/", "http://b.test/", "http://c.test/", "https://b.test/"}
	a := origin.MustParse("http://a.test")
	rapid.Check(t, func(t *rapid.T) {
		list := rapid.SliceOfN(rapid.SampledFrom(hosts), 1, 6).Draw(t, "urls")
		var urls []*weburl.URL
		tainted := false
		for _, s := range list {
			u, _ := weburl.Parse(s)
			urls = append(urls, u)
			now := Tainted(a, urls)
			if tainted && !now {
				t.Fatalf("taint lost at %v", list)
			}
			tainted = now
		}
	})
}

func TestCredentialsForbidden(t *testing.T) {
	a := origin.MustParse("http://a.test")
	if !CredentialsForbidden(true, true, a, mustURL(t, "http://u:p@b.test/")) {
		t.Error("cors mode, cross-origin location with credentials must fail")
	}
	if CredentialsForbidden(true, false, a, mustURL(t, "http://u:p@a.test/")) {
		t.Error("a same-origin location with credentials, basic tainting, is allowed")
	}
	if !CredentialsForbidden(false, true, a, mustURL(t, "http://u:p@a.test/")) {
		t.Error("cors tainting forbids credentials in any location")
	}
	if CredentialsForbidden(true, true, a, mustURL(t, "http://b.test/")) {
		t.Error("no credentials, nothing to forbid")
	}
}

// Several Location lines under each rule (DuplicateLocationRule cites the
// recordings).
func TestSeveralLocationLinesByRule(t *testing.T) {
	cur, _ := weburl.Parse("http://b.test/r")
	tests := []struct {
		rule    DuplicateLocationRule
		lines   []string
		want    string
		wantErr error
	}{
		{DuplicateLocationFailsRedirect, []string{"http://c.test/a", "http://c.test/a"}, "", ErrMultipleLocation},
		{DuplicateLocationDistinctFails, []string{"http://c.test/a", "http://c.test/a"}, "http://c.test/a", nil},
		{DuplicateLocationDistinctFails, []string{"http://c.test/a", "http://c.test/b"}, "", ErrMultipleLocation},
		{DuplicateLocationCombined, []string{"http://c.test/a", "http://c.test/a"}, "http://c.test/a,%20http://c.test/a", nil},
		{DuplicateLocationCombined, []string{"http://c.test/a", "http://c.test/b"}, "http://c.test/a,%20http://c.test/b", nil},
		{DuplicateLocationCombined, []string{"/x"}, "http://b.test/x", nil},
	}
	for _, tt := range tests {
		u, err := Policy{DuplicateLocation: tt.rule}.LocationURL(302, http.Header{"Location": tt.lines}, cur)
		got := ""
		if u != nil {
			got = u.String()
		}
		if diff := cmp.Diff(tt.want, got); diff != "" || !errors.Is(err, tt.wantErr) {
			t.Errorf("rule %d, lines %q: got %q, %v; want %q, %v", tt.rule, tt.lines, got, err, tt.want, tt.wantErr)
		}
	}
}
