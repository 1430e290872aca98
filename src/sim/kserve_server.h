#pragma once
// The simulator speaking Triton's KServe v2 gRPC protocol (--endpoint-type kserve): ServerLive,
// ServerReady, ModelReady, ModelInfer and ModelStreamInfer, with the same latency model and
// words as the HTTP simulator. A streamed request (input `stream` true) gets one response per
// chunk of tokens_per_chunk tokens, the last one flagged `triton_final_response`; otherwise one
// response with the whole text. Any model name is ready and accepted.

#include <cstdint>
#include <memory>

#include "sim/simulator.h"

namespace bench {

class KserveSimulator {
 public:
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
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bench
