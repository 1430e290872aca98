#pragma once
// `bench tokenize`: prints {"count": N, "ids": [...]} for a text or for each line of a JSONL file
// of JSON strings, so users can check prompt lengths and tests can compare tokenizers.

#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "app/config.h"
#include "tokenizer/tokenizer.h"

namespace bench {

/// One output line, `{"count": N, "ids": [i1, i2, ...]}` (no newline), as Python's json.dumps spaces it.
std::string TokenizeLine(const std::vector<int32_t>& ids);

/// Loads config.tokenizer and writes one line per text to `out`; `--jsonl -` reads `in`.
/// Returns kExitOk, or kExitInput after one error line naming the flag or FILE:LINE.
int RunTokenize(const TokenizeConfig& config, std::istream& in, std::ostream& out);

}  // namespace bench
