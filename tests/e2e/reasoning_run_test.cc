// A reasoning model behind several tokens per SSE chunk, end to end: the simulator streams
// reasoning_content then the answer, three tokens per event, with usage; bench keeps
// GenAI-Perf's rows, adds the reasoning rows, takes OSL from usage with
// --use-server-token-count and says once that chunks are not tokens.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr int kRequests = 8;
constexpr int kReasoning = 12;  // 4 chunks of 3
constexpr int kAnswer = 9;      // 3 chunks of 3

test::CommandResult ReasoningRun(const fs::path& artifacts, std::vector<std::string> more) {
  std::vector<std::string> args = {"profile", "--simulator", "--streaming", "--concurrency", "2",
                                   "--request-count", std::to_string(kRequests), "--isl", "40",
                                   "--osl", std::to_string(kAnswer), "--sim-reasoning-tokens", std::to_string(kReasoning),
                                   "--sim-tokens-per-chunk", "3", "--sim-ttft-ms", "2", "--sim-itl-ms", "1",
                                   "--artifact-dir", artifacts.string()};
  args.insert(args.end(), more.begin(), more.end());
  return test::RunBench(args);
}

Json RunJson(const fs::path& artifacts) {
  return test::ReadRunJson(artifacts / "bench-sim-openai-chat-concurrency2" / "profile_export_genai_perf.json");
}

TEST(ReasoningRunTest, ReasoningRowsAndTheChunkCheckAgainstTheSimulator) {
  test::TempDir dir;
  const test::CommandResult r = ReasoningRun(dir.path(), {});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json d = RunJson(dir.path());
  const Json& b = d["bench"];
  // GenAI-Perf's OSL counts the answer only.
  EXPECT_EQ(d["output_sequence_length"]["avg"], kAnswer);
  EXPECT_EQ(b["reasoning"]["requests_with_reasoning"], kRequests);
  EXPECT_EQ(b["reasoning_token_count"]["avg"], kReasoning);
  EXPECT_EQ(b["reasoning_token_count"]["min"], kReasoning);
  EXPECT_EQ(b["answer_token_count"]["avg"], kAnswer);
  // The first answer token is GenAI-Perf's first token; reasoning comes before it.
  EXPECT_DOUBLE_EQ(b["time_to_first_answer_token"]["avg"].get<double>(), d["time_to_first_token"]["avg"].get<double>());
  // Each request reasons before it answers, so on average too (extremes may cross under load).
  EXPECT_LT(b["time_to_first_reasoning_token"]["avg"].get<double>(),
            b["time_to_first_answer_token"]["avg"].get<double>());
  EXPECT_GT(b["inter_token_latency_with_reasoning"]["avg"].get<double>(), 0.0);
  // 21 tokens in at most 7 chunks per request (reads may merge events, never split tokens).
  EXPECT_EQ(b["tokens_per_chunk"]["tokens"], kRequests * (kReasoning + kAnswer));
  EXPECT_LE(b["tokens_per_chunk"]["chunks"].get<int>(), kRequests * 7);
  EXPECT_GE(b["tokens_per_chunk"]["avg"].get<double>(), 3.0);
  EXPECT_EQ(b["tokens_per_chunk"]["source"], "tokenizer");
  EXPECT_EQ(test::Occurrences(r.err, "SSE chunks carried"), 1u) << r.err;
  EXPECT_NE(r.out.find("Time To First Reasoning Token avg (ms)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Tokens Per Chunk avg (tokens)"), std::string::npos) << r.out;
}

TEST(ReasoningRunTest, ServerTokenCountTakesOslFromUsage) {
  test::TempDir dir;
  const test::CommandResult r = ReasoningRun(dir.path(), {"--use-server-token-count"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json inputs = test::ReadJson(dir.path() / "bench-sim-openai-chat-concurrency2" / "inputs.json");
  EXPECT_EQ(inputs["data"][0]["payload"][0]["stream_options"]["include_usage"], true);
  const Json d = RunJson(dir.path());
  const Json& b = d["bench"];
  // usage.completion_tokens counts reasoning too, as vLLM's does.
  EXPECT_EQ(d["output_sequence_length"]["avg"], kReasoning + kAnswer);
  EXPECT_EQ(b["server_output_sequence_length"]["avg"], kReasoning + kAnswer);
  EXPECT_EQ(b["tokenizer_output_sequence_length"]["avg"], kReasoning + kAnswer);
  EXPECT_EQ(b["output_sequence_length_difference"]["avg"], 0.0);
  EXPECT_EQ(d["input_sequence_length"]["avg"], b["server_input_sequence_length"]["avg"]);
  EXPECT_EQ(b["server_token_count"]["requests_without_usage"], 0);
  EXPECT_EQ(b["answer_token_count"]["avg"], kAnswer);
  EXPECT_EQ(b["tokens_per_chunk"]["source"], "usage");
  EXPECT_EQ(r.err.find("carried no usage"), std::string::npos) << r.err;
}

TEST(ReasoningRunTest, MissingUsageWarnsAndFallsBackToTheTokenizer) {
  test::TempDir dir;
  // --extra-inputs overrides the body: the simulator is not asked for usage in the stream.
  const test::CommandResult r =
      ReasoningRun(dir.path(), {"--use-server-token-count", "--extra-inputs", R"({"stream_options": {"include_usage": false}})"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(test::Occurrences(r.err, "carried no usage"), 1u) << r.err;
  const Json d = RunJson(dir.path());
  EXPECT_EQ(d["output_sequence_length"]["avg"], kAnswer);  // the tokenizer's, GenAI-Perf's way
  EXPECT_EQ(d["bench"]["server_token_count"]["requests_without_usage"], kRequests);
}

}  // namespace
}  // namespace bench
