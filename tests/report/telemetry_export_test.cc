#include "report/telemetry_export.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "exporter_case.h"
#include "report/console_exporter.h"
#include "report/csv_exporter.h"
#include "telemetry/gpu_telemetry.h"

namespace bench {
namespace {

using testing::GenAiPerfCasesDir;
using testing::LoadExporterCase;
using testing::ReadFileBytes;

// The case's request metrics plus its raw telemetry lists, statistics taken without scaling as
// GenAI-Perf's exporter tests do.
testing::ExporterCase LoadTelemetryCase(const std::string& name) {
  testing::ExporterCase c = LoadExporterCase(name);
  const nlohmann::json input =
      nlohmann::json::parse(ReadFileBytes(GenAiPerfCasesDir() / name / "input_metrics.json"));
  GpuSamples samples;
  for (const auto& [metric, per_gpu] : input["telemetry_metrics_raw"].items()) {
    for (const auto& [gpu, values] : per_gpu.items()) {
      for (double v : values.get<std::vector<double>>()) samples.Add(metric, gpu, v);
    }
  }
  c.context.telemetry_stats = samples.Stats(/*scale=*/false);
  return c;
}

TEST(TelemetryExportTest, CsvMatchesGenAiPerfByteForByte) {
  const auto c = LoadTelemetryCase("export_csv_telemetry");
  std::ostringstream out;
  CsvExporter().Export(c.report, c.context, out);
  const std::string expected = ReadFileBytes(GenAiPerfCasesDir() / "export_csv_telemetry" / "expected.csv");
  EXPECT_EQ(out.str(), expected) << "--- actual ---\n" << out.str();
}

// Upstream requires the file to appear verbatim inside the output.
TEST(TelemetryExportTest, VerboseConsoleTablesMatchGenAiPerf) {
  const auto c = LoadTelemetryCase("export_console_telemetry_verbose");
  ASSERT_TRUE(c.context.verbose);
  std::ostringstream out;
  ConsoleExporter(c.console_width).Export(c.report, c.context, out);
  const std::string expected =
      ReadFileBytes(GenAiPerfCasesDir() / "export_console_telemetry_verbose" / "expected_console.txt");
  EXPECT_NE(out.str().find(expected), std::string::npos) << "--- expected ---\n" << expected << "--- actual ---\n"
                                                         << out.str();
}

TEST(TelemetryExportTest, NothingWithoutDataOrWithoutVerbose) {
  auto c = LoadTelemetryCase("export_console_telemetry_verbose");
  c.context.verbose = false;
  std::ostringstream out;
  ConsoleExporter(c.console_width).Export(c.report, c.context, out);
  EXPECT_EQ(out.str().find("Power Metrics"), std::string::npos);
  // Units only (what GenAI-Perf's stats hold before any scrape): no table, no CSV rows.
  const nlohmann::ordered_json empty = GpuSamples().Stats();
  std::ostringstream csv;
  WriteTelemetryCsv(empty, csv);
  EXPECT_EQ(csv.str(), "");
  EXPECT_EQ(RenderTelemetryTables(empty, 100), "");
  EXPECT_EQ(RenderTelemetryTables(nullptr, 100), "");
}

TEST(TelemetryExportTest, LabelsAndIntegerValuesAsPythonPrintsThem) {
  EXPECT_EQ(TelemetryMetricLabel("sm_utilization"), "Sm Utilization");
  EXPECT_EQ(TelemetryMetricLabel("gpu_clock_sm"), "GPU Clock Sm");
  EXPECT_EQ(TelemetryMetricLabel("total_ecc_sbe_volatile"), "Total Ecc Sbe Volatile");
  // Values read back from a JSON file as ints print as ints (Python: not a float).
  const nlohmann::ordered_json stats = nlohmann::ordered_json::parse(
      R"({"gpu_power_limit": {"unit": "W", "0": {"avg": 300}}, "gpu_utilization": {"unit": "%", "0": {"avg": 77.5}}})");
  const std::string text = RenderTelemetryTables(stats, 100);
  EXPECT_NE(text.find("│         0 │ 300 │ N/A │"), std::string::npos) << text;
  EXPECT_NE(text.find("│         0 │  78 │ N/A │"), std::string::npos) << text;
}

// analyze's GPU table: per GPU of the first point, a row per point, GenAI-Perf's six columns.
TEST(TelemetryExportTest, AnalyzeGpuRowsPerGpuThenPerPoint) {
  const nlohmann::json a = nlohmann::json::parse(R"({"telemetry_stats": {
      "gpu_power_usage": {"unit": "W", "0": {"avg": 1, "p99": 310.5}, "1": {"p99": 80}},
      "energy_consumption": {"unit": "MJ", "0": {"p99": 2.25}},
      "gpu_power_limit": {"unit": "W", "0": {"avg": 700}, "1": {"avg": 700}},
      "total_gpu_memory": {"unit": "GB", "0": {"avg": 85.52}}}})");
  const nlohmann::json b = nlohmann::json::parse(R"({"telemetry_stats": {
      "gpu_power_usage": {"unit": "W", "0": {"p99": 1234.5}}}})");
  const nlohmann::ordered_json ca = AnalyzeGpuColumns(a);
  EXPECT_EQ(ca.dump(), R"({"0":[310.5,2.25,null,null,700.0,85.52],"1":[80.0,null,null,null,700.0,null]})");
  EXPECT_TRUE(AnalyzeGpuColumns(nlohmann::json::parse("{}")).empty());
  std::ostringstream out;
  WriteAnalyzeGpuRows({{"m_run_config_0", ca}, {"m_run_config_1", AnalyzeGpuColumns(b)}}, out);
  EXPECT_EQ(out.str(),
            "m_run_config_0,0,310.50,2.25,0.00,0.00,700.00,85.52\r\n"
            "m_run_config_1,0,1234.50,0.00,0.00,0.00,0.00,0.00\r\n"
            "m_run_config_0,1,80.00,0.00,0.00,0.00,700.00,0.00\r\n"
            "m_run_config_1,1,0.00,0.00,0.00,0.00,0.00,0.00\r\n");
}

}  // namespace
}  // namespace bench
