// Package safelist classifies CORS request methods, request headers and
// response headers exactly as the WHATWG Fetch standard defines them, with
// opt-in [Rules] for the places where Chromium, Firefox and WebKit differ.
//
// Every package-level function is the spec's definition, byte for byte, and
// equals the same method on the zero [Rules]. Header names are matched
// byte-case-insensitively as Fetch requires; header values are byte sequences
// and are never trimmed or case-folded unless a definition says so.
//
// Header maps in corsim keep names as written, so one name may be stored
// under several keys ("X-Foo" and "x-foo"). Functions taking an http.Header
// treat all of them as one header; lines under differently spelled keys are
// ordered by key bytes, since an http.Header cannot record their interleaving.
package safelist
