// `bench tokenize`, run as the real binary.

#include "app/tokenize_runner.h"

#include <gtest/gtest.h>

#include <fstream>

#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

TEST(TokenizeLine, PythonJsonDumpsSpacing) {
  EXPECT_EQ(TokenizeLine({}), R"({"count": 0, "ids": []})");
  EXPECT_EQ(TokenizeLine({1, 272, 948}), R"({"count": 3, "ids": [1, 272, 948]})");
}

TEST(TokenizeRunner, TextGivesOneLine) {
  auto r = test::RunBench({"tokenize", "--tokenizer", "builtin", "--text", "the end"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "{\"count\": 2, \"ids\": [272, 948]}\n");
  EXPECT_EQ(r.err, "");
  r = test::RunBench({"tokenize", "--tokenizer", "builtin", "--add-special-tokens", "--text", "the end"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "{\"count\": 3, \"ids\": [1, 272, 948]}\n");
}

TEST(TokenizeRunner, JsonlGivesOneLinePerInputLine) {
  test::TempDir dir;
  const fs::path file = dir.path() / "texts.jsonl";
  std::ofstream(file) << "\"the end\"\n\"\"\r\n\"\\u00e9\"\n";
  const auto r = test::RunBench({"tokenize", "--tokenizer", "builtin", "--jsonl", file.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"count\": 2, \"ids\": [272, 948]}\n"
            "{\"count\": 0, \"ids\": []}\n"
            "{\"count\": 1, \"ids\": [1233]}\n");
}

TEST(TokenizeRunner, TokenizerFileIsUsed) {
  test::TempDir dir;
  const fs::path file = dir.path() / "tokenizer.json";
  std::ofstream(file) << R"({"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}})";
  const auto r = test::RunBench({"tokenize", "--tokenizer", file.string(), "--text", "abab"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "{\"count\": 2, \"ids\": [2, 2]}\n");
}

TEST(TokenizeRunner, BadJsonlLineNamesFileAndLine) {
  test::TempDir dir;
  const fs::path file = dir.path() / "texts.jsonl";
  std::ofstream(file) << "\"ok\"\n{\"text\": \"x\"}\n";
  const auto r = test::RunBench({"tokenize", "--tokenizer", "builtin", "--jsonl", file.string()});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find(file.string() + ":2: not a JSON string"), std::string::npos) << r.err;
}

TEST(TokenizeRunner, InputErrorsExitFour) {
  auto r = test::RunBench({"tokenize", "--tokenizer", "builtin", "--jsonl", "/no/such/file.jsonl"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("--jsonl /no/such/file.jsonl: cannot open file"), std::string::npos) << r.err;
  r = test::RunBench({"tokenize", "--tokenizer", "/no/such/tokenizer.json", "--text", "x"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("--tokenizer: tokenizer '/no/such/tokenizer.json': no such file"), std::string::npos)
      << r.err;
}

TEST(TokenizeRunner, UsageErrorsNameTheFlagAndExitTwo) {
  const struct {
    std::vector<std::string> args;
    std::string message;
  } cases[] = {
      {{"tokenize", "--tokenizer", "builtin"}, "--jsonl or --text: one is required"},
      {{"tokenize", "--tokenizer", "builtin", "--text", "a", "--jsonl", "f"}, "--jsonl and --text cannot be combined"},
      {{"tokenize", "--text", "a"}, "--tokenizer"},
  };
  for (const auto& c : cases) {
    const auto r = test::RunBench(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.message;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
  }
}

TEST(TokenizeRunner, UnresolvableNameWarnsAndCountsWithBuiltin) {
  const auto r = test::RunBench({"tokenize", "--tokenizer", "/models/unknown", "--text", "the end"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "{\"count\": 2, \"ids\": [272, 948]}\n");
  EXPECT_NE(r.err.find("[warning] tokenizer '/models/unknown' could not be loaded"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace bench
