#include "load/stall_watch.h"

#include <chrono>
#include <cstdio>
#include <thread>

#include <gtest/gtest.h>

#include "scripted_server.h"
#include "test_util.h"

namespace bench {
namespace {

constexpr int64_t kS = 1'000'000'000;

TEST(StallWatchTest, WarnsAfterTheSilenceAndKeepsWarning) {
  StallWatch watch(10 * kS);
  StallSample s;
  s.waiting_first_byte = 1;
  s.mid_response = 2;
  s.last_activity_ns = 100 * kS;
  EXPECT_FALSE(watch.Check(s, 105 * kS));
  EXPECT_FALSE(watch.Check(s, 109 * kS + kS / 2));
  const auto first = watch.Check(s, 110 * kS);
  ASSERT_TRUE(first);
  EXPECT_NE(first->find("no response byte for 10.0 s"), std::string::npos) << *first;
  EXPECT_NE(first->find("from 3 requests in flight: 1 waiting for the first byte, 2 mid-response"), std::string::npos)
      << *first;
  EXPECT_FALSE(watch.Check(s, 111 * kS));
  EXPECT_FALSE(watch.Check(s, 119 * kS));
  const auto again = watch.Check(s, 120 * kS);
  ASSERT_TRUE(again);
  EXPECT_NE(again->find("no response byte for 20.0 s"), std::string::npos) << *again;
}

TEST(StallWatchTest, QuietWhileBytesArriveOrNothingIsInFlight) {
  StallWatch watch(10 * kS);
  StallSample s;
  s.mid_response = 1;
  for (int64_t t = 0; t < 60; ++t) {
    s.last_activity_ns = t * kS;  // a byte every second
    EXPECT_FALSE(watch.Check(s, t * kS + kS / 2));
  }
  StallSample idle;  // e.g. sessions thinking between turns
  idle.last_activity_ns = 0;
  EXPECT_FALSE(watch.Check(idle, 100 * kS));
}

TEST(StallWatchTest, ANewSilenceWarnsAfterItsOwnWait) {
  StallWatch watch(10 * kS);
  StallSample s;
  s.not_sent = 1;
  s.last_activity_ns = 0;
  ASSERT_TRUE(watch.Check(s, 10 * kS));
  s.last_activity_ns = 12 * kS;  // something arrived, then silence again
  EXPECT_FALSE(watch.Check(s, 13 * kS));
  EXPECT_FALSE(watch.Check(s, 21 * kS));
  const auto w = watch.Check(s, 22 * kS);
  ASSERT_TRUE(w);
  EXPECT_NE(w->find("from 1 request in flight: 1 connecting or sending"), std::string::npos) << *w;
}

TEST(StallWatchTest, FormatNamesTheTimeAndWhatToDo) {
  StallSample s;
  s.waiting_first_byte = 2;
  EXPECT_EQ(FormatStall(s, 15'240'000'000, "07:55:01"),
            "no response byte for 15.2 s (since 07:55:01) from 2 requests in flight: 2 waiting for the first byte; "
            "the server may be stalled (--request-timeout S ends such requests, Ctrl-C ends the run and writes "
            "what was measured)");
}

}  // namespace
}  // namespace bench

namespace bench {
namespace {

// The whole program against a server that goes silent mid-stream for 2.5 s: the run says so
// on stderr while it waits, and still ends normally when the server resumes.
TEST(StallWatchRunTest, ARunSaysSoWhileTheServerIsSilent) {
  ScriptedServer server([](int fd, const std::string& request, int, int) {
    if (request.rfind("GET", 0) == 0) {
      const std::string models = R"({"object":"list","data":[{"id":"m","object":"model"}]})";
      Write(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                    std::to_string(models.size()) + "\r\n\r\n" + models);
      return true;
    }
    const std::string event = R"(data: {"id":"c1","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"hi"}}]})"
                              "\n\n";
    const auto chunk = [](const std::string& data) {
      char size[16];
      std::snprintf(size, sizeof size, "%zx\r\n", data.size());
      return size + data + "\r\n";
    };
    Write(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n" +
                  chunk(event));
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    Write(fd, chunk(event) + chunk("data: [DONE]\n\n") + "0\r\n\r\n");
    return true;
  });
  test::TempDir dir;
  const std::string url = server.url().substr(0, server.url().find("/v1/"));
  const test::CommandResult r =
      test::RunBench({"profile", "-m", "m", "--url", url, "--endpoint-type", "chat", "--streaming", "--request-count",
                      "1", "--tokenizer", "builtin", "--stall-warning", "1", "--artifact-dir", dir.path().string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GE(test::Occurrences(r.err, "from 1 request in flight: 1 mid-response"), 2u) << r.err;
  EXPECT_NE(r.err.find("[warning] no response byte for 1."), std::string::npos) << r.err;
}

}  // namespace
}  // namespace bench
