// `bench profile --endpoint-type embeddings` against a real server: llama.cpp's llama-server
// started with `--embeddings --pooling mean` answers OpenAI's /v1/embeddings. Every request must
// succeed with one vector per input, and the run must write GenAI-Perf's run directory, table,
// CSV and JSON for embeddings (request latency and throughput only).

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e/llama_harness.h"
#include "test_util.h"

namespace bench {
namespace {

using namespace llama;
using json = nlohmann::json;

class LlamaEmbeddingsTest : public LlamaServerTest {
 protected:
  bool StartsServer() const override { return false; }
  void SetUp() override {
    LlamaServerTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_EQ(server_.StartWith("--embeddings --pooling mean"), "");
  }
};

TEST_F(LlamaEmbeddingsTest, EmbeddingsRunAnswersEveryRequestWithOneVectorPerInput) {
  const std::vector<std::string> args = {
      "profile", "--endpoint-type", "embeddings", "--url", server_.url(), "--model", "tiny-llama",
      "--concurrency", "2", "--request-count", "8", "--isl", "32", "--batch-size-text", "4",
      "--num-dataset-entries", "6", "--tokenizer", Tokenizer(), "--artifact-dir", artifacts_.path().string()};
  const auto r = test::RunBenchWithin(args, kRunDeadline);
  ASSERT_EQ(r.exit_code, 0) << Explain(r);
  EXPECT_EQ(RunDir().filename(), "tiny-llama-openai-embeddings-concurrency2");
  ExpectAllSucceeded(8, "embeddings");

  size_t dims = 0;
  for (const json& req : Requests()) {
    std::string body;
    for (const json& out : req["response_outputs"]) body += out["response"].get<std::string>();
    const json answer = json::parse(body, nullptr, false);
    ASSERT_TRUE(answer.is_object()) << body.substr(0, 300);
    ASSERT_EQ(answer["data"].size(), 4u) << "one embedding per input";
    for (const json& item : answer["data"]) {
      if (dims == 0) dims = item["embedding"].size();
      EXPECT_EQ(item["embedding"].size(), dims);
    }
    EXPECT_GT(answer["usage"]["prompt_tokens"].get<int>(), 0);
  }
  EXPECT_GT(dims, 0u);

  EXPECT_NE(r.out.find("NVIDIA GenAI-Perf | Embeddings Metrics"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Request Latency (ms)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Time To First Token"), std::string::npos) << r.out;
  const std::string csv = test::ReadFile(RunDir() / "profile_export_genai_perf.csv");
  EXPECT_EQ(csv.rfind("Metric,avg,min,max,p99,p95,p90,p75,p50,p25,p10,p5,p1\r\nRequest Latency (ms),", 0), 0u) << csv;
  EXPECT_NE(csv.find("Request Count (count),8.00\r\n"), std::string::npos) << csv;
  const json stats = Stats();
  EXPECT_GT(stats["request_latency"]["avg"].get<double>(), 0.0);
  EXPECT_FALSE(stats.contains("time_to_first_token"));
  EXPECT_FALSE(stats.contains("output_sequence_length"));
  const json body = test::ReadJson(RunDir() / "inputs.json")["data"][0]["payload"][0];
  EXPECT_EQ(body["input"].size(), 4u);
}

}  // namespace
}  // namespace bench
