#include "sim/kserve_simulator.h"

#include <mutex>
#include <stdexcept>

#include "transport/kserve_client.h"
#include "util/shared_module.h"

// Weak: resolved in a program that links the module's code itself (the tests), null in `bench`.
extern "C" bench::KserveServer* bench_grpc_new_kserve_server(const bench::SimulatorOptions& options)
    __attribute__((weak));

namespace bench {

namespace {

using NewKserveServer = KserveServer* (*)(const SimulatorOptions&);

NewKserveServer ServerFactory(std::string& error) {
  static std::once_flag once;
  static NewKserveServer factory = nullptr;
  static std::string load_error;
  std::call_once(once, [] {
    const ModuleSymbol entry = LinkedOrLoaded(reinterpret_cast<void*>(&bench_grpc_new_kserve_server),
                                              kGrpcModuleFile, "bench_grpc_new_kserve_server");
    factory = reinterpret_cast<NewKserveServer>(entry.address);
    load_error = entry.error;
  });
  if (factory == nullptr) error = load_error;
  return factory;
}

}  // namespace

std::string KserveServerLoadError() {
  std::string error;
  ServerFactory(error);
  return error;
}

KserveSimulator::KserveSimulator(SimulatorOptions options) {
  std::string error;
  const NewKserveServer factory = ServerFactory(error);
  if (factory == nullptr) throw std::runtime_error(error);
  server_.reset(factory(options));
}

KserveSimulator::~KserveSimulator() = default;

uint16_t KserveSimulator::Start() { return server_->Start(); }

void KserveSimulator::Stop() { server_->Stop(); }

void KserveSimulator::Wait() { server_->Wait(); }

}  // namespace bench
