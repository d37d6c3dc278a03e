#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz/ with clang (ASan + UBSan, -O1) and fuzzes each in
# turn, one process at a time, starting from the committed corpus (docs/reliability.md).
#
#   tests/fuzz/run_fuzzers.sh [--build DIR] [--seconds N | --runs N] [--keep DIR] [TARGET...]
#
#   --build DIR   build folder (default build-fuzz), configured here with clang++-14
#   --seconds N   fuzz each target for N seconds (default 10; .ci/run's stage)
#   --runs N      fuzz each target for N executions instead (10000000 for the release runs)
#   --timeout N   seconds one input may take before it counts as a hang (default 10; give more
#                 to a long run at low priority beside other work, where a starved process can
#                 exceed 10 s of wall time on an input that takes milliseconds)
#   --keep DIR    keep the new inputs found in DIR/<target>/ (to merge into the corpus with
#                 fuzz_<target> -merge=1 tests/fuzz/corpus/<target> DIR/<target>)
#   TARGET...     only these targets (default: every tests/fuzz/<target>_fuzz.cpp)
#
# The committed corpus is only read. A crash, a sanitizer report, an exception escaping the
# library, a broken invariant, a timeout (10 s for one input) or a run past 2 GB fails the
# script; the input is saved as DIR/artifacts/<target>/crash-* (or timeout-*, oom-*): add it to
# tests/fuzz/corpus/<target>/ with the fix, so that ctest replays it (fuzz.replay.<target>).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=build-fuzz
seconds=10
runs=""
timeout=10
keep=""
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    -*) echo "run_fuzzers.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
clang=$(command -v clang++-14 || command -v clang++ || true)
if [ -z "$clang" ]; then
  echo "run_fuzzers.sh: needs clang++ and libFuzzer (apt-get install clang-14 libclang-rt-14-dev)" >&2
  exit 1
fi
if [ ${#targets[@]} -eq 0 ]; then
  for f in tests/fuzz/*_fuzz.cpp; do targets+=("$(basename "$f" _fuzz.cpp)"); done
fi
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
generator=()
if command -v ninja >/dev/null; then generator=(-G Ninja); fi
# -O1 without debug info: the sanitizers need no more, and it compiles in the least time; only
# the fuzz targets and the layers they need are built (tests/fuzz/CMakeLists.txt).
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" "${generator[@]}" -DCMAKE_CXX_COMPILER="$clang" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g0" \
    -DSRMA_FUZZ=ON -DSRMA_BUILD_TESTS=OFF -DSRMA_BUILD_CLI=OFF -DSRMA_BUILD_BENCH=OFF \
    -DSRMA_BUILD_SHARED=OFF -DSRMA_INSTALL=OFF "${launcher[@]}" >/dev/null
fi
build_targets=()
for t in "${targets[@]}"; do build_targets+=("fuzz_$t"); done
start=$SECONDS
cmake --build "$build" -j"$(nproc)" --target "${build_targets[@]}" >/dev/null
echo "built ${#targets[@]} fuzz targets in $((SECONDS - start)) s"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for t in "${targets[@]}"; do
  mkdir -p "$work/$t" "$build/artifacts/$t"
  limit=(-max_total_time="$seconds")
  if [ -n "$runs" ]; then limit=(-runs="$runs"); fi
  log="$build/artifacts/$t.log"
  # New inputs go to the first folder; the committed corpus (second) is only read.
  if "$build/tests/fuzz/fuzz_$t" "${limit[@]}" -max_len=4096 -timeout="$timeout" -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$build/artifacts/$t/" \
      "$work/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1; then
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz_$t: $execs executions, no finding"
  else
    echo "fuzz_$t: FAILED (log: $log)" >&2
    grep -E "ERROR|invariant|SUMMARY|Test unit written" "$log" >&2 || tail -20 "$log" >&2
    status=1
  fi
  if [ -n "$keep" ]; then mkdir -p "$keep/$t" && cp -r "$work/$t/." "$keep/$t/"; fi
done
exit $status
