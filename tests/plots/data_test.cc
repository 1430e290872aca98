#include "plots/data.h"

#include <filesystem>
#include <vector>

#include <gtest/gtest.h>

#include "metrics/profile_metrics.h"
#include "record/response_parser.h"
#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

// One token per character: "!" + "cc" counts 3, so a chunk "cc" carries 2 tokens.
class CharTokenizer : public Tokenizer {
 public:
  std::vector<int32_t> Encode(std::string_view text, bool) const override {
    return std::vector<int32_t>(text.size(), 1);
  }
  std::string Decode(std::span<const int32_t>, bool) const override { return {}; }
  size_t VocabSize() const override { return 256; }
  std::string Name() const override { return "chars"; }
};

ProcessedResponses Kept(std::vector<int64_t> timestamps, std::vector<std::string> texts) {
  ProcessedResponses pr;
  pr.timestamps = std::move(timestamps);
  pr.texts = std::move(texts);
  pr.raw = pr.texts;
  return pr;
}

RequestRecord Sent(int64_t at) {
  RequestRecord r;
  r.timestamp_ns = at;
  return r;
}

TEST(PlotDataTest, ChunkedTokenLatencyIsTheGapOverTheChunksTokensAtEachPosition) {
  CharTokenizer tokenizer;
  PlotDataCollector c(&tokenizer);
  const RequestRecord a = Sent(50);
  const ProcessedResponses ka = Kept({100, 200, 400, 700}, {"a", "b", "cc", "d"});
  c.Observe({a, &ka});  // 100/1 at 1, 200/2 at 2, 300/1 at 3
  const RequestRecord b = Sent(900);
  const ProcessedResponses kb = Kept({1000, 1100, 1150}, {"x", "y", "z"});
  c.Observe({b, &kb});  // 100 at 1, 50 at 2
  const RequestRecord d = Sent(1200);
  const ProcessedResponses kd = Kept({1300, 1305, 1306}, {"", "ab", ""});
  c.Observe({d, &kd});  // 5/2 = 2.5 -> 2 (half to even, as GenAI-Perf's round); empty chunk = 1 token
  const PlotData p = c.Finish();
  ASSERT_EQ(p.token_latency.size(), 7u);
  EXPECT_EQ(p.token_latency[0].position, 1u);
  EXPECT_EQ(p.token_latency[0].latency_ns, 100);
  EXPECT_EQ(p.token_latency[1].latency_ns, 100);
  EXPECT_EQ(p.token_latency[2].position, 3u);
  EXPECT_EQ(p.token_latency[2].latency_ns, 300);
  EXPECT_EQ(p.token_latency[4].latency_ns, 50);
  EXPECT_EQ(p.token_latency[5].latency_ns, 2);
  EXPECT_EQ(p.token_latency[6].latency_ns, 1);
  EXPECT_EQ(p.token_latency_total, 7u);
  // Means over every request: position 1 (100, 100, 2), 2 (100, 50, 1), 3 (300).
  ASSERT_EQ(p.position_mean_ns.size(), 3u);
  EXPECT_DOUBLE_EQ(p.position_mean_ns[0], 202.0 / 3);
  EXPECT_DOUBLE_EQ(p.position_mean_ns[1], 151.0 / 3);
  EXPECT_DOUBLE_EQ(p.position_mean_ns[2], 300);
  EXPECT_EQ(p.position_count, (std::vector<uint64_t>{3, 3, 1}));
}

TEST(PlotDataTest, TimelineHasEveryRequestIncludingFailuresAndSpansTheRun) {
  PlotDataCollector c(nullptr);
  const RequestRecord ok = Sent(1000);
  const ProcessedResponses kept = Kept({1500, 1600, 2500}, {});
  c.Observe({ok, &kept});
  RequestRecord failed = Sent(1200);
  failed.error = RequestError{ErrorKind::kReset, 0, "reset"};
  failed.response_timestamps = {1700, 3000};
  c.Observe({failed, nullptr});
  RequestRecord refused = Sent(900);
  refused.error = RequestError{ErrorKind::kConnect, 0, "refused"};
  c.Observe({refused, nullptr});
  const PlotData p = c.Finish();
  ASSERT_EQ(p.timeline.size(), 3u);
  EXPECT_EQ(p.timeline[0].kind, TimelineBar::Kind::kOk);
  EXPECT_EQ(p.timeline[0].first_ns, 1500);
  EXPECT_EQ(p.timeline[0].end_ns, 2500);
  EXPECT_EQ(p.timeline[1].kind, TimelineBar::Kind::kFailed);
  EXPECT_EQ(p.timeline[1].end_ns, 3000);
  EXPECT_EQ(p.timeline[2].end_ns, 900);  // nothing came back: a mark at the send time
  EXPECT_EQ(p.first_send_ns, 900);
  EXPECT_EQ(p.last_end_ns, 3000);
  // Without a tokenizer every response counts one token.
  ASSERT_EQ(p.token_latency.size(), 2u);
  EXPECT_EQ(p.token_latency[1].latency_ns, 900);
}

TEST(PlotDataTest, LongRunsKeepABoundedSampleButMeansOverEveryRequest) {
  PlotLimits limits;
  limits.timeline_bars = 10;
  limits.token_points = 16;
  limits.positions = 2;
  PlotDataCollector c(nullptr, limits);
  for (int i = 0; i < 100; ++i) {
    const RequestRecord r = Sent(i * 10);
    const ProcessedResponses k = Kept({i * 10 + 1, i * 10 + 2, i * 10 + 4, i * 10 + 7}, {});
    c.Observe({r, &k});
  }
  const PlotData p = c.Finish();
  EXPECT_LE(p.timeline.size(), 10u);
  EXPECT_GE(p.timeline.size(), 5u);
  EXPECT_EQ(p.timeline_total, 100u);
  EXPECT_EQ(p.timeline[1].send_ns - p.timeline[0].send_ns, static_cast<int64_t>(p.timeline_stride) * 10);
  EXPECT_LE(p.token_latency.size(), 16u);
  EXPECT_EQ(p.token_latency_total, 300u);
  EXPECT_EQ(p.last_end_ns, 997);
  // Positions beyond the limit are only sampled.
  EXPECT_EQ(p.position_mean_ns, (std::vector<double>{1, 2}));
  EXPECT_EQ(p.position_count, (std::vector<uint64_t>{100, 100}));
}

TEST(PlotDataTest, MetricsAccumulatorShowsTheObserverEveryRequestOnce) {
  CharTokenizer tokenizer;
  PlotDataCollector c(&tokenizer);
  MetricsAccumulator acc(ResponseFormat::kOpenAiChat, &tokenizer, {});
  acc.SetObserver(&c);
  RequestRecord r = Sent(0);
  r.request_inputs = {{"payload", R"({"messages":[{"role":"user","content":"hi"}]})"}};
  r.response_timestamps = {10, 20};
  const auto chunk = [](const char* text) {
    return std::string("data: {\"choices\":[{\"delta\":{\"content\":\"") + text +
           "\"}}],\"object\":\"chat.completion.chunk\"}\n\n";
  };
  r.response_outputs = test::ResponseOutputs({chunk("a"), chunk("bc")});
  acc.Add(r);
  RequestRecord bad = Sent(5);
  bad.error = RequestError{ErrorKind::kTimeout, 0, "timeout"};
  acc.Add(bad);
  acc.Finish();
  const PlotData p = c.Finish();
  EXPECT_EQ(p.timeline_total, 2u);
  ASSERT_EQ(p.token_latency.size(), 1u);
  EXPECT_EQ(p.token_latency[0].latency_ns, 5);  // 10 ns over the 2 tokens of "bc"
}

// GenAI-Perf's upstream case: with the Llama tokenizer each of these ten chunks counts one
// token ("!" + chunk, minus the "!"), though the joined text has 9.
TEST(PlotDataTest, ChunkTokensFollowGenAiPerfsExclamationPrefixRule) {
  const fs::path llama = fs::path(BENCH_SHARED_REFERENCE_DIR) / "tokenizers" / "llama2" / "tokenizer.json";
  if (!fs::exists(llama)) GTEST_SKIP() << "Llama-2 tokenizer not found at " << llama;
  TokenizerLoadResult t = LoadTokenizer(llama.string());
  ASSERT_TRUE(t.tokenizer) << t.error;
  const auto outputs = test::ReadJson(test::CasesDir() / "output_token_counts_chunked" / "input_response_outputs.json");
  const ResponseOutputs responses = ResponseOutputs::FromJson(
      std::vector<nlohmann::json>(outputs["openai_chat_stream"].begin(), outputs["openai_chat_stream"].end()));
  std::vector<int64_t> timestamps;
  for (size_t i = 0; i < responses.size(); ++i) timestamps.push_back(static_cast<int64_t>(i) * 10);
  const ProcessedResponses kept = PreprocessResponses(ResponseFormat::kOpenAiChat, responses, timestamps);
  ASSERT_EQ(kept.texts.size(), 10u);
  PlotDataCollector c(t.tokenizer.get());
  const RequestRecord r = Sent(0);
  c.Observe({r, &kept});
  const PlotData p = c.Finish();
  ASSERT_EQ(p.token_latency.size(), 9u);
  for (const TokenLatencyPoint& point : p.token_latency) EXPECT_EQ(point.latency_ns, 10) << point.position;
}

}  // namespace
}  // namespace bench
