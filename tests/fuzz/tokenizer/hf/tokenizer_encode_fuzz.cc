// Fuzzes the built-in tokenizer's fast paths against the general ones on arbitrary text (any
// bytes, ill-formed UTF-8 included). Traps when
//  - Pattern::ReplaceAll (literal fast path) differs from ReplaceAllBySpans, for a literal and
//    content chosen by the first input byte;
//  - the built-in tokenizer's ids differ from those of the same tokenizer.json with its Replace
//    normalizer as a regex and a pre-tokenizer that never splits (the general path);
//  - BpeModel::Tokenize (word split + word cache) differs from TokenizeUnsplit on the text as
//    the normalizer writes it (texts without '<', which could hold an added token);
//  - KnownSplitMatches (the GPT-2, cl100k and Qwen pre-tokenizer regexes matched by hand on
//    ASCII) differs from Regex::FindAll on the text made valid UTF-8 (what pre-tokenizers get).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "tokenizer/default_tokenizer.h"
#include "tokenizer/hf/bpe.h"
#include "tokenizer/hf/split_regex.h"
#include "tokenizer/hf/pattern.h"
#include "tokenizer/hf/tokenizer.h"
#include "util/utf8.h"
#include "fuzz_util.h"

namespace {

using nlohmann::json;

const std::string kMark = "\xE2\x96\x81";

struct Reference {
  std::unique_ptr<bench::Tokenizer> general;
  std::unique_ptr<bench::hf::BpeModel> model;
  std::vector<std::pair<bench::hf::KnownSplit, std::unique_ptr<bench::hf::Regex>>> splits;
};

const Reference& Ref() {
  static const Reference ref = [] {
    json config = json::parse(bench::DefaultTokenizerJson());
    Reference r;
    r.model = bench::hf::BpeModel::FromJson(config.at("model"), "model");
    for (json& n : config["normalizer"]["normalizers"]) {
      if (n["type"] == "Replace") n["pattern"] = json{{"Regex", n["pattern"]["String"]}};
    }
    config["pre_tokenizer"] = json{{"type", "Split"}, {"pattern", {{"Regex", "(?!)"}}}, {"behavior", "Isolated"}};
    r.general = bench::LoadHfTokenizerThroughDom(config.dump(), "general").tokenizer;
    if (!r.general) __builtin_trap();
    for (const std::string_view pattern : {bench::hf::kGpt2Regex, bench::hf::kCl100kRegex, bench::hf::kQwenRegex}) {
      std::string error;
      auto regex = bench::hf::Regex::Compile(pattern, &error);
      if (!regex) __builtin_trap();
      r.splits.emplace_back(bench::hf::IdentifySplit(pattern), std::move(regex));
    }
    return r;
  }();
  return ref;
}

void CheckReplace(uint8_t selector, std::string_view text) {
  static const char* const kLiterals[] = {" ", "a", "\xE2", "\xE2\x96\x81", "  "};
  static const char* const kContents[] = {"", " ", "\xE2\x96\x81", "12345678", "123456789"};
  const bench::hf::Pattern p = bench::hf::Pattern::Literal(kLiterals[selector % 5]);
  const std::string_view content = kContents[(selector / 5) % 5];
  if (p.ReplaceAll(text, content) != p.ReplaceAllBySpans(text, content)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text = bench::fuzz::AsText(data + 1, size - 1);
  CheckReplace(data[0], text);
  const Reference& ref = Ref();
  const bench::Tokenizer& fast = bench::DefaultTokenizer();
  for (const bool special : {false, true}) {
    if (fast.Encode(text, special) != ref.general->Encode(text, special)) __builtin_trap();
  }
  const std::string valid = bench::IsValidUtf8(text) ? std::string(text) : bench::Utf8Lossy(text);
  for (const auto& [kind, regex] : ref.splits) {
    if (bench::hf::KnownSplitMatches(kind, valid, *regex) != regex->FindAll(valid)) __builtin_trap();
  }
  if (text.find('<') == std::string_view::npos && !text.empty()) {
    const std::string normalized = kMark + bench::hf::Pattern::Literal(" ").ReplaceAllBySpans(valid, kMark);
    std::vector<int32_t> split, unsplit;
    ref.model->Tokenize(normalized, split);
    ref.model->TokenizeUnsplit(normalized, unsplit);
    if (split != unsplit || fast.Encode(text) != split) __builtin_trap();
  }
  return 0;
}
