#!/usr/bin/env bash
# Re-runs the benchmarks docs/performance.md quotes (issue 10), one package
# at a time, so that their figures can be taken again, on a quiet machine.
#
#   scripts/bench.sh                 this tree: OUT/<name>.txt and benchstat of each
#   scripts/bench.sh -base REF       also REF, run alternately with this tree in
#                                    the same minutes; benchstat REF vs this tree
#
# Environment: ONLY (comma-separated run names: classify, check, filter,
# origin, cache, fetch, rscors, replay, memory; default all), COUNT (samples
# per benchmark, default 10), BENCHTIME (default 1s), OUT (default
# $TMPDIR/corsim-bench, created), BENCHSTAT (command, default benchstat from
# PATH or the pinned golang.org/x/perf version).
#
# With -base, REF's packages are built with this tree's benchmark files and
# internal/benchcpu copied in, so that both sides run the same benchmarks
# (a benchmark REF's code cannot compile is reported and skipped).
#
# Read the figures as docs/performance.md says: allocs/op and B/op are
# exact; cpu-ns/op (processor time of the whole process per op) stays
# comparable on a loaded machine; ns/op is wall-clock and means something
# only on a quiet one.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

base=""
if [ "${1:-}" = "-base" ]; then
  base=${2:?"-base needs a git revision"}
fi
count=${COUNT:-10}
benchtime=${BENCHTIME:-1s}
out=${OUT:-${TMPDIR:-/tmp}/corsim-bench}
mkdir -p "$out"
out=$(cd "$out" && pwd)

if [ -n "${BENCHSTAT:-}" ]; then
  benchstat=($BENCHSTAT)
elif command -v benchstat > /dev/null; then
  benchstat=(benchstat)
else
  benchstat=(go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da)
fi

# name; package directory (relative to the root); benchmark regexp; extra flag
runs=(
  "classify;safelist;^BenchmarkClassifyRequest$;"
  "check;enforce;^BenchmarkCORSCheck;"
  "filter;enforce;^BenchmarkFilterResponse$;"
  "origin;origin;^BenchmarkOrigin(Parse|FromURL)$;"
  "cache;preflightcache;^BenchmarkPreflightCache;-test.cpu=1,2"
  "fetch;fetch;^Benchmark(FetchInMemory|Transport);"
  "rscors;tools/bench;^BenchmarkRSCorsVsCORSCheck$;"
  "replay;scenario;^BenchmarkReplayCorpus$;-test.benchtime=3x"
)

# build DIR PKG BIN: compiles PKG's test binary of the tree at DIR.
build() {
  (cd "$1/$2" && go test -c -o "$3" . > /dev/null)
}

basedir=""
if [ -n "$base" ]; then
  basedir=$(mktemp -d)
  trap 'rm -rf "$basedir"' EXIT
  git archive "$base" | tar -x -C "$basedir"
  mkdir -p "$basedir/internal"
  cp -r internal/benchcpu "$basedir/internal/"
  # This tree's benchmark files, over REF's.
  for f in safelist/classify_test.go enforce/check_test.go enforce/filter_bench_test.go \
           preflightcache/bench_test.go fetch/bench_test.go tools/bench/rscors_test.go; do
    cp "$f" "$basedir/$f"
  done
fi

for r in "${runs[@]}"; do
  IFS=';' read -r name pkg regex extra <<< "$r"
  if [ -n "${ONLY:-}" ] && [[ ",$ONLY," != *",$name,"* ]]; then
    continue
  fi
  bin="$out/$name.test"
  echo "== $name ($pkg: $regex)"
  build "$root" "$pkg" "$bin"
  flags=(-test.run '^$' -test.bench "$regex" -test.benchmem -test.benchtime "$benchtime")
  [ -n "$extra" ] && flags+=("$extra")
  : > "$out/$name.txt"
  if [ -z "$base" ]; then
    (cd "$pkg" && "$bin" "${flags[@]}" -test.count "$count" >> "$out/$name.txt")
    (cd "$out" && "${benchstat[@]}" "$name.txt")
    continue
  fi
  basebin="$out/$name.base.test"
  : > "$out/$name.base.txt"
  if ! build "$basedir" "$pkg" "$basebin" 2> "$out/$name.base.err"; then
    echo "   $base cannot build these benchmarks (see $out/$name.base.err): this tree only"
    (cd "$pkg" && "$bin" "${flags[@]}" -test.count "$count" >> "$out/$name.txt")
    (cd "$out" && "${benchstat[@]}" "$name.txt")
    continue
  fi
  # Alternately, one process at a time, so that both see the same load.
  for _ in $(seq "$count"); do
    (cd "$basedir/$pkg" && "$basebin" "${flags[@]}" >> "$out/$name.base.txt")
    (cd "$pkg" && "$bin" "${flags[@]}" >> "$out/$name.txt")
  done
  (cd "$out" && "${benchstat[@]}" "$name.base.txt" "$name.txt")
done

if [ -n "${ONLY:-}" ] && [[ ",$ONLY," != *",memory,"* ]]; then
  exit 0
fi
echo "== memory: a full cache per profile, flat under many distinct preflights"
go test -p 1 -count 1 -run 'TestFullCacheFitsTheBudget|TestMemoryStaysFlat' -v ./preflightcache | grep -E 'entries hold|per entry|^(ok|FAIL|---)'
