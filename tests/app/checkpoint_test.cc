#include "app/checkpoint.h"

#include <fstream>

#include <gtest/gtest.h>

#include "test_util.h"

namespace bench {
namespace {

ProfileConfig Point(int concurrency) {
  ProfileConfig c;
  c.models = {"M"};
  c.tokenizer = "builtin";
  c.concurrency = concurrency;
  c.request_count = 20;
  c.sweep_point = SweepPoint{"concurrency", std::to_string(concurrency)};
  return c;
}

PointSummary Summary(const std::string& name, const std::string& value) {
  PointSummary s;
  s.config_name = name;
  s.parameter = "concurrency";
  s.value = value;
  s.request_throughput = 3.5;
  return s;
}

TEST(CheckpointTest, FingerprintIgnoresUrlVerbosityAndPathsButNotTheWorkload) {
  const ProfileConfig base = Point(4);
  ProfileConfig other = base;
  other.url = "http://elsewhere:9000";
  other.verbose = true;
  other.artifact_dir = "/tmp/x";
  other.enable_checkpointing = true;
  EXPECT_EQ(PointFingerprint(base), PointFingerprint(other));

  for (auto change : std::vector<void (*)(ProfileConfig&)>{
           [](ProfileConfig& c) { c.concurrency = 8; },
           [](ProfileConfig& c) { c.synthetic_input_tokens_mean = 100; },
           [](ProfileConfig& c) { c.output_tokens_mean = 10; },
           [](ProfileConfig& c) { c.streaming = true; },
           [](ProfileConfig& c) { c.request_count = 40; },
           [](ProfileConfig& c) { c.extra_inputs["ignore_eos"] = true; },
           [](ProfileConfig& c) { c.request_distribution = "poisson"; },
           [](ProfileConfig& c) {
             c.simulator = true;
             c.simulator_options.ttft_ms = 1;
           },
       }) {
    ProfileConfig changed = base;
    change(changed);
    EXPECT_NE(PointFingerprint(base), PointFingerprint(changed));
  }
}

TEST(CheckpointTest, SavedPointsAreFoundAfterLoading) {
  test::TempDir dir;
  const auto path = dir.path() / "checkpoint" / "checkpoint.json";
  SweepCheckpoint cp;
  std::string error;
  ASSERT_TRUE(cp.Load(path, error)) << error;  // missing file = empty checkpoint
  EXPECT_EQ(cp.NextConfigId(), 0);
  cp.Add(PointFingerprint(Point(1)), Summary("M_run_config_0", "1"));
  cp.Add(PointFingerprint(Point(2)), Summary("M_run_config_1", "2"));
  ASSERT_TRUE(cp.Save(path, error)) << error;
  EXPECT_FALSE(std::filesystem::exists(path.string() + ".tmp"));

  SweepCheckpoint again;
  ASSERT_TRUE(again.Load(path, error)) << error;
  const PointSummary* found = again.Find(PointFingerprint(Point(2)));
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->config_name, "M_run_config_1");
  EXPECT_EQ(found->request_throughput, 3.5);
  EXPECT_EQ(again.Find(PointFingerprint(Point(4))), nullptr);
  EXPECT_EQ(again.NextConfigId(), 2);
  // Re-adding a point replaces it rather than listing it twice.
  again.Add(PointFingerprint(Point(2)), Summary("M_run_config_1", "2"));
  EXPECT_EQ(again.NextConfigId(), 2);
}

TEST(CheckpointTest, AFileThatIsNotACheckpointIsAnError) {
  test::TempDir dir;
  const auto path = dir.path() / "checkpoint.json";
  std::ofstream(path) << R"({"Results": "{}"})";  // GenAI-Perf's own checkpoint format
  SweepCheckpoint cp;
  std::string error;
  EXPECT_FALSE(cp.Load(path, error));
  EXPECT_EQ(error, path.string() + ": not a bench checkpoint (version 1); delete it to start the sweep over");
}

}  // namespace
}  // namespace bench
