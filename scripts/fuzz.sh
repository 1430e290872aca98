#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz/<layer>/*_fuzz.cc, clang, preset `fuzz` -> build-fuzz; the preset also
# builds the ASan+UBSan test subset that `ctest --preset fuzz` runs) and runs each harness
# for FUZZ_SECONDS (default 20) starting from its seed corpus in tests/fuzz/corpus/<name>.
#   scripts/fuzz.sh                      # every harness, 20 s each
#   FUZZ_SECONDS=300 scripts/fuzz.sh sse_fuzz
# New interesting inputs go to build-fuzz/corpus/<name> (not into the repo); a crash, leak,
# UB report or timeout leaves its input in build-fuzz/artifacts/ and fails the script.
# Reproduce one with: build-fuzz/tests/fuzz/<name> build-fuzz/artifacts/<file>
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS=${FUZZ_SECONDS:-20}
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
  while IFS= read -r f; do harnesses+=("$(basename "$f" .cc)"); done < <(find tests/fuzz -name "*_fuzz.cc" | sort)
fi
cmake --preset fuzz >/dev/null
# FUZZ_HARNESSES_ONLY=1: build only the harnesses, not the ASan+UBSan test subset beside them.
if [ "${FUZZ_HARNESSES_ONLY:-0}" = 1 ]; then
  cmake --build --preset fuzz --target "${harnesses[@]}"
else
  cmake --build --preset fuzz
fi
mkdir -p build-fuzz/artifacts
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
for name in "${harnesses[@]}"; do
  mkdir -p "build-fuzz/corpus/$name"
  start=$SECONDS
  # -timeout: an input taking longer than 10 s is a hang; -rss_limit_mb: a blow-up is a bug.
  if ! "build-fuzz/tests/fuzz/$name" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="build-fuzz/artifacts/$name-" -print_final_stats=1 \
      "build-fuzz/corpus/$name" "tests/fuzz/corpus/$name" >"build-fuzz/$name.log" 2>&1; then
    tail -n 60 "build-fuzz/$name.log" >&2
    echo "fuzz.sh: $name FAILED (log: build-fuzz/$name.log)" >&2
    exit 1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "build-fuzz/$name.log" | grep -o '[0-9]*$' || echo '?')
  echo "fuzz.sh: $name ok: $runs runs in $((SECONDS - start)) s"
done
