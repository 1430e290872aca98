// The simulator's fault model: parsing, rates, the per-request choice and the event transforms.

#include "sim/faults.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/timing.h"
#include "util/utf8.h"

namespace bench {
namespace {

TEST(SimFaultsTest, ParsesNamesWithDefaultAndExplicitArguments) {
  auto f = ParseSimFault("http_500");
  ASSERT_TRUE(f.fault) << f.error;
  EXPECT_EQ(f.fault->kind, SimFaultKind::kHttp500);
  f = ParseSimFault("disconnect_after");
  ASSERT_TRUE(f.fault);
  EXPECT_EQ(f.fault->arg, 1);
  f = ParseSimFault("disconnect_after:3");
  ASSERT_TRUE(f.fault);
  EXPECT_EQ(f.fault->kind, SimFaultKind::kDisconnectAfter);
  EXPECT_EQ(f.fault->arg, 3);
  f = ParseSimFault("stall:0.25");
  ASSERT_TRUE(f.fault);
  EXPECT_EQ(f.fault->arg, 0.25);
  f = ParseSimFault("big_chunk");
  ASSERT_TRUE(f.fault);
  EXPECT_EQ(f.fault->arg, 10 << 20);
  f = ParseSimFault("none");
  ASSERT_TRUE(f.fault);
  EXPECT_EQ(f.fault->kind, SimFaultKind::kNone);
  for (const char* name : {"http_429", "http_503", "refuse", "reset_before_headers", "slow_headers",
                           "sse_no_blank_line", "sse_junk_lines", "sse_comments", "sse_error_event",
                           "invalid_json_chunk", "invalid_utf8", "no_done", "non_streaming_answer",
                           "usage_only_chunks", "reasoning"}) {
    f = ParseSimFault(name);
    ASSERT_TRUE(f.fault) << name;
    EXPECT_STREQ(SimFaultName(f.fault->kind), name);
  }
}

TEST(SimFaultsTest, RejectsUnknownNamesAndBadArguments) {
  EXPECT_NE(ParseSimFault("http_404").error.find("unknown fault 'http_404'"), std::string::npos);
  EXPECT_NE(ParseSimFault("http_500:2").error.find("takes no argument"), std::string::npos);
  EXPECT_FALSE(ParseSimFault("disconnect_after:1.5").fault);
  EXPECT_FALSE(ParseSimFault("disconnect_after:-1").fault);
  EXPECT_FALSE(ParseSimFault("stall:abc").fault);
  EXPECT_FALSE(ParseSimFault("big_chunk:99999999999").fault);
  EXPECT_FALSE(ParseSimFault("").fault);
}

TEST(SimFaultsTest, RatesAreValidatedAndMayNotSumAboveOne) {
  SimFaults faults;
  EXPECT_EQ(AddSimFaultRate(faults, "http_500=0.5"), "");
  EXPECT_EQ(AddSimFaultRate(faults, "stall:2=0.25"), "");
  ASSERT_EQ(faults.rates.size(), 2u);
  EXPECT_EQ(faults.rates[1].fault.arg, 2);
  EXPECT_NE(AddSimFaultRate(faults, "no_done=0.5").find("add up to"), std::string::npos);
  EXPECT_NE(AddSimFaultRate(faults, "no_done").find("NAME[:ARG]=RATE"), std::string::npos);
  EXPECT_NE(AddSimFaultRate(faults, "no_done=1.5").find("from 0 to 1"), std::string::npos);
  EXPECT_NE(AddSimFaultRate(faults, "nope=0.1").find("unknown fault"), std::string::npos);
  EXPECT_EQ(faults.rates.size(), 2u);
  SimFaults tenths;
  for (int i = 0; i < 10; ++i) EXPECT_EQ(AddSimFaultRate(tenths, "http_500=0.1"), "") << i;
}

TEST(SimFaultsTest, ChoiceFollowsTheRatesAndAForcedFaultWins) {
  SimFaults faults;
  ASSERT_EQ(AddSimFaultRate(faults, "http_500=0.25"), "");
  ASSERT_EQ(AddSimFaultRate(faults, "no_done=0.5"), "");
  int counts[3] = {0, 0, 0};
  for (uint64_t i = 0; i < 20000; ++i) {
    SimRng rng(MixSeed(42, i));
    const SimFault f = ChooseSimFault(faults, std::nullopt, rng);
    ++counts[f.kind == SimFaultKind::kNone ? 0 : f.kind == SimFaultKind::kHttp500 ? 1 : 2];
  }
  EXPECT_NEAR(counts[1] / 20000.0, 0.25, 0.02);
  EXPECT_NEAR(counts[2] / 20000.0, 0.5, 0.02);
  EXPECT_NEAR(counts[0] / 20000.0, 0.25, 0.02);

  SimRng rng(1);
  EXPECT_EQ(ChooseSimFault(faults, SimFault{SimFaultKind::kStall, 3}, rng).kind, SimFaultKind::kStall);
  EXPECT_EQ(ChooseSimFault(faults, SimFault{}, rng).kind, SimFaultKind::kNone);  // forced "none"
  EXPECT_EQ(ChooseSimFault(SimFaults{}, std::nullopt, rng).kind, SimFaultKind::kNone);
}

TEST(SimFaultsTest, ChoiceIsReproducibleFromTheSeed) {
  SimFaults faults;
  ASSERT_EQ(AddSimFaultRate(faults, "http_500=0.5"), "");
  for (uint64_t i = 0; i < 100; ++i) {
    SimRng a(i), b(i);
    EXPECT_EQ(ChooseSimFault(faults, std::nullopt, a).kind, ChooseSimFault(faults, std::nullopt, b).kind);
  }
}

const std::string kEvent =
    "data: {\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hello\"}}]}\n\n";

TEST(SimFaultsTest, EventTransforms) {
  EXPECT_EQ(WithoutBlankLine(kEvent), kEvent.substr(0, kEvent.size() - 1));
  EXPECT_EQ(WithJunkLine(kEvent), "bench-junk-line\n" + kEvent);
  const std::string truncated = WithTruncatedJson(kEvent);
  EXPECT_EQ(truncated.size(), kEvent.size() - 1);
  EXPECT_FALSE(nlohmann::json::accept(truncated.substr(6)));
  const std::string bad = WithInvalidUtf8(kEvent);
  EXPECT_FALSE(IsValidUtf8(bad));
  EXPECT_NE(bad.find("\"content\":\"\xff\xfehello\""), std::string::npos);
  const std::string big = WithPadding(kEvent, 100000);
  EXPECT_EQ(big.size(), 100000u);
  const auto doc = nlohmann::json::parse(big.substr(6));
  EXPECT_EQ(doc["choices"][0]["delta"]["content"], "hello");  // text unchanged
  EXPECT_EQ(WithPadding(kEvent, 10).size(), kEvent.size() + 19);  // never shorter
  EXPECT_EQ(CommentEvent().front(), ':');
  EXPECT_EQ(ErrorEvent().rfind("event: error\ndata: {", 0), 0u);
}

}  // namespace
}  // namespace bench
