// `bench profile --endpoint-type generate | huggingface_generate | responses`, streaming and not,
// with the real bench binary against the in-process simulator: every request succeeds, the run
// directory and the bodies are the endpoint type's, the lengths are exact (the simulator's words
// are the builtin tokenizer's), and the streaming metrics are there. Plus the bad input.

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Case {
  std::string endpoint_type;
  bool streaming;
};

std::string Name(const testing::TestParamInfo<Case>& info) {
  return info.param.endpoint_type + (info.param.streaming ? "_streaming" : "");
}

class EndpointTypeRunTest : public testing::TestWithParam<Case> {};

TEST_P(EndpointTypeRunTest, EveryRequestSucceedsWithExactLengths) {
  const Case c = GetParam();
  test::TempDir dir;
  std::vector<std::string> args = {"profile", "--simulator", "--sim-ttft-ms", "3", "--sim-itl-ms", "1",
                                   "--endpoint-type", c.endpoint_type, "--concurrency", "2", "--request-count", "6",
                                   "--isl", "20", "--osl", "8", "--artifact-dir", dir.path().string()};
  if (c.streaming) args.push_back("--streaming");
  const test::CommandResult r = test::RunBench(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("[DONE]"), std::string::npos) << "no [DONE] warning for these APIs:\n" << r.err;
  const fs::path run = dir.path() / ("bench-sim-openai-" + c.endpoint_type + "-concurrency2");
  ASSERT_TRUE(fs::exists(run / "profile_export.json")) << r.out;

  const json exported = test::ReadJson(run / "profile_export.json");
  const json& requests = exported["experiments"][0]["requests"];
  ASSERT_EQ(requests.size(), 6u);
  for (const auto& req : requests) EXPECT_FALSE(req.contains("error")) << req.dump().substr(0, 300);
  const json body = json::parse(requests[0]["request_inputs"]["payload"].get<std::string>());
  if (c.endpoint_type == "generate") {
    EXPECT_TRUE(body["text_input"].is_array());
    EXPECT_EQ(body["max_tokens"], 8);
    EXPECT_EQ(exported["endpoint"], c.streaming ? "v2/models/bench-sim/generate_stream" : "v2/models/bench-sim/generate");
  } else if (c.endpoint_type == "huggingface_generate") {
    EXPECT_EQ(body["parameters"]["max_new_tokens"], 8);
    EXPECT_EQ(exported["endpoint"], c.streaming ? "generate_stream" : "generate");
  } else {
    EXPECT_EQ(body["max_output_tokens"], 8);
    EXPECT_EQ(exported["endpoint"], "v1/responses");
  }

  const json stats = test::ReadRunJson(run / "profile_export_genai_perf.json");
  EXPECT_EQ(stats["request_count"]["avg"], 6);
  EXPECT_EQ(stats["output_sequence_length"]["min"], 8.0);
  EXPECT_EQ(stats["output_sequence_length"]["max"], 8.0);
  EXPECT_EQ(stats["input_sequence_length"]["avg"], 20.0);
  if (c.streaming) {
    // The first token comes after --sim-ttft-ms, and the 7 later ones about 1 ms apart. On a busy
    // machine a whole stream can wait in the socket and arrive in one read, with one kernel stamp
    // for all its events: then ITL is 0 and the latency equals the TTFT, which is right.
    ASSERT_TRUE(stats.contains("inter_token_latency")) << stats.dump();
    EXPECT_GE(stats["time_to_first_token"]["min"].get<double>(), 3.0);
    EXPECT_GE(stats["inter_token_latency"]["avg"].get<double>(), 0.0);
    EXPECT_GE(stats["request_latency"]["min"].get<double>(), stats["time_to_first_token"]["min"].get<double>());
  }
  EXPECT_NE(r.out.find("Output Sequence Length"), std::string::npos) << r.out;

  // bench report reads the export back to the same numbers, inferring the format from it.
  const test::CommandResult report =
      test::RunBench({"report", "-f", (run / "profile_export.json").string(), "--tokenizer", "builtin",
                      "--artifact-dir", (dir.path() / "report").string()});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const json again = test::ReadRunJson(dir.path() / "report" / "profile_export_genai_perf.json");
  EXPECT_EQ(again["output_sequence_length"]["avg"], stats["output_sequence_length"]["avg"]);
  EXPECT_EQ(again["input_sequence_length"]["avg"], stats["input_sequence_length"]["avg"]);
}

INSTANTIATE_TEST_SUITE_P(Simulator, EndpointTypeRunTest,
                         testing::Values(Case{"generate", false}, Case{"generate", true},
                                         Case{"huggingface_generate", false}, Case{"huggingface_generate", true},
                                         Case{"responses", false}, Case{"responses", true}),
                         Name);

TEST(EndpointTypeInputTest, GenerateWithoutAModelNamesTheMissingPathPart) {
  const test::CommandResult r =
      test::RunBench({"profile", "--endpoint-type", "generate", "--url", "127.0.0.1:9", "--request-count", "1"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--model: required with --endpoint-type generate"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("v2/models/<model>/generate"), std::string::npos) << r.err;
}

TEST(EndpointTypeInputTest, AnUnknownEndpointTypeListsTheSupportedOnes) {
  const test::CommandResult r = test::RunBench({"profile", "--simulator", "--endpoint-type", "generat"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("huggingface_generate, responses"), std::string::npos) << r.err;
}

TEST(EndpointTypeInputTest, TgiRootPathStreamsWhenTheBodySaysSo) {
  // GenAI-Perf's default TGI path is the server root, which streams only for "stream": true.
  test::TempDir dir;
  const test::CommandResult r = test::RunBench(
      {"profile", "--simulator", "--sim-ttft-ms", "2", "--sim-itl-ms", "1", "--endpoint-type", "huggingface_generate",
       "--endpoint", "/", "--streaming", "--extra-inputs", "stream:true", "--request-count", "3", "--isl", "10",
       "--osl", "5", "--artifact-dir", dir.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json stats =
      test::ReadRunJson(dir.path() / "bench-sim-openai-huggingface_generate-concurrency1" / "profile_export_genai_perf.json");
  EXPECT_EQ(stats["output_sequence_length"]["avg"], 5.0);
  EXPECT_TRUE(stats.contains("inter_token_latency"));
}

}  // namespace
}  // namespace bench
