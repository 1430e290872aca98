#pragma once
// Hugging Face Hub files (e.g. a model's tokenizer.json), found the way huggingface_hub finds
// them: its local cache first, then a download from $HF_ENDPOINT into that same cache, so bench,
// transformers and GenAI-Perf share one copy and `HF_HUB_OFFLINE=1` works for all of them.

#include <filesystem>
#include <string>
#include <string_view>

namespace bench {

/// How ResolveHubFile ended; kNotFound lets callers word a better error ("only tokenizer.model").
enum class HubStatus { kOk, kNotFound, kError };

/// Outcome of ResolveHubFile: a local path, or a one-line error naming what failed.
struct HubFileResult {
  HubStatus status = HubStatus::kError;
  std::string path;
  std::string error;
};

/// True for "name" or "org/name" with characters [A-Za-z0-9._-] (no "--"/".."), as the Hub allows.
bool IsValidRepoId(std::string_view repo_id);

/// $HF_HUB_CACHE, else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub.
std::filesystem::path HubCacheDir();

/// True when HF_HUB_OFFLINE (or TRANSFORMERS_OFFLINE) is 1/true/yes/on: the cache only, no network.
bool HubOffline();

/// The cached `filename` of model `repo_id` at `revision` (a branch/tag via refs/, or a 40-hex
/// commit), or an empty path when it is not in the cache.
std::filesystem::path FindCachedHubFile(const std::string& repo_id, const std::string& filename,
                                        const std::string& revision);

/// Local path of `filename` in model `repo_id` at `revision`: the cache, else (unless offline) a
/// download of {endpoint}/{repo_id}/resolve/{revision}/{filename} stored in the cache layout.
HubFileResult ResolveHubFile(const std::string& repo_id, const std::string& filename,
                             const std::string& revision = "main");

/// Whether `filename` exists in the repo (cache, else an HTTP HEAD unless offline); for error hints.
bool HubFileExists(const std::string& repo_id, const std::string& filename, const std::string& revision);

}  // namespace bench
