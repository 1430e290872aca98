// Single-threaded encode throughput of HF tokenizers (Node binding) on a JSON array of
// documents: node speed.js TOKENIZER_JSON DOCS_JSON. Compare with bench's numbers on the same docs.
'use strict';
const fs = require('fs');
const { Tokenizer } = require('tokenizers');
(async () => {
  const [file, docsFile] = process.argv.slice(2);
  const docs = JSON.parse(fs.readFileSync(docsFile, 'utf8'));
  const bytes = docs.reduce((n, d) => n + Buffer.byteLength(d), 0);
  let t = process.hrtime.bigint();
  const tok = Tokenizer.fromFile(file);
  console.log(`load_s ${Number(process.hrtime.bigint() - t) / 1e9}`);
  for (const pass of ['cold', 'warm']) {
    t = process.hrtime.bigint();
    let n = 0;
    const reps = pass === 'cold' ? 1 : 3;
    for (let r = 0; r < reps; ++r) {
      for (const d of docs) n += (await tok.encode(d, null, { addSpecialTokens: false })).getIds().length;
    }
    const s = Number(process.hrtime.bigint() - t) / 1e9;
    console.log(`${pass} tokens ${n / reps} MB/s ${(reps * bytes / 1e6 / s).toFixed(2)}`);
  }
})();
