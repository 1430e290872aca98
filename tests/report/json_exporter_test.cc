#include "report/json_exporter.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>


namespace bench {
namespace {

std::string RenderJson(const StatsReport& report, const ExportContext& context) {
  std::ostringstream out;
  JsonExporter().Export(report, context, out);
  return out.str();
}

// Expected text: Python json.dumps(stats_and_args, indent=2) of the dict GenAI-Perf builds for
// the export_csv_embeddings run (unscaled latencies [4, 5, 6], throughput [123]). The report is
// spelled out with numpy's values so this test covers the exporter alone.
TEST(JsonExporterTest, EmbeddingsCaseMatchesPythonJsonDump) {
  StatsReport report;
  report.metrics.push_back({"request_throughput", "requests/sec", {{"avg", 123.0}}, true});
  report.metrics.push_back({"request_latency",
                            "ms",
                            {{"avg", 5.0},
                             {"p1", 4.02},
                             {"p5", 4.1},
                             {"p10", 4.2},
                             {"p25", 4.5},
                             {"p50", 5.0},
                             {"p75", 5.5},
                             {"p90", 5.8},
                             {"p95", 5.9},
                             {"p99", 5.98},
                             {"min", 4.0},
                             {"max", 6.0},
                             {"std", 0.816496580927726}},
                            true});
  report.metrics.push_back({"request_count", "count", {{"avg", 3.0}}, true});
  ExportContext context;
  context.endpoint_type = "embeddings";
  context.input_config = {{"model_names", {"model_name"}}, {"subcommand", "profile"}};
  EXPECT_EQ(RenderJson(report, context),
            "{\n"
            "  \"request_throughput\": {\n"
            "    \"unit\": \"requests/sec\",\n"
            "    \"avg\": 123.0\n"
            "  },\n"
            "  \"request_latency\": {\n"
            "    \"unit\": \"ms\",\n"
            "    \"avg\": 5.0,\n"
            "    \"p1\": 4.02,\n"
            "    \"p5\": 4.1,\n"
            "    \"p10\": 4.2,\n"
            "    \"p25\": 4.5,\n"
            "    \"p50\": 5.0,\n"
            "    \"p75\": 5.5,\n"
            "    \"p90\": 5.8,\n"
            "    \"p95\": 5.9,\n"
            "    \"p99\": 5.98,\n"
            "    \"min\": 4.0,\n"
            "    \"max\": 6.0,\n"
            "    \"std\": 0.816496580927726\n"
            "  },\n"
            "  \"request_count\": {\n"
            "    \"unit\": \"count\",\n"
            "    \"avg\": 3.0\n"
            "  },\n"
            "  \"input_config\": {\n"
            "    \"model_names\": [\n"
            "      \"model_name\"\n"
            "    ],\n"
            "    \"subcommand\": \"profile\"\n"
            "  }\n"
            "}");
}

TEST(JsonExporterTest, ScaledValuesUsePythonFloatRepr) {
  StatsReport report;
  report.metrics.push_back({"request_throughput", "requests/sec", {{"avg", 142857142.85714287}}, true});
  report.metrics.push_back(
      {"request_latency", "ms", {{"avg", 1.2e-05}, {"p5", 1.1099999999999999e-05}}, true});
  report.metrics.push_back({"request_count", "count", {{"avg", 2.0}}, true});
  const std::string text = RenderJson(report, ExportContext{});
  EXPECT_NE(text.find("\"avg\": 142857142.85714287\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\"avg\": 1.2e-05,\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\"p5\": 1.1099999999999999e-05\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\"avg\": 2.0\n"), std::string::npos) << text;
  EXPECT_TRUE(text.ends_with("  \"input_config\": {}\n}")) << text;
}

TEST(JsonExporterTest, OptionalSectionsInGenAiPerfOrderAndNothingOfBenchs) {
  StatsReport report;
  report.metrics.push_back({"request_count", "count", {{"avg", 1.0}}, true});
  StatsReport session;
  session.metrics.push_back({"request_count", "count", {{"avg", 1.0}}, true});
  ExportContext context;
  // GenAI-Perf keeps a telemetry metric only when some GPU has data for it.
  context.telemetry_stats = nlohmann::ordered_json::parse(
      R"({"gpu_power_usage": {"unit": "W", "gpu0": {"avg": 1.0}}, "gpu_utilization": {"unit": "%", "gpu0": {}}})");
  context.sessions = {{"s1", session}};
  context.errors.total_requests = 2;
  context.errors.failed_requests = 1;
  context.errors.counts_by_kind = {{"timeout", 1}};
  context.extra = {{"client", {{"worker_threads", 1}}}};
  context.bench_rows = {{"Interrupted", "true"}};
  const nlohmann::ordered_json doc = BuildGenAiPerfJson(report, context);
  std::vector<std::string> keys;
  for (auto it = doc.begin(); it != doc.end(); ++it) keys.push_back(it.key());
  // json_exporter.py: stats, telemetry_stats, input_config, then sessions.
  EXPECT_EQ(keys, (std::vector<std::string>{"request_count", "telemetry_stats", "input_config", "sessions"}));
  EXPECT_EQ(doc["telemetry_stats"].dump(), R"({"gpu_power_usage":{"unit":"W","gpu0":{"avg":1.0}}})");
}

TEST(JsonExporterTest, NoOptionalSectionForAPlainRun) {
  StatsReport report;
  report.metrics.push_back({"request_count", "count", {{"avg", 1.0}}, true});
  ExportContext context;
  context.telemetry_stats = nlohmann::ordered_json::object();
  const nlohmann::ordered_json doc = BuildGenAiPerfJson(report, context);
  EXPECT_EQ(doc.dump(), R"({"request_count":{"unit":"count","avg":1.0},"input_config":{}})");
}

}  // namespace
}  // namespace bench
