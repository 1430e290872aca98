// `bench estimate`, run as the real binary: flags, exit codes, the table and --json.

#include "app/estimate_runner.h"

#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "estimate_fixtures.h"
#include "test_util.h"

namespace bench {
namespace {

TEST(EstimateRunner, GpuMemoryUnits) {
  EXPECT_EQ(ParseGpuMemory("80"), 80e9);
  EXPECT_EQ(ParseGpuMemory("80GB"), 80e9);
  EXPECT_EQ(ParseGpuMemory("24gib"), 24.0 * 1073741824);
  EXPECT_EQ(ParseGpuMemory("80TB"), std::nullopt);
  EXPECT_EQ(ParseGpuMemory("-1"), std::nullopt);
  EXPECT_EQ(ParseGpuMemory("GB"), std::nullopt);
}

TEST(EstimateRunner, TableForAFixture) {
  const auto r = test::RunBench({"estimate", "-m", test::EstimateFixture("llama-3-8b"), "--gpu-memory", "80GB"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Parameters  8,030,261,248 (8.03 B)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("nvfp4"), std::string::npos);
  EXPECT_EQ(r.err, "");
}

TEST(EstimateRunner, DirectoryAndJson) {
  const std::string dir = std::string(BENCH_TEST_DATA_DIR) + "/estimate/mixtral-8x7b";
  const auto r = test::RunBench({"estimate", "--model", dir, "--json", "--precision", "fp16,fp8", "--tp", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["parameters"]["total"], 46702792704);
  EXPECT_EQ(j["parameters"]["active"], 12879925248);
  ASSERT_EQ(j["precisions"].size(), 2u);
  EXPECT_EQ(j["precisions"][1]["precision"], "fp8_e4m3");
  EXPECT_EQ(j["settings"]["tensor_parallel"], 2);
}

TEST(EstimateRunner, UnknownPrecisionIsAUsageErrorListingTheValidOnes) {
  const auto r = test::RunBench({"estimate", "-m", test::EstimateFixture("llama-3-8b"), "--precision", "fp6"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "bench: error: --precision 'fp6': unknown (valid: fp32, tf32, fp16, bf16, fp8_e4m3, fp8_e5m2, int8, int4, "
            "nvfp4)\n");
  EXPECT_EQ(test::RunBench({"estimate", "-m", "x", "--kv-precision", "fp3"}).exit_code, 2);
  EXPECT_EQ(test::RunBench({"estimate", "-m", "x", "--gpu-memory", "lots"}).exit_code, 2);
}

TEST(EstimateRunner, BadConfigIsOneLineNamingFileAndField) {
  test::TempDir dir;
  const std::string file = (dir.path() / "config.json").string();
  std::ofstream(file) << R"({"architectures": ["LlamaForCausalLM"], "hidden_size": 64})";
  auto r = test::RunBench({"estimate", "-m", file});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find(file + ": field 'num_hidden_layers' is missing"), std::string::npos) << r.err;
  EXPECT_EQ(test::Occurrences(r.err, "\n"), 1u) << r.err;
  EXPECT_EQ(r.out, "");

  r = test::RunBench({"estimate", "-m", (dir.path() / "nope.json").string()});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("nope.json: no such file"), std::string::npos) << r.err;
  // A model id not in the (empty, offline) cache.
  r = test::RunBench({"estimate", "-m", "org/not-cached"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("org/not-cached"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace bench
