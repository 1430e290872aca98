// Ctrl-C during a run (issue 4): nothing new is sent, in-flight requests may finish during the
// grace period, the rest are cancelled, and every artifact is written, marked as interrupted.

#include "util/interrupt.h"

#include <signal.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

const char* kRunDir = "bench-sim-openai-chat-concurrency4";

// Long requests (about 0.7 s each) so some are in flight when the interrupt arrives.
test::CommandResult RunAndInterrupt(const fs::path& artifacts, const std::string& grace) {
  const std::vector<std::string> args = {
      "profile", "--simulator", "--streaming", "--concurrency", "4", "--request-count", "1000",
      "--isl", "10", "--osl", "5", "--sim-ttft-ms", "300", "--sim-itl-ms", "100",
      "--interrupt-grace", grace, "--artifact-dir", artifacts.string()};
  return test::RunBenchWhile(args, [&](pid_t pid) {
    // inputs.json is written just before the load starts.
    for (int i = 0; i < 1200 && !fs::exists(artifacts / kRunDir / "inputs.json"); ++i) usleep(50'000);
    usleep(800'000);
    kill(pid, SIGINT);
  });
}

TEST(InterruptTest, InFlightRequestsFinishDuringTheGracePeriod) {
  test::TempDir dir;
  const auto r = RunAndInterrupt(dir.path(), "30");
  EXPECT_EQ(r.exit_code, 130) << r.err;
  const fs::path run = dir.path() / kRunDir;
  const auto pa = test::ReadJson(run / "profile_export.json");
  const auto& requests = pa["experiments"][0]["requests"];
  EXPECT_GE(requests.size(), 1u);
  EXPECT_LT(requests.size(), 1000u);
  for (const auto& req : requests) EXPECT_FALSE(req.contains("error")) << req.dump().substr(0, 300);
  const auto gp = test::ReadRunJson(run / "profile_export_genai_perf.json");
  EXPECT_EQ(gp["bench"]["interrupted"], true);
  EXPECT_EQ(test::ReadFile(run / "profile_export_genai_perf.csv").find("Interrupted"), std::string::npos);
  EXPECT_NE(r.out.find("Interrupted: true"), std::string::npos) << r.out;
}

TEST(InterruptTest, WithoutGraceInFlightRequestsAreCancelled) {
  test::TempDir dir;
  const auto r = RunAndInterrupt(dir.path(), "0");
  EXPECT_EQ(r.exit_code, 130) << r.err;
  const auto pa = test::ReadJson(dir.path() / kRunDir / "profile_export.json");
  size_t cancelled = 0;
  for (const auto& req : pa["experiments"][0]["requests"]) {
    if (!req.contains("error")) continue;
    EXPECT_EQ(req["error"]["kind"], "cancelled");
    EXPECT_NE(req["error"]["message"].get<std::string>().find("grace period"), std::string::npos);
    ++cancelled;
  }
  EXPECT_GE(cancelled, 1u);  // four were in flight
  EXPECT_TRUE(fs::exists(dir.path() / kRunDir / "profile_export_genai_perf.json"));
}

}  // namespace
}  // namespace bench
