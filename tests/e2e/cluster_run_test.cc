// End-to-end: one profile run across two MPI ranks (docs/cluster.md) against an in-process
// simulator, next to one process at the same total load. Skipped when bench was built without
// MPI or mpirun is missing. No wall-clock upper bounds beyond a generous noise band: the machine
// is shared.

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <set>

#include <gtest/gtest.h>

#include "cluster/cluster.h"
#include "sim/simulator.h"
#include "test_util.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

class ClusterRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!ClusterSupported()) GTEST_SKIP() << "bench was built without MPI";
    if (test::RunProgram("mpirun", {"--version"}).exit_code != 0) GTEST_SKIP() << "no mpirun";
    SimulatorOptions options;
    options.port = 0;
    options.ttft_ms = 10;
    options.itl_ms = 2;
    options.default_max_tokens = 8;
    sim_.emplace(options);
    url_ = "127.0.0.1:" + std::to_string(sim_->Start());
  }
  void TearDown() override {
    if (sim_) sim_->Stop();
  }

  std::vector<std::string> ProfileArgs(const fs::path& artifacts) const {
    return {"profile", "-m", "bench-sim", "--url", url_, "--streaming", "--concurrency", "4", "--request-count", "60",
            "--tokenizer", "builtin", "--synthetic-input-tokens-mean", "20", "--output-tokens-mean", "8",
            "--artifact-dir", artifacts.string()};
  }

  test::CommandResult RunRanks(int ranks, const std::vector<std::string>& args) const {
    // A hang fails the test (timeout's exit 124) instead of stalling the suite.
    std::vector<std::string> all = {"60", "mpirun", "--oversubscribe", "--allow-run-as-root",
                                    "-np", std::to_string(ranks), BENCH_BINARY};
    all.insert(all.end(), args.begin(), args.end());
    return test::RunProgram("timeout", all);
  }

  std::optional<Simulator> sim_;
  std::string url_;
};

fs::path OnlyRunDir(const fs::path& artifacts) {
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(artifacts)) dirs.push_back(e.path());
  EXPECT_EQ(dirs.size(), 1u);
  return dirs.empty() ? fs::path() : dirs[0];
}

fs::path FileEnding(const fs::path& dir, const std::string& suffix) {
  std::vector<fs::path> found;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      found.push_back(e.path());
    }
  }
  EXPECT_EQ(found.size(), 1u) << suffix;
  return found.empty() ? fs::path() : found[0];
}

TEST_F(ClusterRunTest, TwoRanksWriteOneSetOfFilesWithTheExactCountAndTheSingleProcessThroughput) {
  test::TempDir one;
  test::TempDir two;
  const auto single = test::RunBench(ProfileArgs(one.path()));
  ASSERT_EQ(single.exit_code, 0) << single.err;
  const auto cluster = RunRanks(2, ProfileArgs(two.path()));
  ASSERT_EQ(cluster.exit_code, 0) << cluster.out << cluster.err;
  // One table, printed by rank 0 only.
  EXPECT_EQ(test::Occurrences(cluster.out, "Request Throughput"), 1u) << cluster.out;

  const fs::path run = OnlyRunDir(two.path());
  const fs::path genai_perf = FileEnding(run, "_genai_perf.json");
  FileEnding(run, "_genai_perf.csv");
  FileEnding(run, "_bench.json");
  const nlohmann::json doc = test::ReadRunJson(genai_perf);
  EXPECT_EQ(doc["request_count"]["avg"].get<double>(), 60.0) << doc["request_count"].dump();

  const nlohmann::json export_doc = test::ReadJson(run / "profile_export.json");
  const auto& requests = export_doc["experiments"][0]["requests"];
  ASSERT_EQ(requests.size(), 60u);
  std::set<std::string> ids;
  for (const auto& r : requests) ids.insert(r["request_id"].get<std::string>());
  EXPECT_EQ(ids.size(), 60u);  // unique across ranks

  const auto& c = doc["bench"]["cluster"];
  ASSERT_TRUE(c.is_object()) << doc["bench"].dump();
  EXPECT_EQ(c["ranks"], 2);
  ASSERT_EQ(c["per_rank"].size(), 2u);
  EXPECT_EQ(c["per_rank"][0]["requests"].get<int>() + c["per_rank"][1]["requests"].get<int>(), 60);
  EXPECT_EQ(c["per_rank"][0]["share"]["concurrency"], 2);
  EXPECT_EQ(c["per_rank"][1]["share"]["concurrency"], 2);
  EXPECT_EQ(c["per_rank"][0]["clock_offset_ns"], 0);
  EXPECT_GE(c["per_rank"][1]["clock_uncertainty_ns"].get<int64_t>(), 0);

  // The same load in one process: the same throughput within the noise of a shared machine.
  const nlohmann::json alone = test::ReadRunJson(FileEnding(OnlyRunDir(one.path()), "_genai_perf.json"));
  const double t1 = alone["request_throughput"]["avg"].get<double>();
  const double t2 = doc["request_throughput"]["avg"].get<double>();
  EXPECT_GT(t2, 0.5 * t1) << t1 << " vs " << t2;
  EXPECT_LT(t2, 2.0 * t1) << t1 << " vs " << t2;
}

TEST_F(ClusterRunTest, AnUnreachableServerEndsEveryRankWithoutAHang) {
  test::TempDir dir;
  std::vector<std::string> args = ProfileArgs(dir.path());
  for (size_t k = 0; k + 1 < args.size(); ++k) {
    if (args[k] == "--url") args[k + 1] = "127.0.0.1:1";
  }
  const auto r = RunRanks(2, args);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("no load was sent"), std::string::npos) << r.err;
}

TEST_F(ClusterRunTest, ALoadTooSmallToSplitIsAUsageError) {
  test::TempDir dir;
  std::vector<std::string> args = ProfileArgs(dir.path());
  for (size_t k = 0; k + 1 < args.size(); ++k) {
    if (args[k] == "--concurrency") args[k + 1] = "1";
  }
  const auto r = RunRanks(2, args);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--concurrency 1 is less than the 2 ranks"), std::string::npos) << r.err;
}

// Without MPI, a launch as several ranks would be N independent runs over the same files.
TEST(ClusterWithoutMpiTest, AMultiRankLaunchIsRefusedInOneLine) {
  if (ClusterSupported()) GTEST_SKIP() << "bench was built with MPI";
  test::TempDir dir;
  setenv("OMPI_COMM_WORLD_SIZE", "2", 1);
  const auto r = test::RunBench({"profile", "--simulator", "--request-count", "2", "--artifact-dir", dir.path().string()});
  unsetenv("OMPI_COMM_WORLD_SIZE");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("built without MPI"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

}  // namespace
}  // namespace bench
