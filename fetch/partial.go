package fetch

import (
	"net/http"
	"strconv"
	"strings"
)

// byteRange is one range of a Range request header as Chromium's
// HttpByteRange holds it: first and last byte positions, or a suffix
// length, -1 where absent.
type byteRange struct {
	first, last, suffix int64
}

// parseRequestRange reads a Range request header as Chromium's
// HttpUtil::ParseRangeHeader does, and returns its range when it holds
// exactly one valid range (PartialData::Init).
func parseRequestRange(value string) (byteRange, bool) {
	unit, set, ok := strings.Cut(value, "=")
	if !ok || !strings.EqualFold(trimLWS(unit), "bytes") {
		return byteRange{}, false
	}
	var r byteRange
	n := 0
	for _, spec := range strings.Split(set, ",") {
		spec = trimLWS(spec)
		if spec == "" {
			continue // ValuesIterator skips empty values
		}
		n++
		firstText, lastText, ok := strings.Cut(spec, "-")
		if !ok {
			return byteRange{}, false
		}
		r = byteRange{first: -1, last: -1, suffix: -1}
		if t := trimLWS(firstText); t != "" {
			v, err := strconv.ParseInt(t, 10, 64)
			if err != nil {
				return byteRange{}, false
			}
			r.first = v
		}
		if t := trimLWS(lastText); t != "" {
			v, err := strconv.ParseInt(t, 10, 64)
			if err != nil {
				return byteRange{}, false
			}
			if r.first >= 0 {
				r.last = v
			} else {
				r.suffix = v
			}
		} else if r.first < 0 {
			return byteRange{}, false
		}
		// HttpByteRange::IsValid.
		if !(r.suffix > 0 || r.first >= 0 && (r.last == -1 || r.last >= r.first)) {
			return byteRange{}, false
		}
	}
	return r, n == 1
}

// parseContentRange206 reads "bytes first-last/length" as Chromium's
// HttpUtil::ParseContentRangeHeaderFor206 does: a known length above last,
// last at or above first, first at or above 0.
func parseContentRange206(v string) (first, last, length int64, ok bool) {
	v = trimLWS(v)
	unit, rest, found := strings.Cut(v, " ")
	if !found || !strings.EqualFold(trimLWS(unit), "bytes") {
		return 0, 0, 0, false
	}
	firstText, rest, found := strings.Cut(rest, "-")
	if !found {
		return 0, 0, 0, false
	}
	lastText, lengthText, found := strings.Cut(rest, "/")
	if !found {
		return 0, 0, 0, false
	}
	var err1, err2, err3 error
	first, err1 = strconv.ParseInt(trimLWS(firstText), 10, 64)
	last, err2 = strconv.ParseInt(trimLWS(lastText), 10, 64)
	length, err3 = strconv.ParseInt(trimLWS(lengthText), 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || first < 0 || last < first || length <= last {
		return 0, 0, 0, false
	}
	return first, last, length, true
}

// trimLWS trims spaces and tabs (Chromium HttpUtil::TrimLWS).
func trimLWS(s string) string { return strings.Trim(s, " \t") }

// rewritePartialContent is Chromium's HTTP cache on a 206 answering a
// single-range GET (profile.HTTPCachePolicy.PartialContentRewrite): when
// the response's range is the one asked for (PartialData::
// ResponseHeadersOK on a first response), Content-Range and Content-Length
// are written anew (UpdateWithNewRange); otherwise the response passes as
// it is. It reports whether it rewrote h.
func rewritePartialContent(method, rangeHeader string, status int, h http.Header) bool {
	if method != "GET" || status != http.StatusPartialContent || rangeHeader == "" {
		return false
	}
	r, ok := parseRequestRange(rangeHeader)
	if !ok {
		return false
	}
	cr := h.Values("Content-Range")
	if len(cr) == 0 {
		return false
	}
	start, end, length, ok := parseContentRange206(cr[0])
	if !ok {
		return false
	}
	// A server should send a matching Content-Length; Chromium tolerates
	// none, or one it cannot read.
	if cl := h.Values("Content-Length"); len(cl) > 0 {
		if n, err := strconv.ParseInt(trimLWS(cl[0]), 10, 64); err == nil && n > 0 && n != end-start+1 {
			return false
		}
	}
	// First response: the server's values fill what the request left open.
	if r.first < 0 {
		r.first = start
	}
	if r.last < 0 {
		r.last = end
	}
	if start != r.first {
		return false
	}
	want := r.last
	if want >= length {
		want, r.last = end, end
	}
	if end != want {
		return false
	}
	h.Del("Content-Range")
	h.Del("Content-Length")
	h.Set("Content-Range", "bytes "+strconv.FormatInt(r.first, 10)+"-"+strconv.FormatInt(r.last, 10)+"/"+strconv.FormatInt(length, 10))
	h.Set("Content-Length", strconv.FormatInt(r.last-r.first+1, 10))
	return true
}
