#include "app/profile_runner.h"

#include <spdlog/spdlog.h>

#include "app/plan.h"
#include "pipeline/profile_pipeline.h"

namespace bench {

int RunProfileCommand(const ProfileConfig& config, const std::atomic<bool>& stop, std::ostream& out) {
  const Parsed<RunPlan> plan = MakeRunPlan(config);
  if (!plan.ok()) {
    spdlog::error("{}", plan.error);
    return kExitUsage;
  }
  return RunProfile(plan.value, stop, out).exit_code;
}

}  // namespace bench
