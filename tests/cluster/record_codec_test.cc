#include "cluster/record_codec.h"

#include <gtest/gtest.h>

namespace bench {
namespace {

RequestRecord Full() {
  RequestRecord r;
  r.timestamp_ns = 1'700'000'000'123'456'789;
  r.request_inputs = {{"payload", "{\"model\":\"m\"}"}, {"session_id", "s"}};
  r.response_timestamps = {1'700'000'000'200'000'000, 1'700'000'000'300'000'000};
  r.response_outputs = {{{"response", "data: {\"x\":1}\n\n"}}, {{"response", std::string("\xff\xfe", 2)}}};
  r.error = RequestError{ErrorKind::kHttpStatus, 503, "busy"};
  r.intended_timestamp_ns = 1'700'000'000'100'000'000;
  r.request_id = "bench-r1-7";
  r.handoff_timestamp_ns = 1'700'000'000'120'000'000;
  return r;
}

TEST(RecordCodecTest, EveryFieldSurvivesTheTrip) {
  std::string chunk;
  AppendRecord(Full(), chunk);
  AppendRecord(RequestRecord{}, chunk);
  std::vector<RequestRecord> out;
  std::string error;
  ASSERT_TRUE(ForEachRecord(chunk, [&](RequestRecord&& r) { out.push_back(std::move(r)); }, error)) << error;
  ASSERT_EQ(out.size(), 2u);
  const RequestRecord want = Full();
  EXPECT_EQ(out[0].timestamp_ns, want.timestamp_ns);
  EXPECT_EQ(out[0].request_inputs, want.request_inputs);
  EXPECT_EQ(out[0].response_timestamps, want.response_timestamps);
  EXPECT_EQ(out[0].response_outputs, want.response_outputs);
  ASSERT_TRUE(out[0].error);
  EXPECT_EQ(out[0].error->kind, ErrorKind::kHttpStatus);
  EXPECT_EQ(out[0].error->http_status, 503);
  EXPECT_EQ(out[0].error->message, "busy");
  EXPECT_EQ(out[0].intended_timestamp_ns, want.intended_timestamp_ns);
  EXPECT_EQ(out[0].request_id, want.request_id);
  EXPECT_EQ(out[0].handoff_timestamp_ns, want.handoff_timestamp_ns);
  EXPECT_FALSE(out[1].error);
  EXPECT_FALSE(out[1].intended_timestamp_ns);
  EXPECT_FALSE(out[1].handoff_timestamp_ns);
}

TEST(RecordCodecTest, ATruncatedChunkIsAnError) {
  std::string chunk;
  AppendRecord(Full(), chunk);
  chunk.pop_back();
  std::string error;
  EXPECT_FALSE(ForEachRecord(chunk, [](RequestRecord&&) {}, error));
  EXPECT_FALSE(error.empty());
}

}  // namespace
}  // namespace bench
