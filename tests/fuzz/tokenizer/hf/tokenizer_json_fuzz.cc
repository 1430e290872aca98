// Fuzzes the tokenizer.json loader (LoadHfTokenizerFromString); a tokenizer that loads then
// encodes and decodes a short fixed string, so the components the file configured run too.
// Whatever the simdjson path (hf/simd_load) takes must load through the nlohmann DOM too and
// give the same ids and texts: any difference traps.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tokenizer/hf/simd_load.h"
#include "tokenizer/hf/tokenizer.h"
#include "fuzz_util.h"

namespace {

const std::string kText = "Hello, world! <s> héllo\t12345 \xe4\xb8\xad\xe6\x96\x87  end</s>";

void Exercise(const bench::Tokenizer& t) {
  for (const bool special : {false, true}) {
    std::vector<int32_t> ids = t.Encode(kText, special);
    (void)t.Decode(ids, true);
    (void)t.Decode(ids, false);
  }
  const size_t vocab = t.VocabSize();
  if (vocab > 0) {
    const std::vector<int32_t> edges{0, static_cast<int32_t>(vocab - 1)};
    (void)t.Decode(edges, false);
  }
}

void CheckSame(const bench::Tokenizer& fast, const bench::Tokenizer& dom) {
  if (fast.VocabSize() != dom.VocabSize()) __builtin_trap();
  for (const bool special : {false, true}) {
    const std::vector<int32_t> ids = fast.Encode(kText, special);
    if (ids != dom.Encode(kText, special)) __builtin_trap();
    if (fast.Decode(ids, false) != dom.Decode(ids, false)) __builtin_trap();
  }
  for (size_t id = 0; id < fast.VocabSize() && id < 4096; ++id) {
    const std::vector<int32_t> one{static_cast<int32_t>(id)};
    if (fast.Decode(one, false) != dom.Decode(one, false)) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = bench::fuzz::AsText(data, size);
  const bench::TokenizerLoadResult r = bench::LoadHfTokenizerFromString(text, "tokenizer.json");
  if (!r.tokenizer) return 0;
  Exercise(*r.tokenizer);
  if (const std::unique_ptr<bench::HfTokenizer> fast = bench::hf::LoadWithSimdjson(text, "tokenizer.json")) {
    const bench::TokenizerLoadResult dom = bench::LoadHfTokenizerThroughDom(text, "tokenizer.json");
    if (!dom.tokenizer) __builtin_trap();
    CheckSame(*fast, *dom.tokenizer);
  }
  return 0;
}
