// Payload traces: the reader (every field, every error names FILE:LINE and the field), hash-id
// block reuse, and the request bodies BuildDataset makes from a trace.

#include "dataset/trace.h"

#include <fstream>

#include <gtest/gtest.h>

#include "tokenizer/builtin_tokenizer.h"
#include "dataset/inputs.h"
#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

fs::path WriteTrace(const test::TempDir& dir, const std::string& content) {
  const fs::path path = dir.path() / "trace.jsonl";
  std::ofstream(path) << content;
  return path;
}

TEST(TraceTest, ReadsEveryField) {
  test::TempDir dir;
  const fs::path path = WriteTrace(
      dir,
      R"({"timestamp": 0, "input_length": 600, "output_length": 52, "hash_ids": [46, 47]})"
      "\n\n"
      R"({"timestamp": 1500, "text": "  Hello there  ", "session_id": "s1", "delay": 200, "priority": 3, "temperature": 0.5, "tags": {"a": 1}})"
      "\n"
      R"({"text_input": "Hi", "session_id": 7})"
      "\n");
  const auto trace = ReadTraceFile(path.string(), /*require_timestamps=*/false);
  ASSERT_TRUE(trace.ok()) << trace.error;
  ASSERT_EQ(trace.value.size(), 3u);

  const TraceEntry& a = trace.value[0];
  EXPECT_EQ(a.line, 1);
  EXPECT_EQ(a.timestamp_ms, 0);
  EXPECT_EQ(a.input_length, 600);
  EXPECT_EQ(a.output_length, 52);
  EXPECT_EQ(a.hash_ids, (std::vector<int64_t>{46, 47}));
  EXPECT_FALSE(a.text);
  EXPECT_TRUE(a.extra.empty());
  EXPECT_EQ(TraceBlockSizes(a), (std::vector<int>{512, 88}));

  const TraceEntry& b = trace.value[1];
  EXPECT_EQ(b.line, 3);  // the blank line is skipped but counted
  EXPECT_EQ(b.timestamp_ms, 1500);
  EXPECT_EQ(b.text, "Hello there");
  EXPECT_EQ(b.session_id, "s1");
  EXPECT_EQ(b.delay_ms, 200);
  EXPECT_EQ(b.priority, 3);
  EXPECT_EQ(b.extra.dump(), R"({"temperature":0.5,"tags":{"a":1}})");

  const TraceEntry& c = trace.value[2];
  EXPECT_FALSE(c.timestamp_ms);
  EXPECT_EQ(c.text, "Hi");
  EXPECT_EQ(c.session_id, 7);
}

TEST(TraceTest, EveryErrorNamesFileLineAndField) {
  struct Case {
    std::string line;
    std::string expected;  // after "FILE:2: "
  };
  const std::vector<Case> cases = {
      {R"({"timestamp": "0", "text": "x"})", "field 'timestamp': expected an integer"},
      {R"({"timestamp": 1.5, "text": "x"})", "field 'timestamp': expected an integer"},
      {R"({"timestamp": -1, "text": "x"})", "field 'timestamp': expected an integer >= 0"},
      {R"({"text": "x"})", "field 'timestamp': required with --fixed-schedule"},
      {R"({"timestamp": 5, "text": "x"})", "field 'timestamp': 5 is earlier than line 1's 10"},
      {R"({"timestamp": 20, "input_length": "9"})", "field 'input_length': expected an integer"},
      {R"({"timestamp": 20, "input_length": -3})", "field 'input_length': expected an integer in [0, "},
      {R"({"timestamp": 20, "input_length": 10, "output_length": 0})",
       "field 'output_length': expected an integer in [1, "},
      {R"({"timestamp": 20, "text": "x", "delay": "soon"})", "field 'delay': expected an integer"},
      {R"({"timestamp": 20, "input_length": 10, "hash_ids": 4})", "field 'hash_ids': expected a list of integers"},
      {R"({"timestamp": 20, "input_length": 10, "hash_ids": [1, "2"]})",
       "field 'hash_ids': expected a list of integers"},
      {R"({"timestamp": 20, "text": "x", "hash_ids": [1]})", "field 'hash_ids': requires 'input_length'"},
      {R"({"timestamp": 20, "input_length": 1025, "hash_ids": [1, 2]})",
       "field 'hash_ids': 2 blocks of 512 tokens do not fit input_length 1025 (the last block would have 513"},
      {R"({"timestamp": 20, "input_length": 512, "hash_ids": [1, 2]})",
       "field 'hash_ids': 2 blocks of 512 tokens do not fit input_length 512 (the last block would have 0"},
      {R"({"timestamp": 20, "text": 5})", "field 'text': expected a string"},
      {R"({"timestamp": 20, "text": "a", "text_input": "b"})", "field 'text_input': both 'text' and 'text_input'"},
      {R"({"timestamp": 20, "text": "a", "input_length": 4})", "field 'input_length': given together with 'text'"},
      {R"({"timestamp": 20})", "field 'input_length': missing (each line needs 'input_length', 'text'"},
      {R"({"timestamp": 20, "text": "a", "session_id": true})", "field 'session_id': expected a string or an integer"},
      {R"({"timestamp": 20, "text": "a", "priority": "high"})", "field 'priority': expected an integer"},
      {R"([1, 2])", "not a JSON object"},
      {R"({"timestamp": 20, "text": )", "not a JSON object"},
  };
  for (const Case& c : cases) {
    test::TempDir dir;
    const fs::path path = WriteTrace(dir, "{\"timestamp\": 10, \"text\": \"first\"}\n" + c.line + "\n");
    const auto trace = ReadTraceFile(path.string(), /*require_timestamps=*/true);
    const std::string prefix = path.string() + ":2: ";
    EXPECT_EQ(trace.error.rfind(prefix + c.expected, 0), 0u) << c.line << "\n  got: " << trace.error;
  }
}

TEST(TraceTest, TimestampsAreOptionalWithoutFixedSchedule) {
  test::TempDir dir;
  const fs::path path = WriteTrace(dir, "{\"timestamp\": 10, \"text\": \"a\"}\n{\"text\": \"b\"}\n{\"timestamp\": 5, \"text\": \"c\"}\n");
  EXPECT_TRUE(ReadTraceFile(path.string(), false).ok());
  EXPECT_NE(ReadTraceFile(path.string(), true).error.find(":2: field 'timestamp'"), std::string::npos);
}

TEST(TraceTest, EmptyAndMissingFiles) {
  test::TempDir dir;
  EXPECT_NE(ReadTraceFile(WriteTrace(dir, "\n\n").string(), false).error.find("no requests"), std::string::npos);
  EXPECT_NE(ReadTraceFile((dir.path() / "nope.jsonl").string(), false).error.find("cannot open"), std::string::npos);
}

TEST(TraceTest, EqualHashIdsGiveEqualPrefixesAndExactLengths) {
  test::TempDir dir;
  const fs::path path = WriteTrace(dir,
                                   R"({"input_length": 512, "hash_ids": [1]})"
                                   "\n"
                                   R"({"input_length": 1024, "hash_ids": [1, 2]})"
                                   "\n"
                                   R"({"input_length": 1124, "hash_ids": [1, 2, 3]})"
                                   "\n"
                                   R"({"input_length": 1074, "hash_ids": [1, 2, 4]})"
                                   "\n"
                                   R"({"input_length": 700, "hash_ids": [9, 10]})"
                                   "\n"
                                   R"({"input_length": 37})"
                                   "\n"
                                   R"({"text": "literal"})"
                                   "\n");
  const auto trace = ReadTraceFile(path.string(), false);
  ASSERT_TRUE(trace.ok()) << trace.error;
  auto tokenizer = MakeBuiltinTokenizer();
  RandomStream rng(0);
  SyntheticPromptGenerator generator(*tokenizer, rng);
  size_t inexact = 0;
  const std::vector<std::string> prompts = TracePrompts(trace.value, generator, *tokenizer, inexact);
  ASSERT_EQ(prompts.size(), 7u);
  EXPECT_EQ(inexact, 0u);
  for (size_t i = 0; i + 1 < prompts.size(); ++i) {
    EXPECT_EQ(tokenizer->CountTokens(prompts[i]), static_cast<size_t>(*trace.value[i].input_length)) << i;
  }
  EXPECT_EQ(prompts[6], "literal");
  // Block 1 alone is the start of every prompt whose hash ids start with 1; blocks 1,2 of the
  // two longer ones.
  EXPECT_EQ(prompts[1].rfind(prompts[0] + " ", 0), 0u);
  EXPECT_EQ(prompts[2].rfind(prompts[1] + " ", 0), 0u);
  EXPECT_EQ(prompts[3].rfind(prompts[1] + " ", 0), 0u);
  EXPECT_NE(prompts[2], prompts[3]);  // different last blocks
  EXPECT_NE(prompts[4].substr(0, 50), prompts[0].substr(0, 50));  // different first block

  // The same seed gives the same prompts.
  RandomStream rng2(0);
  SyntheticPromptGenerator generator2(*tokenizer, rng2);
  size_t inexact2 = 0;
  EXPECT_EQ(TracePrompts(trace.value, generator2, *tokenizer, inexact2), prompts);
}

TEST(TraceTest, BuildDatasetMakesBodiesAndMetadataFromATrace) {
  test::TempDir dir;
  const fs::path path = WriteTrace(
      dir,
      R"({"timestamp": 0, "input_length": 30, "output_length": 7, "session_id": "s", "delay": 5, "priority": 2, "temperature": 0.0, "max_tokens": 99})"
      "\n"
      R"({"timestamp": 40, "text": "Tell me a joke."})"
      "\n");
  DatasetOptions config;
  config.models = {"m1"};
  config.streaming = true;
  config.input_file = path.string();
  config.payload_input = true;
  config.fixed_schedule = true;
  config.extra_inputs = nlohmann::ordered_json{{"ignore_eos", true}, {"temperature", 1.0}};
  auto tokenizer = MakeBuiltinTokenizer();
  const auto dataset = BuildDataset(config, *tokenizer);
  ASSERT_TRUE(dataset.ok()) << dataset.error;
  ASSERT_EQ(dataset.value.payloads.size(), 2u);
  const auto& a = dataset.value.payloads[0];
  EXPECT_EQ(a["model"], "m1");
  EXPECT_EQ(tokenizer->CountTokens(a["messages"][0]["content"].get<std::string>()), 30u);
  EXPECT_EQ(a["stream"], true);
  // A trace key named like a body field is copied as is (max_tokens 99 over output_length);
  // --extra-inputs come last and override the trace.
  EXPECT_EQ(a["max_tokens"], 99);
  EXPECT_EQ(a["priority"], 2);
  EXPECT_EQ(a["temperature"], 1.0);
  EXPECT_EQ(a["ignore_eos"], true);
  EXPECT_FALSE(a.contains("session_id"));
  const auto& b = dataset.value.payloads[1];
  EXPECT_EQ(b["messages"][0]["content"], "Tell me a joke.");
  EXPECT_FALSE(b.contains("max_tokens"));
  EXPECT_EQ(dataset.value.timestamps_ms, (std::vector<int64_t>{0, 40}));

  const auto inputs = nlohmann::json::parse(InputsJson(dataset.value));
  EXPECT_EQ(inputs["data"][0]["session_id"], "s");
  EXPECT_EQ(inputs["data"][0]["delay"], 5);
  EXPECT_EQ(inputs["data"][0]["timestamp"], nlohmann::json::array({0}));
  EXPECT_EQ(inputs["data"][1]["timestamp"], nlohmann::json::array({40}));
  EXPECT_FALSE(inputs["data"][1].contains("session_id"));
}

TEST(TraceTest, OutputLengthBecomesMaxTokens) {
  test::TempDir dir;
  const fs::path path = WriteTrace(dir, R"({"text": "a", "output_length": 12})" "\n" R"({"text": "b"})" "\n");
  DatasetOptions config;
  config.models = {"m"};
  config.endpoint_type = "completions";
  config.input_file = path.string();
  config.payload_input = true;
  config.output_tokens_mean = 50;  // used where the line has no output_length
  auto tokenizer = MakeBuiltinTokenizer();
  const auto dataset = BuildDataset(config, *tokenizer);
  ASSERT_TRUE(dataset.ok()) << dataset.error;
  EXPECT_EQ(dataset.value.payloads[0]["max_tokens"], 12);
  EXPECT_EQ(dataset.value.payloads[0]["prompt"], nlohmann::ordered_json::array({"a"}));
  EXPECT_EQ(dataset.value.payloads[1]["max_tokens"], 50);
  EXPECT_EQ(dataset.value.timestamps_ms, (std::vector<int64_t>{-1, -1}));
}

}  // namespace
}  // namespace bench
