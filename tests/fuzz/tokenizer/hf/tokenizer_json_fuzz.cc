// Fuzzes the tokenizer.json loader (LoadHfTokenizerFromString); a tokenizer that loads then
// encodes and decodes a short fixed string, so the components the file configured run too.

#include <cstdint>
#include <string>
#include <vector>

#include "tokenizer/hf/tokenizer.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const bench::TokenizerLoadResult r =
      bench::LoadHfTokenizerFromString(bench::fuzz::AsText(data, size), "tokenizer.json");
  if (!r.tokenizer) return 0;
  static const std::string kText = "Hello, world! <s> héllo\t12345 \xe4\xb8\xad\xe6\x96\x87  end</s>";
  for (const bool special : {false, true}) {
    std::vector<int32_t> ids = r.tokenizer->Encode(kText, special);
    (void)r.tokenizer->Decode(ids, true);
    (void)r.tokenizer->Decode(ids, false);
  }
  const size_t vocab = r.tokenizer->VocabSize();
  if (vocab > 0) {
    const std::vector<int32_t> edges{0, static_cast<int32_t>(vocab - 1)};
    (void)r.tokenizer->Decode(edges, false);
  }
  return 0;
}
