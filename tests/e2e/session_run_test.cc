// End-to-end: multi-turn sessions (--session-concurrency, --num-sessions, payload traces with
// session_id/delay) with the real bench binary against the in-process simulator. No wall-clock
// upper bounds: only orderings, lower bounds from the delays, and counts.

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

test::CommandResult RunSessionSim(const fs::path& artifacts, std::vector<std::string> extra, bool streaming = true) {
  std::vector<std::string> args = {"profile", "--simulator", "--sim-ttft-ms", "5", "--sim-itl-ms", "1",
                                    "--isl", "20", "--osl", "6", "--artifact-dir", artifacts.string()};
  if (streaming) args.push_back("--streaming");
  args.insert(args.end(), extra.begin(), extra.end());
  return test::RunBench(args);
}

// The assistant text of one exported request, reassembled here independently of bench's parser:
// SSE `data:` events' delta contents in order, or a JSON body's message content.
std::string AssistantText(const json& request) {
  std::string raw;
  for (const auto& out : request["response_outputs"]) raw += out["response"].get<std::string>();
  if (raw.rfind("data:", 0) != 0) return json::parse(raw)["choices"][0]["message"]["content"].get<std::string>();
  std::string text;
  size_t at = 0;
  while (at < raw.size()) {
    size_t nl = raw.find('\n', at);
    if (nl == std::string::npos) nl = raw.size();
    const std::string line = raw.substr(at, nl - at);
    at = nl + 1;
    if (line.rfind("data: ", 0) != 0 || line == "data: [DONE]") continue;
    const json event = json::parse(line.substr(6));
    const json& delta = event["choices"][0]["delta"];
    if (delta.contains("content") && delta["content"].is_string()) text += delta["content"].get<std::string>();
  }
  return text;
}

// Turns of each session in send order.
std::map<std::string, std::vector<json>> BySession(const json& requests) {
  std::map<std::string, std::vector<json>> sessions;
  for (const auto& r : requests) sessions[r["request_inputs"]["session_id"].get<std::string>()].push_back(r);
  for (auto& [id, turns] : sessions) {
    std::sort(turns.begin(), turns.end(),
              [](const json& a, const json& b) { return a["timestamp"].get<int64_t>() < b["timestamp"].get<int64_t>(); });
  }
  return sessions;
}

// The most intervals [begin, end] open at one instant.
size_t MaxOverlap(std::vector<std::pair<int64_t, int64_t>> spans) {
  std::vector<std::pair<int64_t, int>> edges;
  for (const auto& [b, e] : spans) {
    edges.emplace_back(b, +1);
    edges.emplace_back(e, -1);
  }
  std::sort(edges.begin(), edges.end(), [](const auto& x, const auto& y) {
    return x.first != y.first ? x.first < y.first : x.second < y.second;  // an end before a begin at a tie
  });
  int open = 0;
  int most = 0;
  for (const auto& [t, d] : edges) most = std::max(most, open += d);
  return static_cast<size_t>(most);
}

// Checks what every session run must hold: each turn's payload is the history (earlier user turns
// and the assistant text exactly as received), each turn waits for the previous reply plus its
// recorded delay, and the last turn records no delay.
void ExpectRealHistoryAndDelays(const std::map<std::string, std::vector<json>>& sessions, double delay_ms) {
  for (const auto& [id, turns] : sessions) {
    for (size_t k = 0; k < turns.size(); ++k) {
      const json payload = json::parse(turns[k]["request_inputs"]["payload"].get<std::string>());
      const json& messages = payload["messages"];
      ASSERT_EQ(messages.size(), 2 * k + 1) << id << " turn " << k;
      for (size_t j = 0; j < k; ++j) {
        const json earlier = json::parse(turns[j]["request_inputs"]["payload"].get<std::string>());
        EXPECT_EQ(messages[2 * j], earlier["messages"].back()) << id << " turn " << k;
        EXPECT_EQ(messages[2 * j + 1]["role"], "assistant");
        EXPECT_EQ(messages[2 * j + 1]["content"], AssistantText(turns[j])) << id << " turn " << k;
        EXPECT_FALSE(AssistantText(turns[j]).empty());
      }
      EXPECT_EQ(messages[2 * k]["role"], "user");
      if (k + 1 < turns.size()) {
        ASSERT_TRUE(turns[k]["request_inputs"].contains("delay")) << id << " turn " << k;
        EXPECT_EQ(turns[k]["request_inputs"]["delay"].get<double>(), delay_ms);
        const int64_t ready = turns[k]["response_timestamps"].back().get<int64_t>() +
                              static_cast<int64_t>(delay_ms * 1e6);
        EXPECT_GE(turns[k + 1]["timestamp"].get<int64_t>(), ready) << id << " turn " << k + 1;
      } else {
        EXPECT_FALSE(turns[k]["request_inputs"].contains("delay")) << id;
      }
    }
  }
}

TEST(SessionRunTest, SyntheticSessionsCarryTheRealHistoryAndKeepTheirDelaysAndConcurrency) {
  test::TempDir dir;
  const auto r = RunSessionSim(dir.path(), {"--num-sessions", "4", "--session-concurrency", "2", "--session-turns-mean",
                                     "3", "--session-turn-delay-mean", "50", "--random-seed", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path run = dir.path() / "bench-sim-openai-chat-session_concurrency2";
  ASSERT_TRUE(fs::exists(run / "profile_export.json")) << r.err;
  const auto pa = test::ReadJson(run / "profile_export.json");
  const auto& experiment = pa["experiments"][0];
  EXPECT_EQ(experiment["experiment"]["mode"], "request_rate");  // perf_analyzer's record of session runs
  EXPECT_EQ(experiment["experiment"]["value"], 0.0);
  const auto& requests = experiment["requests"];
  ASSERT_EQ(requests.size(), 12u);
  for (const auto& req : requests) EXPECT_FALSE(req.contains("error")) << req.dump().substr(0, 300);

  const auto sessions = BySession(requests);
  ASSERT_EQ(sessions.size(), 4u);
  std::vector<std::pair<int64_t, int64_t>> session_spans;
  std::vector<std::pair<int64_t, int64_t>> request_spans;
  for (const auto& [id, turns] : sessions) {
    ASSERT_EQ(turns.size(), 3u) << id;
    session_spans.emplace_back(turns.front()["timestamp"].get<int64_t>(),
                               turns.back()["response_timestamps"].back().get<int64_t>());
    for (const auto& t : turns) {
      request_spans.emplace_back(t["timestamp"].get<int64_t>(), t["response_timestamps"].back().get<int64_t>());
    }
  }
  ExpectRealHistoryAndDelays(sessions, 50);
  EXPECT_EQ(MaxOverlap(session_spans), 2u);  // two sessions at a time, never more
  EXPECT_LE(MaxOverlap(request_spans), 2u);

  // Per-session statistics, one entry per session id, with the history counted in the ISL.
  const auto gp = test::ReadJson(run / "profile_export_genai_perf.json");
  ASSERT_TRUE(gp.contains("sessions")) << gp.dump().substr(0, 300);
  std::set<std::string> ids;
  for (const auto& [id, stats] : gp["sessions"].items()) {
    ids.insert(id);
    EXPECT_EQ(stats["request_count"]["avg"], 3.0);
    EXPECT_GT(stats["input_sequence_length"]["max"].get<double>(), stats["input_sequence_length"]["min"].get<double>());
  }
  std::set<std::string> exported;
  for (const auto& [id, turns] : sessions) exported.insert(id);
  EXPECT_EQ(ids, exported);
  EXPECT_EQ(gp["input_config"]["perf_analyzer"]["stimulus"]["session_concurrency"], 2);
  EXPECT_EQ(gp["input_config"]["input"]["sessions"]["num"], 4);

  // inputs.json: one row per turn, each with its session id (GenAI-Perf's layout).
  const auto inputs = test::ReadJson(run / "inputs.json");
  ASSERT_EQ(inputs["data"].size(), 12u);
  for (const auto& row : inputs["data"]) EXPECT_TRUE(exported.count(row["session_id"].get<std::string>())) << row;

  // bench report recomputes the same sessions from the export.
  const auto report = test::RunBench({"report", "--profile-export", (run / "profile_export.json").string(),
                                      "--artifact-dir", (dir.path() / "report").string()});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const auto again = test::ReadJson(dir.path() / "report" / "profile_export_genai_perf.json");
  EXPECT_EQ(again["sessions"], gp["sessions"]);
}

TEST(SessionRunTest, TheSameSeedGivesTheSameSessionIds) {
  test::TempDir a, b;
  const std::vector<std::string> flags = {"--num-sessions", "3", "--session-turns-mean", "2", "--session-turns-stddev",
                                          "1"};
  const auto ra = RunSessionSim(a.path(), flags);
  const auto rb = RunSessionSim(b.path(), flags);
  ASSERT_EQ(ra.exit_code, 0) << ra.err;
  ASSERT_EQ(rb.exit_code, 0) << rb.err;
  const char* run = "bench-sim-openai-chat-session_concurrency1";  // --num-sessions alone: 1 at a time
  const auto ia = test::ReadJson(a.path() / run / "inputs.json");
  const auto ib = test::ReadJson(b.path() / run / "inputs.json");
  EXPECT_EQ(ia, ib);
  const auto sa = test::ReadJson(a.path() / run / "profile_export_genai_perf.json")["sessions"];
  const auto sb = test::ReadJson(b.path() / run / "profile_export_genai_perf.json")["sessions"];
  ASSERT_EQ(sa.size(), 3u);
  std::vector<std::string> ka, kb;
  for (const auto& [k, v] : sa.items()) ka.push_back(k);
  for (const auto& [k, v] : sb.items()) kb.push_back(k);
  EXPECT_EQ(ka, kb);
  // One session at a time: the spans of the sessions never overlap.
  const auto requests = test::ReadJson(a.path() / run / "profile_export.json")["experiments"][0]["requests"];
  std::vector<std::pair<int64_t, int64_t>> spans;
  for (const auto& [id, turns] : BySession(requests)) {
    spans.emplace_back(turns.front()["timestamp"].get<int64_t>(), turns.back()["response_timestamps"].back().get<int64_t>());
  }
  EXPECT_EQ(MaxOverlap(spans), 1u);
}

TEST(SessionRunTest, NonStreamingRepliesComeFromTheJsonBody) {
  test::TempDir dir;
  const auto r = RunSessionSim(dir.path(), {"--num-sessions", "2", "--session-concurrency", "2", "--session-turns-mean", "3",
                                     "--session-turn-delay-mean", "10"},
                        /*streaming=*/false);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto pa = test::ReadJson(dir.path() / "bench-sim-openai-chat-session_concurrency2" /
                                 "profile_export.json");
  const auto& requests = pa["experiments"][0]["requests"];
  ASSERT_EQ(requests.size(), 6u);
  ExpectRealHistoryAndDelays(BySession(requests), 10);
}

TEST(SessionRunTest, PayloadTraceSessionsUseTheirIdsAndDelaysTimesTheRatio) {
  test::TempDir dir;
  const fs::path trace = dir.path() / "trace.jsonl";
  {
    std::ofstream f(trace);
    f << R"({"session_id": "a", "input_length": 12, "output_length": 4, "delay": 100})" << "\n"
      << R"({"session_id": "b", "text": "Tell me about rivers.", "output_length": 3, "delay": 60})" << "\n"
      << R"({"session_id": "a", "input_length": 8, "output_length": 5, "delay": 100})" << "\n"
      << R"({"session_id": "b", "text": "And lakes?", "output_length": 3})" << "\n"
      << R"({"session_id": "a", "input_length": 9, "output_length": 2})" << "\n";
  }
  const auto r = test::RunBench({"profile", "--simulator", "--streaming", "--sim-ttft-ms", "5", "--sim-itl-ms", "1",
                                 "--input-file", "payload:" + trace.string(), "--session-concurrency", "2",
                                 "--session-delay-ratio", "0.5", "--artifact-dir", dir.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path run = dir.path() / "bench-sim-openai-chat-session_concurrency2";
  const auto requests = test::ReadJson(run / "profile_export.json")["experiments"][0]["requests"];
  ASSERT_EQ(requests.size(), 5u);
  auto sessions = BySession(requests);
  ASSERT_EQ(sessions.size(), 2u);
  ASSERT_EQ(sessions["a"].size(), 3u);
  ASSERT_EQ(sessions["b"].size(), 2u);
  // Turn delays x 0.5: a waits 50 ms, b 30 ms.
  ExpectRealHistoryAndDelays({{"a", sessions["a"]}}, 50);
  ExpectRealHistoryAndDelays({{"b", sessions["b"]}}, 30);
  const json b1 = json::parse(sessions["b"][1]["request_inputs"]["payload"].get<std::string>());
  EXPECT_EQ(b1["messages"][0]["content"], "Tell me about rivers.");
  EXPECT_EQ(b1["messages"][2]["content"], "And lakes?");
  EXPECT_EQ(b1["max_tokens"], 3);  // each turn keeps its own line's fields
  const auto gp = test::ReadJson(run / "profile_export_genai_perf.json");
  EXPECT_EQ(gp["sessions"].size(), 2u);
}

TEST(SessionRunTest, WarmUpRunsWholeSessionsThatAreNotExported) {
  test::TempDir dir;
  const auto r = RunSessionSim(dir.path(), {"--num-sessions", "3", "--session-concurrency", "2", "--session-turns-mean", "2",
                                     "--warmup-request-count", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto pa = test::ReadJson(dir.path() / "bench-sim-openai-chat-session_concurrency2" /
                                 "profile_export.json");
  const auto& requests = pa["experiments"][0]["requests"];
  ASSERT_EQ(requests.size(), 6u);  // the measured phase runs every session once, whatever the warm-up
  const auto sessions = BySession(requests);
  EXPECT_EQ(sessions.size(), 3u);
  for (const auto& [id, turns] : sessions) EXPECT_EQ(turns.size(), 2u) << id;
}

TEST(SessionRunTest, AFailedTurnIsRecordedAndEndsItsSession) {
  test::TempDir dir;
  // Every first turn times out (TTFT 2 s, timeout 0.2 s), so no second turn is ever sent.
  const auto r = test::RunBench({"profile", "--simulator", "--streaming", "--sim-ttft-ms", "2000", "--isl", "10",
                                 "--num-sessions", "3", "--session-concurrency", "3", "--session-turns-mean", "3",
                                 "--request-timeout", "0.2", "--artifact-dir", dir.path().string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;  // no request succeeded
  const auto pa = test::ReadJson(dir.path() / "bench-sim-openai-chat-session_concurrency3" /
                                 "profile_export.json");
  const auto& requests = pa["experiments"][0]["requests"];
  ASSERT_EQ(requests.size(), 3u);
  std::set<std::string> ids;
  for (const auto& req : requests) {
    ASSERT_TRUE(req.contains("error")) << req.dump().substr(0, 300);
    EXPECT_EQ(req["error"]["kind"], "timeout");
    ids.insert(req["request_inputs"]["session_id"].get<std::string>());
    EXPECT_EQ(json::parse(req["request_inputs"]["payload"].get<std::string>())["messages"].size(), 1u);
  }
  EXPECT_EQ(ids.size(), 3u);
}

TEST(SessionRunTest, AnInterruptEndsSessionsWaitingForTheirNextTurn) {
  test::TempDir dir;
  const fs::path run = dir.path() / "bench-sim-openai-chat-session_concurrency2";
  // A 10 min delay between turns: the run ends only because the interrupt ends the waiting
  // sessions (a loop that slept through the delay would exceed ctest's timeout).
  const auto r = test::RunBenchWhile(
      {"profile", "--simulator", "--streaming", "--sim-ttft-ms", "5", "--sim-itl-ms", "1", "--isl", "20", "--osl", "6",
       "--num-sessions", "2", "--session-concurrency", "2", "--session-turns-mean", "2", "--session-turn-delay-mean",
       "600000", "--artifact-dir", dir.path().string()},
      [&](pid_t pid) {
        for (int i = 0; i < 1200 && !fs::exists(run / "inputs.json"); ++i) usleep(50'000);
        usleep(1'000'000);
        kill(pid, SIGINT);
      });
  EXPECT_EQ(r.exit_code, 130) << r.err;
  const auto requests = test::ReadJson(run / "profile_export.json")["experiments"][0]["requests"];
  ASSERT_EQ(requests.size(), 2u);  // the first turns; the second ones were never sent
  for (const auto& req : requests) EXPECT_FALSE(req.contains("error")) << req.dump().substr(0, 300);
}

TEST(SessionRunTest, ConflictingModesAndBadValuesAreUsageErrorsNamingTheFlag) {
  test::TempDir dir;
  const fs::path prompts = dir.path() / "prompts.jsonl";
  std::ofstream(prompts) << "{\"text\": \"hi\"}\n";
  const fs::path trace = dir.path() / "trace.jsonl";
  std::ofstream(trace) << "{\"session_id\": \"a\", \"input_length\": 5, \"timestamp\": 0}\n";
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--session-concurrency", "2", "--fixed-schedule", "--input-file", "payload:" + trace.string()},
       "--session-concurrency and --fixed-schedule"},
      {{"--session-concurrency", "2", "--input-file", prompts.string()}, "--input-file"},
      {{"--num-sessions", "2", "--session-concurrency", "2", "--input-file", "payload:" + trace.string()},
       "--num-sessions"},
      {{"--session-concurrency", "0"}, "--session-concurrency"},
  };
  for (const auto& [args, expected] : cases) {
    const auto r = RunSessionSim(dir.path(), args);
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    EXPECT_EQ(r.exit_code, 2) << joined << "\n" << r.err;
    EXPECT_NE(r.err.find(expected), std::string::npos) << joined << "\n" << r.err;
  }
}

}  // namespace
}  // namespace bench
