// The text and JSON reports of an estimate.

#include "estimate/estimate_report.h"

#include <gtest/gtest.h>

#include "estimate_fixtures.h"

namespace bench {
namespace {

TEST(EstimateReport, TextStatesModelAssumptionsAndOneRowPerPrecision) {
  EstimateOptions o;
  o.gpu_memory_bytes = 80e9;
  o.precisions = {*FindPrecision("fp16"), *FindPrecision("nvfp4")};
  const std::string text = FormatEstimate(EstimateMemory(test::LoadEstimateFixture("mistral-7b"), o), 160);
  EXPECT_NE(text.find("Parameters  7,241,732,096 (7.24 B)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("KV cache    131,072 bytes per token (fp16 cache: 32 layers x 2 x 8 KV heads x 128 head_dim x 16 bits)"),
            std::string::npos) << text;
  EXPECT_NE(text.find("context 4096 x batch 32 = 131,072 tokens cached; overhead 10% of weights + KV cache; "
                      "tensor parallel 1; 80 GB per GPU"),
            std::string::npos) << text;
  // fp16: 14.48 GB weights + 17.18 GB KV + 3.17 GB overhead = 34.83 GB.
  EXPECT_NE(text.find("│ fp16      │          16 │   14.48 │    17.18 │     3.17 │ 34.83 │ yes  │"), std::string::npos)
      << text;
  EXPECT_NE(text.find("│ nvfp4     │         4.5 │"), std::string::npos) << text;
  EXPECT_EQ(text.find("bf16"), std::string::npos);
}

TEST(EstimateReport, MoeShowsActiveParameters) {
  const std::string text = FormatEstimate(EstimateMemory(test::LoadEstimateFixture("mixtral-8x7b"), {}), 160);
  EXPECT_NE(text.find("46,702,792,704 (46.70 B), 12,879,925,248 active per token (12.88 B: 2 of 8 experts)"),
            std::string::npos) << text;
}

TEST(EstimateReport, JsonCarriesEveryFigure) {
  EstimateOptions o;
  o.tensor_parallel = 2;
  o.gpu_memory_bytes = 40e9;
  o.precisions = {*FindPrecision("bf16")};
  nlohmann::ordered_json j = EstimateJson(EstimateMemory(test::LoadEstimateFixture("llama-3-8b"), o));
  EXPECT_EQ(j.begin().key(), "json_schema_version");
  EXPECT_EQ(j["parameters"]["total"], 8030261248);
  EXPECT_EQ(j["parameters"]["groups"]["lm_head"], 525336576);
  EXPECT_EQ(j["settings"]["tensor_parallel"], 2);
  EXPECT_EQ(j["settings"]["kv_precision"], "fp16");
  EXPECT_EQ(j["kv_cache"]["bytes_per_token"], 131072.0);
  EXPECT_EQ(j["kv_cache"]["bytes_per_token_per_gpu"], 65536.0);
  ASSERT_EQ(j["precisions"].size(), 1u);
  const auto& row = j["precisions"][0];
  EXPECT_EQ(row["precision"], "bf16");
  EXPECT_EQ(row["fits"], true);
  EXPECT_TRUE(row["max_batch"].is_number_integer());
  EXPECT_DOUBLE_EQ(row["total_bytes_per_gpu"].get<double>(),
                   row["weights_bytes_per_gpu"].get<double>() + row["kv_cache_bytes_per_gpu"].get<double>() +
                       row["overhead_bytes_per_gpu"].get<double>());
}

}  // namespace
}  // namespace bench
