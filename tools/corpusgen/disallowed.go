package main

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/corsim/corsim/scenario"
)

// disallowedOrder draws requests with several CORS-unsafe headers whose
// preflight leaves more than one of them disallowed, to pin down which one
// a browser names. Chromium names the first in the order its network
// service holds the headers, which is WTF::HashTable bucket order
// (internal/blinkorder), so the names vary in number (2-8), length (1 to
// over 48 bytes: each of rapidhash's input paths), case and spelling, with
// and without safelisted headers and bodies beside them, and with
// repeated names, to cross the table's growth from 8 to 16 and 32
// buckets. Each batch has its own fixed seed: batch "a" was used to fit
// the model and batch "b" drawn afterwards to check it.
//
// doc is the document's origin and base the target URL's prefix: a
// secure target may carry more headers Blink adds itself. Each request
// has 2 to maxUnsafe CORS-unsafe headers.
func (g *gen) disallowedOrder(batch string, seed uint64, n int, doc, base string, maxUnsafe int) {
	r := rand.New(rand.NewPCG(seed, 7))
	const tokenBytes = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
	name := func() string {
		var size int
		switch r.IntN(6) {
		case 0:
			size = 1 + r.IntN(3) // 1-3 bytes
		case 1, 2:
			size = 4 + r.IntN(5) // 4-8
		case 3:
			size = 9 + r.IntN(8) // 9-16
		case 4:
			size = 17 + r.IntN(32) // 17-48
		default:
			size = 49 + r.IntN(40) // over 48
		}
		var b strings.Builder
		b.WriteString("x")
		for b.Len() < size {
			b.WriteByte(tokenBytes[r.IntN(len(tokenBytes))])
		}
		return b.String()[:size]
	}
	safelisted := [][2]string{{"Accept", "x/y"}, {"Accept-Language", "en"}, {"Content-Language", "de"}, {"Content-Type", "text/plain"}}
	for i := 0; i < n; i++ {
		count := 2 + r.IntN(maxUnsafe-1)
		var unsafe []string
		seen := map[string]bool{}
		for len(unsafe) < count {
			nm := name()
			if !seen[strings.ToLower(nm)] {
				seen[strings.ToLower(nm)] = true
				unsafe = append(unsafe, nm)
			}
		}
		var hs []string
		for _, nm := range unsafe {
			hs = append(hs, nm, "1")
			if r.IntN(8) == 0 {
				// The same name again in another case: one entry.
				hs = append(hs, strings.ToUpper(nm), "2")
			}
		}
		for _, s := range safelisted {
			if r.IntN(3) == 0 {
				at := 2 * r.IntN(len(hs)/2+1)
				hs = append(hs[:at], append([]string{s[0], s[1]}, hs[at:]...)...)
			}
		}
		if r.IntN(6) == 0 {
			hs = append(hs, "Content-Type", "application/json")
		}
		method, fetchMethod := "GET", ""
		var b *string
		if r.IntN(4) == 0 {
			// The body's implied Content-Type joins the list unless set.
			method, fetchMethod, b = "POST", "POST", body("x")
		}
		// Allow none, or some, of the unsafe names; at least two stay
		// disallowed.
		var allowed []string
		if r.IntN(2) == 0 {
			for _, nm := range unsafe[:len(unsafe)-2] {
				if r.IntN(2) == 0 {
					allowed = append(allowed, nm)
				}
			}
		}
		allow := strings.Join(allowed, ", ")
		url := fmt.Sprintf("%s%s%02d", base, batch, i)
		title := fmt.Sprintf("order %s%02d: %s with %d unsafe headers, preflight Allow-Headers %q", batch, i, method, count, allow)
		if doc != A || !strings.HasPrefix(base, "http://b.test/") {
			title = fmt.Sprintf("order %s%02d: %s from %s to %s with %d unsafe headers, preflight Allow-Headers %q", batch, i, method, doc, url, count, allow)
		}
		g.add("disallowed-order", doc, title,
			[]scenario.Rule{raw("OPTIONS", url, 204, h("Access-Control-Allow-Origin", doc, "Access-Control-Allow-Methods", "POST", "Access-Control-Allow-Headers", allow), nil)},
			step(0, scenario.Fetch{URL: url, Method: fetchMethod, Headers: h(hs...), Body: b}))
	}
}

// disallowedOrderEntries has requests whose named header depends on how
// many entries Blink's header map holds beside the script's: three names
// and one more entry make the table grow from 8 to 16 buckets, and the
// name Chromium reports differs depending on whether that entry is
// User-Agent, Origin or absent (found by a search over random names with
// internal/blinkorder).
//
// To a secure URL Blink also sets the default User-Agent client hints
// (Sec-CH-UA, Sec-CH-UA-Mobile, Sec-CH-UA-Platform) before User-Agent;
// the https cases tell that apart from two hints, from the hints after
// User-Agent, from another order of the hints, and from one more entry.
func (g *gen) disallowedOrderEntries() {
	for _, c := range []struct {
		doc, base string
		names     []string
	}{
		{A, "http://b.test/", []string{"x-ynoitl", "x-xiz1v", "x-yarf"}},
		{A, "http://b.test/", []string{"x-8dpvn68v", "x-i9r", "x-zgbt25"}},
		{A, "http://b.test/", []string{"x-k13", "x-cpakhqv4n", "x-zr70d69c-nj"}},
		{A, "http://b.test/", []string{"x-wiu2yhq", "x-f3klhndw", "x-sazx"}},
		{"https://a.test", "https://b.test/", []string{"x-z3p", "x-s4ebe4g8cpg", "x-w-egnopupiv1l", "x-ua7s3g9rcpev6"}},
		{"https://a.test", "https://b.test/", []string{"x-g2mkol", "x-q3-2oy", "x-q5d2f-", "x-0b6v00ko"}},
		{"https://a.test", "https://b.test/", []string{"x-9ax5183hnnmo2", "x-sytn22", "x-sa9ou8u", "x-5v"}},
		{"https://a.test", "https://b.test/", []string{"x-lw", "x-3akn", "x-ayf4m", "x-u3eoz7"}},
		{"https://a.test", "https://b.test/", []string{"x-x71u629-r7zr", "x-rsr"}},
		{"https://a.test", "https://b.test/", []string{"x-7z", "x-4jmpqfuoa0"}},
		{"https://a.test", "https://b.test/", []string{"x-vlqvwz25", "x-o1kjuv2b1yyd", "x-kt", "x-ieznod", "x-luvu1kvf", "x-sc5zqerhd0tpx"}},
		{"https://a.test", "https://b.test/", []string{"x-tmte7zn", "x-9f"}},
		{A, "https://b.test/", []string{"x-1mno50i4d", "x-ukz6", "x-0x"}},
		{A, "https://b.test/", []string{"x-wb", "x-ce74n8lg4ih", "x-v11am"}},
		{A, "https://b.test/", []string{"x-g1meycph52", "x-9rshgscu", "x-aoc8f75b8gwfv", "x-rtrpljn-i"}},
		{A, "https://b.test/", []string{"x-o1", "x-v4388k", "x-b69f078spi8o", "x-ph649z5g4"}},
		// A sandboxed document (opaque origin) fills the map the same way.
		{"null", "http://b.test/", []string{"x-ynoitl", "x-xiz1v", "x-yarf"}},
		{"null", "http://b.test/", []string{"x-k13", "x-cpakhqv4n", "x-zr70d69c-nj"}},
		{"null", "https://b.test/", []string{"x-7z", "x-4jmpqfuoa0"}},
		{"null", "https://b.test/", []string{"x-wb", "x-ce74n8lg4ih", "x-v11am"}},
	} {
		var hs []string
		for _, n := range c.names {
			hs = append(hs, n, "1")
		}
		url := c.base + c.names[0]
		title := fmt.Sprintf("GET with %s, preflight without Allow-Headers", strings.Join(c.names, ", "))
		if c.doc != A || c.base != "http://b.test/" {
			title = fmt.Sprintf("GET from %s to %s with %s, preflight without Allow-Headers", c.doc, url, strings.Join(c.names, ", "))
		}
		g.add("disallowed-order", c.doc, title,
			[]scenario.Rule{raw("OPTIONS", url, 204, h("Access-Control-Allow-Origin", c.doc), nil)},
			step(0, scenario.Fetch{URL: url, Headers: h(hs...)}))
	}
}

// disallowedOrderAfterRedirect sends the headers to the document's own
// origin, which redirects them with a 307 to a secure URL of another
// origin, where they are preflighted: whether Blink's client hints take
// buckets depends on which URL the header map was filled for. Each list
// of names is one whose named header differs between the two.
func (g *gen) disallowedOrderAfterRedirect() {
	for i, names := range [][]string{
		{"x-ifbqgy", "x-7ir46r9s91", "x-zfpu", "x-d7sl1lf"},
		{"x-4", "x-fevtwx", "x-6", "x-acurvjpt"},
		{"x-3f", "x-hdule"},
		{"x-s20v", "x-ka"},
		{"x-r6xrb", "x-aa2lckz1t", "x-yzm6b34d", "x-28yfmuz5ha", "x-3n04kj"},
		{"x-8v", "x-jurx", "x-o5f", "x-m", "x-0-r-0"},
	} {
		var hs []string
		for _, n := range names {
			hs = append(hs, n, "1")
		}
		from := fmt.Sprintf("http://a.test/go%d", i)
		to := fmt.Sprintf("https://b.test/r%d", i)
		g.add("disallowed-order", A, fmt.Sprintf("GET with %s redirected 307 from %s to %s, preflight without Allow-Headers", strings.Join(names, ", "), from, to),
			[]scenario.Rule{raw("GET", from, 307, h("Location", to), nil), raw("OPTIONS", to, 204, h("Access-Control-Allow-Origin", A), nil)},
			step(0, scenario.Fetch{URL: from, Headers: h(hs...)}))
	}
}

// disallowedOrderOverLimit sends nine safelisted headers whose values
// total more than 1024 bytes, which makes them CORS-unsafe too, beside a
// few unsafe ones. Chromium's CorsUnsafeNotForbiddenRequestHeaderNames
// lists the names unsafe on their own first and the safelisted ones
// after, each group in header-map order: with no Allow-Headers the named
// header is always one of the former, and with those allowed one of the
// latter.
func (g *gen) disallowedOrderOverLimit(batch string, seed uint64, n int) {
	r := rand.New(rand.NewPCG(seed, 7))
	const tb = "abcdefghijklmnopqrstuvwxyz0123456789-"
	for i := 0; i < n; i++ {
		var names []string
		for count := 2 + r.IntN(3); len(names) < count; {
			b := []byte("x-")
			for l := 1 + r.IntN(12); len(b) < l+2; {
				b = append(b, tb[r.IntN(len(tb))])
			}
			names = append(names, string(b))
		}
		hs := nineSafelisted(1100)
		for _, n := range names {
			hs = append(hs, n, "1")
		}
		allow := ""
		if i%2 == 1 {
			allow = strings.Join(names, ", ")
		}
		doc, base := A, "http://b.test/"
		if i >= n/2 {
			doc, base = "https://a.test", "https://b.test/"
		}
		url := fmt.Sprintf("%s%s%d", base, batch, i)
		g.add("disallowed-order", doc, fmt.Sprintf("POST from %s to %s with nine safelisted values totalling 1100 bytes and %s, preflight Allow-Headers %q", doc, url, strings.Join(names, ", "), allow),
			[]scenario.Rule{raw("OPTIONS", url, 204, h("Access-Control-Allow-Origin", doc, "Access-Control-Allow-Methods", "POST", "Access-Control-Allow-Headers", allow), nil)},
			step(0, scenario.Fetch{URL: url, Method: "POST", Headers: h(hs...), Body: body("x")}))
	}
}
