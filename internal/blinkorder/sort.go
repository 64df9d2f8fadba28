package blinkorder

import "slices"

// sortedLower appends the distinct byte-lowercased names to dst in
// ascending byte order, the order FetchHeaderList's multimap
// (ByteCaseInsensitiveCompare) yields them in.
func sortedLower(dst []string, names []string) []string {
	for _, n := range names {
		dst = append(dst, lowerASCII(n))
	}
	slices.Sort(dst)
	return slices.Compact(dst)
}

// lowerASCII byte-lowercases s, allocating only when s has an upper-case
// ASCII letter; other bytes are kept as they are.
func lowerASCII(s string) string {
	i := 0
	for i < len(s) && !('A' <= s[i] && s[i] <= 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		b[i] = foldLatin1(b[i])
	}
	return string(b)
}
