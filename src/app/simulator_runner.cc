#include "app/simulator_runner.h"

#include <chrono>
#include <stdexcept>
#include <thread>

#include <spdlog/spdlog.h>

#include "sim/simulator.h"

namespace bench {

int RunSimulatorServer(const SimulatorConfig& config, const std::atomic<bool>& stop) {
  Simulator simulator(config.options);
  uint16_t port = 0;
  try {
    port = simulator.Start();
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return kExitNoSuccess;
  }
  spdlog::info("simulator serving model '{}' on http://{}:{} (Ctrl-C to stop)", config.options.model,
               config.options.host, port);
  // Poll the flag: signal handlers may only set it, not call into the server.
  while (!stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  simulator.Stop();
  spdlog::info("simulator stopped");
  return kExitOk;
}

}  // namespace bench
