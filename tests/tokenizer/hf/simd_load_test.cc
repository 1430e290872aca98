// hf/simd_load must give the DOM path's tokenizer for what it takes, and give up (so the DOM
// path answers, with its own messages) for everything else.

#include "tokenizer/hf/simd_load.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tokenizer/default_tokenizer.h"
#include "tokenizer/hf/same_tokenizer.h"
#include "tokenizer/hf/tokenizer.h"

namespace bench {
namespace {

using nlohmann::json;

using test::ExpectSameTokenizer;

TEST(SimdLoad, EmbeddedMistralEqualsTheDomPath) {
  std::unique_ptr<HfTokenizer> fast = hf::LoadWithSimdjson(DefaultTokenizerJson(), "builtin");
  ASSERT_NE(fast, nullptr) << "the embedded tokenizer is the shape the fast path exists for";
  TokenizerLoadResult dom = LoadHfTokenizerThroughDom(DefaultTokenizerJson(), "builtin");
  ASSERT_NE(dom.tokenizer, nullptr) << dom.error;
  ExpectSameTokenizer(*fast, *dom.tokenizer);
}

// A byte-level BPE with the other merge form, added tokens and a post-processor.
json Tiny() {
  return json::parse(R"({
    "added_tokens": [{"id": 9, "content": "<|end|>", "special": true, "normalized": false,
                      "lstrip": false, "rstrip": false, "single_word": false}],
    "normalizer": null,
    "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "use_regex": true},
    "post_processor": {"type": "TemplateProcessing",
      "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "<|end|>", "type_id": 0}}],
      "special_tokens": {"<|end|>": {"id": "<|end|>", "ids": [9], "tokens": ["<|end|>"]}}},
    "decoder": {"type": "ByteLevel"},
    "model": {"type": "BPE", "dropout": null, "vocab": {"h": 0, "i": 1, "Ġ": 2, "hi": 3, "Ġh": 4, "Ġhi": 5},
              "merges": [["h", "i"], "Ġ hi", ["Ġ", "h"]]}
  })");
}

TEST(SimdLoad, TakesBothMergeFormsAndEqualsTheDomPath) {
  const std::string text = Tiny().dump();
  std::unique_ptr<HfTokenizer> fast = hf::LoadWithSimdjson(text, "tiny");
  ASSERT_NE(fast, nullptr);
  TokenizerLoadResult dom = LoadHfTokenizerThroughDom(text, "tiny");
  ASSERT_NE(dom.tokenizer, nullptr) << dom.error;
  ExpectSameTokenizer(*fast, *dom.tokenizer);
  EXPECT_EQ(fast->Encode("hi hi", true), (std::vector<int32_t>{3, 5, 9}));
}

TEST(SimdLoad, TheLastOfRepeatedKeysWinsAsInTheDom) {
  // Outside the tables a repeated key is taken, with nlohmann's rule: the last one wins.
  const std::string text = R"({"decoder": {"type": "Nope"}, "decoder": {"type": "ByteLevel"},
    "model": {"type": "Nope", "type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}})";
  std::unique_ptr<HfTokenizer> fast = hf::LoadWithSimdjson(text, "x");
  ASSERT_NE(fast, nullptr);
  TokenizerLoadResult dom = LoadHfTokenizerThroughDom(text, "x");
  ASSERT_NE(dom.tokenizer, nullptr) << dom.error;
  ExpectSameTokenizer(*fast, *dom.tokenizer);
}

std::string WithModel(const std::string& model) { return R"({"decoder": null, "model": )" + model + "}"; }

// Each is either read differently by the DOM or an error: the fast path declines, and the public
// loader's answer is exactly the DOM path's.
TEST(SimdLoad, DeclinesWhatTheDomMightReadDifferently) {
  const std::vector<std::string> cases = {
      "",
      "{not json",
      "[]",
      "{\"model\": 1e400}",
      WithModel(R"({"vocab": {"a": 0, "b": 1, "ab": 2, "a": 3}, "merges": ["a b"]})"),   // repeated token
      WithModel(R"({"vocab": {"b": 0, "a": 0, "ab": 2}, "merges": ["a b"]})"),           // shared id
      WithModel(R"({"vocab": {"a": 0, "b": 1.0, "ab": 2}, "merges": ["a b"]})"),         // float id
      WithModel(R"({"vocab": {"a": 0, "b": -1, "ab": 2}, "merges": ["a b"]})"),          // negative id
      WithModel(R"({"vocab": {"a": 0, "b": 4294967296, "ab": 2}, "merges": ["a b"]})"),  // id too big
      WithModel(R"({"vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a  b"]})"),          // two spaces
      WithModel(R"({"vocab": {"a": 0, "b": 1, "ab": 2}, "merges": [{"a": "b"}]})"),
      WithModel(R"({"vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a c"]})"),           // not in vocab
      WithModel(R"({"vocab": {"a": 0, "b": 1, "ab": 2}})"),                              // no merges
      WithModel(R"({"vocab": {"a": 0, "b": 1, "ab": 2}, "merges": null})"),
      WithModel(R"({"type": "WordPiece", "vocab": {"a": 0}, "merges": []})"),
      WithModel(R"({"type": "BPE", "dropout": 0.1, "vocab": {"a": 0}, "merges": []})"),
      R"({"model": {"vocab": {"a": 0}, "merges": []}, "model": {"vocab": {"b": 0}, "merges": []}})",
      R"({"normalizer": {"type": "Unknown"}, "model": {"vocab": {"a": 0}, "merges": []}})",
  };
  for (const std::string& text : cases) {
    EXPECT_EQ(hf::LoadWithSimdjson(text, "x.json"), nullptr) << text;
    const TokenizerLoadResult dom = LoadHfTokenizerThroughDom(text, "x.json");
    const TokenizerLoadResult result = LoadHfTokenizerFromString(text, "x.json");
    EXPECT_EQ(result.error, dom.error) << text;
    ASSERT_EQ(result.tokenizer == nullptr, dom.tokenizer == nullptr) << text;
    if (dom.tokenizer) ExpectSameTokenizer(*result.tokenizer, *dom.tokenizer);
  }
}

}  // namespace
}  // namespace bench
