// Package e2e drives Debian's Chromium headless against `corsim serve` to
// check the playground page end to end. It is a separate module so that
// library users never download a browser driver:
//
//	cd tools/e2e && go test ./...                                   # needs /usr/lib/chromium/chromium
//	cd tools/e2e && go test -run TestPlayground -screenshot ../../docs/playground.png
//
// The test fails, never skips, when Chromium is missing; CORSIM_CHROMIUM
// names another binary.
package e2e
