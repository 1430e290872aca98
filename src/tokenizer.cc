#include "bench/tokenizer.h"

#include <filesystem>
#include <system_error>

#include "bench/builtin_tokenizer.h"
#include "bench/hf_tokenizer.h"

namespace bench {

TokenizerLoadResult LoadTokenizer(const std::string& spec) {
  if (spec == "builtin") return TokenizerLoadResult{MakeBuiltinTokenizer(), ""};
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_regular_file(spec, ec)) return LoadHfTokenizerFile(spec);
  if (fs::is_directory(spec, ec)) {
    const fs::path file = fs::path(spec) / "tokenizer.json";
    if (fs::is_regular_file(file, ec)) return LoadHfTokenizerFile(file.string());
  }
  return TokenizerLoadResult{
      nullptr, "tokenizer '" + spec +
                   "': not a file or directory holding tokenizer.json (Hugging Face hub ids are not "
                   "supported yet; pass --tokenizer PATH)"};
}

}  // namespace bench
