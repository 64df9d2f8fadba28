package redirect

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/corsim/corsim/internal/weburl"
	"github.com/corsim/corsim/origin"
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

// FuzzSeveralLocationLines: under both rules, a response with one Location
// line resolves as the single-line location URL does; lines with different
// values always fail with ErrMultipleLocation; equal lines fail under the
// standard's rule and count as one under Chromium's and Firefox's.
func FuzzSeveralLocationLines(f *testing.F) {
	f.Add(302, "/a\n/b", false)
	f.Add(301, "/a\n/a", true)
	f.Add(307, "http://c.test/\nhttp://c.test/\nhttp://c.test/", true)
	f.Add(200, "/a\n/b", false)
	f.Add(308, "", true)
	cur, _ := weburl.Parse("http://b.test/dir/r")
	f.Fuzz(func(t *testing.T, status int, lines string, distinct bool) {
		p := Policy{}
		if distinct {
			p.DuplicateLocation = DuplicateLocationDistinctFails
		}
		ls := strings.Split(lines, "\n")
		h := http.Header{"Location": ls}
		u, err := p.LocationURL(status, h, cur)
		if !IsRedirectStatus(status) {
			if u != nil || err != nil {
				t.Fatalf("status %d gave %v, %v", status, u, err)
			}
			return
		}
		allEqual := true
		for _, l := range ls[1:] {
			allEqual = allEqual && l == ls[0]
		}
		switch {
		case len(ls) > 1 && (!allEqual || !distinct):
			if !errors.Is(err, ErrMultipleLocation) || u != nil {
				t.Fatalf("lines %q under %+v: got %v, %v; want ErrMultipleLocation", ls, p, u, err)
			}
		default:
			one, oneErr := LocationURL(status, http.Header{"Location": {ls[0]}}, cur)
			if (err == nil) != (oneErr == nil) || err == nil && u.String() != one.String() {
				t.Fatalf("lines %q under %+v: got %v, %v; one line gives %v, %v", ls, p, u, err, one, oneErr)
			}
		}
	})
}

// litTainted is https://fetch.spec.whatwg.org/#concept-request-tainted-origin
// transcribed: walk the URL list keeping the last URL.
func litTainted(reqOrigin origin.Origin, urls []*weburl.URL) bool {
	var last *weburl.URL
	for _, u := range urls {
		if last == nil {
			last = u
			continue
		}
		if !u.Origin().SameOrigin(last.Origin()) && !reqOrigin.SameOrigin(last.Origin()) {
			return true
		}
		last = u
	}
	return false
}

var fuzzURLs = []string{"http://a.test/", "http://b.test/", "https://a.test/", "http://a.test:8080/x", "http://c.test/", "data:,x", "http://A.test/y"}

// FuzzTaintedAndMethodRewrite: Tainted agrees with the transcription, never
// goes back once set as the list grows, and a list within one origin is
// never tainted; MethodRewrite agrees with HTTP-redirect fetch step 12.
func FuzzTaintedAndMethodRewrite(f *testing.F) {
	f.Add([]byte{0, 1, 0}, uint8(0), 302, "POST")
	f.Add([]byte{1, 4, 0}, uint8(1), 303, "PUT")
	f.Add([]byte{0, 0, 0, 0}, uint8(0), 301, "post")
	f.Add([]byte{2, 3, 6, 5}, uint8(5), 307, "HEAD")
	f.Fuzz(func(t *testing.T, path []byte, o uint8, status int, method string) {
		if len(path) > 64 {
			path = path[:64]
		}
		var docOrigin origin.Origin
		if int(o)%(len(fuzzURLs)+1) == len(fuzzURLs) {
			docOrigin = origin.OpaqueFromID(1)
		} else {
			u, _ := weburl.Parse(fuzzURLs[int(o)%len(fuzzURLs)])
			docOrigin = u.Origin()
		}
		var urls []*weburl.URL
		was := false
		for _, i := range path {
			u, _ := weburl.Parse(fuzzURLs[int(i)%len(fuzzURLs)])
			urls = append(urls, u)
			got := Tainted(docOrigin, urls)
			if got != litTainted(docOrigin, urls) {
				t.Fatalf("Tainted(%v, %v) = %v, the transcription says otherwise", docOrigin, urls, got)
			}
			if was && !got {
				t.Fatalf("the list %v lost its taint", urls)
			}
			was = got
		}
		if len(urls) > 0 {
			same := true
			for _, u := range urls {
				same = same && u.Origin().SameOrigin(urls[0].Origin())
			}
			if same && Tainted(docOrigin, urls) {
				t.Fatalf("a list within one origin is tainted: %v", urls)
			}
		}
		// HTTP-redirect fetch, step 12.
		want := (status == 301 || status == 302) && method == "POST" || status == 303 && method != "GET" && method != "HEAD"
		m, changed := MethodRewrite(status, method)
		if changed != want || changed && m != "GET" || !changed && m != method {
			t.Fatalf("MethodRewrite(%d, %q) = %q, %v; want changed %v", status, method, m, changed, want)
		}
	})
}
