#!/usr/bin/env bash
# The client ceiling, one command on Debian: bench and h2load against the same zero-latency
# nginx SSE endpoint (100- and 1,000-chunk bodies, concurrency 1/10/100/1000), one table.
#   benchmarks/ceiling.sh                      # about 4 minutes on 2 cores
#   BENCH=build-h/bench DURATION=3 CONCURRENCY="10 100" benchmarks/ceiling.sh
# Installs nginx and h2load (nghttp2-client) with apt-get when missing, builds
# bench with scripts/build.sh when BENCH (default build/bench) does not exist, then runs
# benchmarks/ceiling.py (its docstring lists every option; docs/benchmarks.md every column).
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v h2load >/dev/null || need+=(nghttp2-client)
command -v python3 >/dev/null || need+=(python3)
command -v taskset >/dev/null || need+=(util-linux)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
export PATH="$PATH:/usr/sbin"
export BENCH=${BENCH:-build/bench}
if [ ! -x "$BENCH" ]; then
  scripts/install-deps.sh
  BUILD_DIR=$(dirname "$BENCH") scripts/build.sh
fi
exec python3 benchmarks/ceiling.py
