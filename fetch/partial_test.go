package fetch

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Chromium's HTTP cache on a 206 (profile.HTTPCachePolicy.
// PartialContentRewrite). Cases marked "recorded" are files under
// testdata/chromium/range.
func TestRewritePartialContent(t *testing.T) {
	tests := []struct {
		name          string
		method, rng   string
		status        int
		header        [][2]string
		wantRewritten bool
		wantRange     string
		wantLength    string
	}{
		// recorded: get-with-range-bytes-0-1-answered-206
		{"the_range_asked_for", "GET", "bytes=0-1", 206, [][2]string{{"Content-Range", "bytes 0-1/10"}}, true, "bytes 0-1/10", "2"},
		// recorded: get-with-range-bytes-5-answered-206
		{"an_open_range", "GET", "bytes=5-", 206, [][2]string{{"Content-Range", "bytes 5-9/10"}}, true, "bytes 5-9/10", "5"},
		{"a_suffix_range", "GET", "bytes=-3", 206, [][2]string{{"Content-Range", "bytes 7-9/10"}}, true, "bytes 7-9/10", "3"},
		{"a_range_past_the_end", "GET", "bytes=0-99", 206, [][2]string{{"Content-Range", "bytes 0-9/10"}}, true, "bytes 0-9/10", "10"},
		{"a_matching_content_length", "GET", "bytes=0-1", 206, [][2]string{{"Content-Range", "bytes 0-1/10"}, {"Content-Length", "2"}}, true, "bytes 0-1/10", "2"},
		{"whitespace_and_case", "GET", " BYTES = 0 - 1 ", 206, [][2]string{{"Content-Range", " Bytes 0-1/10 "}}, true, "bytes 0-1/10", "2"},
		// recorded: get-with-range-bytes-0-1-answered-206-for-bytes-2-3
		{"another_range", "GET", "bytes=0-1", 206, [][2]string{{"Content-Range", "bytes 2-3/10"}}, false, "bytes 2-3/10", ""},
		{"another_end", "GET", "bytes=0-1", 206, [][2]string{{"Content-Range", "bytes 0-2/10"}}, false, "bytes 0-2/10", ""},
		// recorded: …-206-content-range-unknown-length
		{"an_unknown_length", "GET", "bytes=0-1", 206, [][2]string{{"Content-Range", "bytes 0-1/*"}}, false, "bytes 0-1/*", ""},
		// recorded: …-206-without-content-range
		{"no_content_range", "GET", "bytes=0-1", 206, nil, false, "", ""},
		{"a_content_length_that_disagrees", "GET", "bytes=0-1", 206, [][2]string{{"Content-Range", "bytes 0-1/10"}, {"Content-Length", "5"}}, false, "bytes 0-1/10", "5"},
		// recorded: get-without-range-answered-206
		{"no_range_asked", "GET", "", 206, [][2]string{{"Content-Range", "bytes 0-1/10"}}, false, "bytes 0-1/10", ""},
		{"two_ranges_asked", "GET", "bytes=0-1,3-4", 206, [][2]string{{"Content-Range", "bytes 0-1/10"}}, false, "bytes 0-1/10", ""},
		{"an_invalid_range_asked", "GET", "bytes=2-1", 206, [][2]string{{"Content-Range", "bytes 0-1/10"}}, false, "bytes 0-1/10", ""},
		{"a_zero_suffix_asked", "GET", "bytes=-0", 206, [][2]string{{"Content-Range", "bytes 0-1/10"}}, false, "bytes 0-1/10", ""},
		{"another_unit_asked", "GET", "items=0-1", 206, [][2]string{{"Content-Range", "bytes 0-1/10"}}, false, "bytes 0-1/10", ""},
		// recorded: get-with-range-bytes-0-1-answered-200
		{"a_200", "GET", "bytes=0-1", 200, [][2]string{{"Content-Range", "bytes 0-1/10"}}, false, "bytes 0-1/10", ""},
		{"not_a_get", "PUT", "bytes=0-1", 206, [][2]string{{"Content-Range", "bytes 0-1/10"}}, false, "bytes 0-1/10", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for _, kv := range tt.header {
				h.Add(kv[0], kv[1])
			}
			got := rewritePartialContent(tt.method, tt.rng, tt.status, h)
			want := []string{tt.wantRange, tt.wantLength}
			if diff := cmp.Diff(want, []string{h.Get("Content-Range"), h.Get("Content-Length")}); diff != "" || got != tt.wantRewritten {
				t.Errorf("rewritten %v, want %v; headers (-want +got):\n%s", got, tt.wantRewritten, diff)
			}
		})
	}
}

func FuzzRewritePartialContent(f *testing.F) {
	f.Add("bytes=0-1", "bytes 0-1/10", "")
	f.Add("bytes=-3", "bytes 7-9/10", "3")
	f.Add("bytes=5-", "bytes 5-9/10", "9")
	f.Fuzz(func(t *testing.T, rng, contentRange, contentLength string) {
		h := http.Header{"Content-Range": {contentRange}}
		if contentLength != "" {
			h.Set("Content-Length", contentLength)
		}
		before := h.Clone()
		if !rewritePartialContent("GET", rng, 206, h) {
			// Untouched unless rewritten.
			if diff := cmp.Diff(before, h); diff != "" {
				t.Fatalf("headers changed without a rewrite:\n%s", diff)
			}
			return
		}
		// A rewrite describes a range inside the resource, with its length.
		first, last, length, ok := parseContentRange206(h.Get("Content-Range"))
		if !ok || last >= length {
			t.Fatalf("rewrote an unreadable Content-Range %q", h.Get("Content-Range"))
		}
		if h.Get("Content-Length") != strconv.FormatInt(last-first+1, 10) {
			t.Fatalf("Content-Length %q for range %d-%d", h.Get("Content-Length"), first, last)
		}
		if len(h.Values("Content-Length")) != 1 || len(h.Values("Content-Range")) != 1 {
			t.Fatalf("several lines after a rewrite: %v", h)
		}
	})
}
