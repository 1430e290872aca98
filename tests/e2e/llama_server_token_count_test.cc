// --use-server-token-count against llama.cpp's llama-server: it reports `usage` in a stream only
// when asked with stream_options.include_usage (bench asks), and always in a whole JSON answer.
// OSL and ISL must then be exactly the server's counts, the tokenizer's kept beside them.

#include <algorithm>
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

// The usage objects the server sent, one per request, read from the raw responses of the export.
std::vector<json> UsageOfEachRequest(const json& requests) {
  std::vector<json> out;
  for (const json& req : requests) {
    json usage;
    for (const json& o : req["response_outputs"]) {
      const std::string raw = o.value("response", "");
      for (size_t at = 0; at < raw.size();) {
        size_t end = raw.find('\n', at);
        if (end == std::string::npos) end = raw.size();
        std::string line = raw.substr(at, end - at);
        at = end + 1;
        if (line.rfind("data: ", 0) == 0) line = line.substr(6);
        const json j = json::parse(line, nullptr, false);
        if (j.is_object() && j.contains("usage") && j["usage"].is_object()) usage = j["usage"];
      }
    }
    out.push_back(usage);
  }
  return out;
}

class LlamaServerTokenCountTest : public LlamaServerTest {
 protected:
  void CheckRun(bool streaming) {
    SCOPED_TRACE(streaming ? "streaming" : "not streaming");
    auto args = Seed({"--use-server-token-count"});
    if (!streaming) args = Without(args, "--streaming", false);
    const auto r = test::RunBenchWithin(args, kRunDeadline);
    ASSERT_EQ(r.exit_code, 0) << Explain(r);
    ExpectAllSucceeded(8, streaming ? "streaming" : "not streaming");
    EXPECT_EQ(r.err.find("carried no usage"), std::string::npos) << r.err;
    const std::vector<json> usages = UsageOfEachRequest(Requests());
    double osl_sum = 0, isl_sum = 0, osl_min = 1e18, osl_max = 0;
    for (const json& u : usages) {
      ASSERT_TRUE(u.is_object() && u.contains("completion_tokens")) << "a request without usage";
      const double osl = u["completion_tokens"].get<double>();
      osl_sum += osl;
      isl_sum += u["prompt_tokens"].get<double>();
      osl_min = std::min(osl_min, osl);
      osl_max = std::max(osl_max, osl);
    }
    const double n = static_cast<double>(usages.size());
    const json stats = Stats();
    EXPECT_DOUBLE_EQ(stats["output_sequence_length"]["avg"].get<double>(), osl_sum / n);
    EXPECT_DOUBLE_EQ(stats["output_sequence_length"]["min"].get<double>(), osl_min);
    EXPECT_DOUBLE_EQ(stats["output_sequence_length"]["max"].get<double>(), osl_max);
    EXPECT_DOUBLE_EQ(stats["input_sequence_length"]["avg"].get<double>(), isl_sum / n);
    const json& b = stats["bench"];
    EXPECT_DOUBLE_EQ(b["server_output_sequence_length"]["avg"].get<double>(), osl_sum / n);
    EXPECT_GT(b["tokenizer_output_sequence_length"]["avg"].get<double>(), 0.0);
    EXPECT_TRUE(b["output_sequence_length_difference"]["avg"].is_number());
    EXPECT_EQ(b["server_token_count"]["requests_without_usage"], 0);
    fs::remove_all(RunDir());
  }
};

TEST_F(LlamaServerTokenCountTest, OslAndIslAreTheServersUsageStreamingAndNot) {
  CheckRun(/*streaming=*/true);
  CheckRun(/*streaming=*/false);
}

}  // namespace
}  // namespace bench
