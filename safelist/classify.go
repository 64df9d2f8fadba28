package safelist

import (
	"net/http"
	"slices"
	"strings"
	"unsafe"

	"github.com/corsim/corsim/internal/httpheader"
)

// Classification is what Fetch decides about a request's method and header
// list before a request in mode "cors" goes out: whether the method is a
// CORS-safelisted method and which request-header names are CORS-unsafe
// (https://fetch.spec.whatwg.org/#concept-main-fetch, step 12, the
// "use-CORS-preflight flag" branch).
type Classification struct {
	// SafelistedMethod reports a CORS-safelisted method
	// (https://fetch.spec.whatwg.org/#cors-safelisted-method).
	SafelistedMethod bool
	// UnsafeHeaderNames holds the CORS-unsafe request-header names as
	// `Access-Control-Request-Headers` carries them: byte-lowercased, sorted,
	// unique, joined with "," (Fetch §4.8 CORS-preflight fetch, step 5);
	// empty when there are none.
	UnsafeHeaderNames string
}

// NeedsPreflight reports whether a request in mode "cors" with response
// tainting "cors" needs a CORS-preflight fetch (Fetch §4.1 main fetch, step
// 12): its method is not CORS-safelisted, or it has CORS-unsafe
// request-header names.
func (c Classification) NeedsPreflight() bool {
	return !c.SafelistedMethod || c.UnsafeHeaderNames != ""
}

// ClassifyRequest classifies a request with Rules{}.
func ClassifyRequest(method string, h http.Header) Classification {
	return Rules{}.ClassifyRequest(method, h)
}

// ClassifyRequest returns the Classification of a request with method and
// header list h under r. Its UnsafeHeaderNames equals
// SerializeNames(r.CORSUnsafeRequestHeaderNames(h)); it is computed without
// allocating when no name is CORS-unsafe and with a single allocation, the
// serialized value, when some are (for header lists of up to
// classifyStackKeys names, each on one line).
func (r Rules) ClassifyRequest(method string, h http.Header) Classification {
	return Classification{
		SafelistedMethod:  IsCORSSafelistedMethod(method),
		UnsafeHeaderNames: r.serializedUnsafeNames(h, false),
	}
}

// classifyStackKeys is how many header names ClassifyRequest sorts without
// a heap allocation.
const classifyStackKeys = 16

// Marks of a header name during classification.
const (
	markUnsafe            = 1 << iota // Fetch: CORS-unsafe request-header names, step 4.1
	markPotentiallyUnsafe             // step 4.2
)

// serializedUnsafeNames is CORS-unsafe request-header names
// (https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names) followed
// by SerializeNames, in one pass that allocates only the result. With
// skipForbidden, forbidden request-headers are dropped before anything
// else, as Chromium's CorsUnsafeNotForbiddenRequestHeaderNames does.
func (r Rules) serializedUnsafeNames(h http.Header, skipForbidden bool) string {
	// The header list as (name, lines) pairs, read from the map once: the
	// steps below never look a name up again.
	var fieldStack [classifyStackKeys]field
	fields := fieldStack[:0]
	for k, vs := range h {
		if len(vs) > 0 {
			fields = append(fields, field{k, vs})
		}
	}
	// Keys that differ only in case are spellings of one header name:
	// sorted, they are adjacent, and their lines join in key order (see
	// groupValue). Most header lists have none, and need no sort here.
	if hasSpellingsOfOneName(fields) {
		sortFields(fields)
	}

	// Steps 1-3, and step 4 over each name (all its spellings together).
	var nameStack [classifyStackKeys]markedName
	names := nameStack[:0]
	safelistValueSize := 0
	for i := 0; i < len(fields); {
		j := i + 1
		for j < len(fields) && httpheader.EqualFoldASCII(fields[j].name, fields[i].name) {
			j++
		}
		name := fields[i].name
		var mark uint8
		check := func(value string) {
			if skipForbidden && r.IsForbiddenRequestHeader(name, value) {
				// Chromium deviation: skipped before the size accounting.
				return
			}
			if !r.IsCORSSafelistedRequestHeader(name, value) {
				mark |= markUnsafe // step 4.1
				return
			}
			mark |= markPotentiallyUnsafe // step 4.2
			safelistValueSize += len(value)
		}
		if r.ReplaceSingletonRequestHeaders {
			// Firefox deviation (see Rules): each header line on its own.
			for _, f := range fields[i:j] {
				for _, v := range f.lines {
					check(v)
				}
			}
		} else {
			check(groupValue(fields[i:j]))
		}
		names = append(names, markedName{name, mark})
		i = j
	}
	// Step 5: over the total, every safelisted name counts as unsafe too.
	// Firefox departs: it has no total (Rules.NoSafelistedValueTotal,
	// InternalHeaders::GetUnsafeHeaders; recorded: firefox/safelist-limits/).
	want := uint8(markUnsafe)
	if safelistValueSize > MaxSafelistedValueTotal && !r.NoSafelistedValueTotal {
		want |= markPotentiallyUnsafe
	}
	// Step 6: convert the names to a sorted-lowercase set. Each name is
	// here once (its spellings were grouped above); sorting by the
	// byte-lowercased names sorts the set.
	// The set is sorted through the names' positions, which hold no
	// pointers: moving them needs no write barriers.
	var orderStack [classifyStackKeys]int
	order := orderStack[:0]
	size := 0
	for i, n := range names {
		if n.mark&want != 0 {
			order = append(order, i)
			size += len(n.name) + 1
		}
	}
	if size == 0 {
		return ""
	}
	if len(order) == 1 {
		for _, known := range commonUnsafeNames {
			if httpheader.EqualFoldASCII(names[order[0]].name, known) {
				return known
			}
		}
	}
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && compareHeaderKeys(names[order[j-1]].name, names[order[j]].name) > 0; j-- {
			order[j-1], order[j] = order[j], order[j-1]
		}
	}
	b := make([]byte, 0, size-1)
	for i, o := range order {
		if i > 0 {
			b = append(b, ',')
		}
		start := len(b)
		b = append(b, names[o].name...)
		for k := start; k < len(b); k++ {
			b[k] = lowerTable[b[k]]
		}
	}
	// b is never written again: the string shares its bytes, as
	// strings.Builder.String does.
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// commonUnsafeNames are names that are often a request's only CORS-unsafe
// header name, lower-cased: such a set is returned as the constant, without
// allocating.
var commonUnsafeNames = [...]string{"content-type", "authorization", "x-requested-with"}

// markedName is a header name with its marks.
type markedName struct {
	name string
	mark uint8
}

// hasSpellingsOfOneName reports whether two keys of fields are equal but
// for ASCII case.
func hasSpellingsOfOneName(fields []field) bool {
	for i := range fields {
		for j := range i {
			if httpheader.EqualFoldASCII(fields[i].name, fields[j].name) {
				return true
			}
		}
	}
	return false
}

// lowerTable maps each byte to its byte-lowercase
// (https://infra.spec.whatwg.org/#byte-lowercase).
var lowerTable = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
		if 'A' <= i && i <= 'Z' {
			t[i] += 'a' - 'A'
		}
	}
	return t
}()

// field is one key of an http.Header with its lines.
type field struct {
	name  string
	lines []string
}

// sortFields sorts fields by compareHeaderKeys of their names. A request
// has a handful of headers: an insertion sort, by hand, moves each field
// without the generic sort's per-swap write barriers; more than
// classifyStackKeys go to slices.SortFunc.
func sortFields(fields []field) {
	if len(fields) > classifyStackKeys {
		slices.SortFunc(fields, func(a, b field) int { return compareHeaderKeys(a.name, b.name) })
		return
	}
	for i := 1; i < len(fields); i++ {
		f := fields[i]
		j := i
		for ; j > 0 && compareHeaderKeys(fields[j-1].name, f.name) > 0; j-- {
		}
		if j < i {
			copy(fields[j+1:i+1], fields[j:i])
			fields[j] = f
		}
	}
}

// compareHeaderKeys orders header keys by their byte-lowercased names and
// then by their bytes, as sortedHeaderKeys does, without lower-casing.
func compareHeaderKeys(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if ca, cb := lowerTable[a[i]], lowerTable[b[i]]; ca != cb {
			return int(ca) - int(cb)
		}
	}
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

// groupValue is the header list "get" value of one name spelled as the
// keys of fields: all its lines joined with ", ". A single line is returned
// as it is.
func groupValue(fields []field) string {
	if len(fields) == 1 && len(fields[0].lines) == 1 {
		return fields[0].lines[0]
	}
	var lines []string
	for _, f := range fields {
		lines = append(lines, f.lines...)
	}
	return strings.Join(lines, ", ")
}
