// The real bench binary against a real inference server nobody here wrote: llama.cpp's
// llama-server from Debian's package serving tiny-llama, prepared by scripts/llama-server.sh
// (docs/testing.md). Every run must end by itself with every request accounted for, on both HTTP
// clients, and survive the server dying, restarting or not being there yet.
//
// Each test starts its own server on a free port (about 0.3 s), so tests may run in parallel and
// may kill it. Without a prepared server the tests skip saying what to run; with CI=true they fail.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e/llama_harness.h"
#include "test_util.h"

namespace bench {
namespace {

using namespace llama;
namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace std::chrono_literals;

// --- What the server says it is ----------------------------------------------------------------

// llama.cpp answers /props (and /v1/models) but none of NIM's, vLLM's or TGI's endpoints: the
// bench file names the engine, its build and the GGUF it serves, and records the others absent.
TEST_F(LlamaServerTest, PropsIdentityIsRecordedInTheBenchFile) {
  const auto r = test::RunBenchWithin(Seed({}), kRunDeadline);
  ASSERT_EQ(r.exit_code, 0) << Explain(r);
  json server = Stats()["bench"]["server"];
  EXPECT_EQ(server["engine"], "llama.cpp") << server.dump(1);
  EXPECT_EQ(server["model"], "tiny-llama");
  EXPECT_FALSE(server.value("version", "").empty()) << "build_info";
  EXPECT_NE(server.value("model_path", "").find(".gguf"), std::string::npos) << server.dump(1);
  EXPECT_TRUE(server["endpoints"]["/props"].is_object());
  EXPECT_TRUE(server["endpoints"]["/v1/metadata"].is_null());
  EXPECT_TRUE(server["endpoints"]["/info"].is_null());
}

// --- Every run ends by itself, every request accounted for -------------------------------------

class LlamaSeedTest : public LlamaServerTest, public testing::WithParamInterface<std::string> {};

TEST_P(LlamaSeedTest, SeedCommandEndsWithEveryRequestAnswered) {
  const auto r = test::RunBenchWithin(Seed({"--http-client", GetParam()}), kRunDeadline);
  ASSERT_EQ(r.exit_code, 0) << Explain(r);
  ExpectAllSucceeded(8, GetParam());
  for (const auto& req : Requests()) {
    EXPECT_NE(req["response_outputs"].back()["response"].get<std::string>().find("[DONE]"), std::string::npos)
        << "the stream ended with [DONE]";
  }
  const json stats = Stats();
  EXPECT_EQ(stats["input_sequence_length"]["avg"], 50.0);
  EXPECT_GT(stats["output_sequence_length"]["min"].get<double>(), 0.0);
  EXPECT_GT(stats["time_to_first_token"]["min"].get<double>(), 0.0);
}

INSTANTIATE_TEST_SUITE_P(HttpClients, LlamaSeedTest, testing::Values("native", "curl"));

TEST_F(LlamaServerTest, BothHttpClientsCountTheSameRequestsAndTokens) {
  // Greedy decoding, one request at a time, no prompt cache: the server computes every answer
  // the same way (a cached prefix or another sequence in the batch can change a greedy pick), so
  // the same prompts give the same texts and the same output lengths.
  json stats[2];
  int i = 0;
  for (const char* client : {"native", "curl"}) {
    test::TempDir dir;
    const auto args = Set(Set(Seed({"--http-client", client, "--extra-inputs", "temperature:0", "--extra-inputs",
                                    "cache_prompt:false"}),
                              "--concurrency", "1"),
                          "--artifact-dir", dir.path().string());
    const auto r = test::RunBenchWithin(args, kRunDeadline);
    ASSERT_EQ(r.exit_code, 0) << client << ": " << Explain(r);
    for (const auto& e : fs::directory_iterator(dir.path())) {
      stats[i] = test::ReadJson(e.path() / "profile_export_genai_perf.json");
    }
    ++i;
  }
  EXPECT_EQ(stats[0]["request_count"], stats[1]["request_count"]);
  EXPECT_EQ(stats[0]["input_sequence_length"], stats[1]["input_sequence_length"]);
  EXPECT_EQ(stats[0]["output_sequence_length"], stats[1]["output_sequence_length"]);
}

// llama-server runs with --metrics: its own llamacpp: counters over the measured phase are
// collected beside bench's numbers (bench file and the rows under the table).
TEST_F(LlamaServerTest, CollectsItsLlamacppServerMetrics) {
  const auto r = test::RunBenchWithin(Seed({"--server-metrics-url", server_.url() + "/metrics"}), kRunDeadline);
  ASSERT_EQ(r.exit_code, 0) << Explain(r);
  ExpectAllSucceeded(8, "native");
  const json source = Stats()["bench"]["telemetry"]["sources"][0];
  EXPECT_EQ(source["failed_scrapes"], 0);
  EXPECT_EQ(source["malformed_lines"], 0);
  EXPECT_EQ(source["gpu_metrics"], false);
  const json& server = source["server_metrics"];
  EXPECT_EQ(server["servers"], json::array({"llamacpp"}));
  const json& m = server["metrics"];
  // A fresh server, scraped right before the first request and right after the last one:
  // 8 requests x 20 tokens (ignore_eos), as bench counted them.
  EXPECT_EQ(m["generation_tokens"]["increase"], 160.0) << server.dump(2);
  EXPECT_GE(m["prompt_tokens"]["increase"].get<double>() + m["cached_prompt_tokens"]["increase"].get<double>(),
            8 * 50.0);
  EXPECT_GT(m["time_per_output_token"]["value"].get<double>(), 0.0);
  EXPECT_GT(m["prefill_time_per_token"]["value"].get<double>(), 0.0);
  EXPECT_NE(r.out.find("Server Time Per Output Token (ms) [llamacpp]: "), std::string::npos) << r.out;
  // Each answer's own timings object: the server's prefill inside the client's first read.
  const json timings = Stats()["bench"]["telemetry"]["request_timings"];
  EXPECT_EQ(timings["requests"], 8);
  EXPECT_GT(timings["server_prompt_ms"]["avg"].get<double>(), 0.0);
  EXPECT_GE(timings["client_first_read_ms"]["p50"].get<double>(), timings["server_prompt_ms"]["p50"].get<double>());
  EXPECT_GT(timings["server_ms_per_output_token"]["avg"].get<double>(), 0.0);
  EXPECT_NE(r.out.find("First Read Outside Server Prefill (ms) [timings]: avg "), std::string::npos) << r.out;
}

TEST_F(LlamaServerTest, NonStreamingChat) {
  for (const char* client : {"native", "curl"}) {
    const auto r = test::RunBenchWithin(Without(Seed({"--http-client", client}), "--streaming", false), kRunDeadline);
    ASSERT_EQ(r.exit_code, 0) << client << ": " << Explain(r);
    ExpectAllSucceeded(8, client);
    fs::remove_all(RunDir());
  }
}

TEST_F(LlamaServerTest, CompletionsStreamingAndNot) {
  for (const bool streaming : {true, false}) {
    auto args = Set(Seed({}), "--endpoint-type", "completions");
    if (!streaming) args = Without(args, "--streaming", false);
    const auto r = test::RunBenchWithin(args, kRunDeadline);
    ASSERT_EQ(r.exit_code, 0) << "streaming " << streaming << ": " << Explain(r);
    ExpectAllSucceeded(8, streaming ? "streaming" : "not streaming");
    EXPECT_GT(Stats()["output_sequence_length"]["min"].get<double>(), 0.0);
    fs::remove_all(RunDir());
  }
}

TEST_F(LlamaServerTest, RequestRate) {
  const auto args = Set(Without(Seed({"--request-rate", "20"}), "--concurrency", true), "--request-count", "20");
  const auto r = test::RunBenchWithin(args, kRunDeadline);
  ASSERT_EQ(r.exit_code, 0) << Explain(r);
  ExpectAllSucceeded(20, "--request-rate 20");
}

// Requests still in flight when the time is up are cancelled: accounted for, not lost.
void ExpectOnlyCancelled(const json& requests, const std::string& what) {
  for (const auto& req : requests) {
    if (req.contains("error")) {
      EXPECT_EQ(req["error"]["kind"], "cancelled") << what << ": " << req.dump().substr(0, 400);
    }
  }
}

TEST_F(LlamaServerTest, BenchmarkDuration) {
  for (const char* client : {"native", "curl"}) {
    const auto args = Set(Without(Seed({"--http-client", client}), "--request-count", true), "--benchmark-duration", "3");
    const auto started = std::chrono::steady_clock::now();
    const auto r = test::RunBenchWithin(args, kRunDeadline);
    ASSERT_EQ(r.exit_code, 0) << client << ": " << Explain(r);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 30s) << client;
    const json requests = Requests();
    EXPECT_GT(requests.size(), 8u) << client;
    ExpectOnlyCancelled(requests, client);
    fs::remove_all(RunDir());
  }
}

TEST_F(LlamaServerTest, MeasurementIntervalWindows) {
  for (const char* client : {"native", "curl"}) {
    const auto args = Set(Without(Seed({"--http-client", client}), "--request-count", true), "-p", "1000");
    const auto r = test::RunBenchWithin(args, kRunDeadline);
    ASSERT_EQ(r.exit_code, 0) << client << ": " << Explain(r);
    const json stats = Stats();
    ASSERT_TRUE(stats.contains("bench") && stats["bench"].contains("measurement_windows")) << stats.dump().substr(0, 600);
    EXPECT_GE(stats["bench"]["measurement_windows"]["windows_used"].get<int>(), 1) << client;
    EXPECT_GT(stats["request_count"]["avg"].get<double>(), 0.0) << client;
    ExpectOnlyCancelled(Requests(), client);
    fs::remove_all(RunDir());
  }
}

TEST_F(LlamaServerTest, Sessions) {
  // 4 sessions of 3 turns, 2 at a time: 12 requests, each turn carrying the conversation so far.
  auto args = Without(Without(Seed({}), "--concurrency", true), "--request-count", true);
  args.insert(args.end(), {"--session-concurrency", "2", "--num-sessions", "4", "--session-turns-mean", "3"});
  const auto r = test::RunBenchWithin(args, kRunDeadline);
  ASSERT_EQ(r.exit_code, 0) << Explain(r);
  ExpectAllSucceeded(12, "sessions");
}

TEST_F(LlamaServerTest, RequestTimeoutEndsEveryRequest) {
  // 20000 tokens take the server far longer than the 0.3 s allowed: every request times out.
  const auto args = Set(Set(Seed({"--request-timeout", "0.3"}), "--osl", "20000"), "--request-count", "4");
  const auto r = test::RunBenchWithin(args, kRunDeadline);
  EXPECT_EQ(r.exit_code, 1) << "no request succeeded: " << Explain(r);
  const json requests = Requests();
  EXPECT_EQ(requests.size(), 4u);
  for (const auto& req : requests) {
    ASSERT_TRUE(req.contains("error")) << req.dump().substr(0, 400);
    EXPECT_EQ(req["error"]["kind"], "timeout");
  }
}

TEST_F(LlamaServerTest, CtrlCMidRunWritesTheArtifacts) {
  const auto args = Set(Set(Seed({"--interrupt-grace", "0"}), "--request-count", "100000"), "--osl", "200");
  const auto r = test::RunBenchWithin(args, kRunDeadline, [&](pid_t pid) {
    WaitUntilLoadStarts();
    std::this_thread::sleep_for(1500ms);
    kill(pid, SIGINT);
  });
  EXPECT_EQ(r.exit_code, 130) << Explain(r);
  const json requests = Requests();
  EXPECT_GE(requests.size(), 2u);
  EXPECT_LT(requests.size(), 100000u);
  size_t answered = 0;
  for (const auto& req : requests) {
    if (!req.contains("error")) {
      ++answered;
      continue;
    }
    EXPECT_EQ(req["error"]["kind"], "cancelled") << req.dump().substr(0, 400);
  }
  EXPECT_GE(answered, 1u);
  EXPECT_EQ(Stats()["bench"]["interrupted"], true);
  EXPECT_TRUE(fs::exists(RunDir() / "profile_export_genai_perf.csv"));
}

TEST_F(LlamaServerTest, LiveStatisticsEqualBenchReportOnTheSameExport) {
  const auto r = test::RunBenchWithin(Seed({"--http-client", "curl"}), kRunDeadline);
  ASSERT_EQ(r.exit_code, 0) << Explain(r);
  const json live = test::ReadJson(RunDir() / "profile_export_genai_perf.json");
  // The run directory as it is (bench report takes input_config from the statistics beside the export).
  test::TempDir offline;
  fs::copy(RunDir(), offline.path(), fs::copy_options::recursive);
  const auto report = test::RunBenchWithin(
      {"report", "--profile-export", (offline.path() / "profile_export.json").string(), "--tokenizer", Tokenizer()},
      kRunDeadline);
  ASSERT_EQ(report.exit_code, 0) << Explain(report);
  const json again = test::ReadJson(offline.path() / "profile_export_genai_perf.json");
  EXPECT_GE(live.size(), 10u);
  for (const auto& [key, value] : live.items()) EXPECT_EQ(again[key], value) << key;
  EXPECT_EQ(again, live);
}

// --- Faults with the real server -----------------------------------------------------------------

class LlamaFaultTest : public LlamaServerTest {
 protected:
  bool StartsServer() const override { return false; }
};

TEST_F(LlamaFaultTest, NotListeningYetExitsThreeInOneLineThenWorks) {
  const int port = FreePort();
  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  const auto r = test::RunBenchWithin(Seed({}, url), kRunDeadline);
  EXPECT_EQ(r.exit_code, 3) << Explain(r);
  EXPECT_EQ(test::Occurrences(r.err, "\n"), 1u) << r.err;
  EXPECT_NE(r.err.find("cannot reach the server at " + url), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(artifacts_.path()) && !fs::is_empty(artifacts_.path()));
  // The same command once the server is up.
  ASSERT_EQ(server_.Start(port), "");
  const auto again = test::RunBenchWithin(Seed({}, url), kRunDeadline);
  EXPECT_EQ(again.exit_code, 0) << Explain(again);
}

// llama-server answers 503 to everything but /health while it loads the model (about 0.1 s
// for tiny-llama). bench checks GET /v1/models before any load: exit 3 and one line. The builtin
// tokenizer loads at once, so bench asks within that window; a few tries in case it does not.
TEST_F(LlamaFaultTest, NotReadyYetExitsThreeInOneLine) {
  test::CommandResult r;
  int tries = 0;
  for (; tries < 5; ++tries) {
    ASSERT_EQ(server_.StartLoading(), "");
    if (server_.health() == 503) {
      r = test::RunBenchWithin(Set(Seed({}), "--tokenizer", "builtin"), kRunDeadline);
      if (r.exit_code == 3) break;
    }
    server_.Stop();
  }
  ASSERT_LT(tries, 5) << "bench never asked while the model was loading; last run: " << Explain(r);
  EXPECT_EQ(test::Occurrences(r.err, "\n"), 1u) << r.err;
  EXPECT_NE(r.err.find("the server at " + server_.url() + " is not ready (HTTP 503 from "), std::string::npos) << r.err;
}

// Killed without a chance to close anything: the requests in flight and every later one fail
// (connect/reset), the run still ends and writes everything; exit 0 as some succeeded (README
// "Exit codes"; 1 had none succeeded).
class LlamaKilledTest : public LlamaFaultTest, public testing::WithParamInterface<std::string> {};

TEST_P(LlamaKilledTest, ServerKilledMidRunEndsTheRunWithEveryRequestClassified) {
  ASSERT_EQ(server_.Start(), "");
  const auto args = Set(Seed({"--http-client", GetParam()}), "--request-count", "300");
  const auto r = test::RunBenchWithin(args, kRunDeadline, [&](pid_t) {
    WaitUntilLoadStarts();
    std::this_thread::sleep_for(1000ms);
    server_.Stop(SIGKILL);
  });
  EXPECT_EQ(r.exit_code, 0) << Explain(r);
  const json requests = Requests();
  EXPECT_EQ(requests.size(), 300u);
  std::map<std::string, size_t> kinds;
  for (const auto& req : requests) ++kinds[req.contains("error") ? req["error"]["kind"].get<std::string>() : "ok"];
  EXPECT_GE(kinds["ok"], 1u);
  EXPECT_GE(kinds["connect"] + kinds["reset"], 1u);
  for (const auto& [kind, n] : kinds) EXPECT_TRUE(kind == "ok" || kind == "connect" || kind == "reset") << kind << ": " << n;
  const json stats = Stats();
  EXPECT_EQ(stats["request_count"]["avg"], kinds["ok"]);
  EXPECT_EQ(stats["bench"]["errors"]["failed_requests"], 300 - kinds["ok"]);
}

INSTANTIATE_TEST_SUITE_P(HttpClients, LlamaKilledTest, testing::Values("native", "curl"));

class LlamaRestartedTest : public LlamaFaultTest, public testing::WithParamInterface<std::string> {};

TEST_P(LlamaRestartedTest, ServerRestartedMidRunServesNewConnections) {
  ASSERT_EQ(server_.Start(), "");
  const auto args = Set(Without(Without(Seed({"--http-client", GetParam(), "--request-rate", "20"}), "--concurrency", true),
                                "--request-count", true),
                        "--benchmark-duration", "5");
  std::int64_t restarted_ns = 0;
  std::string restart_error;
  const auto r = test::RunBenchWithin(args, kRunDeadline, [&](pid_t) {
    std::this_thread::sleep_for(1500ms);
    server_.Stop(SIGKILL);
    std::this_thread::sleep_for(300ms);
    restart_error = server_.Start(server_.port());
    restarted_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  });
  ASSERT_EQ(restart_error, "");
  EXPECT_EQ(r.exit_code, 0) << Explain(r);
  size_t before = 0, after = 0;
  for (const auto& req : Requests()) {
    if (req.contains("error")) {
      const std::string kind = req["error"]["kind"];
      // While the restarted server loads its model it answers 503 "Loading model".
      const bool loading = kind == "http_status" && req["error"]["status"] == 503;
      EXPECT_TRUE(kind == "connect" || kind == "reset" || kind == "cancelled" || loading) << req.dump().substr(0, 400);
      continue;
    }
    (req["timestamp"].get<std::int64_t>() > restarted_ns ? after : before)++;
  }
  EXPECT_GE(before, 1u);
  EXPECT_GE(after, 10u) << "requests sent after the restart succeed";
}

INSTANTIATE_TEST_SUITE_P(HttpClients, LlamaRestartedTest, testing::Values("native", "curl"));

}  // namespace
}  // namespace bench
