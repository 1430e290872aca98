#pragma once
// `bench profile`: one benchmark run from config to artifacts.

#include <atomic>
#include <ostream>

#include "app/config.h"

namespace bench {

/// Runs the benchmark described by `config`; the table goes to `out`, logs to stderr.
/// Returns a documented exit code (config.h ExitCode).
int RunProfile(const ProfileConfig& config, const std::atomic<bool>& stop, std::ostream& out);

}  // namespace bench
