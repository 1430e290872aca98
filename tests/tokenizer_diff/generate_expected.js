// Writes the expected ids/decodes of Hugging Face `tokenizers` (the Rust library, via its Node
// binding) for every string of tests/data/tokenizer_corpus/corpus.json, one JSON file per
// tokenizer config, into tests/data/tokenizer_corpus/expected/. tests/hf_tokenizer_test.cc
// compares bench's tokenizer against these files.
//
// Usage: (cd tests/tokenizer_diff && ./fetch.sh && node generate_expected.js)
'use strict';
const fs = require('fs');
const path = require('path');
const { Tokenizer } = require('tokenizers');
const { configs, loadConfig } = require('./configs.js');

const root = path.resolve(__dirname, '..', '..');
const corpus = JSON.parse(fs.readFileSync(path.join(root, 'tests/data/tokenizer_corpus/corpus.json'), 'utf8'));
const outDir = path.join(root, 'tests/data/tokenizer_corpus/expected');
fs.mkdirSync(outDir, { recursive: true });
const version = require('tokenizers/package.json').version;

(async () => {
  for (const config of configs) {
    const json = loadConfig(config);
    if (json === null) {
      console.error(`skip ${config.name}: ${config.base} not found`);
      continue;
    }
    const tok = Tokenizer.fromString(JSON.stringify(json));
    const cases = [];
    for (const text of corpus) {
      const plain = await tok.encode(text, null, { addSpecialTokens: false });
      const special = await tok.encode(text, null, { addSpecialTokens: true });
      const ids = plain.getIds();
      const idsSpecial = special.getIds();
      cases.push({
        text,
        ids,
        // null when equal to ids (no post-processor tokens), to keep the committed files small
        ids_special: JSON.stringify(idsSpecial) === JSON.stringify(ids) ? null : idsSpecial,
        decoded: await tok.decode(ids, true),
        decoded_special: await tok.decode(idsSpecial, false),
      });
    }
    const out = { tokenizer: config.name, base: config.base, overrides: config.overrides || {},
                  hf_tokenizers_version: version, cases };
    fs.writeFileSync(path.join(outDir, `${config.name}.json`), JSON.stringify(out) + '\n');
    console.log(`${config.name}: ${cases.length} cases`);
  }
})();
