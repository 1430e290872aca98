#include "app/profile_runner.h"

#include <spdlog/spdlog.h>

#include "app/plan.h"
#include "cluster/cluster.h"
#include "pipeline/profile_pipeline.h"

namespace bench {

int RunProfileCommand(const ProfileConfig& config, const std::atomic<bool>& stop, std::ostream& out) {
  // Started by mpirun or srun: one rank of a cluster run (docs/cluster.md), or a refusal when
  // this bench cannot be one (N independent runs would overwrite each other's files).
  JoinResult joined = JoinCluster();
  if (!joined.error.empty()) {
    spdlog::error("{}", joined.error);
    return kExitUsage;
  }
  const Parsed<RunPlan> plan = MakeRunPlan(config);
  if (!plan.ok()) {
    if (joined.cluster == nullptr || joined.cluster->rank() == 0) spdlog::error("{}", plan.error);
    return kExitUsage;
  }
  return RunProfile(plan.value, stop, out, joined.cluster.get()).exit_code;
}

}  // namespace bench
