#include "report/csv_exporter.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "exporter_case.h"

namespace bench {
namespace {

using testing::GenAiPerfCasesDir;
using testing::LoadExporterCase;
using testing::ReadFileBytes;

std::string RenderCsv(const StatsReport& report, const ExportContext& context) {
  std::ostringstream out;
  CsvExporter().Export(report, context, out);
  return out.str();
}

std::vector<std::string> SplitCrlfRows(const std::string& text) {
  std::vector<std::string> rows;
  size_t start = 0;
  for (size_t pos; (pos = text.find("\r\n", start)) != std::string::npos; start = pos + 2) {
    rows.push_back(text.substr(start, pos + 2 - start));
  }
  return rows;
}

class CsvGoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CsvGoldenTest, MatchesGenAiPerfByteForByte) {
  const auto c = LoadExporterCase(GetParam());
  const std::string expected = ReadFileBytes(GenAiPerfCasesDir() / GetParam() / "expected.csv");
  const std::string actual = RenderCsv(c.report, c.context);
  EXPECT_EQ(actual, expected) << "--- expected ---\n" << expected << "--- actual ---\n" << actual;
}

// export_csv_telemetry: tests/report/telemetry_export_test.cc.
INSTANTIATE_TEST_SUITE_P(GenAiPerfCases, CsvGoldenTest,
                         ::testing::Values("export_csv_embeddings",
                                           "export_csv_llm_nonstreaming_custom_export",
                                           "export_csv_llm_streaming", "export_csv_missing_data"));

class CsvGoodputRowTest : public ::testing::TestWithParam<std::string> {};

// Upstream checks the second-to-last row written: the Request Goodput row.
TEST_P(CsvGoodputRowTest, SecondToLastRowIsGoodput) {
  const auto c = LoadExporterCase(GetParam());
  const std::string expected =
      ReadFileBytes(GenAiPerfCasesDir() / GetParam() / "expected_row.csv");
  const std::vector<std::string> rows = SplitCrlfRows(RenderCsv(c.report, c.context));
  ASSERT_GE(rows.size(), 2u);
  EXPECT_EQ(rows[rows.size() - 2], expected);
}

INSTANTIATE_TEST_SUITE_P(GenAiPerfCases, CsvGoodputRowTest,
                         ::testing::Values("export_csv_goodput_invalid_key",
                                           "export_csv_goodput_valid"));

TEST(CsvExporterTest, QuotesLikePythonCsvWriter) {
  EXPECT_EQ(CsvRow({}), "\r\n");
  EXPECT_EQ(CsvRow({""}), "\"\"\r\n");
  EXPECT_EQ(CsvRow({"a", ""}), "a,\r\n");
  EXPECT_EQ(CsvRow({"GPU Clock Sm (MHz)", "gpu0", "1,525.00"}),
            "GPU Clock Sm (MHz),gpu0,\"1,525.00\"\r\n");
  EXPECT_EQ(CsvRow({"say \"hi\"", "line\nbreak", "cr\r"}),
            "\"say \"\"hi\"\"\",\"line\nbreak\",\"cr\r\"\r\n");
}

TEST(CsvExporterTest, FailedRequestsAndBenchRowsLeaveGenAiPerfsTablesAlone) {
  const auto c = LoadExporterCase("export_csv_llm_streaming");
  const std::string clean =
      ReadFileBytes(GenAiPerfCasesDir() / "export_csv_llm_streaming" / "expected.csv");
  ExportContext context = c.context;
  context.errors.total_requests = 10;
  context.errors.failed_requests = 3;
  context.errors.counts_by_kind = {{"http_status", 2}, {"timeout", 1}};
  context.bench_rows = {{"Schedule Lag p99 (ms)", "0.100"}};
  context.extra = {{"client", {{"worker_threads", 2}}}};
  EXPECT_EQ(RenderCsv(c.report, context), clean);
}

TEST(CsvExporterTest, ImageRetrievalUsesDisplayUnits) {
  StatsReport report;
  report.metrics.push_back({"request_throughput", "requests/sec", {{"avg", 2.0}}, true});
  report.metrics.push_back({"image_throughput", "pages/sec", {{"avg", 1500.0}}, true});
  ExportContext context;
  context.endpoint_type = "image_retrieval";
  const std::string csv = RenderCsv(report, context);
  EXPECT_NE(csv.find("\r\nImage Throughput (images/sec),\"1,500.00\",N/A,"), std::string::npos)
      << csv;
  EXPECT_NE(csv.find("\r\nImage Latency (ms/image),N/A,"), std::string::npos) << csv;
  EXPECT_EQ(csv.find("Output Token Throughput"), std::string::npos) << csv;
}

}  // namespace
}  // namespace bench
