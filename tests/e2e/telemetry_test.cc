// The real bench binary with --server-metrics-url: the simulator as the inference server, and
// loopback /metrics pages in the DCGM exporter's format and in vLLM's. What a user reads: the
// -v GPU tables, telemetry_stats in the GenAI-Perf JSON, the GPU tables of the CSV, the server
// rows under the table and the telemetry object of the bench file.

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/simulator.h"
#include "telemetry/metrics_server.h"
#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

std::vector<std::string> TelemetryProfile(const fs::path& artifacts, std::vector<std::string> extra) {
  std::vector<std::string> args = {"profile", "--simulator", "--streaming", "--concurrency", "4", "--request-count",
                                   "40", "--warmup-request-count", "4", "--sim-ttft-ms", "20", "--sim-itl-ms",
                                   "2", "--output-tokens-mean", "20", "--artifact-dir", artifacts.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

fs::path RunDir(const fs::path& artifacts) { return artifacts / "bench-sim-openai-chat-concurrency4"; }

ojson ReadJson(const fs::path& path) { return ojson::parse(test::ReadFile(path)); }

TEST(TelemetryRunTest, DcgmExporterGivesGpuTablesJsonAndCsv) {
  test::MetricsServer dcgm(test::DcgmPage);
  test::TempDir dir;
  const auto r = test::RunBench(TelemetryProfile(dir.path(), {"--server-metrics-url", dcgm.url(), "-v"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("NVIDIA GenAI-Perf | Power Metrics"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("GPU Power Usage (W)"), std::string::npos);
  EXPECT_NE(r.out.find("NVIDIA GenAI-Perf | Utilization Metrics"), std::string::npos);

  const ojson doc = ReadJson(RunDir(dir.path()) / "profile_export_genai_perf.json");
  ASSERT_TRUE(doc.contains("telemetry_stats")) << doc.dump(2);
  const ojson& t = doc["telemetry_stats"];
  // Only the fields the page has, in GenAI-Perf's order, per GPU label.
  std::vector<std::string> keys;
  for (const auto& [k, v] : t.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"gpu_power_usage", "gpu_power_limit", "energy_consumption",
                                            "gpu_memory_used", "gpu_memory_free", "gpu_utilization", "gpu_clock_sm",
                                            "gpu_temperature"}));
  EXPECT_EQ(t["gpu_power_usage"]["unit"], "W");
  EXPECT_DOUBLE_EQ(t["gpu_power_usage"]["1"]["avg"].get<double>(), 70.0);
  EXPECT_GE(t["gpu_power_usage"]["0"]["max"].get<double>(), 110.0);  // several scrapes
  EXPECT_EQ(t["gpu_power_limit"]["0"].dump(), R"({"avg":700.0})");
  // Scaled as GenAI-Perf scales: MiB -> GB, mJ -> MJ.
  EXPECT_DOUBLE_EQ(t["gpu_memory_used"]["0"]["min"].get<double>(), 80000 * 1.048576e-3);
  EXPECT_DOUBLE_EQ(t["energy_consumption"]["1"]["avg"].get<double>(), 2.0);
  EXPECT_EQ(doc["input_config"]["endpoint"]["server_metrics_urls"], ojson::array({dcgm.url()}));

  const std::string csv = test::ReadFile(RunDir(dir.path()) / "profile_export_genai_perf.csv");
  EXPECT_NE(csv.find("\r\n\r\nMetric,GPU,avg,min,max,p99,p95,p90,p75,p50,p25,p10,p5,p1\r\nGPU Power Usage (W),0,"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("GPU Clock Sm (MHz),1,\"1,980.00\",\"1,980.00\""), std::string::npos) << csv;
  EXPECT_NE(csv.find("\r\n\r\nMetric,GPU,Value\r\nGPU Power Limit (W),0,700.00\r\nGPU Power Limit (W),1,700.00\r\n"),
            std::string::npos)
      << csv;

  const ojson bench = ReadJson(RunDir(dir.path()) / "profile_export_bench.json");
  const ojson& source = bench["telemetry"]["sources"][0];
  EXPECT_EQ(source["url"], dcgm.url());
  EXPECT_GE(source["scrapes"].get<int>(), 2);
  EXPECT_EQ(source["failed_scrapes"], 0);
  EXPECT_EQ(source["gpu_metrics"], true);
  // The energy counter over the measured phase (GPU 0 adds 1000 J per scrape, GPU 1 nothing),
  // divided by bench's own counts.
  const ojson& energy = source["server_metrics"]["metrics"]["energy"];
  const double joules = energy["increase"].get<double>();
  EXPECT_GT(joules, 0);
  EXPECT_EQ(std::fmod(joules, 1000.0), 0.0);
  EXPECT_DOUBLE_EQ(energy["joules_per_request"].get<double>(), joules / 40);
  const double tokens = doc["output_sequence_length"]["avg"].get<double>() * 40;
  EXPECT_NEAR(energy["output_tokens_per_joule"].get<double>(), tokens / joules, 1e-9);
  EXPECT_NE(r.out.find("Server Energy (J) [dcgm]: "), std::string::npos);
}

TEST(TelemetryRunTest, UnreachableUrlWarnsOnceAndTheRunGoesOn) {
  test::TempDir dir;
  const auto r = test::RunBench(TelemetryProfile(dir.path(), {"--server-metrics-url", "http://127.0.0.1:1/metrics"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(test::Occurrences(r.err, "Skipping unreachable metrics URL: http://127.0.0.1:1/metrics"), 1u) << r.err;
  const ojson doc = ReadJson(RunDir(dir.path()) / "profile_export_genai_perf.json");
  EXPECT_FALSE(doc.contains("telemetry_stats"));
  EXPECT_EQ(test::ReadFile(RunDir(dir.path()) / "profile_export_genai_perf.csv").find("Metric,GPU"),
            std::string::npos);
  EXPECT_FALSE(ReadJson(RunDir(dir.path()) / "profile_export_bench.json").contains("telemetry"));
}

// Nothing at the default DCGM URL is the common case: an info line, no warning.
TEST(TelemetryRunTest, NoWarningWhenTheDefaultExporterIsAbsent) {
  test::TempDir dir;
  const auto r = test::RunBench(TelemetryProfile(dir.path(), {}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // (A busy machine may still get the client's own load warning: only telemetry's matter here.)
  EXPECT_EQ(r.err.find("Skipping unreachable"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("[warning] metrics URL"), std::string::npos) << r.err;
  EXPECT_EQ(test::Occurrences(r.err, "no GPU telemetry: nothing at the default metrics URL http://localhost:9400/metrics"),
            1u)
      << r.err;
}

// A page that turns malformed mid-run: one warning, the good lines and the run's results stand.
TEST(TelemetryRunTest, MalformedPageWarnsOnce) {
  test::MetricsServer flaky([](int n) { return test::DcgmPage(n) + (n > 1 ? "<html>oops</html>\n" : ""); });
  test::TempDir dir;
  const auto r = test::RunBench(TelemetryProfile(dir.path(), {"--server-metrics-url", flaky.url()}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(test::Occurrences(r.err, "malformed line"), 1u) << r.err;
  const ojson doc = ReadJson(RunDir(dir.path()) / "profile_export_genai_perf.json");
  EXPECT_TRUE(doc.contains("telemetry_stats"));
  EXPECT_EQ(doc["request_count"]["avg"], 40.0);
}

// A vLLM /metrics page whose counters follow the scrapes: the bench file carries the server's
// view over the measured phase and the console shows it under the table.
TEST(TelemetryRunTest, VllmServerMetricsInTheBenchFileAndUnderTheTable) {
  test::MetricsServer vllm([](int n) {
    return fmt::format(
        "# TYPE vllm:num_requests_running gauge\nvllm:num_requests_running{{engine=\"0\",model_name=\"m\"}} 3.0\n"
        "# TYPE vllm:generation_tokens counter\nvllm:generation_tokens_total{{engine=\"0\",model_name=\"m\"}} {}\n"
        "# TYPE vllm:time_to_first_token_seconds histogram\n"
        "vllm:time_to_first_token_seconds_bucket{{engine=\"0\",le=\"0.025\",model_name=\"m\"}} {}\n"
        "vllm:time_to_first_token_seconds_bucket{{engine=\"0\",le=\"+Inf\",model_name=\"m\"}} {}\n"
        "vllm:time_to_first_token_seconds_sum{{engine=\"0\",model_name=\"m\"}} {}\n"
        "vllm:time_to_first_token_seconds_count{{engine=\"0\",model_name=\"m\"}} {}\n",
        n * 100.0, n * 5.0, n * 5.0, n * 0.1, n * 5.0);
  });
  test::TempDir dir;
  const auto r = test::RunBench(TelemetryProfile(dir.path(), {"--server-metrics-url", vllm.url()}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Server Requests Running (requests) [vllm]: avg 3.00, max 3.00"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Server Time To First Token (ms) [vllm]: avg 20.00"), std::string::npos) << r.out;
  const ojson bench = ReadJson(RunDir(dir.path()) / "profile_export_bench.json");
  const ojson& server = bench["telemetry"]["sources"][0]["server_metrics"];
  EXPECT_EQ(server["servers"], ojson::array({"vllm"}));
  const ojson& m = server["metrics"];
  EXPECT_GT(m["generation_tokens"]["increase"].get<double>(), 0);
  EXPECT_NEAR(m["generation_tokens"]["rate_per_s"].get<double>() * server["span_s"].get<double>(),
              m["generation_tokens"]["increase"].get<double>(), 1e-6);
  EXPECT_DOUBLE_EQ(m["time_to_first_token"]["avg"].get<double>(), 20.0);
  // The GenAI-Perf JSON keeps its shape: no GPU data, no telemetry_stats.
  EXPECT_FALSE(ReadJson(RunDir(dir.path()) / "profile_export_genai_perf.json").contains("telemetry_stats"));
}

// The simulator as a separate server with its vLLM-format /metrics page, plus a DCGM page: the
// GPU tables and the server's own view of the same requests, side by side.
TEST(TelemetryRunTest, SimulatorVllmPageAndDcgmTogether) {
  SimulatorOptions options;
  options.port = 0;
  options.ttft_ms = 20;
  options.itl_ms = 2;
  Simulator sim(options);
  const std::string base = "http://127.0.0.1:" + std::to_string(sim.Start());
  test::MetricsServer dcgm(test::DcgmPage);
  test::TempDir dir;
  const auto r = test::RunBench({"profile", "-m", "bench-sim", "-u", base, "--streaming", "--concurrency", "4",
                                 "--request-count", "40", "--output-tokens-mean", "20", "--server-metrics-url",
                                 base + "/metrics", dcgm.url(), "-v", "--artifact-dir", dir.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("NVIDIA GenAI-Perf | Power Metrics"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Server Time To First Token (ms) [vllm]: avg "), std::string::npos) << r.out;
  const fs::path run = dir.path() / "bench-sim-openai-chat-concurrency4";
  const ojson doc = ReadJson(run / "profile_export_genai_perf.json");
  EXPECT_TRUE(doc.contains("telemetry_stats"));
  const ojson bench = ReadJson(run / "profile_export_bench.json");
  const ojson& sources = bench["telemetry"]["sources"];
  ASSERT_EQ(sources.size(), 2u);
  EXPECT_EQ(sources[0]["gpu_metrics"], false);
  EXPECT_EQ(sources[1]["gpu_metrics"], true);
  const ojson& m = sources[0]["server_metrics"]["metrics"];
  // The server generated exactly the tokens bench counted, for exactly the measured requests.
  const double osl_sum = doc["output_sequence_length"]["avg"].get<double>() * 40;
  EXPECT_DOUBLE_EQ(m["generation_tokens"]["increase"].get<double>(), osl_sum);
  EXPECT_DOUBLE_EQ(m["time_to_first_token"]["count"].get<double>(), 40.0);
  EXPECT_DOUBLE_EQ(m["requests_finished"]["increase"].get<double>(), 40.0);
  // The server's TTFT starts at the complete request, the client's at the send: never longer.
  EXPECT_LE(m["time_to_first_token"]["avg"].get<double>(), doc["time_to_first_token"]["avg"].get<double>());
  EXPECT_GE(m["time_to_first_token"]["avg"].get<double>(), 20.0);
  sim.Stop();
}

}  // namespace
}  // namespace bench
