package fetch

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/corsim/corsim/enforce"
	"github.com/corsim/corsim/internal/mime"
	"github.com/corsim/corsim/internal/weburl"
)

const secScheme = "Fetch §4.2 Scheme fetch"

// schemeFetch is scheme fetch (https://fetch.spec.whatwg.org/#scheme-fetch)
// for a URL that is not HTTP(S): about:blank, blob: and data: URLs answer
// without the network; every other scheme is a network error. The
// response goes through the same filtering as an HTTP one.
func (f *fetchState) schemeFetch() (*Response, *weburl.URL, error) {
	u := f.current()
	switch u.Scheme() {
	case "about":
		if u.StringWithoutFragment() == "about:blank" && !f.c.profile.Schemes.AboutBlankFails {
			f.tr.add(secScheme, "scheme-fetch", "about:blank: an empty text/html response")
			resp, err := f.filtered(http.StatusOK, http.Header{"Content-Type": {"text/html;charset=utf-8"}})
			return resp, nil, err
		}
	case "blob":
		// corsim keeps no blob URL store: a blob URL resolves to nothing,
		// as one no script created does in a browser.
		f.tr.block(secScheme, "scheme-fetch", "the blob URL resolves to no blob: network error", in("URL", u.StringWithoutFragment()))
		return nil, nil, f.netError("the blob URL resolves to no blob", "Failed to load resource: net::ERR_FILE_NOT_FOUND")
	case "data":
		mimeType, body, ok := processDataURL(u.StringWithoutFragment())
		if !ok {
			f.tr.block(secScheme, "scheme-fetch", "the data: URL does not process: network error", in("URL", u.StringWithoutFragment()))
			return nil, nil, f.netError("the data: URL does not process", "")
		}
		f.tr.add(secScheme, "scheme-fetch", "a data: URL: a 200 response", in("Content-Type", mimeType))
		// Fetch §4.2 scheme fetch, "data", step 4: the header list is
		// Content-Type alone; Firefox's data channel adds Content-Length
		// (SchemePolicy.DataURLContentLength, recorded).
		h := http.Header{"Content-Type": {mimeType}}
		if f.c.profile.Schemes.DataURLContentLength {
			h.Set("Content-Length", strconv.Itoa(len(body)))
		}
		resp, err := f.filtered(http.StatusOK, h)
		return resp, nil, err
	}
	f.tr.block(secScheme, "scheme-fetch", "the URL's scheme cannot be fetched: network error", in("URL", u.StringWithoutFragment()))
	if f.c.profile.Browser == enforce.Firefox && u.Scheme() == "file" {
		// Firefox's security manager refuses a file: URL for the document
		// (recorded: firefox/typeerror/no-cors-fetch-of-the-url-file-etc-
		// hostname); its other refusals print nothing.
		return nil, nil, &Error{Kind: NetworkError, URL: u.StringWithoutFragment(), Message: "scheme file cannot be fetched",
			Console: enforce.FirefoxLoadURILine(f.c.docURL, u.StringWithoutFragment())}
	}
	return nil, nil, f.netError("scheme "+u.Scheme()+" cannot be fetched", chromiumSchemeConsole(u))
}

// chromiumSchemeConsole is the line Chromium prints when fetch() meets a
// URL it cannot load (recorded: typeerror/*-fetch-of-the-url-*): Blink's
// check for local resources, its check for schemes that support fetch,
// and a blob URL that resolves to nothing.
func chromiumSchemeConsole(u *weburl.URL) string {
	s := u.StringWithoutFragment()
	switch u.Scheme() {
	case "file":
		return "Not allowed to load local resource: " + s
	case "blob":
		return "Failed to load resource: net::ERR_FILE_NOT_FOUND"
	}
	return "Fetch API cannot load " + s + `. URL scheme "` + u.Scheme() + `" is not supported.`
}

// processDataURL is the data: URL processor
// (https://fetch.spec.whatwg.org/#data-url-processor): the MIME type and
// the body, or ok false on failure.
func processDataURL(raw string) (mimeType string, body []byte, ok bool) {
	// Steps 2-6: the input after "data:", up to the first comma.
	input, _ := strings.CutPrefix(raw, "data:")
	mimePart, data, found := strings.Cut(input, ",")
	if !found {
		return "", nil, false
	}
	mimePart = strings.Trim(mimePart, " \t\n\f\r")
	// Step 8: percent-decode the body.
	decoded, err := url.PathUnescape(data)
	if err != nil {
		decoded = data
	}
	body = []byte(decoded)
	// Steps 9-11: a ";base64" suffix asks for forgiving-base64 decoding.
	if i := len(mimePart) - len("base64"); i >= 0 && strings.EqualFold(mimePart[i:], "base64") {
		rest := strings.TrimRight(mimePart[:i], " ")
		if strings.HasSuffix(rest, ";") {
			b, ok := forgivingBase64(decoded)
			if !ok {
				return "", nil, false
			}
			body = b
			mimePart = rest[:len(rest)-1]
		}
	}
	// Steps 12-14: a MIME type starting with ";" is text/plain's; one that
	// does not parse is text/plain;charset=US-ASCII.
	if strings.HasPrefix(mimePart, ";") {
		mimePart = "text/plain" + mimePart
	}
	t, ok := mime.Parse(mimePart)
	if !ok {
		return "text/plain;charset=US-ASCII", body, true
	}
	return t.String(), body, true
}

// forgivingBase64 is forgiving-base64 decode
// (https://infra.spec.whatwg.org/#forgiving-base64-decode).
func forgivingBase64(s string) ([]byte, bool) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\f' || r == '\r' {
			return -1
		}
		return r
	}, s)
	if len(s)%4 == 0 {
		s = strings.TrimSuffix(strings.TrimSuffix(s, "="), "=")
	}
	if len(s)%4 == 1 {
		return nil, false
	}
	b, err := base64.RawStdEncoding.DecodeString(s)
	return b, err == nil
}
