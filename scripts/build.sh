#!/usr/bin/env bash
# Configures and builds bench in Release into ./build (BUILD_DIR to override); everything, or
# only the targets named in BUILD_TARGETS (e.g. BUILD_TARGETS=bench).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
# shellcheck disable=SC2086
cmake --build "$BUILD_DIR" -j "$(nproc)" ${BUILD_TARGETS:+--target $BUILD_TARGETS}
