#pragma once
// Two tokenizers that must be interchangeable (a fast load path against the DOM one, a cached
// tokenizer against a fresh parse): same vocabulary size, same ids for every text, same text for
// every id.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tokenizer/tokenizer.h"

namespace bench::test {

inline const std::vector<std::string>& SameTokenizerTexts() {
  static const std::vector<std::string> texts = {
      "",
      "hello world",
      "Hello, World! 123 4567 ünïcödé 日本語 🙂 <s> </s> <unk>  two  spaces\n\ttabs",
      "the quick brown fox jumps over the lazy dog",
      std::string("\xff\xfe invalid utf-8 \xc3", 20),
      "▁▁▁ leading marks ▁and▁inside",
      "▁▁ a▁b  12345",
  };
  return texts;
}

inline void ExpectSameTokenizer(const Tokenizer& a, const Tokenizer& b) {
  ASSERT_EQ(a.VocabSize(), b.VocabSize());
  for (const std::string& text : SameTokenizerTexts()) {
    EXPECT_EQ(a.Encode(text), b.Encode(text)) << text;
    EXPECT_EQ(a.Encode(text, true), b.Encode(text, true)) << text;
  }
  for (int32_t id = 0; id < static_cast<int32_t>(a.VocabSize()) + 2; ++id) {
    const std::vector<int32_t> one{id};
    ASSERT_EQ(a.Decode(one, false), b.Decode(one, false)) << id;
  }
}

}  // namespace bench::test
