#!/usr/bin/env bash
# The try-it command (README): installs dependencies, builds, and benchmarks the built-in
# simulator with a GenAI-Perf style command line.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
BUILD_TARGETS=bench scripts/build.sh  # the program only: the tests are scripts/test.sh's
exec build/bench profile --simulator --streaming --concurrency 10 --warmup-request-count 10 \
  --request-count 50 --synthetic-input-tokens-mean 200 --output-tokens-mean 100 \
  --artifact-dir artifacts "$@"
