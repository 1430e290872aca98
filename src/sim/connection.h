#pragma once
// One accepted connection of the simulator: reads requests one after another (keep-alive),
// routes each (sim/router), generates the answer on a timer and writes it (sim/sse_writer),
// logs what it sent (sim/event_log). Internal to sim/: it exposes Asio (a private dependency).

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>

#include "sim/event_log.h"
#include "sim/server_stats.h"
#include "sim/simulator.h"
#include "sim/timing.h"

namespace bench {

/// State every connection reads; owned by the simulator and outlives all connections.
struct SimShared {
  explicit SimShared(SimulatorOptions opts) : options(std::move(opts)), model(options) {}
  SimulatorOptions options;
  SimLatencyModel model;
  std::atomic<int> decoding{0};              // requests between their first and last token
  std::atomic<uint64_t> request_counter{0};  // only for response ids, never for the RNG
  SimServerStats stats;                      // GET /metrics (vLLM's names)
};

/// Serves `socket` until it closes; call on the thread that runs the socket's io_context. The
/// connection owns itself through its pending handlers. `log`: that thread's shard of the send
/// log, or null when there is no log.
void ServeSimConnection(boost::asio::ip::tcp::socket socket, SimShared& shared, SimEventLog::Shard* log);

}  // namespace bench
