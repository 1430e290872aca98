#include "bench/tokenizer.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "bench/builtin_tokenizer.h"
#include "bench/hf_hub.h"
#include "bench/hf_tokenizer.h"

namespace bench {
namespace {

constexpr const char* kSentencePieceOnly =
    "only a sentencepiece tokenizer.model, and tokenizer.model is not supported yet (convert it with "
    "transformers' AutoTokenizer.save_pretrained and pass --tokenizer PATH to the tokenizer.json)";

TokenizerLoadResult Fail(const std::string& spec, const std::string& what) {
  return TokenizerLoadResult{nullptr, "tokenizer '" + spec + "': " + what};
}

TokenizerLoadResult LoadFromHub(const std::string& spec, const std::string& revision) {
  const HubFileResult hub = ResolveHubFile(spec, "tokenizer.json", revision);
  if (hub.status == HubStatus::kNotFound) {
    // Older Llama/Mistral-style repos ship only the sentencepiece model; say so rather than "missing".
    if (HubFileExists(spec, "tokenizer.model", revision)) return Fail(spec, spec + " has " + kSentencePieceOnly);
    return Fail(spec, hub.error + " (pass --tokenizer PATH)");
  }
  if (hub.status != HubStatus::kOk) return Fail(spec, hub.error);
  std::ifstream in(hub.path, std::ios::binary);
  if (!in) return Fail(spec, "cannot open cached " + hub.path);
  std::ostringstream text;
  text << in.rdbuf();
  // Named by the model id, as GenAI-Perf records --tokenizer; the path helps clear a bad cache entry.
  TokenizerLoadResult result = LoadHfTokenizerFromString(text.str(), spec);
  if (!result.tokenizer) result.error += " (cached at " + hub.path + ")";
  return result;
}

}  // namespace

TokenizerLoadResult LoadTokenizer(const std::string& spec, const std::string& revision) {
  if (spec == "builtin") return TokenizerLoadResult{MakeBuiltinTokenizer(), ""};
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_regular_file(spec, ec)) return LoadHfTokenizerFile(spec);
  // A local directory wins over a hub id of the same spelling, as with from_pretrained.
  if (fs::is_directory(spec, ec)) {
    const fs::path file = fs::path(spec) / "tokenizer.json";
    if (fs::is_regular_file(file, ec)) return LoadHfTokenizerFile(file.string());
    if (fs::is_regular_file(fs::path(spec) / "tokenizer.model", ec)) {
      return Fail(spec, std::string("directory holds ") + kSentencePieceOnly);
    }
    return Fail(spec, "not a file or directory holding tokenizer.json");
  }
  if (IsValidRepoId(spec)) return LoadFromHub(spec, revision);
  return Fail(spec, "not a file, a directory holding tokenizer.json, or a Hugging Face model id (org/name)");
}

}  // namespace bench
