#pragma once
// `bench profile`: plan the run from the validated configuration, run it, return its exit code.

#include <atomic>
#include <ostream>

#include "app/config.h"

namespace bench {

/// Runs one profile: MakeRunPlan, then the pipeline's RunProfile.
int RunProfileCommand(const ProfileConfig& config, const std::atomic<bool>& stop, std::ostream& out);

}  // namespace bench
