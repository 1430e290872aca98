#include "record/profile_export_writer.h"

#include <filesystem>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "record/profile_export_reader.h"
#include "json_escape_reference.h"
#include "test_util.h"

namespace bench {
namespace {

const std::string kWriterCases = std::string(BENCH_TEST_DATA_DIR) + "/genai-perf-cases/";

void ExpectSame(const ProfileExport& a, const ProfileExport& b) {
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.service_kind, b.service_kind);
  EXPECT_EQ(a.endpoint, b.endpoint);
  ASSERT_EQ(a.experiments.size(), b.experiments.size());
  for (size_t i = 0; i < a.experiments.size(); ++i) {
    const Experiment& x = a.experiments[i];
    const Experiment& y = b.experiments[i];
    EXPECT_EQ(x.mode, y.mode);
    EXPECT_EQ(x.value, y.value);
    EXPECT_EQ(x.window_boundaries, y.window_boundaries);
    ASSERT_EQ(x.requests.size(), y.requests.size());
    for (size_t j = 0; j < x.requests.size(); ++j) {
      const RequestRecord& p = x.requests[j];
      const RequestRecord& q = y.requests[j];
      EXPECT_EQ(p.timestamp_ns, q.timestamp_ns);
      EXPECT_EQ(p.request_inputs, q.request_inputs);
      EXPECT_EQ(p.response_timestamps, q.response_timestamps);
      EXPECT_EQ(p.response_outputs, q.response_outputs);
      EXPECT_EQ(p.intended_timestamp_ns, q.intended_timestamp_ns);
      ASSERT_EQ(p.error.has_value(), q.error.has_value());
      if (p.error) {
        EXPECT_EQ(p.error->kind, q.error->kind);
        EXPECT_EQ(p.error->http_status, q.error->http_status);
        EXPECT_EQ(p.error->message, q.error->message);
      }
    }
  }
}

TEST(ProfileExportWriterTest, RoundTripsEveryConformanceExport) {
  for (const auto& dir : std::filesystem::directory_iterator(kWriterCases)) {
    const auto path = dir.path() / "input_profile_export.json";
    if (!std::filesystem::exists(path)) continue;
    SCOPED_TRACE(path.string());
    const ProfileExportReadResult first = ReadProfileExport(path.string());
    ASSERT_EQ(first.error, "");
    std::ostringstream out;
    WriteProfileExport(first.profile, out);
    const ProfileExportReadResult second = ParseProfileExport(out.str(), "written");
    ASSERT_EQ(second.error, "");
    ExpectSame(first.profile, second.profile);
    // Writing is deterministic: a second round gives the same bytes.
    std::ostringstream again;
    WriteProfileExport(second.profile, again);
    EXPECT_EQ(out.str(), again.str());
  }
}

TEST(ProfileExportWriterTest, WritesPerfAnalyzerKeyOrderCompactly) {
  RequestRecord r;
  r.timestamp_ns = 1741134590669919999;
  r.request_inputs = {{"payload", "{\"stream\":true}"}};
  r.response_timestamps = {1741134590700000000, 1741134590700000001};
  r.response_outputs = test::ResponseOutputs({"data: {\"x\":\"\xc3\xa9\\n\"}\n\n", "\x01"});
  std::ostringstream out;
  ProfileExportWriter w(out);
  w.BeginExperiment("concurrency", 10);
  w.WriteRequest(r);
  r.error = RequestError{ErrorKind::kTimeout, 0, "took \"too\" long"};
  r.intended_timestamp_ns = 5;
  r.request_id = "bench-1";
  w.WriteRequest(r);
  const std::vector<int64_t> windows = {1, 2};
  w.EndExperiment(windows);
  w.BeginExperiment("request_rate", 2);
  w.EndExperiment({});
  w.Finish("2.59.0", "openai", "v1/chat/completions");
  const std::string req =
      R"({"timestamp":1741134590669919999,"request_inputs":{"payload":"{\"stream\":true}"},)"
      R"("response_timestamps":[1741134590700000000,1741134590700000001],)"
      "\"response_outputs\":[{\"response\":\"data: {\\\"x\\\":\\\"\xc3\xa9\\\\n\\\"}\\n\\n\"},"
      R"({"response":"\u0001"}])";
  const std::string expected =
      R"({"experiments":[{"experiment":{"mode":"concurrency","value":10},"requests":[)" + req +
      "}," + req +
      R"(,"error":{"kind":"timeout","status":0,"message":"took \"too\" long"},"intended_timestamp":5,)"
      R"("request_id":"bench-1"}],)"
      R"("window_boundaries":[1,2]},)"
      R"({"experiment":{"mode":"request_rate","value":2.0},"requests":[],"window_boundaries":[]}],)"
      R"("version":"2.59.0","service_kind":"openai","endpoint":"v1/chat/completions"})";
  EXPECT_EQ(out.str(), expected);
}

TEST(ProfileExportWriterTest, PassesInvalidUtf8ThroughLikePerfAnalyzer) {
  ProfileExport p;
  p.experiments.resize(1);
  RequestRecord r;
  r.response_outputs = test::ResponseOutputs({std::string("caf\xc3")});
  r.response_timestamps = {1};
  p.experiments[0].requests.push_back(r);
  std::ostringstream out;
  EXPECT_NO_THROW(WriteProfileExport(p, out));
  EXPECT_NE(out.str().find("caf\xc3\""), std::string::npos);
  // The reader drops the stray byte, as GenAI-Perf does.
  const ProfileExportReadResult back = ParseProfileExport(out.str(), "w");
  ASSERT_EQ(back.error, "");
  EXPECT_EQ(back.profile.experiments[0].requests[0].response_outputs.Output(0), (nlohmann::json{{"response", "caf"}}));
}

std::string ExportedResponse(const std::string& text) {
  ProfileExport p;
  p.experiments.resize(1);
  RequestRecord r;
  r.response_outputs = test::ResponseOutputs({text});
  r.response_timestamps = {1};
  p.experiments[0].requests.push_back(r);
  std::ostringstream out;
  WriteProfileExport(p, out);
  const std::string& all = out.str();
  const size_t begin = all.find("{\"response\":") + 12;
  const size_t end = all.rfind("\"}]") + 1;  // the text's own `"}]` is escaped as `\"}]`
  return all.substr(begin, end - begin);
}

TEST(ProfileExportWriterTest, EscapesEveryByteLikeRapidjson) {
  // Plain text, text with only two-byte escapes (SSE chunks), and text with \u00XX escapes
  // take different paths in the writer; each byte value in each, at several positions.
  EXPECT_EQ(ExportedResponse(""), "\"\"");
  EXPECT_EQ(ExportedResponse("plain text"), "\"plain text\"");
  const std::string sse = "data: {\"choices\":[{\"delta\":{\"content\":\" a\\\\b\\t\"}}]}\n\n";
  EXPECT_EQ(ExportedResponse(sse), test::ReferenceJsonEscape(sse));
  for (int c = 0; c < 256; ++c) {
    const std::string byte(1, static_cast<char>(c));
    for (const std::string& text : {byte, "ab" + byte, byte + "\"x\n", sse + byte + sse, "\x01" + byte}) {
      ASSERT_EQ(ExportedResponse(text), test::ReferenceJsonEscape(text)) << "byte " << c;
    }
    // Every position within and across the writer's 16-byte blocks.
    for (size_t at = 0; at < 40; ++at) {
      const std::string text = std::string(at, 'a') + byte + std::string(20, 'b') + "\"\\" + byte;
      ASSERT_EQ(ExportedResponse(text), test::ReferenceJsonEscape(text)) << "byte " << c << " at " << at;
    }
  }
}

// Random texts dense in escapes, at every length around the writer's 16- and 8-byte blocks.
TEST(ProfileExportWriterTest, EscapesRandomTextsLikeRapidjson) {
  std::mt19937 rng(5);
  const std::string alphabet = std::string("a \"\\\n\t\r\x01\x1f\x7f\xc3\xa9", 13);
  for (int round = 0; round < 3000; ++round) {
    std::string text(rng() % 100, 'a');
    for (char& c : text) c = alphabet[rng() % alphabet.size()];
    ASSERT_EQ(ExportedResponse(text), test::ReferenceJsonEscape(text)) << round;
  }
}

// Counts the writes that reach the stream, and keeps what they wrote.
class CountingBuf : public std::stringbuf {
 public:
  int writes = 0;

 protected:
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    ++writes;
    return std::stringbuf::xsputn(s, n);
  }
};

TEST(ProfileExportWriterTest, WritesManyRequestsInFewLargeWrites) {
  // 400 requests of ~7 KB, about 3 MiB: the kernel charges a 20 KB write about three times
  // what it charges a MiB per byte, so requests are gathered before they reach the stream.
  ProfileExport profile;
  profile.version = "v";
  Experiment& e = profile.experiments.emplace_back();
  e.mode = "concurrency";
  e.value = 4;
  for (int i = 0; i < 400; ++i) {
    RequestRecord& r = e.requests.emplace_back();
    r.timestamp_ns = i;
    r.request_inputs = nlohmann::json{{"payload", "{}"}};
    for (int k = 0; k < 100; ++k) {
      r.response_timestamps.push_back(i * 1000 + k);
      r.response_outputs.AddText("data: {\"choices\":[{\"delta\":{\"content\":\" t" + std::to_string(k) +
                                          "\"}}]}\n\n");
    }
  }
  CountingBuf buf;
  std::ostream out(&buf);
  WriteProfileExport(profile, out);
  const std::string written = buf.str();
  EXPECT_GT(written.size(), size_t{2} << 20);
  EXPECT_LE(buf.writes, static_cast<int>(written.size() >> 20) + 4);
  const ProfileExportReadResult back = ParseProfileExport(written, "written");
  ASSERT_EQ(back.error, "");
  ExpectSame(profile, back.profile);
}

TEST(ProfileExportWriterTest, EmptyExport) {
  std::ostringstream out;
  WriteProfileExport(ProfileExport{}, out);
  EXPECT_EQ(out.str(), R"({"experiments":[],"version":"","service_kind":"openai","endpoint":""})");
}

}  // namespace
}  // namespace bench
