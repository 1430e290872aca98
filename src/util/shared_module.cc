#include "util/shared_module.h"

#include <dlfcn.h>

#include <filesystem>
#include <system_error>

#include <fmt/format.h>

namespace bench {

std::vector<std::string> ModuleCandidates(const std::string& exe_path, const std::string& file_name) {
  const std::filesystem::path dir = std::filesystem::path(exe_path).parent_path();
  return {(dir / file_name).string(), (dir.parent_path() / "lib" / "bench" / file_name).string()};
}

ModuleSymbol LoadSymbolFrom(const std::string& path, const char* symbol, bool global) {
  ModuleSymbol result;
  // dlopen counts references: a second load of the same file returns the same handle, and the
  // module stays loaded for the life of the process (its threads and gRPC's may outlive a run).
  void* handle = dlopen(path.c_str(), RTLD_LAZY | (global ? RTLD_GLOBAL : RTLD_LOCAL));
  if (handle == nullptr) {
    const char* why = dlerror();
    result.error = fmt::format("cannot load {}: {}", path, why != nullptr ? why : "unknown dlopen error");
    return result;
  }
  dlerror();  // clear, so a null symbol is told apart from a failed lookup
  result.address = dlsym(handle, symbol);
  if (result.address == nullptr) {
    const char* why = dlerror();
    result.error = fmt::format("{} has no entry point {}: {}", path, symbol, why != nullptr ? why : "null symbol");
  }
  return result;
}

ModuleSymbol LoadModuleSymbol(const std::string& file_name, const char* symbol, bool global) {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  const std::vector<std::string> candidates = ModuleCandidates(ec ? std::string() : exe.string(), file_name);
  for (const std::string& path : candidates) {
    if (std::filesystem::exists(path, ec)) return LoadSymbolFrom(path, symbol, global);
  }
  ModuleSymbol result;
  result.error = fmt::format("{} not found (looked for {} and {}); it is built with bench and installed beside it "
                             "(cmake --install puts it in lib/bench)",
                             file_name, candidates[0], candidates[1]);
  return result;
}

ModuleSymbol LinkedOrLoaded(void* linked, const std::string& file_name, const char* symbol, bool global) {
  if (linked != nullptr) return ModuleSymbol{linked, {}};
  return LoadModuleSymbol(file_name, symbol, global);
}

}  // namespace bench
