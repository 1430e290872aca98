#pragma once
// The client half of bench-grpc.so (util/shared_module): --endpoint-type kserve's transport and
// readiness check, the only code of the transport layer that links gRPC. The `bench` executable
// loads the module on first use; a program that links the gRPC code itself (bench_tests) gets
// it without dlopen. The seam is these two calls, on the types the rest of bench already uses.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "transport/transport.h"

namespace bench {

class KserveClientApi {
 public:
  virtual ~KserveClientApi() = default;
  /// transport/grpc_transport's MakeGrpcTransport.
  virtual std::unique_ptr<Transport> MakeTransport(const TransportSettings& settings, int epoll_fd,
                                                   const uint32_t* wake) const = 0;
  /// transport/kserve_check's CheckKserveReady.
  virtual std::string CheckReady(const std::string& url, const std::string& model,
                                 const std::vector<std::string>& headers) const = 0;
};

/// The module's client half, loaded once; null with `error` set (one line naming the module's
/// path and dlerror()) when it is missing or does not load.
const KserveClientApi* KserveClient(std::string& error);

/// The file name of the module and the names of its entry points (extern "C", no mangling).
inline constexpr const char* kGrpcModuleFile = "bench-grpc.so";

}  // namespace bench

/// Defined in bench-grpc.so (transport/kserve_check.cc): the client half's one instance.
extern "C" const bench::KserveClientApi* bench_grpc_kserve_client();
