// Package bench measures corsim beside the server libraries whose answers
// it judges, in one `go test -bench` run, so that the ratios in
// docs/performance.md come from the same machine state. It is its own
// module so that corsim's users never download those libraries.
package bench
