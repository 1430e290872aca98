#pragma once
// `bench simulator`: serve until interrupted.

#include <atomic>

#include "app/config.h"

namespace bench {

/// Starts the simulator, logs its address, waits for Ctrl-C, stops. Returns an exit code.
int RunSimulatorServer(const SimulatorConfig& config, const std::atomic<bool>& stop);

}  // namespace bench
