#pragma once
// The simulator speaking Triton's KServe v2 gRPC protocol (--endpoint-type kserve): ServerLive,
// ServerReady, ModelReady, ModelInfer and ModelStreamInfer, with the same latency model and
// words as the HTTP simulator. A streamed request (input `stream` true) gets one response per
// chunk of tokens_per_chunk tokens, the last one flagged `triton_final_response`; otherwise one
// response with the whole text. Any model name is ready and accepted.

#include <cstdint>
#include <memory>
#include <string>

#include "sim/simulator.h"

namespace bench {

/// The gRPC server itself: bench-grpc.so's simulator half (sim/kserve_server.cc, the code that
/// links gRPC); KserveSimulator forwards to it.
class KserveServer {
 public:
  virtual ~KserveServer() = default;
  virtual uint16_t Start() = 0;
  virtual void Stop() = 0;
  virtual void Wait() = 0;
};

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

/// Defined in bench-grpc.so (sim/kserve_server.cc): a new server for `options`, owned by the caller.
extern "C" bench::KserveServer* bench_grpc_new_kserve_server(const bench::SimulatorOptions& options);
