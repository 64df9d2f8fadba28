package blinkorder

import (
	"encoding/binary"
	"math/bits"
)

// The constants of rapidhash (third_party/rapidhash/rapidhash.h in
// Chromium: RAPID_SEED and rapid_secret, the values published with
// rapidhash upstream and kept by Chromium's fork).
const (
	rapidSeed = 0xbdd89aa982704029
	secret0   = 0x2d358dccaa6c78a5
	secret1   = 0x8bb84b93962eacc9
	secret2   = 0x4b33a62ed433d4a3
)

// mix multiplies a and b to 128 bits and folds the halves together with
// xor (rapid_mix).
func mix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// rapidhash is rapidhash version 1 over p with Chromium's seed and
// secrets, reading bytes as they are (the plain reader). Names of one
// character never come here: see caseFoldingHash.
func rapidhash(p []byte) uint64 {
	n := uint64(len(p))
	seed := uint64(rapidSeed)
	seed ^= mix(seed^secret0, secret1) ^ n
	var a, b uint64
	switch {
	case len(p) <= 16 && len(p) >= 4:
		last := len(p) - 4
		a = uint64(le32(p))<<32 | uint64(le32(p[last:]))
		// delta is 4 for 8 bytes and more, else 0.
		delta := 0
		if len(p) >= 8 {
			delta = 4
		}
		b = uint64(le32(p[delta:]))<<32 | uint64(le32(p[last-delta:]))
	case len(p) > 0 && len(p) < 4:
		a = uint64(p[0])<<56 | uint64(p[len(p)>>1])<<32 | uint64(p[len(p)-1])
	case len(p) > 16:
		i := len(p)
		off := 0
		if i > 48 {
			see1, see2 := seed, seed
			for i >= 48 {
				seed = mix(le64(p[off:])^secret0, le64(p[off+8:])^seed)
				see1 = mix(le64(p[off+16:])^secret1, le64(p[off+24:])^see1)
				see2 = mix(le64(p[off+32:])^secret2, le64(p[off+40:])^see2)
				off += 48
				i -= 48
			}
			seed ^= see1 ^ see2
		}
		if i > 16 {
			seed = mix(le64(p[off:])^secret2, le64(p[off+8:])^seed^secret1)
			if i > 32 {
				seed = mix(le64(p[off+16:])^secret2, le64(p[off+24:])^seed)
			}
		}
		a = le64(p[off+i-16:])
		b = le64(p[off+i-8:])
	}
	return finish(a, b, seed, n)
}

// finish is rapidhash's last two multiplications.
func finish(a, b, seed, n uint64) uint64 {
	a ^= secret1
	b ^= seed
	hi, lo := bits.Mul64(a, b)
	return mix(lo^secret0^n, hi^secret1)
}

func le32(p []byte) uint32 { return binary.LittleEndian.Uint32(p) }
func le64(p []byte) uint64 { return binary.LittleEndian.Uint64(p) }

// maxStackName is the longest name hashed without a heap allocation.
const maxStackName = 64

// caseFoldingHash is the hash WTF::CaseFoldingHash gives an 8-bit string
// (third_party/blink/renderer/platform/wtf/text/case_folding_hash.h):
// every character is case-folded and widened to UTF-16, little-endian,
// and rapidhash runs over those 2n bytes; StringHasher then keeps the
// low 24 bits and turns 0 into 0x800000 (string_hasher.h MaskTop8Bits).
// A header name is a token, so folding is ASCII lower-casing.
func caseFoldingHash(name string) uint32 {
	var h uint64
	if len(name) == 1 {
		// CaseFoldingHashReader reads a lone character as its folded
		// code unit alone (ReadSmall), not as rapidhash's three-byte mix
		// of a two-byte input.
		n := uint64(2)
		seed := uint64(rapidSeed)
		seed ^= mix(seed^secret0, secret1) ^ n
		h = finish(uint64(foldLatin1(name[0])), 0, seed, n)
	} else {
		var stack [2 * maxStackName]byte
		var buf []byte
		if len(name) <= maxStackName {
			buf = stack[:2*len(name)]
		} else {
			buf = make([]byte, 2*len(name))
		}
		for i := 0; i < len(name); i++ {
			buf[2*i] = foldLatin1(name[i])
			buf[2*i+1] = 0
		}
		h = rapidhash(buf)
	}
	return maskTop8Bits(h)
}

// maskTop8Bits keeps the 24 bits a StringImpl has room for and never
// returns 0 (WTF::StringHasher::MaskTop8Bits).
func maskTop8Bits(h uint64) uint32 {
	r := uint32(h) & (1<<24 - 1)
	if r == 0 {
		r = 0x80000000 >> 8
	}
	return r
}

// foldLatin1 is ASCII lower-casing, which is what the Latin-1 case-fold
// table does to the bytes a header name (a token) may hold.
func foldLatin1(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}
