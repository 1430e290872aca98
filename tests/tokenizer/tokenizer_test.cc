// LoadTokenizer: spec resolution and one-line errors.

#include "tokenizer/tokenizer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

namespace bench {
namespace {

namespace fs = std::filesystem;

TEST(LoadTokenizer, Builtin) {
  TokenizerLoadResult r = LoadTokenizer("builtin");
  ASSERT_NE(r.tokenizer, nullptr) << r.error;
  EXPECT_EQ(r.tokenizer->Name(), "builtin");
  EXPECT_EQ(r.warning, "");
}

// Hub ids (org/name) are resolved by hf_hub; hf_hub_test.cc covers them against a fake Hub.
// A name that is no path and no hub id (e.g. vLLM's default served name, the model's path on
// the server) still runs, counting with the built-in tokenizer and saying so.
TEST(LoadTokenizer, UnresolvableNameFallsBackToBuiltinWithAWarning) {
  TokenizerLoadResult r = LoadTokenizer("no/such/dir");
  ASSERT_NE(r.tokenizer, nullptr);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.tokenizer->Name(), "builtin");
  EXPECT_EQ(r.warning,
            "tokenizer 'no/such/dir' could not be loaded (not a file, a directory holding tokenizer.json, or a "
            "Hugging Face model id (org/name)); counting tokens with the built-in Mistral-7B tokenizer, so ISL/OSL "
            "are approximate for this model; pass --tokenizer with its tokenizer.json or Hugging Face id");
  EXPECT_EQ(r.warning.find('\n'), std::string::npos);
}

class LoadTokenizerFiles : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("bench_tokenizer_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
  fs::path dir_;
};

constexpr const char* kTiny = R"({"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}})";

TEST_F(LoadTokenizerFiles, FileAndDirectory) {
  Write("tokenizer.json", kTiny);
  for (const fs::path& spec : {dir_ / "tokenizer.json", dir_}) {
    TokenizerLoadResult r = LoadTokenizer(spec.string());
    ASSERT_NE(r.tokenizer, nullptr) << r.error;
    EXPECT_EQ(r.tokenizer->Encode("abab"), (std::vector<int32_t>{2, 2}));
    EXPECT_EQ(r.tokenizer->Name(), (dir_ / "tokenizer.json").string());
  }
}

TEST_F(LoadTokenizerFiles, DirectoryWithoutTokenizerJson) {
  TokenizerLoadResult r = LoadTokenizer(dir_.string());
  EXPECT_EQ(r.tokenizer, nullptr);
  EXPECT_NE(r.error.find("not a file or directory holding tokenizer.json"), std::string::npos);
}

TEST_F(LoadTokenizerFiles, MalformedFileNamesFileAndField) {
  Write("bad.json", R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]}})");
  TokenizerLoadResult r = LoadTokenizer((dir_ / "bad.json").string());
  EXPECT_EQ(r.tokenizer, nullptr);
  EXPECT_EQ(r.error, "tokenizer '" + (dir_ / "bad.json").string() +
                         "': field 'model.merges[0]': token 'b' is not in the vocab");
  Write("trunc.json", R"({"model": {"type": )");
  r = LoadTokenizer((dir_ / "trunc.json").string());
  EXPECT_EQ(r.tokenizer, nullptr);
  EXPECT_NE(r.error.find("invalid JSON"), std::string::npos);
  EXPECT_EQ(r.error.find('\n'), std::string::npos);
  Write("nomodel.json", "{}");
  r = LoadTokenizer((dir_ / "nomodel.json").string());
  EXPECT_EQ(r.error, "tokenizer '" + (dir_ / "nomodel.json").string() + "': field 'model': missing");
}

// Issue 3: each bad tokenizer file gives one line naming the file and what is wrong.
TEST_F(LoadTokenizerFiles, BadFilesNameTheFileAndTheProblem) {
  Write("truncated.json", R"({"model": {"type": "BPE", "vocab": {"a": 0, )");
  Write("unknown.json", R"({"model": {"type": "WordPiece2", "vocab": {}}})");
  Write("badjson.json", R"({"model": {"type": "BPE",, }})");
  Write("empty.json", "");
  const std::string d = dir_.string() + "/";
  const struct {
    std::string spec;
    std::string error;
  } cases[] = {
      {d + "missing.json", "tokenizer '" + d + "missing.json': no such file"},
      {d + "truncated.json", "tokenizer '" + d + "truncated.json': invalid JSON: truncated (the input ends after 44 bytes)"},
      {d + "unknown.json",
       "tokenizer '" + d + "unknown.json': field 'model.type': unsupported model 'WordPiece2' (supported: BPE)"},
      {d + "badjson.json", "tokenizer '" + d +
                               "badjson.json': invalid JSON: parse error at line 1, column 26: syntax error while "
                               "parsing object key - unexpected ','; expected string literal"},
      {d + "empty.json", "tokenizer '" + d + "empty.json': invalid JSON: the file is empty"},
  };
  for (const auto& c : cases) {
    const TokenizerLoadResult r = LoadTokenizer(c.spec);
    EXPECT_EQ(r.tokenizer, nullptr) << c.spec;
    EXPECT_EQ(r.error, c.error);
    EXPECT_EQ(r.warning, "") << "a broken file is an error, never a silent fallback";
  }
}

}  // namespace
}  // namespace bench
