// Package corstest checks a server's CORS configuration against the policy
// its developer means, the way browsers would exercise it.
//
// A Policy says what the developer means ("https://app.example may PUT with
// X-Token, with credentials; expose X-Total; cache preflights for ten
// minutes"). Cases turns it into the requests pages make: simple and
// preflighted requests, every allowed method and header and one that is
// not, credentials on and off, the exposed headers, cached preflights, and
// the same requests from hostile origins derived from the allowed ones
// (Hostile). Run sends every case to a Target (an http.Handler in process,
// or a base URL over any http.RoundTripper) under each browser profile
// through corsim's fetch engine, and reports per case what the browser does
// and where that differs from the policy, in both directions. Test does the
// same inside a Go test and prints one line per failing case with the
// browser's trace.
//
// Requests carry Sec-Fetch-Site as browsers send it (the Recorder adds it
// until the fetch engine sends Fetch Metadata itself), so a server behind
// http.CrossOriginProtection gets the verdicts it gets from real browsers.
//
// Cases do not carry cookies yet: a credentialed case sends
// credentials: "include", which decides the CORS checks; when the fetch
// engine carries a cookie jar, a jar passed through Options.ClientOptions
// makes the same cases send cookies.
package corstest
