#include "dataset/sessions.h"

#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace bench {
namespace {

using ojson = nlohmann::ordered_json;

SessionShapeOptions Shape(int sessions, int turns_mean, int turns_stddev, int delay_mean, int delay_stddev,
                          double ratio = 1.0) {
  return SessionShapeOptions{sessions, turns_mean, turns_stddev, delay_mean, delay_stddev, ratio};
}

std::vector<SessionSpec> Plan(const SessionShapeOptions& shape, uint64_t seed) {
  RandomStream rng(seed);
  return PlanSyntheticSessions(shape, rng);
}

TEST(SessionPlanTest, FixedShapeHasExactTurnsAndDelaysAfterEveryTurnButTheLast) {
  const auto plan = Plan(Shape(4, 3, 0, 50, 0), 1);
  ASSERT_EQ(plan.size(), 4u);
  size_t entry = 0;
  for (const SessionSpec& s : plan) {
    ASSERT_EQ(s.entries.size(), 3u);
    ASSERT_EQ(s.delay_ms.size(), 3u);
    for (size_t t = 0; t < 3; ++t) EXPECT_EQ(s.entries[t], entry++);  // consecutive dataset entries
    EXPECT_EQ(s.delay_ms[0], 50.0);
    EXPECT_EQ(s.delay_ms[1], 50.0);
    EXPECT_FALSE(s.delay_ms[2].has_value());
  }
}

TEST(SessionPlanTest, SameSeedSamePlanAndAnotherSeedAnother) {
  const auto shape = Shape(50, 4, 2, 100, 40);
  const auto a = Plan(shape, 7);
  const auto b = Plan(shape, 7);
  const auto c = Plan(shape, 8);
  ASSERT_EQ(a.size(), b.size());
  bool differs = false;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].id, b[i].id);
    EXPECT_EQ(a[i].entries, b[i].entries);
    EXPECT_EQ(a[i].delay_ms, b[i].delay_ms);
    differs = differs || a[i].id != c[i].id || a[i].entries.size() != c[i].entries.size() ||
              a[i].delay_ms != c[i].delay_ms;
  }
  EXPECT_TRUE(differs);
}

TEST(SessionPlanTest, SampledTurnsAndDelaysStayInBoundsAndFollowTheMean) {
  // Wide distributions: gauss gives many values below 1 turn and below 0 ms, which are clamped.
  const auto plan = Plan(Shape(2000, 2, 3, 10, 30), 3);
  double turns = 0;
  size_t clamped_turns = 0;
  size_t zero_delays = 0;
  size_t delays = 0;
  std::set<size_t> seen_turns;
  for (const SessionSpec& s : plan) {
    ASSERT_GE(s.entries.size(), 1u);
    turns += static_cast<double>(s.entries.size());
    seen_turns.insert(s.entries.size());
    if (s.entries.size() == 1) ++clamped_turns;
    for (size_t t = 0; t + 1 < s.delay_ms.size(); ++t) {
      ASSERT_TRUE(s.delay_ms[t].has_value());
      EXPECT_GE(*s.delay_ms[t], 0.0);
      EXPECT_EQ(*s.delay_ms[t], static_cast<double>(static_cast<int64_t>(*s.delay_ms[t])));  // whole ms
      ++delays;
      if (*s.delay_ms[t] == 0) ++zero_delays;
    }
    EXPECT_FALSE(s.delay_ms.back().has_value());
  }
  EXPECT_GT(seen_turns.size(), 4u);
  EXPECT_GT(clamped_turns, 200u);        // P(round(gauss(2, 3)) <= 1) is about 0.43
  EXPECT_GT(zero_delays, delays / 5);    // P(round(gauss(10, 30)) <= 0) is about 0.38
  EXPECT_GT(turns / 2000.0, 2.0);        // clamping raises the mean above 2
  EXPECT_LT(turns / 2000.0, 4.0);
}

TEST(SessionPlanTest, DelayRatioScalesEveryDelay) {
  const auto plain = Plan(Shape(20, 3, 1, 100, 20), 5);
  const auto half = Plan(Shape(20, 3, 1, 100, 20, 0.5), 5);
  ASSERT_EQ(plain.size(), half.size());
  for (size_t i = 0; i < plain.size(); ++i) {
    ASSERT_EQ(plain[i].delay_ms.size(), half[i].delay_ms.size());
    for (size_t t = 0; t < plain[i].delay_ms.size(); ++t) {
      ASSERT_EQ(plain[i].delay_ms[t].has_value(), half[i].delay_ms[t].has_value());
      if (plain[i].delay_ms[t]) {
        EXPECT_DOUBLE_EQ(*half[i].delay_ms[t], *plain[i].delay_ms[t] * 0.5);
      }
    }
  }
}

TEST(SessionPlanTest, IdsAreDistinctUuid4Strings) {
  const auto plan = Plan(Shape(100, 1, 0, 0, 0), 0);
  const std::regex uuid4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::set<std::string> ids;
  for (const SessionSpec& s : plan) {
    ASSERT_TRUE(s.id.is_string());
    EXPECT_TRUE(std::regex_match(s.id.get<std::string>(), uuid4)) << s.id;
    ids.insert(s.id.get<std::string>());
  }
  EXPECT_EQ(ids.size(), 100u);
}

TEST(SessionPlanTest, TraceLinesGroupBySessionIdInOrderOfFirstAppearance) {
  const std::vector<ojson> ids = {"a", 7, "a", nullptr, 7, "7", "a"};
  const std::vector<std::optional<int64_t>> delays = {100, 40, 200, std::nullopt, std::nullopt, 3, std::nullopt};
  const auto plan = PlanTraceSessions(ids, delays, 1.5);
  ASSERT_EQ(plan.size(), 4u);
  EXPECT_EQ(plan[0].id, "a");
  EXPECT_EQ(plan[0].entries, (std::vector<size_t>{0, 2, 6}));
  EXPECT_EQ(plan[0].delay_ms, (std::vector<std::optional<double>>{150.0, 300.0, std::nullopt}));
  EXPECT_EQ(plan[1].id, 7);  // the integer 7 and the string "7" are different sessions
  EXPECT_EQ(plan[1].entries, (std::vector<size_t>{1, 4}));
  EXPECT_EQ(plan[1].delay_ms[0], 60.0);
  EXPECT_TRUE(plan[2].id.is_null());  // a line without session_id: a one-turn session of its own
  EXPECT_EQ(plan[2].entries, (std::vector<size_t>{3}));
  EXPECT_EQ(plan[3].id, "7");
  EXPECT_EQ(plan[3].entries, (std::vector<size_t>{5}));
}

ojson UserBody(const std::string& text, int max_tokens) {
  return ojson{{"model", "m"},
               {"messages", ojson::array({ojson{{"role", "user"}, {"content", text}}})},
               {"stream", true},
               {"max_tokens", max_tokens}};
}

TEST(SessionHistoryTest, TurnThreeCarriesEveryEarlierTurnAndReplyInOrder) {
  const std::vector<ojson> earlier = {UserBody("user1", 1), UserBody("user2", 2)};
  const std::vector<std::string> replies = {"assistant1", "assistant2"};
  const ojson body = ChatHistoryBody(UserBody("user3", 3), earlier, replies);
  const ojson expected_messages = ojson::array({
      ojson{{"role", "user"}, {"content", "user1"}},
      ojson{{"role", "assistant"}, {"content", "assistant1"}},
      ojson{{"role", "user"}, {"content", "user2"}},
      ojson{{"role", "assistant"}, {"content", "assistant2"}},
      ojson{{"role", "user"}, {"content", "user3"}},
  });
  EXPECT_EQ(body["messages"], expected_messages);
  // Everything else is the turn's own body (max_tokens, stream, model, key order).
  EXPECT_EQ(body.dump(), R"({"model":"m","messages":)" + expected_messages.dump() + R"(,"stream":true,"max_tokens":3})");
}

TEST(SessionHistoryTest, WorkloadBuildsBodiesAndRecordInputsFromThePlan) {
  const std::vector<ojson> payloads = {UserBody("u0", 5), UserBody("u1", 6), UserBody("v0", 7)};
  std::vector<SessionSpec> sessions(2);
  sessions[0].id = "s0";
  sessions[0].entries = {0, 1};
  sessions[0].delay_ms = {12.5, std::nullopt};
  sessions[1].id = nullptr;
  sessions[1].entries = {2};
  sessions[1].delay_ms = {std::nullopt};
  const ChatSessionWorkload workload(sessions, payloads, ResponseFormat::kOpenAiChat);
  EXPECT_EQ(workload.SessionCount(), 2u);
  EXPECT_EQ(workload.TurnCount(0), 2u);
  EXPECT_EQ(workload.DelayAfterNs(0, 0), 12'500'000);
  EXPECT_EQ(workload.DelayAfterNs(0, 1), 0);
  const std::vector<std::string> replies = {"r0"};
  const auto body = nlohmann::json::parse(workload.Body(0, 1, replies));
  ASSERT_EQ(body["messages"].size(), 3u);
  EXPECT_EQ(body["messages"][1]["content"], "r0");
  EXPECT_EQ(body["messages"][2]["content"], "u1");
  EXPECT_EQ(body["max_tokens"], 6);
  EXPECT_EQ(workload.Body(1, 0, {}), payloads[2].dump());
  EXPECT_EQ(workload.RecordInputs(0, 0), (nlohmann::json{{"session_id", "s0"}, {"delay", 12.5}}));
  EXPECT_EQ(workload.RecordInputs(0, 1), (nlohmann::json{{"session_id", "s0"}}));
  EXPECT_EQ(workload.RecordInputs(1, 0), nlohmann::json::object());
}

TEST(SessionReplyTest, StreamedTextIsReassembledAcrossReadsAndSplitEvents) {
  const std::string e1 = R"(data: {"object":"chat.completion.chunk","choices":[{"delta":{"role":"assistant","content":""}}]})";
  const std::string e2 = R"(data: {"object":"chat.completion.chunk","choices":[{"delta":{"content":"Hello"}}]})";
  const std::string e3 = R"(data: {"object":"chat.completion.chunk","choices":[{"delta":{"content":" wor"}}]})";
  const std::string e4 = R"(data: {"object":"chat.completion.chunk","choices":[{"delta":{"content":"ld \u00e9"}}]})";
  const std::string stream = e1 + "\n\n" + e2 + "\n\n" + e3 + "\n\n" + e4 + "\n\ndata: [DONE]\n\n";
  // Reads cut anywhere, one of them inside an event.
  const size_t cut1 = e1.size() + 2 + 10;
  const size_t cut2 = stream.size() - 20;
  const std::vector<std::string_view> reads = {std::string_view(stream).substr(0, cut1),
                                               std::string_view(stream).substr(cut1, cut2 - cut1),
                                               std::string_view(stream).substr(cut2)};
  EXPECT_EQ(ReplyText(ResponseFormat::kOpenAiChat, reads), "Hello world \xC3\xA9");
}

TEST(SessionReplyTest, NonStreamingBodyGivesTheMessageContent) {
  const std::string body =
      R"({"object":"chat.completion","choices":[{"message":{"role":"assistant","content":"I like cat too"}}]})";
  const std::vector<std::string_view> reads = {std::string_view(body).substr(0, 30), std::string_view(body).substr(30)};
  const std::vector<std::string_view> whole = {body};
  EXPECT_EQ(ReplyText(ResponseFormat::kOpenAiChat, whole), "I like cat too");
  // A JSON body split over two reads is still one response.
  EXPECT_EQ(ReplyText(ResponseFormat::kOpenAiChat, reads), "I like cat too");
}

}  // namespace
}  // namespace bench
