#pragma once
// KserveSimulator: the simulator's Triton gRPC server as the rest of bench starts it. The server
// itself is in bench-grpc.so (sim/kserve_server); this side, in the `bench` executable, finds it
// there on first use (util/shared_module) and forwards to it.

#include <cstdint>
#include <memory>
#include <string>

#include "sim/kserve_server.h"

namespace bench {

/// "" when bench-grpc.so's simulator half is at hand (loaded on the first call, as
/// util/shared_module says); else one line naming the module's path and dlerror().
std::string KserveServerLoadError();

class KserveSimulator {
 public:
  /// Throws std::runtime_error with KserveServerLoadError()'s line when the module is missing.
  explicit KserveSimulator(SimulatorOptions options);
  ~KserveSimulator();
  KserveSimulator(const KserveSimulator&) = delete;
  KserveSimulator& operator=(const KserveSimulator&) = delete;

  /// Binds options.host:options.port (0 = a free port) and serves; returns the bound port.
  /// Throws std::runtime_error with a one-line message when it cannot bind.
  uint16_t Start();
  /// Cancels what is in flight, stops serving and joins the threads. Idempotent.
  void Stop();
  /// Blocks until Stop() is called from another thread.
  void Wait();

 private:
  std::unique_ptr<KserveServer> server_;
};

}  // namespace bench
