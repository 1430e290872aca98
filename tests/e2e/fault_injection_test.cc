// End-to-end, one test per simulator fault: the real bench binary against `--simulator` with the
// fault injected into some (or all) requests. Each test checks the typed classification in
// profile_export.json, the per-kind counts in the JSON summary, the exit code, and that the
// requests that succeeded still have exact token counts and a TTFT no lower than the
// simulator's. No wall-clock upper bounds: the machine is shared.

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

constexpr int kIsl = 6;
constexpr int kOsl = 4;
constexpr double kTtftMs = 5;

struct FaultRun {
  test::CommandResult result;
  nlohmann::json requests;  // profile_export.json experiments[0].requests
  nlohmann::json summary;   // profile_export_genai_perf.json
  int failed = 0;
  int succeeded = 0;
};

// A small streaming chat run at concurrency 1 (so a seeded fault rate is reproducible) with
// `extra` flags appended.
FaultRun RunWithFaults(const std::vector<std::string>& extra, int requests = 8) {
  test::TempDir dir;
  std::vector<std::string> args = {
      "profile", "--simulator", "--streaming", "--concurrency", "1", "--request-count",
      std::to_string(requests), "--isl", std::to_string(kIsl), "--osl", std::to_string(kOsl),
      "--num-dataset-entries", "2", "--sim-ttft-ms", "5", "--sim-itl-ms", "1", "--sim-seed", "3",
      "--artifact-dir", dir.path().string()};
  args.insert(args.end(), extra.begin(), extra.end());
  FaultRun run;
  run.result = test::RunBench(args);
  const fs::path out = dir.path() / "bench-sim-openai-chat-concurrency1";
  const auto pa = test::ReadJson(out / "profile_export.json");
  run.requests = pa["experiments"][0]["requests"];
  run.summary = test::ReadRunJson(out / "profile_export_genai_perf.json");
  for (const auto& r : run.requests) (r.contains("error") ? run.failed : run.succeeded)++;
  return run;
}

// The checks every test shares; `kind` empty = the fault is tolerated (no request fails).
void ExpectClassified(const FaultRun& run, const std::string& kind, int status, bool expect_mix) {
  SCOPED_TRACE(run.result.err);
  ASSERT_FALSE(run.requests.empty());
  for (const auto& r : run.requests) {
    if (!r.contains("error")) continue;
    EXPECT_EQ(r["error"]["kind"], kind) << r["error"].dump();
    EXPECT_EQ(r["error"]["status"], status) << r["error"].dump();
    EXPECT_FALSE(r["error"]["message"].get<std::string>().empty());
  }
  if (kind.empty()) {
    EXPECT_EQ(run.failed, 0);
    EXPECT_FALSE(run.summary.contains("bench") && run.summary["bench"].contains("errors"));
  } else {
    EXPECT_GT(run.failed, 0);
    if (expect_mix) {
      EXPECT_GT(run.succeeded, 0) << "the seeded rate should leave some requests healthy";
    }
    const auto& errors = run.summary["bench"]["errors"];
    EXPECT_EQ(errors["failed_requests"], run.failed);
    EXPECT_EQ(errors["total_requests"], run.requests.size());
    EXPECT_EQ(errors["by_kind"][kind], run.failed);
    EXPECT_EQ(errors["by_kind"].size(), 1u);
  }
  EXPECT_EQ(run.result.exit_code, run.succeeded > 0 ? 0 : 1);
  if (run.succeeded > 0) {
    // Successful requests' metrics are untouched by their neighbours' faults.
    EXPECT_EQ(run.summary["request_count"]["avg"], run.succeeded);
    EXPECT_EQ(run.summary["output_sequence_length"]["min"], kOsl);
    EXPECT_EQ(run.summary["output_sequence_length"]["max"], kOsl);
    EXPECT_EQ(run.summary["input_sequence_length"]["min"], kIsl);
    EXPECT_EQ(run.summary["input_sequence_length"]["max"], kIsl);
    EXPECT_GE(run.summary["time_to_first_token"]["min"].get<double>(), kTtftMs);
  }
}

TEST(FaultInjectionTest, Http429AtARateIsHttpStatus) {
  const FaultRun run = RunWithFaults({"--sim-fault-rate", "http_429=0.5"});
  ExpectClassified(run, "http_status", 429, true);
  for (const auto& r : run.requests) {
    if (r.contains("error")) {
      EXPECT_NE(r["error"]["message"].get<std::string>().find("RateLimitError"), std::string::npos);
      EXPECT_TRUE(r["response_outputs"].empty());  // an error body is never model output
    }
  }
}

TEST(FaultInjectionTest, Http500ForcedByBodyFieldFailsEveryRequest) {
  const FaultRun run = RunWithFaults({"--extra-inputs", "bench_fault:http_500"}, 3);
  ExpectClassified(run, "http_status", 500, false);
  EXPECT_EQ(run.failed, 3);
  EXPECT_NE(run.result.out.find("Failed requests: 3 of 3"), std::string::npos) << run.result.out;
}

TEST(FaultInjectionTest, Http503ForcedByHeaderFailsEveryRequest) {
  const FaultRun run = RunWithFaults({"-H", "X-Bench-Fault: http_503"}, 3);
  ExpectClassified(run, "http_status", 503, false);
  EXPECT_EQ(run.failed, 3);
}

TEST(FaultInjectionTest, RefuseIsReset) {
  ExpectClassified(RunWithFaults({"--sim-fault-rate", "refuse=0.5"}), "reset", 0, true);
}

TEST(FaultInjectionTest, ResetBeforeHeadersIsReset) {
  ExpectClassified(RunWithFaults({"--sim-fault-rate", "reset_before_headers=0.5"}), "reset", 0, true);
}

TEST(FaultInjectionTest, DisconnectMidStreamIsResetAndKeepsThePartialStream) {
  const FaultRun run = RunWithFaults({"--sim-fault-rate", "disconnect_after:2=0.5"});
  ExpectClassified(run, "reset", 200, true);
  for (const auto& r : run.requests) {
    if (r.contains("error")) {
      EXPECT_FALSE(r["response_outputs"].empty());
    }
  }
}

TEST(FaultInjectionTest, StallPastTheRequestTimeoutIsTimeout) {
  ExpectClassified(RunWithFaults({"--sim-fault-rate", "stall:30=0.5", "--request-timeout", "0.4"}, 6), "timeout",
                   200, true);
}

TEST(FaultInjectionTest, SlowHeadersPastTheRequestTimeoutIsTimeoutWithoutStatus) {
  ExpectClassified(RunWithFaults({"--sim-fault-rate", "slow_headers:30=0.5", "--request-timeout", "0.4"}, 6),
                   "timeout", 0, true);
}

TEST(FaultInjectionTest, SlowHeadersWithinTheTimeoutOnlyDelayTheFirstToken) {
  const FaultRun run = RunWithFaults({"--extra-inputs", R"({"bench_fault": "slow_headers:0.05"})"}, 3);
  ExpectClassified(run, "", 0, false);
  EXPECT_GE(run.summary["time_to_first_token"]["min"].get<double>(), kTtftMs + 50);
}

TEST(FaultInjectionTest, MissingBlankLinesAreAMalformedStream) {
  ExpectClassified(RunWithFaults({"--sim-fault-rate", "sse_no_blank_line=0.5"}), "malformed_stream", 200, true);
}

TEST(FaultInjectionTest, JunkLinesAreTolerated) {
  ExpectClassified(RunWithFaults({"--extra-inputs", "bench_fault:sse_junk_lines"}, 4), "", 0, false);
}

TEST(FaultInjectionTest, CommentsAreTolerated) {
  ExpectClassified(RunWithFaults({"--extra-inputs", "bench_fault:sse_comments"}, 4), "", 0, false);
}

TEST(FaultInjectionTest, ErrorEventIsAServerError) {
  const FaultRun run = RunWithFaults({"--sim-fault-rate", "sse_error_event=0.5"});
  ExpectClassified(run, "server_error", 200, true);
  for (const auto& r : run.requests) {
    if (!r.contains("error")) continue;
    EXPECT_NE(r["error"]["message"].get<std::string>().find("simulated error"), std::string::npos);
    EXPECT_FALSE(r["response_outputs"].empty());  // raw responses are kept as evidence
  }
}

TEST(FaultInjectionTest, InvalidJsonChunkIsInvalidJson) {
  ExpectClassified(RunWithFaults({"--sim-fault-rate", "invalid_json_chunk=0.5"}), "invalid_json", 200, true);
}

TEST(FaultInjectionTest, InvalidUtf8IsInvalidJsonAndTheExportStaysValid) {
  const FaultRun run = RunWithFaults({"--sim-fault-rate", "invalid_utf8=0.5"});
  ExpectClassified(run, "invalid_json", 200, true);  // ReadJson already proved the export parses
}

TEST(FaultInjectionTest, BigChunkIsHandledAndCountsOnlyItsText) {
  const FaultRun run = RunWithFaults({"--sim-fault-rate", "big_chunk=0.5"}, 4);
  ExpectClassified(run, "", 0, false);
  size_t biggest = 0;  // bytes of the largest response (libcurl delivers it in 16 KiB reads)
  for (const auto& r : run.requests) {
    size_t bytes = 0;
    for (const auto& o : r["response_outputs"]) bytes += o["response"].get<std::string>().size();
    biggest = std::max(biggest, bytes);
  }
  EXPECT_GT(biggest, 10u << 20);  // at least one request really carried the 10 MiB chunk
}

TEST(FaultInjectionTest, NoDoneIsTheOnlyWarning) {
  const FaultRun run = RunWithFaults({"--sim-fault-rate", "no_done=0.5"});
  ExpectClassified(run, "", 0, false);
  EXPECT_NE(run.result.err.find("ended without 'data: [DONE]'"), std::string::npos) << run.result.err;
}

TEST(FaultInjectionTest, NonStreamingAnswerToAStreamIsAMalformedStream) {
  ExpectClassified(RunWithFaults({"--sim-fault-rate", "non_streaming_answer=0.5"}), "malformed_stream", 200, true);
}

TEST(FaultInjectionTest, UsageOnlyChunksAreTolerated) {
  ExpectClassified(RunWithFaults({"--extra-inputs", "bench_fault:usage_only_chunks"}, 4), "", 0, false);
}

TEST(FaultInjectionTest, ReasoningChunksAreNotCountedAsOutput) {
  // OSL stays exactly --osl: GenAI-Perf counts delta.content only.
  ExpectClassified(RunWithFaults({"--extra-inputs", R"({"bench_fault": "reasoning:3"})"}, 4), "", 0, false);
}

TEST(FaultInjectionTest, SeveralFaultsInOneRunAreCountedPerKind) {
  const FaultRun run = RunWithFaults({"--sim-fault-rate", "http_500=0.2", "--sim-fault-rate", "invalid_json_chunk=0.2",
                            "--sim-fault-rate", "disconnect_after:1=0.2"},
                           12);
  std::map<std::string, int> kinds;
  for (const auto& r : run.requests) {
    if (r.contains("error")) ++kinds[r["error"]["kind"].get<std::string>()];
  }
  int total = 0;
  for (const auto& [kind, n] : kinds) {
    EXPECT_EQ(run.summary["bench"]["errors"]["by_kind"][kind], n) << kind;
    total += n;
  }
  EXPECT_EQ(run.summary["bench"]["errors"]["failed_requests"], total);
  EXPECT_EQ(run.result.exit_code, run.succeeded > 0 ? 0 : 1);
}

TEST(FaultInjectionTest, BadFaultSpecsAreUsageErrors) {
  const auto r = test::RunBench({"profile", "--simulator", "--sim-fault-rate", "http_404=0.1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--sim-fault-rate"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("unknown fault"), std::string::npos) << r.err;
}

TEST(FaultInjectionTest, UnknownForcedFaultIsA400) {
  const FaultRun run = RunWithFaults({"--extra-inputs", "bench_fault:nope"}, 2);
  ExpectClassified(run, "http_status", 400, false);
  EXPECT_NE(run.requests[0]["error"]["message"].get<std::string>().find("unknown fault"), std::string::npos);
}

}  // namespace
}  // namespace bench
