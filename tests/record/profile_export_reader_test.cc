#include "record/profile_export_reader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "record/profile_export_writer.h"
#include "test_util.h"

namespace bench {
namespace {

TEST(ProfileExportReaderTest, ReadsEveryConformanceExport) {
  size_t files = 0;
  for (const auto& dir : std::filesystem::directory_iterator(test::CasesDir())) {
    const auto path = dir.path() / "input_profile_export.json";
    if (!std::filesystem::exists(path)) continue;
    ++files;
    const ProfileExportReadResult r = ReadProfileExport(path.string());
    EXPECT_EQ(r.error, "") << path;
    EXPECT_FALSE(r.profile.experiments.empty()) << path;
  }
  EXPECT_GE(files, 13u);
}

TEST(ProfileExportReaderTest, ReadsFieldsAndBenchAdditions) {
  const std::string text = R"({"experiments":[{"experiment":{"mode":"request_rate","value":2.5},
    "requests":[{"timestamp":18446744073709551,"request_inputs":{"payload":"{}","session_id":"s"},
    "response_timestamps":[1,2],"response_outputs":[{"response":"a"},{"response":"b"}],
    "error":{"kind":"http_status","status":503,"message":"busy"},"intended_timestamp":7}],
    "window_boundaries":[1,9]}],"version":"2.0","service_kind":"openai","endpoint":"v1/completions"})";
  const ProfileExportReadResult r = ParseProfileExport(text, "x.json");
  ASSERT_EQ(r.error, "");
  const ProfileExport& p = r.profile;
  EXPECT_EQ(p.version, "2.0");
  EXPECT_EQ(p.service_kind, "openai");
  EXPECT_EQ(p.endpoint, "v1/completions");
  ASSERT_EQ(p.experiments.size(), 1u);
  const Experiment& e = p.experiments[0];
  EXPECT_EQ(e.mode, "request_rate");
  EXPECT_EQ(e.value, 2.5);
  EXPECT_EQ(e.window_boundaries, (std::vector<int64_t>{1, 9}));
  ASSERT_EQ(e.requests.size(), 1u);
  const RequestRecord& q = e.requests[0];
  EXPECT_EQ(q.timestamp_ns, 18446744073709551);
  EXPECT_EQ(q.request_inputs["session_id"], "s");
  EXPECT_EQ(q.response_timestamps, (std::vector<int64_t>{1, 2}));
  ASSERT_EQ(q.response_outputs.size(), 2u);
  EXPECT_EQ(q.response_outputs.Output(1), (nlohmann::json{{"response", "b"}}));
  ASSERT_TRUE(q.error.has_value());
  EXPECT_EQ(q.error->kind, ErrorKind::kHttpStatus);
  EXPECT_EQ(q.error->http_status, 503);
  EXPECT_EQ(q.error->message, "busy");
  EXPECT_EQ(q.intended_timestamp_ns, std::optional<int64_t>(7));
}

TEST(ProfileExportReaderTest, ErrorsNameFileAndJsonPath) {
  struct Case {
    std::string json;
    std::string expected;
  };
  const std::string head = R"({"service_kind":"openai","experiments":[{"experiment":{"mode":"concurrency","value":1},"requests":[)";
  const std::vector<Case> cases = {
      {"{", "f.json: not valid JSON: parse error at line 1, column 2"},
      {"[]", "f.json: (root): expected an object"},
      {R"({"service_kind":"openai"})", "f.json: experiments: missing or not an array"},
      {R"({"experiments":[]})", "f.json: service_kind: missing"},
      {head + R"({"timestamp":"1","response_timestamps":[],"response_outputs":[]}]}]})",
       "f.json: experiments[0].requests[0].timestamp: expected an integer, got string"},
      {head + R"({"timestamp":1,"response_timestamps":[1],"response_outputs":[]},)" +
           R"({"timestamp":1,"response_timestamps":[1,2.5],"response_outputs":[]}]}]})",
       "f.json: experiments[0].requests[1].response_timestamps[1]: expected an integer, got number"},
      {head + R"({"timestamp":1,"response_timestamps":[]}]}]})",
       "f.json: experiments[0].requests[0].response_outputs: missing"},
      {head + R"({"timestamp":1,"response_timestamps":[],"response_outputs":[],"error":{"status":1}}]}]})",
       "f.json: experiments[0].requests[0].error.kind: missing"},
      {head + R"({"timestamp":99999999999999999999,"response_timestamps":[],"response_outputs":[]}]}]})",
       "f.json: experiments[0].requests[0].timestamp:"},
  };
  for (const Case& c : cases) {
    const ProfileExportReadResult r = ParseProfileExport(c.json, "f.json");
    EXPECT_EQ(r.error.rfind(c.expected, 0), 0u) << "got: " << r.error << "\nfor: " << c.json;
    EXPECT_EQ(r.error.find('\n'), std::string::npos) << r.error;
    EXPECT_TRUE(r.profile.experiments.empty());
  }
}

TEST(ProfileExportReaderTest, MissingFileIsAnError) {
  const ProfileExportReadResult r = ReadProfileExport("/nonexistent/profile_export.json");
  EXPECT_EQ(r.error, "/nonexistent/profile_export.json: cannot open file");
}

TEST(ProfileExportReaderTest, InvalidUtf8IsDroppedLikeGenAiPerf) {
  // A read boundary can split a multi-byte character; GenAI-Perf loads with errors="ignore".
  const std::string text = "{\"service_kind\":\"openai\",\"experiments\":[{\"experiment\":{\"mode\":"
                           "\"concurrency\",\"value\":1},\"requests\":[{\"timestamp\":1,"
                           "\"response_timestamps\":[2],\"response_outputs\":[{\"response\":"
                           "\"caf\xc3\xa9 \xe2\x82 x\xff\xed\xa0\x80y\"}]}]}]}";
  const ProfileExportReadResult r = ParseProfileExport(text, "u.json");
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.profile.experiments[0].requests[0].response_outputs.Output(0),
            (nlohmann::json{{"response", "caf\xc3\xa9  xy"}}));
}

TEST(ProfileExportReaderTest, TruncatedInputNeverThrows) {
  const std::string text = R"({"experiments":[{"experiment":{"mode":"concurrency","value":10},"requests":[{"timestamp":1,"request_inputs":{"payload":"x"},"response_timestamps":[3],"response_outputs":[{"response":"y"}]}],"window_boundaries":[1,2]}],"version":"v","service_kind":"openai","endpoint":"e"})";
  for (size_t n = 0; n < text.size(); ++n) {
    EXPECT_NO_THROW({
      const ProfileExportReadResult r = ParseProfileExport(text.substr(0, n), "t.json");
      EXPECT_NE(r.error, "");
    });
  }
  EXPECT_EQ(ParseProfileExport(text, "t.json").error, "");
}

// A number too large for a double (nlohmann's out_of_range.406) is reported like any other
// JSON error (the same bug crashed the tokenizer.json loader; see tokenizer_json_fuzz).
TEST(ProfileExportReaderTest, NumberOverflowIsANotValidJsonError) {
  const ProfileExportReadResult r = ParseProfileExport(R"({"experiments": 1e400})", "t.json");
  EXPECT_EQ(r.error.rfind("t.json: not valid JSON: number overflow", 0), 0u) << r.error;
}

}  // namespace
}  // namespace bench

namespace bench {
namespace {

// `bench profile` writes one request per line: still one JSON document for GenAI-Perf.
TEST(ProfileExportLinesTest, OneRequestPerLineIsTheSameDocument) {
  test::TempDir dir;
  const auto path = dir.path() / "profile_export.json";
  {
    std::ofstream f(path, std::ios::binary);
    ProfileExportWriter w(f, /*request_per_line=*/true);
    w.BeginExperiment("concurrency", 2);
    for (int i = 0; i < 3; ++i) {
      RequestRecord r;
      r.timestamp_ns = 100 + i;
      r.request_inputs = {{"payload", "{\"a\":\"x\\ny\"}"}};  // a newline inside a string stays escaped
      r.response_timestamps = {200 + i};
      r.response_outputs = test::ResponseOutputs({"data: {}\n\n"});
      r.request_id = "id-" + std::to_string(i);
      w.WriteRequest(r);
    }
    w.EndExperiment({});
    w.Finish("v", "openai", "v1/chat/completions");
  }
  const std::string text = test::ReadFile(path);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 4);  // before each request and before the end
  EXPECT_EQ(text.find("\n{\"timestamp\":101,"), text.find('\n', text.find('\n') + 1));
  const ProfileExportReadResult whole = ReadProfileExport(path.string());
  ASSERT_EQ(whole.error, "");
  ASSERT_EQ(whole.profile.experiments.at(0).requests.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    const RequestRecord& r = whole.profile.experiments[0].requests[i];
    EXPECT_EQ(r.timestamp_ns, 100 + i);
    EXPECT_EQ(r.request_id, "id-" + std::to_string(i));
    EXPECT_EQ(r.response_outputs.Output(0), (nlohmann::json{{"response", "data: {}\n\n"}}));
  }
}

}  // namespace
}  // namespace bench
