package main

import (
	"fmt"

	"github.com/corsim/corsim/scenario"
	"github.com/google/go-cmp/cmp"
)

// compareRecordings compares two recordings of the same scenario on what
// the browser did, leaving out which build did it. behaviour is a diff of
// the two files (-committed +recorded) with the browser field made equal,
// empty when the browser behaved the same; versions says when the two were
// recorded by different builds, empty when by the same one. A patch-level
// update of Debian's browser changes versions and nothing else, so it is
// information, not a failure.
func compareRecordings(committed, recorded []byte) (behaviour, versions string) {
	want, err := scenario.Parse("committed", committed)
	if err != nil {
		return fmt.Sprintf("the committed file does not load: %v", err), ""
	}
	got, err := scenario.Parse("recorded", recorded)
	if err != nil {
		return fmt.Sprintf("the recording does not load: %v", err), ""
	}
	if want.Browser != got.Browser {
		versions = fmt.Sprintf("recorded by %q, committed by %q", got.Browser, want.Browser)
		got.Browser = want.Browser
	}
	wantText, err := formatScenario(want)
	if err != nil {
		return err.Error(), versions
	}
	gotText, err := formatScenario(got)
	if err != nil {
		return err.Error(), versions
	}
	return cmp.Diff(string(wantText), string(gotText)), versions
}
