#!/bin/sh
# Re-makes the pictures README.md shows, with the commands it documents.
# Run from the repository root; the screenshot needs Debian's Chromium
# (/usr/lib/chromium/chromium). diagram/docs_test.go fails when
# docs/diagram.svg no longer matches what the engine draws.
set -eu
go run ./cmd/corsim explain -svg docs/diagram.svg \
  testdata/chromium/cache/preflight-passes-but-the-actual-request-fails-the-cors-check-the-next-request-at-0-5-s.json
(cd tools/e2e && go test -count=1 -run TestPlayground -screenshot ../../docs/playground.png .)
