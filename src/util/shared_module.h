#pragma once
// Parts of bench built as shared objects of their own (bench-grpc.so: everything that links gRPC,
// protobuf and absl), loaded with dlopen only when a run needs them, so every other run starts
// without their dozens of libraries (issue #23, docs/benchmarks.md "Start-up"). A module sits
// beside the `bench` executable (the build directory) or in ../lib/bench (cmake --install).

#include <string>
#include <vector>

namespace bench {

/// The address of a module's entry symbol, or `error`: one line naming the path and dlerror().
struct ModuleSymbol {
  void* address = nullptr;
  std::string error;
};

/// Where `file_name` is looked for, in order, for an executable at `exe_path`: its directory,
/// then ../lib/bench beside it.
std::vector<std::string> ModuleCandidates(const std::string& exe_path, const std::string& file_name);

/// dlopen(`path`, RTLD_LAZY, plus RTLD_GLOBAL when `global`) and dlsym(`symbol`). Lazy, as the
/// libraries the executable links are bound: RTLD_NOW binds every function of the module's
/// dependencies at once (gRPC's 48 libraries: +21 M instructions per kserve run). A data symbol
/// the module cannot resolve still fails here; the e2e tests run every module function.
ModuleSymbol LoadSymbolFrom(const std::string& path, const char* symbol, bool global = false);

/// The first of ModuleCandidates(/proc/self/exe, file_name) that exists, through LoadSymbolFrom;
/// when none exists, an error listing where it looked.
ModuleSymbol LoadModuleSymbol(const std::string& file_name, const char* symbol, bool global = false);

/// `linked` (a weak declaration of the entry point that resolved: the program links the module's
/// code itself, as the tests do) when not null, else LoadModuleSymbol.
ModuleSymbol LinkedOrLoaded(void* linked, const std::string& file_name, const char* symbol, bool global = false);

}  // namespace bench
