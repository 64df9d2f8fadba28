// Package origin implements web origins as the HTML standard defines them,
// the value browsers compare when they enforce CORS:
// https://html.spec.whatwg.org/multipage/browsers.html#concept-origin
//
// An [Origin] is a small comparable value in the style of net/netip.Addr: it
// can be compared with == and used as a map key, its zero value is invalid,
// and it is immutable. A tuple origin is (scheme, host, port); an opaque
// origin is a unique identifier that is only same-origin with itself and
// serializes as "null".
//
// [Parse] is deliberately strict: it accepts only the exact serialization a
// browser would send in an Origin header, which is also the only
// Access-Control-Allow-Origin value that can match it byte for byte.
package origin

import (
	"crypto/rand"
	"encoding/binary"
	"strconv"
)

// kind distinguishes the zero (invalid) Origin, tuple origins, and the two
// sources of opaque origins.
type kind uint8

const (
	kindInvalid     kind = iota
	kindTuple            // scheme, host, port
	kindOpaqueID         // opaque, nonce chosen by the caller (OpaqueFromID)
	kindOpaqueFresh      // opaque, nonce from crypto/rand (NewOpaque)
)

// Origin is a web origin: either a tuple origin (scheme, host, port) or an
// opaque origin. https://html.spec.whatwg.org/multipage/browsers.html#concept-origin
//
// The zero Origin is invalid: it is neither a tuple nor an opaque origin,
// IsValid reports false, String returns "", and it is not same-origin or
// same-site with anything, itself included.
//
// Two valid Origins are == exactly when they are same origin
// ([Origin.SameOrigin]). The HTML origin's domain component is not modelled:
// document.domain does not take part in CORS.
type Origin struct {
	// ser is the serialization of the origin (HTML "serialization of an
	// origin"), precomputed so String allocates nothing: "scheme://host" or
	// "scheme://host:port" for a tuple, "null" for an opaque origin, "" for
	// the zero Origin. Scheme and host are substrings of it.
	ser string
	// nonce identifies an opaque origin.
	nonce uint64
	// schemeEnd and hostEnd index ser: the scheme is ser[:schemeEnd] and
	// the host is ser[schemeEnd+3:hostEnd]. MaxLength keeps both in range.
	schemeEnd uint16
	hostEnd   uint16
	port      uint16
	hasPort   bool
	kind      kind
	hostKind  hostKind
}

// defaultPort returns the default port of a special scheme:
// https://url.spec.whatwg.org/#default-port
func defaultPort(scheme string) (uint16, bool) {
	switch scheme {
	case "http", "ws":
		return 80, true
	case "https", "wss":
		return 443, true
	case "ftp":
		return 21, true
	}
	return 0, false
}

// Tuple returns the tuple origin (scheme, host, port).
//
// The scheme is lower-cased and must be a valid URL scheme (an ASCII letter
// followed by letters, digits, "+", "-" or "."). The host is canonicalized
// with [CanonicalHost] and must not be empty. A port of -1 means null, as
// does the default port of the scheme (http and ws 80, https and wss 443,
// ftp 21), so Tuple("https", "a.example", 443) == Tuple("https",
// "a.example", -1). Other ports must be in 0-65535.
//
// Any scheme is accepted, as HTML's tuple origin allows; [FromURL] produces
// tuples only for http, https, ws, wss and ftp. Errors are *[ParseError].
func Tuple(scheme, host string, port int) (Origin, error) {
	if reason := checkScheme(scheme); reason != "" {
		return Origin{}, &ParseError{Input: scheme, Reason: reason}
	}
	scheme = asciiLower(scheme)
	canon, err := CanonicalHost(host)
	if err != nil {
		return Origin{}, err
	}
	if port < -1 || port > 65535 {
		return Origin{}, &ParseError{Input: strconv.Itoa(port), Reason: "port out of range 0-65535 (use -1 for no port)"}
	}
	hasPort := port != -1
	if d, ok := defaultPort(scheme); ok && hasPort && uint16(port) == d {
		hasPort = false
	}
	b := make([]byte, 0, len(scheme)+3+len(canon)+6)
	b = append(b, scheme...)
	b = append(b, "://"...)
	b = append(b, canon...)
	hostEnd := len(b)
	if hasPort {
		b = append(b, ':')
		b = strconv.AppendUint(b, uint64(port), 10)
	}
	if len(b) > MaxLength {
		return Origin{}, tooLong(string(b))
	}
	o := Origin{
		ser:       string(b),
		schemeEnd: uint16(len(scheme)),
		hostEnd:   uint16(hostEnd),
		hasPort:   hasPort,
		kind:      kindTuple,
		hostKind:  kindOfCanonicalHost(canon),
	}
	if hasPort {
		o.port = uint16(port)
	}
	return o, nil
}

// checkScheme returns why scheme is not a URL-scheme string, or "".
// https://url.spec.whatwg.org/#url-scheme-string
func checkScheme(scheme string) string {
	if scheme == "" {
		return "empty scheme"
	}
	if len(scheme) > MaxLength {
		return "scheme too long"
	}
	if !isAlpha(scheme[0]) {
		return "scheme must start with an ASCII letter"
	}
	for i := 1; i < len(scheme); i++ {
		if c := scheme[i]; !isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.' {
			return "invalid code point " + quoteByte(c) + " in scheme"
		}
	}
	return ""
}

func isAlpha(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// NewOpaque returns a new opaque origin, unique with overwhelming
// probability: its identity is a 64-bit nonce read from crypto/rand. It
// never equals an origin from [OpaqueFromID] or [Parse].
// https://html.spec.whatwg.org/multipage/browsers.html#concept-origin-opaque
func NewOpaque() Origin {
	var b [8]byte
	// crypto/rand.Read never returns an error (Go 1.24+); it crashes the
	// program irrecoverably if the system's random source fails.
	_, _ = rand.Read(b[:])
	return Origin{ser: "null", nonce: binary.LittleEndian.Uint64(b[:]), kind: kindOpaqueFresh}
}

// OpaqueFromID returns the opaque origin with the given identity, for tests
// and deterministic replays: OpaqueFromID(1) == OpaqueFromID(1), and
// OpaqueFromID(1) != OpaqueFromID(2). [Parse]("null") returns
// OpaqueFromID(0).
func OpaqueFromID(id uint64) Origin {
	return Origin{ser: "null", nonce: id, kind: kindOpaqueID}
}

// IsValid reports whether o is a tuple or opaque origin, that is, not the
// zero Origin.
func (o Origin) IsValid() bool { return o.kind != kindInvalid }

// IsOpaque reports whether o is an opaque origin.
func (o Origin) IsOpaque() bool { return o.kind == kindOpaqueID || o.kind == kindOpaqueFresh }

// Scheme returns the scheme of a tuple origin, in lower case, or "" for an
// opaque or invalid origin.
func (o Origin) Scheme() string {
	if o.kind != kindTuple {
		return ""
	}
	return o.ser[:o.schemeEnd]
}

// Host returns the canonical host of a tuple origin (an IPv6 address in
// brackets), or "" for an opaque or invalid origin.
func (o Origin) Host() string {
	if o.kind != kindTuple {
		return ""
	}
	return o.ser[o.schemeEnd+3 : o.hostEnd]
}

// Port returns the port of a tuple origin. ok is false when the port is
// null: the URL had no port or its scheme's default port, or o is not a
// tuple origin.
func (o Origin) Port() (port uint16, ok bool) {
	return o.port, o.hasPort
}

// EffectivePort returns the port of a tuple origin or, when that is null,
// its scheme's default port. It returns 0 for a scheme without a default
// port, and for opaque and invalid origins.
func (o Origin) EffectivePort() uint16 {
	if o.hasPort {
		return o.port
	}
	d, _ := defaultPort(o.Scheme())
	return d
}

// String returns the serialization of o: "scheme://host" or
// "scheme://host:port" for a tuple origin, "null" for an opaque origin, and
// "" for the zero Origin. It does not allocate.
// https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin
func (o Origin) String() string { return o.ser }

// AppendTo appends the serialization of o (see [Origin.String]) to b.
func (o Origin) AppendTo(b []byte) []byte { return append(b, o.ser...) }

// MarshalText implements encoding.TextMarshaler. The encoding is that of
// [Origin.String]; the zero Origin encodes as the empty string.
//
// The identity of an opaque origin cannot be serialized: it encodes as
// "null", which decodes to OpaqueFromID(0).
func (o Origin) MarshalText() ([]byte, error) { return []byte(o.ser), nil }

// UnmarshalText implements encoding.TextUnmarshaler. It accepts what
// [Parse] accepts, and the empty string, which yields the zero Origin.
func (o *Origin) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*o = Origin{}
		return nil
	}
	p, err := Parse(string(text))
	if err != nil {
		return err
	}
	*o = p
	return nil
}

// SameOrigin reports whether o and p are same origin: tuple origins with
// equal scheme, host and port, or the same opaque origin. It reports false
// if either is the zero Origin. For valid origins it equals o == p.
// https://html.spec.whatwg.org/multipage/browsers.html#same-origin
func (o Origin) SameOrigin(p Origin) bool {
	return o.kind != kindInvalid && o == p
}
