package blinkorder

import (
	"math/bits"
	"sort"
	"strings"
)

// This file holds slow, literal models of the algorithms order.go and
// hash.go implement, written from the structure of Chromium's code rather
// than from the fast versions: rapidhash templatized on a hash reader
// with a compression and an expansion factor (third_party/rapidhash/
// rapidhash.h after patches/0003-templatize), the case-folding reader
// over 8-bit characters (wtf/text/case_folding_hash.h), and a hash table
// whose probe sequence is written as the closed form of its steps.

// foldingReader reads an 8-bit string as case-folded UTF-16 code units:
// it produces two bytes for each byte it consumes (kExpansionFactor 2).
type foldingReader struct{ s string }

func (r foldingReader) unit(i int) uint64 { return uint64(foldLatin1(r.s[i])) }

// read32 reads two characters at input offset i as 32 bits.
func (r foldingReader) read32(i int) uint64 { return r.unit(i) | r.unit(i+1)<<16 }

// read64 reads four characters at input offset i as 64 bits.
func (r foldingReader) read64(i int) uint64 {
	return r.unit(i) | r.unit(i+1)<<16 | r.unit(i+2)<<32 | r.unit(i+3)<<48
}

// readSmall is only ever asked for a lone character (k = 2 output bytes).
func (r foldingReader) readSmall(i int) uint64 { return r.unit(i) }

func refMum(a, b uint64) (lo, hi uint64) {
	hi, lo = bits.Mul64(a, b)
	return lo, hi
}

func refMix(a, b uint64) uint64 {
	lo, hi := refMum(a, b)
	return lo ^ hi
}

// refCaseFoldingHash is CaseFoldingHash::GetHash of an 8-bit string
// followed by MaskTop8Bits. Output offsets are converted to input
// offsets by the expansion factor y = 2, as the templatized rapidhash does
// (p + off * x / y with x = 1).
func refCaseFoldingHash(s string) uint32 {
	r := foldingReader{s}
	const y = 2
	length := uint64(2 * len(s)) // bytes the reader produces
	secret := [3]uint64{0x2d358dccaa6c78a5, 0x8bb84b93962eacc9, 0x4b33a62ed433d4a3}
	seed := uint64(0xbdd89aa982704029)
	seed ^= refMix(seed^secret[0], secret[1]) ^ length
	var a, b uint64
	if length <= 16 {
		if length >= 4 {
			last := int(length-4) / y
			a = r.read32(0)<<32 | r.read32(last)
			delta := int((length&24)>>(length>>3)) / y
			b = r.read32(delta)<<32 | r.read32(last-delta)
		} else if length > 0 {
			a, b = r.readSmall(0), 0
		}
	} else {
		p, i := 0, int(length)
		if i > 48 {
			see1, see2 := seed, seed
			for {
				seed = refMix(r.read64(p)^secret[0], r.read64(p+8/y)^seed)
				see1 = refMix(r.read64(p+16/y)^secret[1], r.read64(p+24/y)^see1)
				see2 = refMix(r.read64(p+32/y)^secret[2], r.read64(p+40/y)^see2)
				p += 48 / y
				i -= 48
				if i < 48 {
					break
				}
			}
			seed ^= see1 ^ see2
		}
		if i > 16 {
			seed = refMix(r.read64(p)^secret[2], r.read64(p+8/y)^seed^secret[1])
			if i > 32 {
				seed = refMix(r.read64(p+16/y)^secret[2], r.read64(p+24/y)^seed)
			}
		}
		a = r.read64(p + (i-16)/y)
		b = r.read64(p + (i-8)/y)
	}
	a ^= secret[1]
	b ^= seed
	a, b = refMum(a, b)
	h := refMix(a^secret[0]^length, b^secret[1])
	masked := uint32(h & 0xffffff)
	if masked == 0 {
		masked = 0x800000
	}
	return masked
}

// refTable is a hash table of lower-case names whose k-th probe from a
// hash h visits bucket (h + k(k+1)/2) mod size, the closed form of
// HashTable's "probe_count++; i = (i + probe_count) & mask".
type refTable struct {
	slots []string
}

func (t *refTable) place(name string) {
	h := int(refCaseFoldingHash(name))
	for k := 0; ; k++ {
		i := (h + k*(k+1)/2) % len(t.slots)
		if t.slots[i] == "" {
			t.slots[i] = name
			return
		}
	}
}

func (t *refTable) has(name string) bool {
	for _, s := range t.slots {
		if s == name {
			return true
		}
	}
	return false
}

// refAdd inserts name unless present, then doubles the table, re-placing
// the old slots from the first, once it is half full.
func (t *refTable) refAdd(name string) {
	if t.slots == nil {
		t.slots = make([]string, 8)
	}
	if t.has(name) {
		return
	}
	t.place(name)
	count := 0
	for _, s := range t.slots {
		if s != "" {
			count++
		}
	}
	if 2*count >= len(t.slots) {
		old := t.slots
		t.slots = make([]string, 2*len(old))
		for _, s := range old {
			if s != "" {
				t.place(s)
			}
		}
	}
}

// refLowerASCII maps A-Z to a-z byte by byte, as Blink's byte-case-
// insensitive comparison and ASCII case folding do for a header name.
func refLowerASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// refOrder is Order written with refTable and a plain sort.
func refOrder(names []string, hints bool) []string {
	lower := make([]string, len(names))
	for i, n := range names {
		lower[i] = refLowerASCII(n)
	}
	sort.Strings(lower)
	var t refTable
	for _, n := range lower {
		t.refAdd(n) // a repeat is found and skipped
	}
	if hints {
		t.refAdd("sec-ch-ua")
		t.refAdd("sec-ch-ua-mobile")
		t.refAdd("sec-ch-ua-platform")
	}
	t.refAdd("user-agent")
	var out []string
	for _, s := range t.slots {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
