#include "estimate/config_locator.h"

#include <filesystem>
#include <system_error>

#include "tokenizer/hf/hub.h"

namespace bench {

ConfigLocation LocateModelConfig(const std::string& spec, const std::string& revision) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_regular_file(spec, ec)) return {spec, ""};
  // A local directory wins over a hub id of the same spelling, as with from_pretrained.
  if (fs::is_directory(spec, ec)) {
    const fs::path file = fs::path(spec) / "config.json";
    if (fs::is_regular_file(file, ec)) return {file.string(), ""};
    return {"", spec + ": directory has no config.json"};
  }
  if (!spec.ends_with(".json") && IsValidRepoId(spec)) {
    const HubFileResult hub = ResolveHubFile(spec, "config.json", revision);
    if (hub.status == HubStatus::kOk) return {hub.path, ""};
    return {"", hub.error};  // names the id, the revision and the cache
  }
  return {"", spec + ": no such file, directory holding config.json, or Hugging Face model id"};
}

}  // namespace bench
