#include "tokenizer/tokenizer.h"

#include <filesystem>
#include <fstream>
#include <system_error>

#include "tokenizer/default_tokenizer.h"
#include "tokenizer/hf/hub.h"
#include "tokenizer/hf/tokenizer.h"
#include "tokenizer/hf/tokenizer_cache.h"

namespace bench {
namespace {

constexpr const char* kSentencePieceOnly =
    "only a sentencepiece tokenizer.model, and tokenizer.model is not supported yet (convert it with "
    "transformers' AutoTokenizer.save_pretrained and pass --tokenizer PATH to the tokenizer.json)";

TokenizerLoadResult Fail(const std::string& spec, const std::string& what) {
  return TokenizerLoadResult{nullptr, "tokenizer '" + spec + "': " + what};
}

// Nothing could be resolved for `spec` (issue 3): count with the built-in tokenizer, visibly.
TokenizerLoadResult Fallback(const std::string& spec, const std::string& reason) {
  return TokenizerLoadResult{MakeDefaultTokenizer(), "",
                             "tokenizer '" + spec + "' could not be loaded (" + reason +
                                 "); counting tokens with the built-in Mistral-7B tokenizer, so ISL/OSL are "
                                 "approximate for this model; pass --tokenizer with its tokenizer.json or "
                                 "Hugging Face id"};
}

TokenizerLoadResult LoadFromHub(const std::string& spec, const std::string& revision) {
  const HubFileResult hub = ResolveHubFile(spec, "tokenizer.json", revision);
  if (hub.status == HubStatus::kNotFound) {
    // Older Llama/Mistral-style repos ship only the sentencepiece model; say so rather than "missing".
    if (HubFileExists(spec, "tokenizer.model", revision)) return Fallback(spec, spec + " has " + kSentencePieceOnly);
    return Fallback(spec, hub.error);
  }
  if (hub.status != HubStatus::kOk) return Fallback(spec, hub.error);
  if (!std::ifstream(hub.path, std::ios::binary)) return Fail(spec, "cannot open cached " + hub.path);
  // Named by the model id, as GenAI-Perf records --tokenizer; the path helps clear a bad cache entry.
  TokenizerLoadResult result = hf::LoadHfTokenizerFileCached(hub.path, spec);
  if (!result.tokenizer) result.error += " (cached at " + hub.path + ")";
  return result;
}

}  // namespace

TokenizerLoadResult LoadTokenizer(const std::string& spec, const std::string& revision) {
  if (spec == kDefaultTokenizerName) return TokenizerLoadResult{MakeDefaultTokenizer(), "", ""};
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_regular_file(spec, ec)) return hf::LoadHfTokenizerFileCached(spec, spec);
  // A local directory wins over a hub id of the same spelling, as with from_pretrained.
  if (fs::is_directory(spec, ec)) {
    const fs::path file = fs::path(spec) / "tokenizer.json";
    if (fs::is_regular_file(file, ec)) return hf::LoadHfTokenizerFileCached(file.string(), file.string());
    if (fs::is_regular_file(fs::path(spec) / "tokenizer.model", ec)) {
      return Fail(spec, std::string("directory holds ") + kSentencePieceOnly);
    }
    return Fail(spec, "not a file or directory holding tokenizer.json");
  }
  if (IsValidRepoId(spec) && !spec.ends_with(".json")) return LoadFromHub(spec, revision);
  // A missing "x.json" was meant as a file; any other name may be a served model name (vLLM's
  // default is the model's path on the server), which is no reason to refuse to run.
  if (spec.ends_with(".json")) return Fail(spec, "no such file");
  return Fallback(spec, "not a file, a directory holding tokenizer.json, or a Hugging Face model id (org/name)");
}

}  // namespace bench
