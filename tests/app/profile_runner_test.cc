// End-to-end: the real bench binary against the in-process simulator on 127.0.0.1:0.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "tokenizer/builtin_tokenizer.h"
#include "sim/simulator.h"
#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

const fs::path kRunDir = "bench-sim-openai-chat-concurrency4";

test::CommandResult RunSimulatedProfile(const fs::path& artifacts, std::vector<std::string> extra) {
  std::vector<std::string> args = {"profile", "--simulator", "--streaming", "--concurrency", "4",
                                    "--request-count", "12", "--warmup-request-count", "3",
                                    "--isl", "20", "--osl", "8", "--num-dataset-entries", "5",
                                    "--sim-ttft-ms", "15", "--sim-itl-ms", "1",
                                    "--artifact-dir", artifacts.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return test::RunBench(args);
}

TEST(ProfileRunnerTest, SimulatorRunWritesEveryArtifactWithConsistentNumbers) {
  test::TempDir dir;
  const auto r = RunSimulatedProfile(dir.path(), {});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("NVIDIA GenAI-Perf | LLM Metrics"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Time To First Token (ms)"), std::string::npos);

  const fs::path run = dir.path() / kRunDir;
  for (const char* f : {"inputs.json", "profile_export.json", "profile_export_genai_perf.json",
                        "profile_export_genai_perf.csv", "profile_export_bench.json"}) {
    EXPECT_TRUE(fs::exists(run / f)) << f;
  }
  // inputs.json: one entry per dataset entry, prompts of exactly --isl builtin tokens.
  const auto inputs = test::ReadJson(run / "inputs.json");
  ASSERT_EQ(inputs["data"].size(), 5u);
  auto tok = MakeBuiltinTokenizer();
  const auto& body = inputs["data"][0]["payload"][0];
  EXPECT_EQ(body["max_tokens"], 8);
  EXPECT_EQ(body["stream"], true);
  EXPECT_EQ(tok->CountTokens(body["messages"][0]["content"].get<std::string>()), 20u);

  // profile_export.json: exactly the measured requests (warm-up excluded), PA schema.
  const auto pa = test::ReadJson(run / "profile_export.json");
  ASSERT_EQ(pa["experiments"].size(), 1u);
  EXPECT_EQ(pa["experiments"][0]["experiment"]["mode"], "concurrency");
  EXPECT_EQ(pa["experiments"][0]["experiment"]["value"], 4);
  EXPECT_EQ(pa["service_kind"], "openai");
  EXPECT_EQ(pa["endpoint"], "v1/chat/completions");
  const auto& requests = pa["experiments"][0]["requests"];
  ASSERT_EQ(requests.size(), 12u);
  for (const auto& req : requests) {
    EXPECT_TRUE(req["request_inputs"]["payload"].is_string());
    ASSERT_FALSE(req["response_timestamps"].empty());
    EXPECT_GT(req["response_timestamps"][0].get<int64_t>(), req["timestamp"].get<int64_t>());
    EXPECT_EQ(req["response_timestamps"].size(), req["response_outputs"].size());
    EXPECT_FALSE(req.contains("error"));
  }

  // profile_export_genai_perf.json: counts, units, and the simulator's configured timing
  // as a lower bound (never an upper bound: the machine is shared).
  const auto gp = test::ReadJson(run / "profile_export_genai_perf.json");
  EXPECT_EQ(gp["request_count"]["avg"], 12.0);
  EXPECT_EQ(gp["time_to_first_token"]["unit"], "ms");
  EXPECT_GE(gp["time_to_first_token"]["min"].get<double>(), 15.0);
  // Only end-to-end lower bounds hold on a loaded machine: a descheduled client reads several
  // tokens at once, so a measured ITL can be below the server's, but no request can end before
  // the server wrote its last token (TTFT 15 ms + 7 gaps of 1 ms).
  EXPECT_GE(gp["request_latency"]["min"].get<double>(), 15.0 + 7 * 1.0);
  EXPECT_EQ(gp["output_sequence_length"]["min"], 8.0);  // builtin tokenizer counts exactly
  EXPECT_EQ(gp["output_sequence_length"]["max"], 8.0);
  EXPECT_EQ(gp["input_sequence_length"]["avg"], 20.0);
  EXPECT_GT(gp["request_throughput"]["avg"].get<double>(), 0.0);
  EXPECT_EQ(gp["input_config"]["perf_analyzer"]["stimulus"]["concurrency"], 4);

  const std::string csv = test::ReadFile(run / "profile_export_genai_perf.csv");
  EXPECT_EQ(csv.rfind("Metric,avg,min,max,p99,p95,p90,p75,p50,p25,p10,p5,p1\r\n", 0), 0u) << csv;
  EXPECT_NE(csv.find("Request Count (count),12.00\r\n"), std::string::npos) << csv;
}

TEST(ProfileRunnerTest, ReportRecomputesTheSameNumbersFromTheExport) {
  test::TempDir dir;
  ASSERT_EQ(RunSimulatedProfile(dir.path(), {}).exit_code, 0);
  const fs::path run = dir.path() / kRunDir;
  const auto original = test::ReadJson(run / "profile_export_genai_perf.json");
  // No --tokenizer: the one the run recorded (builtin) is used; results go beside the export.
  const auto r = test::RunBench({"report", "--profile-export", (run / "profile_export.json").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("tokenizer the run recorded: builtin"), std::string::npos) << r.err;
  const auto again = test::ReadJson(run / "profile_export_genai_perf.json");
  EXPECT_EQ(again["input_config"], original["input_config"]);
  for (const char* metric : {"time_to_first_token", "request_latency", "inter_token_latency",
                             "output_sequence_length", "input_sequence_length"}) {
    EXPECT_EQ(again[metric]["avg"], original[metric]["avg"]) << metric;
    EXPECT_EQ(again[metric]["p99"], original[metric]["p99"]) << metric;
  }
  EXPECT_EQ(again["request_throughput"], original["request_throughput"]);
}

TEST(ProfileRunnerTest, BothHttpClientsMeasureTheSameStreams) {
  for (const char* client : {"native", "curl"}) {
    test::TempDir dir;
    const auto r = RunSimulatedProfile(dir.path(), {"--http-client", client});
    ASSERT_EQ(r.exit_code, 0) << client << ": " << r.err;
    EXPECT_NE(r.err.find(std::string(client == std::string("curl") ? "libcurl" : "native") + " HTTP client"),
              std::string::npos)
        << r.err;
    const auto stats = test::ReadJson(dir.path() / kRunDir / "profile_export_genai_perf.json");
    EXPECT_EQ(stats["request_count"]["avg"], 12) << client;
    EXPECT_EQ(stats["output_sequence_length"]["min"], 8) << client;
    EXPECT_EQ(stats["output_sequence_length"]["max"], 8) << client;
    EXPECT_GE(stats["time_to_first_token"]["min"].get<double>(), 15.0) << client;
    const auto pa = test::ReadJson(dir.path() / kRunDir / "profile_export.json");
    for (const auto& req : pa["experiments"][0]["requests"]) {
      EXPECT_FALSE(req.contains("error")) << client << ": " << req.dump();
      EXPECT_NE(req["response_outputs"].back()["response"].get<std::string>().find("data: [DONE]"), std::string::npos)
          << "the last read holds [DONE]";
    }
  }
}

TEST(ProfileRunnerTest, NonStreamingRunHidesStreamingRows) {
  test::TempDir dir;
  const auto r = test::RunBench({"profile", "--simulator", "--concurrency", "2", "--request-count", "4",
                                 "--isl", "5", "--osl", "3", "--num-dataset-entries", "2",
                                 "--sim-ttft-ms", "1", "--sim-itl-ms", "0",
                                 "--artifact-dir", dir.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("Time To First Token"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Request Latency (ms)"), std::string::npos) << r.out;
}

TEST(ProfileRunnerTest, UnreachableServerFailsBeforeAnyLoadWithExitCode3) {
  test::TempDir dir;
  // Port 1 on loopback: nothing listens there.
  const auto r = test::RunBench({"profile", "-m", "m", "--url", "127.0.0.1:1", "--tokenizer", "builtin",
                                 "--artifact-dir", dir.path().string()});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("cannot reach the server"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(ProfileRunnerTest, BrokenTokenizerFileIsAnInputErrorNamingTheFlag) {
  const auto r = test::RunBench({"profile", "-m", "m", "--url", "127.0.0.1:1", "--tokenizer", "no-such-file.json"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("--tokenizer: tokenizer 'no-such-file.json': no such file"), std::string::npos) << r.err;
}

// A model name with no tokenizer to find (here vLLM's default served name, a server path) runs
// on with the built-in tokenizer and a warning; exit 3 shows it got past the tokenizer.
TEST(ProfileRunnerTest, UnresolvableModelNameWarnsAndFallsBack) {
  const auto r = test::RunBench({"profile", "-m", "/models/no-such-model", "--url", "127.0.0.1:1"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("[warning] tokenizer '/models/no-such-model' could not be loaded"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("approximate for this model"), std::string::npos) << r.err;
}

TEST(ProfileRunnerTest, HttpErrorsAreRecordedAndTheRunExitsNonZero) {
  // A real simulator, but the wrong path: every request gets HTTP 404.
  SimulatorOptions options;
  options.port = 0;
  Simulator sim(options);
  const uint16_t port = sim.Start();
  test::TempDir dir;
  const auto r = test::RunBench({"profile", "-m", "m", "--url", "127.0.0.1:" + std::to_string(port),
                                 "--endpoint", "v1/nope", "--tokenizer", "builtin", "--request-count", "3",
                                 "--artifact-dir", dir.path().string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto pa = test::ReadJson(dir.path() / "m-openai-chat-concurrency1" / "profile_export.json");
  const auto& requests = pa["experiments"][0]["requests"];
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0]["error"]["kind"], "http_status");
  EXPECT_EQ(requests[0]["error"]["status"], 404);
  EXPECT_NE(r.out.find("Failed requests"), std::string::npos) << r.out;
}

TEST(ProfileRunnerTest, SecretsNeverReachArtifactsOrLogs) {
  test::TempDir dir;
  const std::string key = "sk-test-SECRET-1234567890";
  const auto r = RunSimulatedProfile(dir.path(), {"-H", "Authorization: Bearer " + key, "-v"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find(key), std::string::npos);
  EXPECT_EQ(r.err.find(key), std::string::npos);
  for (const auto& entry : fs::recursive_directory_iterator(dir.path())) {
    if (!entry.is_regular_file()) continue;
    EXPECT_EQ(test::ReadFile(entry.path()).find(key), std::string::npos) << entry.path();
  }
}

}  // namespace
}  // namespace bench

namespace bench {
namespace {

// Largest number of requests whose [send, last response] intervals overlap.
size_t MaxInFlight(const nlohmann::json& requests) {
  std::vector<std::pair<int64_t, int>> events;
  for (const auto& r : requests) {
    events.emplace_back(r["timestamp"].get<int64_t>(), +1);
    events.emplace_back(r["response_timestamps"].back().get<int64_t>(), -1);
  }
  std::sort(events.begin(), events.end());  // an end sorts before a start at the same instant
  size_t now = 0, peak = 0;
  for (const auto& [t, delta] : events) {
    now += delta;
    peak = std::max(peak, now);
  }
  return peak;
}

TEST(ProfileRunnerTest, ClosedLoopKeepsExactlyConcurrencyRequestsInFlight) {
  test::TempDir dir;
  ASSERT_EQ(RunSimulatedProfile(dir.path(), {}).exit_code, 0);
  const auto pa = test::ReadJson(dir.path() / kRunDir / "profile_export.json");
  EXPECT_EQ(MaxInFlight(pa["experiments"][0]["requests"]), 4u);
}

TEST(ProfileRunnerTest, RequestRateRunsOnScheduleAndRecordsIntendedTimes) {
  test::TempDir dir;
  const auto r = test::RunBench({"profile", "--simulator", "--streaming", "--request-rate", "50",
                                 "--request-count", "20", "--osl", "4", "--isl", "8", "--num-dataset-entries", "3",
                                 "--sim-ttft-ms", "2", "--sim-itl-ms", "1", "--artifact-dir", dir.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path run = dir.path() / "bench-sim-openai-chat-request_rate50.0";
  const auto pa = test::ReadJson(run / "profile_export.json");
  EXPECT_EQ(pa["experiments"][0]["experiment"]["mode"], "request_rate");
  EXPECT_TRUE(pa["experiments"][0]["experiment"]["value"].is_number_float());
  EXPECT_EQ(pa["experiments"][0]["experiment"]["value"], 50.0);
  const auto& requests = pa["experiments"][0]["requests"];
  ASSERT_EQ(requests.size(), 20u);
  // The export lists requests as they finished; on a busy machine that is not always the order
  // of their slots, so the slots are compared in order.
  std::vector<int64_t> slots;
  for (size_t k = 0; k < requests.size(); ++k) {
    const int64_t intended = requests[k]["intended_timestamp"].get<int64_t>();
    slots.push_back(intended);
    EXPECT_GE(requests[k]["timestamp"].get<int64_t>(), intended) << "sent before its time: " << k;
  }
  std::sort(slots.begin(), slots.end());
  for (size_t k = 0; k < slots.size(); ++k) {
    // Constant schedule: exactly 20 ms apart (the anchor maps monotonic to epoch by an offset).
    EXPECT_EQ(slots[k] - slots[0], static_cast<int64_t>(k) * 20'000'000) << k;
  }
  const auto gp = test::ReadRunJson(run / "profile_export_genai_perf.json");
  EXPECT_EQ(gp["request_count"]["avg"], 20.0);
  EXPECT_EQ(gp["input_config"]["perf_analyzer"]["stimulus"]["request_rate"], 50.0);
  ASSERT_TRUE(gp.contains("bench")) << "schedule lag is reported";
  EXPECT_EQ(gp["bench"]["schedule_lag"]["unit"], "ms");
  EXPECT_GE(gp["bench"]["schedule_lag"]["min"].get<double>(), 0.0);
  // Measured from the intended time, TTFT can only be longer than from the actual send.
  EXPECT_GE(gp["bench"]["time_to_first_token_from_intended"]["avg"].get<double>(),
            gp["time_to_first_token"]["avg"].get<double>());
  EXPECT_GE(gp["bench"]["request_latency_from_intended"]["min"].get<double>(), 2.0);
}

TEST(ProfileRunnerTest, RequestRateWithConcurrencyCapSendsLateNotNever) {
  test::TempDir dir;
  // 200 req/s but at most 1 in flight while each request takes >= 20 ms: requests queue.
  const auto r = test::RunBench({"profile", "--simulator", "--request-rate", "200", "--concurrency", "1",
                                 "--request-count", "6", "--osl", "2", "--isl", "4", "--sim-ttft-ms", "20",
                                 "--sim-itl-ms", "0", "--artifact-dir", dir.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto pa = test::ReadJson(dir.path() / "bench-sim-openai-chat-request_rate200.0" / "profile_export.json");
  const auto& requests = pa["experiments"][0]["requests"];
  ASSERT_EQ(requests.size(), 6u);
  EXPECT_EQ(MaxInFlight(requests), 1u);
  // The last request was due at 25 ms but could only leave after five 20 ms requests.
  const int64_t lag = requests[5]["timestamp"].get<int64_t>() - requests[5]["intended_timestamp"].get<int64_t>();
  EXPECT_GE(lag, 5 * 20'000'000 - 25'000'000);
  EXPECT_NE(r.err.find("requests left late"), std::string::npos) << r.err;
}

TEST(ProfileRunnerTest, RequestTimeoutIsRecordedAsTimeout) {
  test::TempDir dir;
  const auto r = test::RunBench({"profile", "--simulator", "--streaming", "--request-count", "2", "--osl", "2",
                                 "--isl", "4", "--sim-ttft-ms", "3000", "--request-timeout", "0.2",
                                 "--artifact-dir", dir.path().string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto pa = test::ReadJson(dir.path() / "bench-sim-openai-chat-concurrency1" / "profile_export.json");
  const auto& requests = pa["experiments"][0]["requests"];
  ASSERT_EQ(requests.size(), 2u);
  for (const auto& req : requests) {
    EXPECT_EQ(req["error"]["kind"], "timeout");
    // The role chunk arrived before the timeout: the partial stream is kept.
    EXPECT_FALSE(req["response_outputs"].empty());
  }
}

}  // namespace
}  // namespace bench

namespace bench {
namespace {


// CI gates and --quiet (issue 5): a passing and a failing --fail-if on one simulator run.
TEST(ProfileRunnerGateTest, FailedGateExitsSixNamingGateAndValue) {
  test::TempDir dir;
  const auto r = RunSimulatedProfile(dir.path(), {"--fail-if", "p99(time_to_first_token) > 10s", "--fail-if",
                                                  "avg(time_to_first_token) > 1ms", "--fail-if", "error_rate > 0%"});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("gate passed: p99(time_to_first_token) = "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("[error] gate failed: avg(time_to_first_token) = "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" ms > 1 ms"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("gate failed: error_rate"), std::string::npos) << r.err;
  // The artifacts are written whatever the gates say.
  EXPECT_TRUE(fs::exists(dir.path() / kRunDir / "profile_export_genai_perf.json"));
  // `bench report` re-checks gates offline.
  const auto offline = test::RunBench({"report", "-f", (dir.path() / kRunDir / "profile_export.json").string(),
                                       "--fail-if", "p99(request_latency) > 1 us"});
  EXPECT_EQ(offline.exit_code, 6) << offline.err;
  EXPECT_NE(offline.err.find("gate failed: p99(request_latency) = "), std::string::npos) << offline.err;
  const auto offline_ok = test::RunBench({"report", "-f", (dir.path() / kRunDir / "profile_export.json").string(),
                                          "--fail-if", "p99(request_latency) > 1 min"});
  EXPECT_EQ(offline_ok.exit_code, 2) << offline_ok.err;
  EXPECT_NE(offline_ok.err.find("--fail-if 'p99(request_latency) > 1 min': at position 26: unknown unit 'min'"),
            std::string::npos)
      << offline_ok.err;
}

TEST(ProfileRunnerGateTest, PassingGatesExitZero) {
  test::TempDir dir;
  const auto r = RunSimulatedProfile(dir.path(), {"--fail-if", "p99(time_to_first_token) > 10s", "--fail-if",
                                                  "request_count < 12", "--fail-if", "error_rate > 0.1%"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(ProfileRunnerGateTest, QuietPrintsOnlyTheTableAndNoProgressWithoutATerminal) {
  test::TempDir dir;
  const auto r = RunSimulatedProfile(dir.path(), {"--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Warnings still reach stderr (on a busy machine the client may warn about contention);
  // nothing else does.
  std::istringstream err_lines(r.err);
  for (std::string line; std::getline(err_lines, line);) EXPECT_EQ(line.rfind("[warning] ", 0), 0u) << line;
  EXPECT_NE(r.out.find("NVIDIA GenAI-Perf | LLM Metrics"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("[info]"), std::string::npos) << r.out;
  // Without --quiet, logs go to stderr, but never a progress line: stderr is not a terminal.
  const auto loud = RunSimulatedProfile(dir.path(), {});
  ASSERT_EQ(loud.exit_code, 0) << loud.err;
  EXPECT_NE(loud.err.find("[info]"), std::string::npos);
  EXPECT_EQ(loud.err.find('\r'), std::string::npos);
}

}  // namespace
}  // namespace bench

namespace bench {
namespace {

// Issue 6: every request carries a unique X-Request-Id, recorded in the export; the client's
// own load is reported.
TEST(ProfileRunnerRequestIdTest, EveryRequestHasAUniquePrefixedId) {
  test::TempDir dir;
  const auto r = RunSimulatedProfile(dir.path(), {"--request-id-prefix", "run7-"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto pa = test::ReadJson(dir.path() / kRunDir / "profile_export.json");
  std::set<std::string> ids;
  for (const auto& req : pa["experiments"][0]["requests"]) {
    const std::string id = req.at("request_id").get<std::string>();
    EXPECT_EQ(id.rfind("run7-", 0), 0u) << id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 12u);
  EXPECT_EQ(ids.count("run7-0"), 0u);  // 0..2 went to the warm-up
  const auto gp = test::ReadRunJson(dir.path() / kRunDir / "profile_export_genai_perf.json");
  const auto& client = gp.at("bench").at("client");
  EXPECT_EQ(client["worker_threads"], 1);
  EXPECT_GT(client["loop_passes"].get<int64_t>(), 0);
  EXPECT_GE(client["loop_pass_ms"]["max"].get<double>(), client["loop_pass_ms"]["p50"].get<double>());
  // The native client times reads by the kernel's receive stamp on loopback.
  EXPECT_GT(client["read_timestamps"]["reads"].get<int64_t>(), 0);
  // (The first packets of a run may precede the kernel's stamping switch: counted, not hidden.)
  const auto& stamps = client["read_timestamps"];
  EXPECT_GT(stamps["kernel_stamped"].get<int64_t>(), 0);
  EXPECT_EQ(stamps["kernel_stamped"].get<int64_t>() + stamps["without_kernel_stamp"].get<int64_t>(),
            stamps["reads"].get<int64_t>());
  EXPECT_NE(r.out.find("Client Busiest Loop CPU (%): "), std::string::npos) << r.out;
  // 12 streams of 8 content events each (the role-only first chunk carries no content).
  const auto& shared = gp.at("bench").at("events_sharing_timestamp");
  EXPECT_GE(shared["events"].get<int64_t>(), 12 * 8);
  EXPECT_LE(shared["sharing"].get<int64_t>(), shared["events"].get<int64_t>());
  // GenAI-Perf's CSV has no place for them: its two tables end the file.
  const std::string csv = test::ReadFile(dir.path() / kRunDir / "profile_export_genai_perf.csv");
  EXPECT_EQ(csv.find("Client"), std::string::npos) << csv;
  EXPECT_TRUE(csv.ends_with("\r\nRequest Count (count),12.00\r\n")) << csv;
}

TEST(ProfileRunnerRequestIdTest, TheUsersOwnHeaderWins) {
  test::TempDir dir;
  const auto r = RunSimulatedProfile(dir.path(), {"-H", "x-request-id: mine"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto pa = test::ReadJson(dir.path() / kRunDir / "profile_export.json");
  for (const auto& req : pa["experiments"][0]["requests"]) EXPECT_EQ(req.at("request_id"), "mine");
}

}  // namespace
}  // namespace bench
