// One load worker against the in-process simulator: each phase loop sends what it is given,
// spills measured requests, counts warm-up ones, and the session loop chains turns.

#include "load/worker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "sim/simulator.h"
#include "util/clock.h"

namespace bench {
namespace {

constexpr const char* kBody =
    R"({"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":3,"stream":true})";

// Two sessions of two turns each; every turn sends the same small chat body.
class TwoByTwoSessions : public SessionWorkload {
 public:
  size_t SessionCount() const override { return 2; }
  size_t TurnCount(size_t) const override { return 2; }
  int64_t DelayAfterNs(size_t, size_t) const override { return 1'000'000; }
  std::string Body(size_t, size_t turn, std::span<const std::string> replies) const override {
    EXPECT_EQ(replies.size(), turn);
    return kBody;
  }
  std::string Reply(std::span<const std::string_view>) const override { return "reply"; }
  nlohmann::json RecordInputs(size_t, size_t) const override { return nlohmann::json::object(); }
};

class LoadWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SimulatorOptions sim;
    sim.host = "127.0.0.1";
    sim.port = 0;
    sim.ttft_ms = 1;
    sim.itl_ms = 1;
    simulator_ = std::make_unique<Simulator>(sim);
    const uint16_t port = simulator_->Start();
    options_.url = "http://127.0.0.1:" + std::to_string(port) + "/v1/chat/completions";
    options_.streaming = true;
    settings_.url = options_.url;
    settings_.headers = {"Content-Type: application/json", "Expect:"};
    worker_ = std::make_unique<LoadWorker>(options_, bodies_, HttpClient::kNative, settings_, ids_, nullptr);
  }

  // The spilled records, in completion order.
  std::vector<RawRecord> Spilled() {
    std::vector<RawRecord> out;
    RawRecord r;
    while (worker_->spill().Read(r)) out.push_back(r);
    return out;
  }

  std::unique_ptr<Simulator> simulator_;
  LoadOptions options_;
  std::vector<std::string> bodies_ = {kBody, kBody};
  TransportSettings settings_;
  RequestIds ids_;
  std::atomic<bool> stop_{false};
  std::unique_ptr<LoadWorker> worker_;
};

TEST_F(LoadWorkerTest, ClosedPhaseSendsEveryRequestAndWarmupIsOnlyCounted) {
  ClosedPhase warmup;
  warmup.total = warmup.remaining = 3;
  worker_->RunClosedPhase(2, warmup, stop_, /*deadline=*/0, /*warmup=*/true);
  EXPECT_EQ(worker_->warmup_completed(), 3);

  ClosedPhase measured;
  measured.total = measured.remaining = 5;
  worker_->RunClosedPhase(2, measured, stop_, /*deadline=*/0, /*warmup=*/false);
  const std::vector<RawRecord> records = Spilled();
  ASSERT_EQ(records.size(), 5u);
  for (const RawRecord& r : records) {
    EXPECT_TRUE(r.Succeeded()) << r.http_status;
    EXPECT_EQ(r.intended_mono_ns, 0);  // closed loop: no schedule
    EXPECT_FALSE(r.read_mono_ns.empty());
  }
  EXPECT_GT(worker_->meter().passes.count(), 0u);  // measured passes only
}

TEST_F(LoadWorkerTest, OpenPhaseSendsAtTheDueTimesAndRecordsThem) {
  OpenLoopPlan plan;
  const int64_t start = MonotonicNowNs() + 2'000'000;
  plan.entries = {0, 1, 0};
  plan.due_mono_ns = {start, start + 5'000'000, start + 10'000'000};
  worker_->RunOpenPhase(plan, stop_, /*deadline=*/0, /*warmup=*/false);
  const std::vector<RawRecord> records = Spilled();
  ASSERT_EQ(records.size(), 3u);
  std::vector<int64_t> intended;
  for (const RawRecord& r : records) {
    EXPECT_TRUE(r.Succeeded());
    EXPECT_GE(r.handoff_mono_ns, r.intended_mono_ns);  // never sent early
    intended.push_back(r.intended_mono_ns);
  }
  std::sort(intended.begin(), intended.end());
  EXPECT_EQ(intended, plan.due_mono_ns);
}

TEST_F(LoadWorkerTest, SessionPhaseChainsEveryTurnOfEverySession) {
  const TwoByTwoSessions workload;
  SessionPhase phase;
  phase.count = 2;
  worker_->RunSessionPhase(2, phase, workload, stop_, /*warmup=*/false);
  const std::vector<RawRecord> records = Spilled();
  ASSERT_EQ(records.size(), 4u);
  int turns[2][2] = {};
  for (const RawRecord& r : records) {
    EXPECT_TRUE(r.Succeeded());
    ASSERT_GE(r.session, 0);
    ASSERT_LT(r.session, 2);
    ASSERT_LT(r.turn, 2);
    ++turns[r.session][r.turn];
    EXPECT_EQ(r.body, kBody);  // the body sent travels with the record
  }
  for (auto& session : turns) {
    EXPECT_EQ(session[0], 1);
    EXPECT_EQ(session[1], 1);
  }
}

TEST_F(LoadWorkerTest, StopEndsAClosedPhaseWithoutSendingItsRequests) {
  stop_ = true;
  options_.interrupt_grace_s = 0;
  ClosedPhase phase;
  phase.total = phase.remaining = 100;
  worker_->RunClosedPhase(2, phase, stop_, /*deadline=*/0, /*warmup=*/false);
  // The first two go out before the loop looks at the flag; they end cancelled, nothing more is sent.
  const std::vector<RawRecord> records = Spilled();
  EXPECT_LE(records.size(), 2u);
  EXPECT_GE(phase.remaining.load(), 98);
}

}  // namespace
}  // namespace bench
