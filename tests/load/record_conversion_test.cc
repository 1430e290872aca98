#include "load/record_conversion.h"

#include <gtest/gtest.h>

namespace bench {
namespace {

RawRecord Stream(std::initializer_list<std::pair<const char*, uint32_t>> reads) {
  RawRecord r;
  r.entry = 0;
  r.handoff_mono_ns = 1'000;
  r.send_mono_ns = 2'000;
  r.http_status = 200;
  r.request_id = "bench-0";
  int64_t t = 10'000;
  for (const auto& [text, wake] : reads) r.AddRead(text, t += 1'000, wake);
  return r;
}

const EpochAnchor kAnchor{};

TEST(ClassifyTest, NamesWhatTheTransferItselfShows) {
  RawRecord r = Stream({});
  EXPECT_EQ(Classify(r).kind, ErrorKind::kNone);
  r.cancelled = true;
  r.past_deadline = true;
  EXPECT_EQ(Classify(r).kind, ErrorKind::kCancelled);
  EXPECT_NE(Classify(r).message.find("--benchmark-duration deadline"), std::string::npos);
  r = Stream({{"{\"error\":\"busy\"}\n", 1}});
  r.http_status = 429;
  const RequestError e = Classify(r);
  EXPECT_EQ(e.kind, ErrorKind::kHttpStatus);
  EXPECT_EQ(e.http_status, 429);
  EXPECT_EQ(e.message, "HTTP 429: {\"error\":\"busy\"} ");
  r = Stream({});
  r.transport_error = ErrorKind::kConnect;
  r.http_status = 200;
  r.transport_message = "Failed to connect";
  EXPECT_EQ(Classify(r).kind, ErrorKind::kConnect);
  EXPECT_EQ(Classify(r).http_status, 0);
}

TEST(ToRecordTest, AStreamKeepsItsReadsAndCountsItsEvents) {
  const std::string chunk = R"(data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"a"}}]})"
                            "\n\n";
  // Two events in the first read; the second read came with the same wake-up.
  const RawRecord raw = Stream({{(chunk + chunk).c_str(), 1}, {chunk.c_str(), 1}, {"data: [DONE]\n\n", 2}});
  LoadResult totals;
  const RequestRecord rec =
      ToRecord(RawRecord(raw), {"{\"model\":\"m\"}"}, nullptr, kAnchor, /*streaming=*/true, totals);
  EXPECT_FALSE(rec.error);
  EXPECT_EQ(rec.request_id, "bench-0");
  EXPECT_EQ(rec.request_inputs["payload"], "{\"model\":\"m\"}");
  ASSERT_EQ(rec.response_outputs.size(), 3u);
  EXPECT_EQ(rec.response_outputs.Output(1), (nlohmann::json{{"response", chunk}}));
  EXPECT_EQ(rec.response_timestamps.size(), 3u);
  EXPECT_EQ(totals.events, 3u);
  EXPECT_EQ(totals.events_sharing_timestamp, 2u);  // one in the same read, one by the same wake-up
  EXPECT_EQ(totals.streams_without_done, 0);
}

TEST(ToRecordTest, AnHttpErrorBodyIsNeverOutput) {
  RawRecord raw = Stream({{"overloaded", 1}});
  raw.http_status = 503;
  LoadResult totals;
  const RequestRecord rec = ToRecord(RawRecord(raw), {"{}"}, nullptr, kAnchor, true, totals);
  ASSERT_TRUE(rec.error);
  EXPECT_EQ(rec.error->kind, ErrorKind::kHttpStatus);
  EXPECT_TRUE(rec.response_outputs.empty());
}

TEST(ToRecordTest, InvalidUtf8FailsAndIsKeptLossily) {
  const RawRecord raw = Stream({{"data: \xff\n\n", 1}});
  LoadResult totals;
  const RequestRecord rec = ToRecord(RawRecord(raw), {"{}"}, nullptr, kAnchor, true, totals);
  ASSERT_TRUE(rec.error);
  EXPECT_EQ(rec.error->kind, ErrorKind::kInvalidJson);
  ASSERT_EQ(rec.response_outputs.size(), 1u);
  EXPECT_EQ(rec.response_outputs.Output(0), (nlohmann::json{{"response", "data: \xEF\xBF\xBD\n\n"}}));
}

TEST(ToRecordTest, ABodyCutOffAtItsLimitKeepsTheReadsItHolds) {
  // As CutTooLarge leaves a record: the body cut, the last read's end past it.
  RawRecord raw = Stream({{"data: {\"a\":", 1}, {"1}\n\n", 2}});
  raw.bytes.resize(12);
  raw.too_large = true;
  LoadResult totals;
  const RequestRecord rec = ToRecord(std::move(raw), {"{}"}, nullptr, kAnchor, true, totals);
  ASSERT_TRUE(rec.error);
  EXPECT_EQ(rec.error->kind, ErrorKind::kOther);
  ASSERT_EQ(rec.response_outputs.size(), 2u);
  EXPECT_EQ(rec.response_outputs.Text(0), "data: {\"a\":");
  EXPECT_EQ(rec.response_outputs.Text(1), "1");
  EXPECT_EQ(rec.response_timestamps.size(), 2u);
}

TEST(ToRecordTest, ATritonRequestHasTensorInputsAndTextOutputs) {
  // Responses' text_output, as the gRPC transport records them: no SSE to check.
  const RawRecord raw = Stream({{"I", 1}, {" like", 2}, {" dogs", 3}});
  LoadResult totals;
  const std::string body = R"({"model":"m","text_input":["This is test"],"max_tokens":[256],"stream":[true],"ids":[1,2]})";
  const RequestRecord rec =
      ToRecord(RawRecord(raw), {body}, nullptr, kAnchor, /*streaming=*/true, totals, /*triton=*/true);
  EXPECT_FALSE(rec.error);
  EXPECT_EQ(rec.request_inputs.dump(), R"({"ids":[1,2],"max_tokens":256,"stream":true,"text_input":"This is test"})");
  ASSERT_EQ(rec.response_outputs.size(), 3u);
  EXPECT_EQ(rec.response_outputs.Output(1).dump(), R"({"text_output":" like"})");
  EXPECT_EQ(totals.events, 0u);
}

TEST(ToRecordTest, AStreamCarriesWhatItsCheckRead) {
  const std::string chunk = R"(data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"a"}}]})"
                            "\n\n";
  const RawRecord raw = Stream({{(chunk + chunk).c_str(), 1}, {"data: [DONE]\n\n", 2}});
  LoadResult totals;
  const RequestRecord rec = ToRecord(RawRecord(raw), {"{}"}, nullptr, kAnchor, /*streaming=*/true, totals);
  EXPECT_FALSE(rec.error);
  ASSERT_TRUE(rec.reading);
  ASSERT_TRUE(rec.reading->texts_known);
  EXPECT_EQ(rec.reading->read_texts, (std::vector<std::string>{"aa", ""}));
  EXPECT_EQ(rec.reading->read_events, (std::vector<uint32_t>{2, 0}));
  // The check's event counts are the ones EventsIn finds in each read.
  LoadResult counted;
  LoadResult searched;
  CountSharedTimestamps(raw, counted, &*rec.reading);
  CountSharedTimestamps(raw, searched);
  EXPECT_EQ(counted.events, searched.events);
  EXPECT_EQ(counted.events_sharing_timestamp, searched.events_sharing_timestamp);
  // Not for a JSON body, nor for a failed stream, nor for a stream whose comment is not UTF-8:
  // that one passes the check but is kept lossily and fails as before.
  EXPECT_FALSE(ToRecord(Stream({{"{\"choices\":[]}", 1}}), {"{}"}, nullptr, kAnchor, false, totals).reading);
  EXPECT_FALSE(ToRecord(Stream({{"data: {\n\n", 1}}), {"{}"}, nullptr, kAnchor, true, totals).reading);
  const RequestRecord lossy = ToRecord(Stream({{(": \xC3\x28\n\n" + chunk).c_str(), 1}}), {"{}"}, nullptr, kAnchor, true, totals);
  ASSERT_TRUE(lossy.error);
  EXPECT_EQ(lossy.error->kind, ErrorKind::kInvalidJson);
  EXPECT_FALSE(lossy.reading);
}

}  // namespace
}  // namespace bench
