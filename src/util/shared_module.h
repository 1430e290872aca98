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

/// dlopen(`path`, RTLD_NOW, plus RTLD_GLOBAL when `global`) and dlsym(`symbol`). RTLD_NOW: a
/// symbol the module cannot resolve fails here, with dlerror's line, not at its first call.
ModuleSymbol LoadSymbolFrom(const std::string& path, const char* symbol, bool global = false);

/// The first of ModuleCandidates(/proc/self/exe, file_name) that exists, through LoadSymbolFrom;
/// when none exists, an error listing where it looked.
ModuleSymbol LoadModuleSymbol(const std::string& file_name, const char* symbol, bool global = false);

}  // namespace bench
