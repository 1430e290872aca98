#!/usr/bin/env bash
# Builds and runs the Google Benchmark micro-benchmarks (benchmarks/micro/<layer>/*_bench.cc).
#   benchmarks/micro.sh                                   # all of them
#   benchmarks/micro.sh --benchmark_filter=Preprocess     # any bench_micro flag passes through
# BUILD_DIR (default build-micro) is a separate Release build with -DBENCH_BUILD_BENCHMARKS=ON,
# so the normal build and CI are untouched; JOBS (default nproc) bounds the build.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build-micro}
JOBS=${JOBS:-$(nproc)}
if ! dpkg-query -W -f='${Status}' libbenchmark-dev 2>/dev/null | grep -q "install ok installed"; then
  scripts/install-deps.sh
fi
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBENCH_BUILD_BENCHMARKS=ON >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS" --target bench_micro
# CPU frequency scaling and other processes move these figures; Google Benchmark prints a
# warning when it can tell. Pin with `taskset -c N` on a quiet machine for comparable runs.
exec "$BUILD_DIR/benchmarks/micro/bench_micro" "$@"
