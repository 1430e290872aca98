// bench profile --endpoint-type kserve end to end: the real binary against its own Triton gRPC
// simulator, as a user runs it (table, run directory, files), and against no server at all.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> KserveCommand(const fs::path& artifacts, std::vector<std::string> extra) {
  std::vector<std::string> args = {"profile", "--simulator", "--endpoint-type", "kserve", "--concurrency", "4",
                                   "--request-count", "12", "--synthetic-input-tokens-mean", "50",
                                   "--output-tokens-mean", "10", "--sim-ttft-ms", "3", "--sim-itl-ms", "0.5",
                                   "--artifact-dir", artifacts.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

TEST(KserveRunTest, TensorRtLlmStreamingRunWritesTritonsDirectoryFilesAndTable) {
  test::TempDir dir;
  const test::CommandResult run = test::RunBench(KserveCommand(dir.path(), {"--backend", "tensorrtllm", "--streaming"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const fs::path run_dir = dir.path() / "bench-sim-triton-tensorrtllm-concurrency4";
  ASSERT_TRUE(fs::is_directory(run_dir)) << run.err;
  for (const char* file : {"inputs.json", "profile_export.json", "profile_export_genai_perf.json",
                           "profile_export_genai_perf.csv", "profile_export_bench.json"}) {
    EXPECT_TRUE(fs::exists(run_dir / file)) << file;
  }
  // The streaming rows are in the table: the responses were timed one by one.
  EXPECT_NE(run.out.find("Time To First Token"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("Inter Token Latency"), std::string::npos) << run.out;

  const nlohmann::json inputs = test::ReadJson(run_dir / "inputs.json");
  ASSERT_EQ(inputs["data"].size(), 100u);
  const nlohmann::json& first = inputs["data"][0];
  EXPECT_FALSE(first.contains("payload"));  // tensors, no payload wrapper
  EXPECT_EQ(first["model"], "bench-sim");
  EXPECT_EQ(first["stream"], nlohmann::json::array({true}));
  EXPECT_EQ(first["exclude_input_in_output"], nlohmann::json::array({true}));
  EXPECT_EQ(first["max_tokens"].size(), 1u);

  const nlohmann::json exported = test::ReadJson(run_dir / "profile_export.json");
  EXPECT_EQ(exported["service_kind"], "triton");
  EXPECT_EQ(exported["endpoint"], "");
  const nlohmann::json& requests = exported["experiments"][0]["requests"];
  ASSERT_EQ(requests.size(), 12u);
  for (const auto& r : requests) {
    ASSERT_FALSE(r.contains("error")) << r.dump();
    EXPECT_TRUE(r["request_inputs"]["text_input"].is_string());
    EXPECT_FALSE(r["request_inputs"].contains("model"));
    // One timestamp per streamed response; with one token per response, as many as max_tokens.
    ASSERT_EQ(r["response_outputs"].size(), r["response_timestamps"].size());
    EXPECT_EQ(r["response_outputs"].size(), r["request_inputs"]["max_tokens"].get<size_t>());
    EXPECT_TRUE(r["response_outputs"][0].contains("text_output"));
  }
  const nlohmann::json genai = test::ReadJson(run_dir / "profile_export_genai_perf.json");
  EXPECT_EQ(genai["input_config"]["endpoint"]["service_kind"], "triton");
  EXPECT_EQ(genai["input_config"]["endpoint"]["backend"], "tensorrtllm");
  EXPECT_GT(genai["output_sequence_length"]["avg"].get<double>(), 0);
  EXPECT_GT(genai["inter_token_latency"]["avg"].get<double>(), 0);
}

TEST(KserveRunTest, VllmNonStreamingRunUsesModelInfer) {
  test::TempDir dir;
  const test::CommandResult run = test::RunBench(KserveCommand(dir.path(), {"--backend", "vllm"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const fs::path run_dir = dir.path() / "bench-sim-triton-vllm-concurrency4";
  const nlohmann::json inputs = test::ReadJson(run_dir / "inputs.json");
  EXPECT_FALSE(inputs["data"][0].contains("stream"));
  ASSERT_EQ(inputs["data"][0]["sampling_parameters"].size(), 1u);
  const nlohmann::json exported = test::ReadJson(run_dir / "profile_export.json");
  for (const auto& r : exported["experiments"][0]["requests"]) {
    ASSERT_FALSE(r.contains("error")) << r.dump();
    EXPECT_EQ(r["response_outputs"].size(), 1u);  // the whole answer in one response
  }
  EXPECT_EQ(run.out.find("Time To First Token"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("Request Latency"), std::string::npos) << run.out;
}

TEST(KserveRunTest, ServiceKindTritonIsKserve) {
  test::TempDir dir;
  const test::CommandResult run = test::RunBench(
      {"profile", "--simulator", "--service-kind", "triton", "--backend", "vllm", "--streaming", "--request-count",
       "4", "--output-tokens-mean", "4", "--sim-ttft-ms", "1", "--sim-itl-ms", "0.1", "--artifact-dir",
       dir.path().string(), "-q"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(fs::is_directory(dir.path() / "bench-sim-triton-vllm-concurrency1"));
}

TEST(KserveRunTest, NoServerIsExitThreeWithOneLine) {
  test::TempDir dir;
  // A port nothing listens on: bound and closed by the OS for this test.
  const test::CommandResult run = test::RunBench({"profile", "-m", "m", "--tokenizer", "builtin", "--endpoint-type", "kserve", "--url",
                                                  "127.0.0.1:9", "--artifact-dir", dir.path().string()});
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_EQ(test::Occurrences(run.err, "cannot reach the Triton server at 127.0.0.1:9 over gRPC"), 1u) << run.err;
}

TEST(KserveRunTest, BackendWithAnOpenAiEndpointIsAUsageError) {
  const test::CommandResult run = test::RunBench({"profile", "--simulator", "--backend", "vllm"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--backend: only for --endpoint-type kserve"), std::string::npos) << run.err;
}

// gRPC is in bench-grpc.so, loaded only by kserve runs (util/shared_module): the executable
// itself does not need any of gRPC's, protobuf's or absl's libraries (issue #23, start-up).
TEST(KserveRunTest, BenchDoesNotLinkGrpcItsModuleDoes) {
  const test::CommandResult bench = test::RunProgram("ldd", {BENCH_BINARY});
  ASSERT_EQ(bench.exit_code, 0) << bench.err;
  ASSERT_NE(bench.out.find("libstdc++"), std::string::npos) << bench.out;  // ldd did list libraries
  for (const char* library : {"libgrpc", "libprotobuf", "libabsl", "libupb", "libcares", "libre2"}) {
    EXPECT_EQ(bench.out.find(library), std::string::npos) << library << " in\n" << bench.out;
  }
  const fs::path module = fs::path(BENCH_BINARY).parent_path() / "bench-grpc.so";
  const test::CommandResult grpc = test::RunProgram("ldd", {module.string()});
  ASSERT_EQ(grpc.exit_code, 0) << grpc.err;
  EXPECT_NE(grpc.out.find("libgrpc++"), std::string::npos) << grpc.out;
}

// A bench copied away from its module: one line naming where it looked, exit 1, no crash; runs
// that do not need gRPC are unaffected.
TEST(KserveRunTest, MissingModuleIsExitOneWithOneLineNamingThePaths) {
  test::TempDir dir;
  const fs::path lone = dir.path() / "bin" / "bench";
  fs::create_directories(lone.parent_path());
  fs::copy_file(BENCH_BINARY, lone);
  fs::permissions(lone, fs::perms::owner_all);
  const test::CommandResult run = test::RunProgram(
      lone.string(), KserveCommand(dir.path() / "artifacts", {"-q"}));
  EXPECT_EQ(run.exit_code, 1) << run.err;
  const std::string expected = "--endpoint-type kserve: bench-grpc.so not found (looked for " +
                               (lone.parent_path() / "bench-grpc.so").string() + " and " +
                               (dir.path() / "lib" / "bench" / "bench-grpc.so").string() + ")";
  EXPECT_EQ(test::Occurrences(run.err, expected), 1u) << run.err;
  EXPECT_EQ(test::Occurrences(run.err, "\n"), 1u) << run.err;

  const test::CommandResult chat = test::RunProgram(
      lone.string(), {"profile", "--simulator", "--request-count", "1", "--output-tokens-mean", "2", "--sim-ttft-ms",
                      "1", "--sim-itl-ms", "0.1", "-q", "--artifact-dir", (dir.path() / "chat").string()});
  EXPECT_EQ(chat.exit_code, 0) << chat.err;
}

// A module that is there but does not load (here: not an ELF file) is named with dlerror's reason.
TEST(KserveRunTest, BrokenModuleIsExitOneWithDlerror) {
  test::TempDir dir;
  const fs::path lone = dir.path() / "bench";
  fs::copy_file(BENCH_BINARY, lone);
  fs::permissions(lone, fs::perms::owner_all);
  std::ofstream(dir.path() / "bench-grpc.so") << "not a shared object\n";
  const test::CommandResult run =
      test::RunProgram(lone.string(), KserveCommand(dir.path() / "artifacts", {"-q"}));
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(test::Occurrences(run.err, "--endpoint-type kserve: cannot load " + (dir.path() / "bench-grpc.so").string() + ": "),
            1u)
      << run.err;
}

}  // namespace
}  // namespace bench
