// One connection's send-log records: opened per request, stamped per completed write, appended
// to the shard when the response is done; nothing at all without a log.

#include "sim/send_recorder.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "test_util.h"

namespace bench {
namespace {

using nlohmann::json;

std::vector<json> Lines(const std::string& text) {
  std::vector<json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  return lines;
}

TEST(SimSendRecorderTest, OneRecordPerRequestWithAStampPerEvent) {
  test::TempDir dir;
  const std::string path = (dir.path() / "events.jsonl").string();
  SimEventLog log(path, 1);
  {
    SimSendRecorder sent(&log.shard(0));
    sent.Open(100, 90, "req-1");
    sent.Reserve(8);
    const int64_t start = sent.WriteStartNs();
    EXPECT_GT(start, 0);
    sent.Stamp(2, start, 90);
    sent.Stamp(0, start, 95);  // a write without events stamps nothing
    sent.Stamp(1, start + 1, 95);
    sent.Close();
    sent.Close();  // already closed: nothing more
    sent.Stamp(1, 5, 5);  // between requests: not recorded
    sent.Open(200, 0, "");
    sent.Stamp(1, 7, 8);
    sent.Close();
  }
  ASSERT_EQ(log.Close(), "");
  const std::vector<json> lines = Lines(test::ReadFile(path));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["request_id"], "req-1");
  EXPECT_EQ(lines[0]["received_ns"], 100);
  EXPECT_EQ(lines[0]["arrived_ns"], 90);
  ASSERT_EQ(lines[0]["event_ns"].size(), 3u);
  EXPECT_EQ(lines[0]["event_ns"][0], lines[0]["event_ns"][1]);  // one write, one stamp
  EXPECT_EQ(lines[0]["due_ns"], json({90, 90, 95}));
  EXPECT_EQ(lines[1]["request_id"], "");
  EXPECT_EQ(lines[1]["received_ns"], 200);
  EXPECT_FALSE(lines[1].contains("arrived_ns"));  // unknown arrival: omitted
  EXPECT_EQ(lines[1]["start_ns"], json({7}));  // the previous request's stamps are gone
}

TEST(SimSendRecorderTest, WithoutALogNothingIsRecordedOrTimed) {
  SimSendRecorder sent(nullptr);
  sent.Open(1, 0, "x");
  sent.Reserve(4);
  EXPECT_EQ(sent.WriteStartNs(), 0);  // no clock read on the hot path
  sent.Stamp(3, 1, 1);
  sent.Close();  // would dereference a null shard if anything were open
}

}  // namespace
}  // namespace bench
