package redirect

import (
	"net/http"
	"testing"

	"github.com/corsim/corsim/internal/weburl"
)

// FuzzLocationURL: any Location either fails with ErrBadLocation or gives a
// URL that serializes and reparses to itself; statuses that are not
// redirect statuses never give one.
func FuzzLocationURL(f *testing.F) {
	for _, s := range []string{"/final", "http://c.test/x", "//c.test", "?q", "#f", "http://[::1", "ftp://b.test/", "data:,x", ""} {
		f.Add(302, s)
	}
	cur, _ := weburl.Parse("http://b.test/dir/r?q#frag")
	f.Fuzz(func(t *testing.T, status int, loc string) {
		u, err := LocationURL(status, http.Header{"Location": {loc}}, cur)
		if !IsRedirectStatus(status) {
			if u != nil || err != nil {
				t.Fatalf("status %d gave %v, %v", status, u, err)
			}
			return
		}
		if err != nil {
			if err != ErrBadLocation {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		again, err := weburl.Parse(u.String())
		if err != nil || again.String() != u.String() {
			t.Fatalf("%q → %q does not reparse to itself (%v)", loc, u, err)
		}
	})
}
