// Package enforce implements the checks a browser applies to the answers of
// a cross-origin server: the CORS check
// (https://fetch.spec.whatwg.org/#concept-cors-check), the checks of a
// CORS-preflight response (https://fetch.spec.whatwg.org/#cors-preflight-fetch),
// and the filtered responses that decide which parts of a response script may
// read (https://fetch.spec.whatwg.org/#concept-filtered-response).
//
// Every failure is an *Error whose Reason uses Chromium's network.mojom.CorsError
// vocabulary, with the failing parameter, a sentence a person can read, and the
// console line Chromium (or Firefox) prints for it.
//
// The checks are parameterised by a Browser: the pass/fail decision is the
// standard's everywhere it is the same in every engine, and the branches where
// an engine differs say so and cite its source.
package enforce
