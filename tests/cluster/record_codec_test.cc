#include "cluster/record_codec.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

RequestRecord Full() {
  RequestRecord r;
  r.timestamp_ns = 1'700'000'000'123'456'789;
  r.request_inputs = {{"payload", "{\"model\":\"m\"}"}, {"session_id", "s"}};
  r.response_timestamps = {1'700'000'000'200'000'000, 1'700'000'000'300'000'000};
  r.response_outputs = test::ResponseOutputs({"data: {\"x\":1}\n\n", std::string("\xff\xfe", 2)});
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

// On the wire the outputs are perf_analyzer's objects, one per read, whichever form holds them:
// a rank built before the compact form reads this rank's records, and this rank reads its.
TEST(RecordCodecTest, TheOutputsTravelAsPerfAnalyzerObjects) {
  std::string chunk;
  AppendRecord(Full(), chunk);
  const nlohmann::json sent = nlohmann::json::from_msgpack(chunk.substr(4));
  const std::vector<nlohmann::json> reads = {{{"response", "data: {\"x\":1}\n\n"}},
                                             {{"response", std::string("\xff\xfe", 2)}}};
  EXPECT_EQ(sent.at("ro"), nlohmann::json(reads));

  // A record whose outputs are in the general form (the TRT-LLM C API's output ids).
  RequestRecord c_api = Full();
  c_api.response_outputs = ResponseOutputs::FromJson({{{"output_ids", {1, 2}}}, {{"output_ids", 3}}});
  nlohmann::json old = sent;  // as an older rank encodes it: a plain list of objects
  old["ro"] = c_api.response_outputs.ToJson();
  const std::vector<uint8_t> bytes = nlohmann::json::to_msgpack(old);
  RequestRecord back;
  std::string error;
  ASSERT_TRUE(DecodeRecord(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), back, error))
      << error;
  EXPECT_FALSE(back.response_outputs.compact());
  EXPECT_EQ(back.response_outputs, c_api.response_outputs);
  std::string again;
  AppendRecord(back, again);
  EXPECT_EQ(nlohmann::json::from_msgpack(again.substr(4)).at("ro"), old["ro"]);
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
