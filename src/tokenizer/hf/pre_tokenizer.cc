#include "tokenizer/hf/pre_tokenizer.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <utility>

#include "tokenizer/hf/split_regex.h"
#include "tokenizer/hf/json.h"
#include "tokenizer/hf/unicode.h"

namespace bench::hf {
namespace {

using nlohmann::json;

// Applies `split` to every piece, keeping the non-empty results in order.
template <typename F>
void SplitEach(std::vector<Piece>& pieces, F split) {
  std::vector<Piece> out;
  out.reserve(pieces.size() * 2);
  for (Piece& p : pieces) split(p, out);
  pieces = std::move(out);
}

void EmitSpans(const Piece& p, const std::vector<Span>& spans, std::vector<Piece>& out) {
  for (const auto& [s, e] : spans) {
    out.push_back(Piece{p.text.substr(s, e - s), p.at_origin && s == 0});
  }
}

std::shared_ptr<const Regex> CompileOrThrow(std::string_view pattern, const std::string& path) {
  std::string error;
  auto regex = Regex::Compile(pattern, &error);
  if (!regex) throw ConfigError(path, "invalid regex: " + error);
  return regex;
}

class SplitPre final : public PreTokenizer {
 public:
  SplitPre(Pattern pattern, SplitBehavior behavior, bool invert)
      : pattern_(std::move(pattern)), behavior_(behavior), invert_(invert) {}
  void PreTokenize(std::vector<Piece>& pieces) const override {
    SplitEach(pieces, [&](const Piece& p, std::vector<Piece>& out) {
      EmitSpans(p, SplitSpans(p.text, pattern_.FindAll(p.text), behavior_, invert_), out);
    });
  }

 private:
  Pattern pattern_;
  SplitBehavior behavior_;
  bool invert_;
};

class CharSplit final : public PreTokenizer {
 public:
  CharSplit(std::function<bool(char32_t)> pred, SplitBehavior behavior)
      : pred_(std::move(pred)), behavior_(behavior) {}
  void PreTokenize(std::vector<Piece>& pieces) const override {
    SplitEach(pieces, [&](const Piece& p, std::vector<Piece>& out) {
      EmitSpans(p, SplitSpans(p.text, CharMatches(p.text, pred_), behavior_, false), out);
    });
  }

 private:
  std::function<bool(char32_t)> pred_;
  SplitBehavior behavior_;
};

// Byte b's GPT-2 character (ByteLevelChars: one or two UTF-8 bytes) as a little-endian word.
struct MappedByte {
  uint32_t bytes;
  uint32_t size;
};

const std::array<MappedByte, 256>& MappedBytes() {
  static const std::array<MappedByte, 256> table = [] {
    std::array<MappedByte, 256> t{};
    for (size_t b = 0; b < 256; ++b) {
      const std::string& c = ByteLevelChars()[b];
      t[b].size = static_cast<uint32_t>(c.size());
      for (size_t k = 0; k < c.size(); ++k) t[b].bytes |= static_cast<uint32_t>(static_cast<unsigned char>(c[k])) << (8 * k);
    }
    return t;
  }();
  return table;
}

// `text` with every byte mapped to its GPT-2 character: one 4-byte store a byte into an output
// sized for the worst case (two bytes each), instead of a std::string append a byte.
std::string ByteLevelMapped(std::string_view text) {
  std::string out;
  if constexpr (std::endian::native != std::endian::little) {
    for (char c : text) out += ByteLevelChars()[static_cast<unsigned char>(c)];
    return out;
  }
  // Most pieces are words: mapped on the stack, they fit std::string's own buffer (no allocation).
  char small[64];
  const size_t worst = 2 * text.size() + sizeof(uint32_t);
  if (worst > sizeof small) out.resize(worst);
  char* const begin = worst > sizeof small ? out.data() : small;
  char* dst = begin;
  const auto& table = MappedBytes();
  for (const char c : text) {
    const MappedByte m = table[static_cast<unsigned char>(c)];
    std::memcpy(dst, &m.bytes, sizeof m.bytes);
    dst += m.size;
  }
  const auto size = static_cast<size_t>(dst - begin);
  if (begin == small) return std::string(small, size);
  out.resize(size);
  return out;
}

class ByteLevelPre final : public PreTokenizer {
 public:
  ByteLevelPre(bool add_prefix_space, std::shared_ptr<const Regex> regex)
      : add_prefix_space_(add_prefix_space), regex_(std::move(regex)) {}
  void PreTokenize(std::vector<Piece>& pieces) const override {
    SplitEach(pieces, [&](Piece& p, std::vector<Piece>& out) {
      // Applied to each piece seen here, exactly as HF does (not only to the first one).
      if (add_prefix_space_ && (p.text.empty() || p.text[0] != ' ')) p.text = " " + p.text;  // (insert(0, " ") trips a g++ 12 -Wrestrict false positive)
      if (!regex_) {
        if (!p.text.empty()) out.push_back(Piece{ByteLevelMapped(p.text), p.at_origin});
        return;
      }
      const std::vector<Span> spans = SplitSpans(p.text, Gpt2Matches(p.text, *regex_), SplitBehavior::kIsolated, false);
      out.reserve(out.size() + spans.size());
      const std::string_view text = p.text;
      for (const auto& [s, e] : spans) out.push_back(Piece{ByteLevelMapped(text.substr(s, e - s)), p.at_origin && s == 0});
    });
  }

 private:
  bool add_prefix_space_;
  std::shared_ptr<const Regex> regex_;  // compiled from kGpt2Regex
};

enum class PrependScheme { kFirst, kAlways, kNever };

class MetaspacePre final : public PreTokenizer {
 public:
  MetaspacePre(std::string replacement, PrependScheme scheme, bool split)
      : replacement_(std::move(replacement)), scheme_(scheme), split_(split) {}
  void PreTokenize(std::vector<Piece>& pieces) const override {
    const Pattern space = Pattern::Literal(" ");
    const Pattern marker = Pattern::Literal(replacement_);
    SplitEach(pieces, [&](Piece& p, std::vector<Piece>& out) {
      p.text = space.ReplaceAll(p.text, replacement_);
      const bool starts = p.text.compare(0, replacement_.size(), replacement_) == 0;
      if (!starts && (scheme_ == PrependScheme::kAlways ||
                      (scheme_ == PrependScheme::kFirst && p.at_origin))) {
        p.text.insert(0, replacement_);
      }
      if (split_) {
        EmitSpans(p, SplitSpans(p.text, marker.FindAll(p.text), SplitBehavior::kMergedWithNext, false), out);
      } else if (!p.text.empty()) {
        out.push_back(std::move(p));
      }
    });
  }

 private:
  std::string replacement_;
  PrependScheme scheme_;
  bool split_;
};

class SequencePre final : public PreTokenizer {
 public:
  explicit SequencePre(std::vector<std::unique_ptr<PreTokenizer>> parts) : parts_(std::move(parts)) {}
  void PreTokenize(std::vector<Piece>& pieces) const override {
    for (const auto& p : parts_) p->PreTokenize(pieces);
  }

 private:
  std::vector<std::unique_ptr<PreTokenizer>> parts_;
};

SplitBehavior ParseBehavior(const json& j, const std::string& path, SplitBehavior fallback) {
  const std::string name = StringOr(j, "behavior", path, "");
  if (name.empty()) return fallback;
  if (name == "Removed") return SplitBehavior::kRemoved;
  if (name == "Isolated") return SplitBehavior::kIsolated;
  if (name == "MergedWithPrevious") return SplitBehavior::kMergedWithPrevious;
  if (name == "MergedWithNext") return SplitBehavior::kMergedWithNext;
  if (name == "Contiguous") return SplitBehavior::kContiguous;
  throw ConfigError(Sub(path, "behavior"), "unknown behavior '" + name + "'");
}

}  // namespace

std::vector<Span> CharMatches(std::string_view text, const std::function<bool(char32_t)>& pred) {
  std::vector<Span> matches;
  size_t i = 0;
  while (i < text.size()) {
    const size_t start = i;
    if (pred(NextCodePoint(text, i))) matches.emplace_back(start, i);
  }
  return matches;
}

std::vector<Span> SplitSpans(std::string_view text, const std::vector<Span>& matches,
                             SplitBehavior behavior, bool invert) {
  // Tile the text into (span, is_match) runs, as HF's Pattern::find_matches does.
  std::vector<std::pair<Span, bool>> runs;
  if (text.empty()) {
    runs.push_back({{0, 0}, false});
  } else {
    size_t prev = 0;
    for (const auto& m : matches) {
      if (m.first != prev) runs.push_back({{prev, m.first}, false});
      runs.push_back({m, true});
      prev = m.second;
    }
    if (prev != text.size()) runs.push_back({{prev, text.size()}, false});
  }
  if (invert) {
    for (auto& r : runs) r.second = !r.second;
  }
  std::vector<Span> out;
  switch (behavior) {
    case SplitBehavior::kRemoved:
      for (const auto& [span, is_match] : runs) {
        if (!is_match) out.push_back(span);
      }
      break;
    case SplitBehavior::kIsolated:
      for (const auto& r : runs) out.push_back(r.first);
      break;
    case SplitBehavior::kContiguous: {
      // Runs with the same flag join (this matters with invert, where gaps become "matches").
      bool previous = false;
      for (const auto& [span, is_match] : runs) {
        if (is_match == previous && !out.empty()) {
          out.back().second = span.second;
        } else {
          out.push_back(span);
        }
        previous = is_match;
      }
      break;
    }
    case SplitBehavior::kMergedWithPrevious: {
      bool previous = false;
      for (const auto& [span, is_match] : runs) {
        if (is_match && !previous && !out.empty()) {
          out.back().second = span.second;
        } else {
          out.push_back(span);
        }
        previous = is_match;
      }
      break;
    }
    case SplitBehavior::kMergedWithNext: {
      bool previous = false;
      for (auto it = runs.rbegin(); it != runs.rend(); ++it) {
        if (it->second && !previous && !out.empty()) {
          out.back().first = it->first.first;
        } else {
          out.push_back(it->first);
        }
        previous = it->second;
      }
      std::reverse(out.begin(), out.end());
      break;
    }
  }
  std::erase_if(out, [](const Span& s) { return s.first == s.second; });
  return out;
}

std::unique_ptr<PreTokenizer> MakePreTokenizer(const json& j, const std::string& path) {
  const std::string type = StringField(j, "type", path);
  if (type == "Sequence") {
    const json& list = Field(j, "pretokenizers", path);
    if (!list.is_array()) throw ConfigError(Sub(path, "pretokenizers"), "expected an array");
    std::vector<std::unique_ptr<PreTokenizer>> parts;
    for (size_t i = 0; i < list.size(); ++i) {
      parts.push_back(MakePreTokenizer(list[i], Index(Sub(path, "pretokenizers"), i)));
    }
    return std::make_unique<SequencePre>(std::move(parts));
  }
  if (type == "Split") {
    return std::make_unique<SplitPre>(Pattern::FromJson(Field(j, "pattern", path), Sub(path, "pattern")),
                                      ParseBehavior(j, path, SplitBehavior::kIsolated),
                                      BoolOr(j, "invert", path, false));
  }
  if (type == "ByteLevel") {
    std::shared_ptr<const Regex> regex;
    if (BoolOr(j, "use_regex", path, true)) regex = CompileOrThrow(kGpt2Regex, path);
    return std::make_unique<ByteLevelPre>(BoolOr(j, "add_prefix_space", path, true), std::move(regex));
  }
  if (type == "Metaspace") {
    std::string replacement = StringOr(j, "replacement", path, "\xE2\x96\x81");
    PrependScheme scheme = PrependScheme::kAlways;
    if (const json* legacy = OptionalField(j, "add_prefix_space"); legacy != nullptr && legacy->is_boolean()) {
      scheme = legacy->get<bool>() ? PrependScheme::kAlways : PrependScheme::kNever;
    }
    const std::string name = StringOr(j, "prepend_scheme", path, "");
    if (name == "first") scheme = PrependScheme::kFirst;
    else if (name == "always") scheme = PrependScheme::kAlways;
    else if (name == "never") scheme = PrependScheme::kNever;
    else if (!name.empty()) throw ConfigError(Sub(path, "prepend_scheme"), "unknown scheme '" + name + "'");
    return std::make_unique<MetaspacePre>(std::move(replacement), scheme, BoolOr(j, "split", path, true));
  }
  if (type == "Digits") {
    const bool individual = BoolOr(j, "individual_digits", path, false);
    return std::make_unique<CharSplit>(IsNumeric, individual ? SplitBehavior::kIsolated
                                                             : SplitBehavior::kContiguous);
  }
  if (type == "Whitespace") {
    // HF: keep the matches of \w+|[^\w\s]+ (Removed + invert).
    return std::make_unique<SplitPre>(Pattern::FromJson(json{{"Regex", R"(\w+|[^\w\s]+)"}}, path),
                                      SplitBehavior::kRemoved, true);
  }
  if (type == "WhitespaceSplit") {
    return std::make_unique<CharSplit>(IsWhitespace, SplitBehavior::kRemoved);
  }
  if (type == "Punctuation") {
    return std::make_unique<CharSplit>(IsPunctuation, ParseBehavior(j, path, SplitBehavior::kIsolated));
  }
  if (type == "CharDelimiterSplit") {
    const std::string d = StringField(j, "delimiter", path);
    size_t i = 0;
    const char32_t delimiter = d.empty() ? 0 : NextCodePoint(d, i);
    return std::make_unique<CharSplit>([delimiter](char32_t c) { return c == delimiter; },
                                       SplitBehavior::kRemoved);
  }
  if (type == "BertPreTokenizer") {
    std::vector<std::unique_ptr<PreTokenizer>> parts;
    parts.push_back(std::make_unique<CharSplit>(IsWhitespace, SplitBehavior::kRemoved));
    parts.push_back(std::make_unique<CharSplit>(IsPunctuation, SplitBehavior::kIsolated));
    return std::make_unique<SequencePre>(std::move(parts));
  }
  throw ConfigError(Sub(path, "type"), "unsupported pre_tokenizer '" + type + "'");
}

}  // namespace bench::hf
