#include "report/reasoning_report.h"

#include <memory>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

namespace bench {
namespace {

// The warnings of one AddReasoningReport call.
class WarningCapture {
 public:
  WarningCapture() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    sink->set_pattern("%l: %v");
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink));
  }
  ~WarningCapture() { spdlog::set_default_logger(previous_); }
  std::string text() const { return out_.str(); }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

std::string Row(const ExportContext& c, const std::string& label) {
  for (const auto& [l, v] : c.bench_rows) {
    if (l == label) return v;
  }
  return "<none>";
}

TEST(ReasoningReportTest, ReasoningRowsAndJsonWhenARequestReasoned) {
  ReasoningMetrics m;
  m.requests_with_reasoning = 1;
  m.requests_counted = 2;
  m.time_to_first_reasoning_token = {500e6};
  m.time_to_first_answer_token = {100e6, 1500e6};
  m.inter_token_latency_with_reasoning = {67e6, 280e6};
  m.reasoning_token_count = {0, 3};
  m.answer_token_count = {4, 3};
  ExportContext c;
  AddReasoningReport(m, /*streaming=*/true, c);
  EXPECT_EQ(Row(c, "Time To First Reasoning Token avg (ms)"), "500.000");
  EXPECT_EQ(Row(c, "Time To First Answer Token avg (ms)"), "800.000");
  EXPECT_EQ(Row(c, "Inter Token Latency With Reasoning avg (ms)"), "173.500");
  EXPECT_EQ(Row(c, "Reasoning Token Count avg (tokens)"), "1.50");
  EXPECT_EQ(Row(c, "Answer Token Count avg (tokens)"), "3.50");
  EXPECT_EQ(c.extra["reasoning"]["requests_with_reasoning"], 1);
  EXPECT_DOUBLE_EQ(c.extra["time_to_first_answer_token"]["max"].get<double>(), 1500.0);
  EXPECT_EQ(c.extra["time_to_first_answer_token"]["unit"], "ms");
  EXPECT_EQ(c.extra["reasoning_token_count"]["unit"], "tokens");
}

TEST(ReasoningReportTest, NothingForAPlainNonStreamingRun) {
  ReasoningMetrics m;
  m.requests_counted = 3;
  m.chunks = 3;
  m.chunk_tokens = 30;
  ExportContext c;
  AddReasoningReport(m, /*streaming=*/false, c);
  EXPECT_TRUE(c.bench_rows.empty());
  EXPECT_TRUE(c.extra.is_null());
}

TEST(ReasoningReportTest, ServerCountsBesideTheTokenizersWithTheDifference) {
  ReasoningMetrics m;
  m.use_server_token_count = true;
  m.requests_counted = 2;
  m.server_osl = {8, 12};
  m.tokenizer_osl = {6, 10};
  m.server_isl = {9, 9};
  m.tokenizer_isl = {10, 10};
  WarningCapture log;
  ExportContext c;
  AddReasoningReport(m, /*streaming=*/false, c);
  EXPECT_EQ(Row(c, "Server Output Sequence Length avg (tokens)"), "10.00");
  EXPECT_EQ(Row(c, "Tokenizer Output Sequence Length avg (tokens)"), "8.00");
  EXPECT_EQ(Row(c, "Output Sequence Length Difference (%)"), "+25.00");  // (10 - 8) / 8
  EXPECT_EQ(Row(c, "Input Sequence Length Difference (%)"), "-10.00");   // (9 - 10) / 10
  EXPECT_DOUBLE_EQ(c.extra["output_sequence_length_difference"]["avg"].get<double>(), 25.0);
  EXPECT_EQ(c.extra["server_token_count"]["requests_without_usage"], 0);
  EXPECT_EQ(log.text(), "");
}

TEST(ReasoningReportTest, MissingUsageWarnsOnce) {
  ReasoningMetrics m;
  m.use_server_token_count = true;
  m.requests_counted = 4;
  m.requests_without_usage = 4;
  WarningCapture log;
  ExportContext c;
  AddReasoningReport(m, /*streaming=*/true, c);
  const std::string text = log.text();
  EXPECT_NE(text.find("warning: --use-server-token-count: 4 of 4 requests carried no usage"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("warning", 1), std::string::npos) << "one warning only: " << text;
  EXPECT_EQ(Row(c, "Server Output Sequence Length avg (tokens)"), "<none>");
}

TEST(ReasoningReportTest, ChunkCheckRecordsTokensPerChunkAndWarnsAboveOne) {
  ReasoningMetrics one;
  one.requests_counted = 2;
  one.chunks = 20;
  one.chunk_tokens = 21;  // re-tokenizing may count a little more than the chunks carried
  {
    WarningCapture log;
    ExportContext c;
    AddReasoningReport(one, /*streaming=*/true, c);
    EXPECT_DOUBLE_EQ(c.extra["tokens_per_chunk"]["avg"].get<double>(), 1.05);
    EXPECT_EQ(c.extra["tokens_per_chunk"]["source"], "tokenizer");
    EXPECT_EQ(Row(c, "Tokens Per Chunk avg (tokens)"), "<none>");
    EXPECT_EQ(log.text(), "");
  }
  {
    // 1.2 from the tokenizer may be re-tokenization; from usage it is what the server sent.
    ReasoningMetrics some = one;
    some.chunk_tokens = 24;
    WarningCapture quiet;
    ExportContext by_tokenizer;
    AddReasoningReport(some, /*streaming=*/true, by_tokenizer);
    EXPECT_EQ(quiet.text(), "");
    some.chunk_tokens_from_usage = 2;
    ExportContext by_usage;
    AddReasoningReport(some, /*streaming=*/true, by_usage);
    EXPECT_EQ(Row(by_usage, "Tokens Per Chunk avg (tokens)"), "1.20");
  }
  ReasoningMetrics three = one;
  three.chunk_tokens = 60;
  three.chunk_tokens_from_usage = 2;
  WarningCapture log;
  ExportContext c;
  AddReasoningReport(three, /*streaming=*/true, c);
  EXPECT_EQ(c.extra["tokens_per_chunk"]["source"], "usage");
  EXPECT_EQ(c.extra["tokens_per_chunk"]["chunks"], 20);
  EXPECT_EQ(Row(c, "Tokens Per Chunk avg (tokens)"), "3.00");
  EXPECT_NE(log.text().find("SSE chunks carried 3.00 tokens on average (counted by the usage)"), std::string::npos)
      << log.text();
  EXPECT_NE(log.text().find("per chunk, not per token"), std::string::npos);
}

}  // namespace
}  // namespace bench
