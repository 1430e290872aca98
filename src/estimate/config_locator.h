#pragma once
// Where a model's config.json is: a file, a directory holding one, or a Hugging Face model id
// found through the same hub cache (and download) as its tokenizer.json.

#include <string>

namespace bench {

/// A local config.json path, or one line saying why there is none.
struct ConfigLocation {
  std::string path;
  std::string error;
};

/// `spec` is a file, a directory with config.json, or a model id ("org/name") looked up with
/// ResolveHubFile at `revision` (HF_HUB_OFFLINE=1 keeps it to the cache).
ConfigLocation LocateModelConfig(const std::string& spec, const std::string& revision);

}  // namespace bench
