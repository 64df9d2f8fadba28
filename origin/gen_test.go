package origin

import (
	"fmt"
	"strconv"
	"strings"

	"pgregory.net/rapid"
)

// Generators for property tests. They produce hosts in the many spellings
// the URL standard accepts, so that canonicalization has work to do.

func genLabel() *rapid.Generator[string] {
	return rapid.OneOf(
		rapid.StringMatching(`[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?`),
		rapid.StringMatching(`[A-Za-z0-9_-]{1,10}`),
		rapid.SampledFrom([]string{"münchen", "faß", "☕", "中文", "ÉCOLE", "xn--mnchen-3ya", "localhost", "www", "github"}),
	)
}

func genDomain() *rapid.Generator[string] {
	return rapid.Custom(func(t *rapid.T) string {
		labels := rapid.SliceOfN(genLabel(), 1, 4).Draw(t, "labels")
		tld := rapid.SampledFrom([]string{"", ".com", ".co.uk", ".github.io", ".test", ".localhost", ".org."}).Draw(t, "tld")
		return strings.Join(labels, ".") + tld
	})
}

// genIPv4 spells an IPv4 address in one of the forms the IPv4 parser takes.
func genIPv4() *rapid.Generator[string] {
	return rapid.Custom(func(t *rapid.T) string {
		a := rapid.Uint32().Draw(t, "addr")
		if rapid.Bool().Draw(t, "loopback") {
			a = 127<<24 | a&0xffffff
		}
		num := func(n uint32, label string) string {
			switch rapid.IntRange(0, 2).Draw(t, label) {
			case 1:
				return "0x" + strconv.FormatUint(uint64(n), 16)
			case 2:
				return "0" + strconv.FormatUint(uint64(n), 8)
			}
			return strconv.FormatUint(uint64(n), 10)
		}
		switch rapid.IntRange(0, 2).Draw(t, "form") {
		case 0:
			return num(a, "n")
		case 1:
			return num(a>>24, "a") + "." + num(a&0xffffff, "b")
		}
		return fmt.Sprintf("%s.%s.%s.%s", num(a>>24, "a"), num(a>>16&0xff, "b"), num(a>>8&0xff, "c"), num(a&0xff, "d"))
	})
}

// genIPv6 spells an IPv6 address with or without "::" and upper-case hex.
func genIPv6() *rapid.Generator[string] {
	return rapid.Custom(func(t *rapid.T) string {
		var pieces [8]string
		for i := range pieces {
			v := rapid.SampledFrom([]uint16{0, 0, 0, 1, 0xffff, 0xdb8, 0x2001}).Draw(t, "piece")
			s := strconv.FormatUint(uint64(v), 16)
			if rapid.Bool().Draw(t, "upper") {
				s = strings.ToUpper(s)
			}
			if rapid.Bool().Draw(t, "pad") {
				s = strings.Repeat("0", 4-len(s)) + s
			}
			pieces[i] = s
		}
		if rapid.Bool().Draw(t, "loopback") {
			return "[0:0::1]"
		}
		return "[" + strings.Join(pieces[:], ":") + "]"
	})
}

func genHost() *rapid.Generator[string] {
	return rapid.OneOf(genDomain(), genIPv4(), genIPv6())
}

func genScheme() *rapid.Generator[string] {
	return rapid.OneOf(
		rapid.SampledFrom([]string{"http", "https", "ws", "wss", "ftp", "HTTPS", "Http", "file", "chrome-extension"}),
		rapid.StringMatching(`[a-zA-Z][a-zA-Z0-9+.-]{0,6}`),
	)
}

func genPort() *rapid.Generator[int] {
	return rapid.OneOf(
		rapid.SampledFrom([]int{-1, 80, 443, 21, 8080, 0, 65535}),
		rapid.IntRange(-1, 65535),
	)
}

// genTuple draws a valid tuple origin built with Tuple.
func genTuple() *rapid.Generator[Origin] {
	return rapid.Custom(func(t *rapid.T) Origin {
		scheme := genScheme().Draw(t, "scheme")
		host := genHost().Draw(t, "host")
		port := genPort().Draw(t, "port")
		o, err := Tuple(scheme, host, port)
		if err != nil {
			t.Skipf("not an origin: %v", err)
		}
		return o
	})
}

// genSmallOrigin draws from a small pool, so that equal and same-site pairs
// are common.
func genSmallOrigin() *rapid.Generator[Origin] {
	return rapid.Custom(func(t *rapid.T) Origin {
		if rapid.IntRange(0, 4).Draw(t, "opaque") == 0 {
			return OpaqueFromID(rapid.Uint64Range(0, 2).Draw(t, "id"))
		}
		scheme := rapid.SampledFrom([]string{"http", "https"}).Draw(t, "scheme")
		host := rapid.SampledFrom([]string{"a.example.com", "B.example.com", "example.com", "example.co.uk", "x.github.io", "y.github.io", "127.0.0.1", "0x7f.1", "[::1]", "localhost"}).Draw(t, "host")
		port := rapid.SampledFrom([]int{-1, 80, 443, 8080}).Draw(t, "port")
		o, err := Tuple(scheme, host, port)
		if err != nil {
			t.Fatalf("Tuple(%q, %q, %d): %v", scheme, host, port, err)
		}
		return o
	})
}
