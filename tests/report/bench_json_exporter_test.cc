#include "report/bench_json_exporter.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

TEST(BenchJsonExporterTest, SchemaVersionThenErrorsThenTheExtrasInOrder) {
  ExportContext context;
  context.errors.total_requests = 2;
  context.errors.failed_requests = 1;
  context.errors.counts_by_kind = {{"timeout", 1}};
  context.errors.first_messages = {"timeout: no response"};
  context.extra = nlohmann::ordered_json::parse(R"({"tokenizer": {"requested": "x/y", "used": "builtin"},
                                                   "interrupted": true})");
  std::ostringstream out;
  BenchJsonExporter().Export(StatsReport{}, context, out);
  EXPECT_EQ(out.str(),
            "{\n"
            "  \"json_schema_version\": 1,\n"
            "  \"errors\": {\n"
            "    \"total_requests\": 2,\n"
            "    \"failed_requests\": 1,\n"
            "    \"by_kind\": {\n"
            "      \"timeout\": 1\n"
            "    },\n"
            "    \"first_messages\": [\n"
            "      \"timeout: no response\"\n"
            "    ]\n"
            "  },\n"
            "  \"tokenizer\": {\n"
            "    \"requested\": \"x/y\",\n"
            "    \"used\": \"builtin\"\n"
            "  },\n"
            "  \"interrupted\": true\n"
            "}");
}

TEST(BenchJsonExporterTest, ACleanRunHasOnlyTheSchemaVersion) {
  EXPECT_EQ(BuildBenchJson(ExportContext{}).dump(), R"({"json_schema_version":1})");
}

TEST(BenchJsonExporterTest, TheBenchFileSitsBesideTheGenAiPerfFile) {
  EXPECT_EQ(BenchJsonBeside("a/b/profile_export_genai_perf.json"), fs::path("a/b/profile_export_bench.json"));
  EXPECT_EQ(BenchJsonBeside("run1_genai_perf.json"), fs::path("run1_bench.json"));
}

TEST(BenchJsonExporterTest, ReadRunJsonPutsTheBenchFileUnderBench) {
  test::TempDir dir;
  std::ofstream(dir.path() / "x_genai_perf.json") << R"({"request_count": {"unit": "count", "avg": 3.0}})";
  EXPECT_FALSE(ReadRunJson(dir.path() / "x_genai_perf.json").contains("bench"));  // GenAI-Perf's own run
  std::ofstream(dir.path() / "x_bench.json") << R"({"json_schema_version": 1, "errors": {"failed_requests": 1}})";
  const auto doc = ReadRunJson(dir.path() / "x_genai_perf.json");
  EXPECT_EQ(doc.dump(),
            R"({"request_count":{"unit":"count","avg":3.0},"bench":{"json_schema_version":1,"errors":{"failed_requests":1}}})");
  EXPECT_TRUE(ReadRunJson(dir.path() / "missing_genai_perf.json").is_discarded());
}

}  // namespace
}  // namespace bench
