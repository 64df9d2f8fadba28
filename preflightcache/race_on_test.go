//go:build race

package preflightcache

// raceEnabled shrinks the volume tests under the race detector, which
// slows them tenfold; the properties they check do not depend on volume.
const raceEnabled = true
