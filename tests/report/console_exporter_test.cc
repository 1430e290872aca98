#include "report/console_exporter.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "exporter_case.h"

namespace bench {
namespace {

using testing::GenAiPerfCasesDir;
using testing::LoadExporterCase;
using testing::ReadFileBytes;

std::string RenderConsole(const StatsReport& report, const ExportContext& context, int width) {
  std::ostringstream out;
  ConsoleExporter(width).Export(report, context, out);
  return out.str();
}

class ConsoleGoldenTest : public ::testing::TestWithParam<std::string> {};

// Upstream only requires the file to appear inside the output; without failures and telemetry
// bench prints nothing else, so the whole output is compared (a stricter check).
TEST_P(ConsoleGoldenTest, MatchesGenAiPerfExactly) {
  const auto c = LoadExporterCase(GetParam());
  const std::string expected =
      ReadFileBytes(GenAiPerfCasesDir() / GetParam() / "expected_console.txt");
  const std::string actual = RenderConsole(c.report, c.context, c.console_width);
  EXPECT_EQ(actual, expected) << "--- expected ---\n" << expected << "--- actual ---\n" << actual;
}

// export_console_telemetry_verbose: tests/report/telemetry_export_test.cc.
INSTANTIATE_TEST_SUITE_P(GenAiPerfCases, ConsoleGoldenTest,
                         ::testing::Values("export_console_embeddings",
                                           "export_console_goodput_invalid_key",
                                           "export_console_goodput_valid",
                                           "export_console_invalid_stat_structure",
                                           "export_console_llm_nonstreaming",
                                           "export_console_llm_streaming",
                                           "export_console_missing_data",
                                           "export_console_missing_statistics"));

// Rendered with rich 13.3.1 (genai-perf's exporter code, Console(width=80)) for the streaming
// case: the 89-cell table must collapse the Statistic column to fit the default 80 columns.
TEST(ConsoleExporterTest, CollapsesToNarrowConsoleLikeRich) {
  const auto c = LoadExporterCase("export_console_llm_streaming");
  const std::string expected =
      "                        NVIDIA GenAI-Perf | LLM Metrics                         \n"
      "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━┳━━━━━━━┳━━━━━━━┳━━━━━━━┳━━━━━━━┳━━━━━━━┓\n"
      "┃                   Statistic ┃    avg ┃   min ┃   max ┃   p99 ┃   p90 ┃   p75 ┃\n"
      "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━╇━━━━━━━╇━━━━━━━╇━━━━━━━╇━━━━━━━╇━━━━━━━┩\n"
      "│    Time To First Token (ms) │   8.00 │  7.00 │  9.00 │  8.98 │  8.80 │  8.50 │\n"
      "│   Time To Second Token (ms) │   2.00 │  1.00 │  3.00 │  2.98 │  2.80 │  2.50 │\n"
      "│        Request Latency (ms) │   5.00 │  4.00 │  6.00 │  5.98 │  5.80 │  5.50 │\n"
      "│    Inter Token Latency (ms) │  11.00 │ 10.00 │ 12.00 │ 11.98 │ 11.80 │ 11.50 │\n"
      "│ Output Token Throughput Per │   5.00 │  4.00 │  6.00 │  5.98 │  5.80 │  5.50 │\n"
      "│      User (tokens/sec/user) │        │       │       │       │       │       │\n"
      "│      Output Sequence Length │   2.00 │  1.00 │  3.00 │  2.98 │  2.80 │  2.50 │\n"
      "│                    (tokens) │        │       │       │       │       │       │\n"
      "│       Input Sequence Length │   6.00 │  5.00 │  7.00 │  6.98 │  6.80 │  6.50 │\n"
      "│                    (tokens) │        │       │       │       │       │       │\n"
      "│     Output Token Throughput │ 456.00 │   N/A │   N/A │   N/A │   N/A │   N/A │\n"
      "│                (tokens/sec) │        │       │       │       │       │       │\n"
      "│     Request Throughput (per │ 123.00 │   N/A │   N/A │   N/A │   N/A │   N/A │\n"
      "│                        sec) │        │       │       │       │       │       │\n"
      "│       Request Count (count) │   3.00 │   N/A │   N/A │   N/A │   N/A │   N/A │\n"
      "└─────────────────────────────┴────────┴───────┴───────┴───────┴───────┴───────┘\n";
  const std::string actual = RenderConsole(c.report, c.context, 80);
  EXPECT_EQ(actual, expected) << "--- actual ---\n" << actual;
}

TEST(ConsoleExporterTest, ImageRetrievalRowsAndTitle) {
  StatsReport report;
  report.metrics.push_back({"request_throughput", "requests/sec", {{"avg", 2.5}}, true});
  report.metrics.push_back({"request_latency", "ms", {{"avg", 3.0}, {"min", 2.0}}, true});
  report.metrics.push_back({"request_count", "count", {{"avg", 2.0}}, true});
  report.metrics.push_back({"image_throughput", "pages/sec", {{"avg", 1234.5}}, true});
  report.metrics.push_back({"image_latency", "ms", {{"avg", 1.5}}, true});
  ExportContext context;
  context.endpoint_type = "image_retrieval";
  const std::string text = RenderConsole(report, context, 100);
  EXPECT_NE(text.find("NVIDIA GenAI-Perf | Image Retrieval Metrics"), std::string::npos) << text;
  EXPECT_NE(text.find("Image Throughput (images/sec) │ 1,234.50 │"), std::string::npos) << text;
  EXPECT_NE(text.find("Image Latency (ms/image) │     1.50 │"), std::string::npos) << text;
  EXPECT_EQ(text.find("Output Token Throughput"), std::string::npos) << text;
}

TEST(ConsoleExporterTest, NoFooterWithoutFailures) {
  EXPECT_EQ(FormatErrorFooter(ErrorSummary{}), "");
}

TEST(ConsoleExporterTest, FooterListsFailuresUnderTheTable) {
  const auto c = LoadExporterCase("export_console_llm_nonstreaming");
  ExportContext context = c.context;
  context.errors.total_requests = 10;
  context.errors.failed_requests = 3;
  context.errors.counts_by_kind = {{"http_status", 2}, {"timeout", 1}};
  context.errors.first_messages = {"http_status: HTTP 500: boom", "timeout: no response in 5s"};
  const std::string table =
      ReadFileBytes(GenAiPerfCasesDir() / "export_console_llm_nonstreaming" / "expected_console.txt");
  EXPECT_EQ(RenderConsole(c.report, context, 100),
            table +
                "Failed requests: 3 of 10\n"
                "  http_status: 2\n"
                "  timeout: 1\n"
                "First errors:\n"
                "  http_status: HTTP 500: boom\n"
                "  timeout: no response in 5s\n");
}

}  // namespace
}  // namespace bench
