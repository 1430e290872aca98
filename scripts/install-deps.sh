#!/usr/bin/env bash
# Installs the Debian 12 packages bench builds with (run as root, or with sudo available).
set -euo pipefail
PACKAGES=(g++ cmake ninja-build pkg-config
  libcurl4-openssl-dev libssl-dev nlohmann-json3-dev libcli11-dev libfmt-dev libspdlog-dev
  libboost-dev libonig-dev libicu-dev
  libgtest-dev libgmock-dev
  libbenchmark-dev  # benchmarks/micro (benchmarks/micro.sh)
  clang libclang-rt-14-dev)  # the libFuzzer harnesses (scripts/fuzz.sh, run by scripts/test.sh)
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
