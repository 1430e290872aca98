#include "transport/kserve_client.h"

#include <mutex>

#include "util/shared_module.h"

// Weak: resolved in a program that links the module's code itself (the tests), null in `bench`,
// which has no gRPC in it and loads the module instead.
extern "C" const bench::KserveClientApi* bench_grpc_kserve_client() __attribute__((weak));

namespace bench {

const KserveClientApi* KserveClient(std::string& error) {
  static std::once_flag once;
  static const KserveClientApi* api = nullptr;
  static std::string load_error;
  std::call_once(once, [] {
    const ModuleSymbol entry = LinkedOrLoaded(reinterpret_cast<void*>(&bench_grpc_kserve_client), kGrpcModuleFile,
                                              "bench_grpc_kserve_client");
    if (entry.address == nullptr) {
      load_error = entry.error;
      return;
    }
    api = reinterpret_cast<const KserveClientApi* (*)()>(entry.address)();
  });
  if (api == nullptr) error = load_error;
  return api;
}

}  // namespace bench
