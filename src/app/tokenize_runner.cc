#include "app/tokenize_runner.h"

#include <fmt/format.h>
#include <fmt/ranges.h>  // fmt::join
#include <spdlog/spdlog.h>

#include <fstream>

#include <nlohmann/json.hpp>

namespace bench {
namespace {

// Encodes each line of `in` (a JSON string) and prints it; `name` labels errors as FILE:LINE.
int TokenizeJsonl(const Tokenizer& tokenizer, bool add_special_tokens, std::istream& in,
                  const std::string& name, std::ostream& out) {
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();  // CRLF files
    const nlohmann::json value = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!value.is_string()) {
      spdlog::error("{}:{}: not a JSON string", name, number);
      return kExitInput;
    }
    out << TokenizeLine(tokenizer.Encode(value.get_ref<const std::string&>(), add_special_tokens)) << '\n';
  }
  if (in.bad()) {
    spdlog::error("--jsonl {}: read error", name);
    return kExitInput;
  }
  return kExitOk;
}

}  // namespace

std::string TokenizeLine(const std::vector<int32_t>& ids) {
  return fmt::format("{{\"count\": {}, \"ids\": [{}]}}", ids.size(), fmt::join(ids, ", "));
}

int RunTokenize(const TokenizeConfig& config, std::istream& in, std::ostream& out) {
  const TokenizerLoadResult tokenizer = LoadTokenizer(config.tokenizer, config.tokenizer_revision);
  if (!tokenizer.tokenizer) {
    spdlog::error("--tokenizer: {}", tokenizer.error);
    return kExitInput;
  }
  if (!tokenizer.warning.empty()) spdlog::warn("{}", tokenizer.warning);

  if (config.text) {
    out << TokenizeLine(tokenizer.tokenizer->Encode(*config.text, config.add_special_tokens)) << '\n';
    return kExitOk;
  }
  if (config.jsonl == "-") {
    return TokenizeJsonl(*tokenizer.tokenizer, config.add_special_tokens, in, "<stdin>", out);
  }
  std::ifstream file(config.jsonl, std::ios::binary);
  if (!file) {
    spdlog::error("--jsonl {}: cannot open file", config.jsonl);
    return kExitInput;
  }
  return TokenizeJsonl(*tokenizer.tokenizer, config.add_special_tokens, file, config.jsonl, out);
}

}  // namespace bench
