#include "cluster/cluster.h"

#include <map>
#include <string>

#include <gtest/gtest.h>

namespace bench {
namespace {

Launch With(const std::map<std::string, std::string>& env) {
  return DetectLaunch([&](const char* name) -> const char* {
    const auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
}

TEST(ClusterLaunchTest, LaunchersAnnounceTheirWorldSize) {
  EXPECT_FALSE(With({}).launched);
  EXPECT_EQ(With({}).size, 1);
  EXPECT_EQ(With({{"OMPI_COMM_WORLD_SIZE", "4"}}).size, 4);
  EXPECT_EQ(With({{"OMPI_COMM_WORLD_SIZE", "4"}}).variable, "OMPI_COMM_WORLD_SIZE");
  EXPECT_EQ(With({{"PMI_SIZE", "3"}}).size, 3);
  EXPECT_EQ(With({{"PMIX_RANK", "0"}, {"SLURM_STEP_NUM_TASKS", "8"}}).size, 8);
  EXPECT_TRUE(With({{"OMPI_COMM_WORLD_SIZE", "1"}}).launched);
  EXPECT_EQ(With({{"OMPI_COMM_WORLD_SIZE", "1"}}).size, 1);
  // A batch script's own SLURM_NTASKS is not a launch.
  EXPECT_FALSE(With({{"SLURM_NTASKS", "8"}}).launched);
}

}  // namespace
}  // namespace bench
