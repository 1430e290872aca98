#include "sim/event_log.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "sim/simulator.h"
#include "util/clock.h"
#include "test_util.h"

namespace bench {
namespace {

using nlohmann::json;

std::vector<json> ReadLines(const std::filesystem::path& path) {
  std::vector<json> lines;
  std::istringstream in(test::ReadFile(path));
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  return lines;
}

TEST(SimulatorEventLogTest, LineFormat) {
  std::string out;
  AppendEventLogLine(out, {"req-1", 100, {150, 150, 200}});
  AppendEventLogLine(out, {"", -5, {}});
  EXPECT_EQ(out,
            "{\"request_id\":\"req-1\",\"received_ns\":100,\"event_ns\":[150,150,200]}\n"
            "{\"request_id\":\"\",\"received_ns\":-5,\"event_ns\":[]}\n");
}

TEST(SimulatorEventLogTest, WriteStartTimesWhenPresent) {
  std::string out;
  SimEventRecord r{"x", 1, {5, 9}};
  r.start_ns = {4, 8};
  AppendEventLogLine(out, r);
  EXPECT_EQ(out, "{\"request_id\":\"x\",\"received_ns\":1,\"event_ns\":[5,9],\"start_ns\":[4,8]}\n");
}

TEST(SimulatorEventLogTest, DueTimesWhenPresent) {
  std::string out;
  SimEventRecord r{"x", 1, {5, 9}};
  r.start_ns = {4, 8};
  r.due_ns = {1, 7};
  AppendEventLogLine(out, r);
  EXPECT_EQ(out,
            "{\"request_id\":\"x\",\"received_ns\":1,\"event_ns\":[5,9],\"start_ns\":[4,8],"
            "\"due_ns\":[1,7]}\n");
}

TEST(SimulatorEventLogTest, EscapesArbitraryHeaderBytes) {
  std::string out;
  AppendEventLogLine(out, {std::string("a\"b\\c\n\x01\xff", 8), 1, {2}});
  const json line = json::parse(out);
  EXPECT_EQ(line["request_id"], "a\"b\\c\n\x01\xc3\xbf");  // 0xff read as U+00FF
}

TEST(SimulatorEventLogTest, EveryShardReachesTheFileInOrder) {
  test::TempDir dir;
  const auto path = dir.path() / "log.jsonl";
  constexpr int kPerShard = 5000;  // several hand-offs per shard
  {
    SimEventLog log(path.string(), 2);
    std::thread other([&] {
      for (int i = 0; i < kPerShard; ++i) log.shard(1).Append({"b" + std::to_string(i), i, {i, i + 1}});
    });
    for (int i = 0; i < kPerShard; ++i) log.shard(0).Append({"a" + std::to_string(i), i, {i}});
    other.join();
    EXPECT_EQ(log.Close(), "");
    EXPECT_EQ(log.Close(), "");  // idempotent
  }
  std::map<char, int> next;  // each shard's lines keep their order
  for (const json& line : ReadLines(path)) {
    const std::string id = line["request_id"];
    EXPECT_EQ(std::stoi(id.substr(1)), next[id[0]]++) << id;
  }
  EXPECT_EQ(next['a'], kPerShard);
  EXPECT_EQ(next['b'], kPerShard);
}

TEST(SimulatorEventLogTest, UnwritablePathThrows) {
  EXPECT_THROW(SimEventLog("/no/such/dir/log.jsonl", 1), std::runtime_error);
  SimulatorOptions o;
  o.port = 0;
  o.event_log_path = "/no/such/dir/log.jsonl";
  Simulator sim(o);
  EXPECT_THROW(sim.Start(), std::runtime_error);
}

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

// One blocking request; `id` empty = no X-Request-Id header.
long Post(const std::string& url, const std::string& body, const std::string& id) {
  CURL* easy = curl_easy_init();
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  if (!id.empty()) headers = curl_slist_append(headers, ("X-Request-Id: " + id).c_str());
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, Discard);
  long status = 0;
  if (curl_easy_perform(easy) == CURLE_OK) curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(easy);
  return status;
}

// Paced streams through the real server: one line per request with its id, and event times
// that respect the schedule. Timer waits never end early, so the lower bounds are exact; the
// upper bounds are loose because the machine may be busy.
TEST(SimulatorEventLogTest, LogsPacedStreams) {
  test::TempDir dir;
  const auto path = dir.path() / "sends.jsonl";
  constexpr double kTtftMs = 20, kItlMs = 5;
  constexpr int kTokens = 20, kStreams = 4;
  SimulatorOptions o;
  o.port = 0;
  o.ttft_ms = kTtftMs;
  o.itl_ms = kItlMs;
  o.event_log_path = path.string();
  Simulator sim(o);
  const std::string base = "http://127.0.0.1:" + std::to_string(sim.Start());
  const std::string chat =
      R"({"model":"m","stream":true,"max_tokens":20,"messages":[{"role":"user","content":"hi"}]})";

  const int64_t before_ns = MonotonicNowNs();
  std::vector<std::thread> clients;
  std::vector<long> status(kStreams + 2);
  for (int i = 0; i < kStreams; ++i) {
    clients.emplace_back([&, i] { status[i] = Post(base + "/v1/chat/completions", chat, "req-" + std::to_string(i)); });
  }
  clients.emplace_back([&] { status[kStreams] = Post(base + "/v1/chat/completions", chat, ""); });
  clients.emplace_back([&] {
    status[kStreams + 1] = Post(base + "/v1/completions",
                                R"({"model":"m","max_tokens":3,"prompt":"hi"})", "plain");
  });
  for (auto& c : clients) c.join();
  for (long s : status) EXPECT_EQ(s, 200);
  // A client can read the last bytes before the server's write-completion handler (which
  // stamps them) has run; Stop() abandons pending handlers, so give them a moment to run.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  sim.Stop();

  std::map<std::string, json> by_id;
  for (const json& line : ReadLines(path)) by_id[line["request_id"].get<std::string>()] = line;
  ASSERT_EQ(by_id.size(), static_cast<size_t>(kStreams + 2));

  // A non-streaming answer is one event.
  ASSERT_TRUE(by_id.count("plain"));
  EXPECT_EQ(by_id["plain"]["event_ns"].size(), 1u);

  for (const std::string id : {"req-0", "req-1", "req-2", "req-3", ""}) {
    SCOPED_TRACE(id);
    ASSERT_TRUE(by_id.count(id));
    const int64_t received = by_id[id]["received_ns"];
    // The kernel's arrival stamp of the request: after the clients began, never after the read.
    ASSERT_TRUE(by_id[id].contains("arrived_ns"));
    const int64_t arrived = by_id[id]["arrived_ns"];
    EXPECT_GE(arrived, before_ns);
    EXPECT_LE(arrived, received);
    const std::vector<int64_t> ev = by_id[id]["event_ns"];
    // Role chunk, one chunk per token, the finish chunk, [DONE].
    ASSERT_EQ(ev.size(), static_cast<size_t>(kTokens + 3));
    const std::vector<int64_t> start = by_id[id]["start_ns"];
    ASSERT_EQ(start.size(), ev.size());
    for (size_t k = 0; k < ev.size(); ++k) EXPECT_LE(start[k], ev[k]) << k;
    EXPECT_LE(received, start[0]);
    for (size_t k = 1; k < ev.size(); ++k) EXPECT_LE(ev[k - 1], ev[k]) << k;
    // The finish chunk and [DONE] leave in the last token's write.
    EXPECT_EQ(ev[kTokens], ev[kTokens + 1]);
    EXPECT_EQ(ev[kTokens], ev[kTokens + 2]);
    // Content chunk k (event k) is due at received + TTFT + (k - 1) ITL and never written early.
    for (int k = 1; k <= kTokens; ++k) {
      EXPECT_GE(start[k] - received, static_cast<int64_t>((kTtftMs + (k - 1) * kItlMs) * 1e6)) << k;
    }
    // The schedule itself: the role chunk is due on receipt, content chunk k at its slot (to
    // the nanosecond rounding of the model's delays), and nothing is written before it is due.
    const std::vector<int64_t> due = by_id[id]["due_ns"];
    ASSERT_EQ(due.size(), ev.size());
    EXPECT_EQ(due[0], received);
    for (int k = 1; k <= kTokens; ++k) {
      EXPECT_NEAR(static_cast<double>(due[k] - received), (kTtftMs + (k - 1) * kItlMs) * 1e6, 100.0) << k;
    }
    for (size_t k = 0; k < ev.size(); ++k) EXPECT_LE(due[k], start[k]) << k;
    const double mean_gap_ms = static_cast<double>(ev[kTokens] - ev[1]) / (kTokens - 1) / 1e6;
    EXPECT_LT(mean_gap_ms, 10 * kItlMs);
  }
}

}  // namespace
}  // namespace bench
