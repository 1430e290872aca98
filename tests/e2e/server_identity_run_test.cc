// Every profile run records the server's identity in its bench file, and `bench compare` shows
// two runs' servers side by side: two simulators standing in for two NIM profiles.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "sim/simulator.h"
#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

// One short profile run against `url`; the run directory.
fs::path ProfileRun(const std::string& url, const std::string& model, const fs::path& artifacts) {
  const auto r = test::RunBench({"profile", "--url", url, "-m", model, "--tokenizer", "builtin", "--request-count",
                                 "4", "--isl", "8", "--osl", "2", "--quiet", "--artifact-dir", artifacts.string(),
                                 "--api-key", "sekrit-key"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("sekrit"), std::string::npos) << r.err;
  for (const auto& entry : fs::recursive_directory_iterator(artifacts)) {
    if (entry.path().filename() == "profile_export_genai_perf.json") return entry.path().parent_path();
  }
  ADD_FAILURE() << "no run in " << artifacts;
  return {};
}

TEST(ServerIdentityRun, RecordedInTheBenchFileAndComparedSideBySide) {
  SimulatorOptions fp8;
  fp8.port = 0;
  fp8.ttft_ms = fp8.itl_ms = 1;
  fp8.model = "meta/llama-3.1-8b-instruct";
  fp8.profile_name = "sim-h100-fp8-tp2-pp1-latency";
  SimulatorOptions bf16 = fp8;
  bf16.profile_name = "sim-h100-bf16-tp4-pp1-throughput";
  Simulator a(fp8), b(bf16);
  const std::string url_a = "http://127.0.0.1:" + std::to_string(a.Start());
  const std::string url_b = "http://127.0.0.1:" + std::to_string(b.Start());
  test::TempDir dir;
  const fs::path run_a = ProfileRun(url_a, fp8.model, dir.path() / "a");
  const fs::path run_b = ProfileRun(url_b, bf16.model, dir.path() / "b");

  nlohmann::json bench = test::ReadJson(run_a / "profile_export_bench.json");
  nlohmann::json& server = bench["server"];
  EXPECT_EQ(server["engine"], "NIM");
  EXPECT_EQ(server["model"], "meta/llama-3.1-8b-instruct");
  EXPECT_EQ(server["profile"], "sim-h100-fp8-tp2-pp1-latency");
  EXPECT_EQ(server["precision"], "fp8");
  EXPECT_EQ(server["tensor_parallel"], 2);
  EXPECT_TRUE(server["endpoints"]["/v1/models"].is_object());
  EXPECT_TRUE(server["endpoints"]["/props"].is_null());
  EXPECT_EQ(test::ReadFile(run_a / "profile_export_bench.json").find("sekrit"), std::string::npos);

  const auto r = test::RunBench({"compare", run_a.string(), run_b.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("sim-h100-fp8-tp2-pp1-latency"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("sim-h100-bf16-tp4-pp1-throughput"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("differs"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace bench
