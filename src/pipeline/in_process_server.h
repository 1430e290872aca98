#pragma once
// Starting the built-in simulator inside the bench process, for either of its servers (the
// OpenAI-compatible HTTP one, sim/simulator; the Triton gRPC one, sim/kserve_server).

#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "pipeline/exit_code.h"
#include "sim/simulator.h"

namespace bench {

/// Starts `Server` (Simulator or KserveSimulator) on a free loopback port with `options` and sets
/// `base_url` to it; logs and returns kExitNoSuccess when it cannot bind, else kExitOk.
template <typename Server>
int StartInProcessServer(SimulatorOptions options, std::string_view what, std::optional<Server>& server,
                         std::string& base_url) {
  options.host = "127.0.0.1";
  options.port = 0;
  server.emplace(options);
  try {
    base_url = fmt::format("http://127.0.0.1:{}", server->Start());
  } catch (const std::exception& e) {
    spdlog::error("simulator: {}", e.what());
    return kExitNoSuccess;
  }
  spdlog::info("started the built-in simulator{} at {}", what, base_url);
  return kExitOk;
}

}  // namespace bench
