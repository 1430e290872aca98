#include "telemetry/request_timings.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

// llama-server's last streamed chunk as it writes it (b11669), cut across two reads.
RequestRecord StreamedRecord(double prompt_ms, int64_t send_ns, int64_t first_read_ns) {
  RequestRecord r;
  r.timestamp_ns = send_ns;
  const std::string last =
      "data: {\"choices\":[{\"finish_reason\":\"length\",\"index\":0,\"delta\":{}}],\"created\":1796556814,"
      "\"id\":\"chatcmpl-x\",\"model\":\"tiny-llama\",\"object\":\"chat.completion.chunk\",\"timings\":{\"cache_n\":3,"
      "\"prompt_n\":128,\"prompt_ms\":" +
      std::to_string(prompt_ms) +
      ",\"prompt_per_token_ms\":0.18,\"predicted_n\":40,\"predicted_ms\":200.0,\"predicted_per_token_ms\":5.0}}\n\n"
      "data: [DONE]\n\n";
  r.response_outputs = test::ResponseOutputs(
      {"data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n", last.substr(0, 120), last.substr(120)});
  r.response_timestamps = {first_read_ns, first_read_ns + 1'000'000, first_read_ns + 2'000'000};
  return r;
}

TEST(RequestTimingsTest, ReadsLlamaCppsTimingsFromTheLastChunk) {
  const auto t = ServerTimingOf(StreamedRecord(24.5, 0, 30'000'000));
  ASSERT_TRUE(t.has_value());
  EXPECT_DOUBLE_EQ(t->prompt_ms, 24.5);
  EXPECT_DOUBLE_EQ(t->predicted_ms, 200.0);
  EXPECT_EQ(t->prompt_n, 128);
  EXPECT_EQ(t->predicted_n, 40);
  EXPECT_EQ(t->cache_n, 3);
}

TEST(RequestTimingsTest, TheLastTimingsKeyWinsEvenAtTheVeryStartOrEnd) {
  RequestRecord two;
  two.response_outputs = test::ResponseOutputs(
      {"data: {\"timings\":{\"prompt_ms\":1}}\n\n", "data: {\"timings\":{\"prompt_ms\":2}}\n\n"});
  ASSERT_TRUE(ServerTimingOf(two).has_value());
  EXPECT_DOUBLE_EQ(ServerTimingOf(two)->prompt_ms, 2);
  RequestRecord bare;  // the key is the whole text: found, but not a JSON object
  bare.response_outputs = test::ResponseOutputs({"\"timings\""});
  EXPECT_FALSE(ServerTimingOf(bare).has_value());
  RequestRecord start;
  start.response_outputs = test::ResponseOutputs({R"({"timings":{"prompt_ms":3}})"});
  ASSERT_TRUE(ServerTimingOf(start).has_value());
  EXPECT_DOUBLE_EQ(ServerTimingOf(start)->prompt_ms, 3);
}

TEST(RequestTimingsTest, NonStreamingBodyAndServersWithoutTimings) {
  RequestRecord body;
  body.response_outputs =
      test::ResponseOutputs({R"({"choices":[],"timings":{"prompt_ms":7,"predicted_n":2,"predicted_ms":4}})"});
  ASSERT_TRUE(ServerTimingOf(body).has_value());
  EXPECT_DOUBLE_EQ(ServerTimingOf(body)->prompt_ms, 7);
  RequestRecord vllm;
  vllm.response_outputs =
      test::ResponseOutputs({"data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\ndata: [DONE]\n\n"});
  EXPECT_FALSE(ServerTimingOf(vllm).has_value());
  RequestRecord broken;
  broken.response_outputs = test::ResponseOutputs({"data: {\"timings\": {\"prompt_ms\": 1"});
  EXPECT_FALSE(ServerTimingOf(broken).has_value());
}

// The reads are searched one by one (not joined): a key cut at any point, across two reads or
// spread over several reads shorter than itself, is still found.
TEST(RequestTimingsTest, FindsTheKeyCutAcrossReadsAtEveryPoint) {
  const std::string text = "data: {\"choices\":[],\"timings\":{\"prompt_ms\":5}}\n\n";
  for (size_t a = 1; a < text.size(); ++a) {
    for (size_t b = a; b < std::min(text.size(), a + 12); ++b) {
      RequestRecord r;
      r.response_outputs = test::ResponseOutputs({text.substr(0, a), text.substr(a, b - a), text.substr(b)});
      const auto t = ServerTimingOf(r);
      ASSERT_TRUE(t.has_value()) << a << " " << b;
      EXPECT_DOUBLE_EQ(t->prompt_ms, 5);
    }
  }
  RequestRecord bytes;  // one byte per read
  for (char c : text) bytes.response_outputs.AddText(std::string(1, c));
  ASSERT_TRUE(ServerTimingOf(bytes).has_value());
  RequestRecord near;  // a near miss across a seam is no key
  near.response_outputs = test::ResponseOutputs({"data: {\"timing", "\":{\"prompt_ms\":5}}\n\n"});
  EXPECT_FALSE(ServerTimingOf(near).has_value());
}

TEST(RequestTimingsTest, SplitsTheFirstReadIntoPrefillAndTheRest) {
  RequestTimings timings;
  EXPECT_TRUE(timings.Summary().is_null());
  timings.Add(StreamedRecord(20, 1'000'000'000, 1'030'000'000));  // first read after 30 ms
  timings.Add(StreamedRecord(40, 2'000'000'000, 2'050'000'000));  // after 50 ms
  RequestRecord failed = StreamedRecord(1, 0, 1);
  failed.error = RequestError{ErrorKind::kOther, 500, "x"};
  timings.Add(failed);
  const nlohmann::ordered_json s = timings.Summary();
  EXPECT_EQ(s["requests"], 2);
  EXPECT_EQ(s["cached_prompt_tokens"], 6);
  EXPECT_DOUBLE_EQ(s["server_prompt_ms"]["avg"].get<double>(), 30.0);
  EXPECT_DOUBLE_EQ(s["client_first_read_ms"]["avg"].get<double>(), 40.0);
  EXPECT_DOUBLE_EQ(s["first_read_outside_prefill_ms"]["avg"].get<double>(), 10.0);
  EXPECT_DOUBLE_EQ(s["server_ms_per_output_token"]["p50"].get<double>(), 5.0);
  const auto rows = timings.Rows();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].first, "First Read Outside Server Prefill (ms) [timings]");
  EXPECT_EQ(rows[1].second, "avg 10.00, p50 10.00, p99 10.00 (2 requests)");
}

}  // namespace
}  // namespace bench
