#pragma once
// The simulator speaking Triton's KServe v2 gRPC protocol (--endpoint-type kserve): ServerLive,
// ServerReady, ModelReady, ModelInfer and ModelStreamInfer, with the same latency model and
// words as the HTTP simulator. A streamed request (input `stream` true) gets one response per
// chunk of tokens_per_chunk tokens, the last one flagged `triton_final_response`; otherwise one
// response with the whole text. Any model name is ready and accepted.

#include <cstdint>

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

}  // namespace bench

/// Defined in bench-grpc.so (sim/kserve_server.cc): a new server for `options`, owned by the caller.
extern "C" bench::KserveServer* bench_grpc_new_kserve_server(const bench::SimulatorOptions& options);
