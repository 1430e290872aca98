#!/usr/bin/env bash
# Builds and runs the test suite under sanitizers (CMakePresets.json): `asan` (ASan+UBSan) and
# `tsan` (ThreadSanitizer), each in its own build directory (build-asan, build-tsan).
#   scripts/sanitize.sh            # both
#   scripts/sanitize.sh asan       # one
# The *_OPTIONS come from the test presets; tests that run the bench binary run it sanitized
# too, with the same options (they are inherited). CI runs only an ASan+UBSan subset (the
# `fuzz` preset, docs/testing.md): run these here before changing threads or memory ownership.
set -euo pipefail
cd "$(dirname "$0")/.."
presets=("$@")
if [ ${#presets[@]} -eq 0 ]; then presets=(asan tsan); fi
for preset in "${presets[@]}"; do
  start=$SECONDS
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  built=$SECONDS
  ctest --preset "$preset"
  echo "sanitize.sh: $preset: build $((built - start)) s, tests $((SECONDS - built)) s"
done
