#!/usr/bin/env bash
# Runs every fuzz target of the repository one at a time for a short while
# (FUZZTIME, default 5s), with -parallel 1, so a shared 2-core machine stays
# usable. CI calls it with the default; longer runs for docs/reliability.md
# use e.g. FUZZTIME=5m scripts/fuzz-smoke.sh. A failing target stops the
# script with its exit status, and go test leaves the crasher under the
# package's testdata/fuzz/<Target>/ for a regression test.
#
#   scripts/fuzz-smoke.sh            # every target, 5 s each
#   scripts/fuzz-smoke.sh -list      # print "dir target" lines only
#   ONLY=FuzzCORSCheck scripts/fuzz-smoke.sh
#   FUZZTIME=5m KEEP_GOING=1 scripts/fuzz-smoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-5s}

# targets prints "module-dir package-dir target" for every func FuzzX in a
# _test.go file, skipping separate modules' vendored copies.
targets() {
  git ls-files '*_test.go' | while read -r f; do
    { grep -ho "^func Fuzz[A-Za-z0-9_]*" "$f" || true; } | sed 's/^func //' | while read -r t; do
      dir=$(dirname "$f")
      # The module is the nearest folder with a go.mod.
      mod=$dir
      while [[ $mod != . && ! -f $mod/go.mod ]]; do mod=$(dirname "$mod"); done
      echo "$mod $dir $t"
    done
  done | sort -u
}

if [[ ${1:-} == -list ]]; then targets; exit 0; fi

# fuzz_once runs one target. Go's fuzzing coordinator sometimes ends a
# time-boxed run with its own "context deadline exceeded" and no failing
# input when a worker is slow to stop on a loaded machine;
# that run is tried again (three tries in all), and only a third such end, or any run that
# wrote a failing input, counts as a failure.
fuzz_once() {
  local mod=$1 rel=$2 t=$3 out
  for try in 1 2 3; do
    if out=$(cd "$mod" && go test -run '^$' -fuzz "^$t\$" -fuzztime "$FUZZTIME" -parallel 1 "$rel" 2>&1); then
      echo "$out" | tail -2
      return 0
    fi
    echo "$out" | tail -20
    if [[ $out == *"context deadline exceeded"* && $out != *"Failing input written to"* && $try -lt 3 ]]; then
      echo "(the fuzzing engine timed out without a failing input; trying $t again)"
      continue
    fi
    return 1
  done
  return 1
}

passed=0 failed=0
while read -r mod dir t; do
  if [[ -n ${ONLY:-} && $t != "$ONLY" ]]; then continue; fi
  rel=${dir#"$mod"}; rel=./${rel#/}
  echo "== $dir $t ($FUZZTIME)"
  if fuzz_once "$mod" "$rel" "$t"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    # KEEP_GOING=1 runs the remaining targets after a failure (long runs).
    if [[ -z ${KEEP_GOING:-} ]]; then break; fi
  fi
done < <(targets)
echo "fuzz: $passed passed, $failed failed"
[[ $failed == 0 ]]
