#include "tokenizer/hf/decoder.h"

#include <utility>

#include "tokenizer/hf/json.h"
#include "tokenizer/hf/pattern.h"
#include "tokenizer/hf/unicode.h"

namespace bench::hf {
namespace {

using nlohmann::json;

constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";

class ByteLevelDecoder final : public Decoder {
 public:
  void DecodeChain(std::vector<std::string>& tokens) const override {
    std::string bytes;
    for (const std::string& t : tokens) {
      // A token with any character outside the byte alphabet is kept verbatim (HF does this
      // for added tokens such as "<|endoftext|>" written with spaces or non-Latin text).
      std::string mapped;
      bool all_mapped = true;
      size_t i = 0;
      while (i < t.size()) {
        const int b = ByteLevelByte(NextCodePoint(t, i));
        if (b < 0) {
          all_mapped = false;
          break;
        }
        mapped.push_back(static_cast<char>(b));
      }
      bytes += all_mapped ? mapped : t;
    }
    tokens.assign(1, Utf8Lossy(bytes));
  }
};

class ByteFallbackDecoder final : public Decoder {
 public:
  void DecodeChain(std::vector<std::string>& tokens) const override {
    std::vector<std::string> out;
    std::string pending;
    const auto flush = [&] {
      if (pending.empty()) return;
      if (IsValidUtf8(pending)) {
        out.push_back(pending);
      } else {
        // HF emits one U+FFFD per byte of an invalid run.
        for (size_t k = 0; k < pending.size(); ++k) out.emplace_back(kReplacementChar);
      }
      pending.clear();
    };
    for (std::string& t : tokens) {
      int byte = -1;
      if (t.size() == 6 && t.compare(0, 3, "<0x") == 0 && t[5] == '>') byte = ParseHexByte(t[3], t[4]);
      if (byte >= 0) {
        pending.push_back(static_cast<char>(byte));
      } else {
        flush();
        out.push_back(std::move(t));
      }
    }
    flush();
    tokens = std::move(out);
  }

 private:
  static int HexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  static int ParseHexByte(char hi, char lo) {
    const int h = HexDigit(hi), l = HexDigit(lo);
    return h < 0 || l < 0 ? -1 : h * 16 + l;
  }
};

class FuseDecoder final : public Decoder {
 public:
  void DecodeChain(std::vector<std::string>& tokens) const override {
    std::string all;
    for (const auto& t : tokens) all += t;
    tokens.assign(1, std::move(all));
  }
};

class StripDecoder final : public Decoder {
 public:
  StripDecoder(char32_t content, size_t start, size_t stop) : content_(content), start_(start), stop_(stop) {}
  void DecodeChain(std::vector<std::string>& tokens) const override {
    for (std::string& t : tokens) {
      std::vector<size_t> starts;  // byte offset of each character
      size_t i = 0;
      std::vector<char32_t> chars;
      while (i < t.size()) {
        starts.push_back(i);
        chars.push_back(NextCodePoint(t, i));
      }
      size_t begin = 0;
      while (begin < chars.size() && begin < start_ && chars[begin] == content_) ++begin;
      size_t end = chars.size();
      for (size_t k = 0; k < stop_ && end > begin && chars[end - 1] == content_; ++k) --end;
      const size_t b = begin < starts.size() ? starts[begin] : t.size();
      const size_t e = end < starts.size() ? starts[end] : t.size();
      t = t.substr(b, e - b);
    }
  }

 private:
  char32_t content_;
  size_t start_, stop_;
};

class ReplaceDecoder final : public Decoder {
 public:
  ReplaceDecoder(Pattern pattern, std::string content) : pattern_(std::move(pattern)), content_(std::move(content)) {}
  void DecodeChain(std::vector<std::string>& tokens) const override {
    for (std::string& t : tokens) t = pattern_.ReplaceAll(t, content_);
  }

 private:
  Pattern pattern_;
  std::string content_;
};

class MetaspaceDecoder final : public Decoder {
 public:
  MetaspaceDecoder(char32_t replacement, bool strip_first) : replacement_(replacement), strip_first_(strip_first) {}
  void DecodeChain(std::vector<std::string>& tokens) const override {
    for (size_t k = 0; k < tokens.size(); ++k) {
      std::string out;
      size_t i = 0;
      const std::string& t = tokens[k];
      while (i < t.size()) {
        const char32_t c = NextCodePoint(t, i);
        if (c != replacement_) {
          AppendUtf8(out, c);
        } else if (!(k == 0 && strip_first_)) {
          out.push_back(' ');
        }
      }
      tokens[k] = std::move(out);
    }
  }

 private:
  char32_t replacement_;
  bool strip_first_;
};

class WordPieceDecoder final : public Decoder {
 public:
  WordPieceDecoder(std::string prefix, bool cleanup) : prefix_(std::move(prefix)), cleanup_(cleanup) {}
  void DecodeChain(std::vector<std::string>& tokens) const override {
    for (size_t k = 0; k < tokens.size(); ++k) {
      std::string& t = tokens[k];
      if (k != 0) {
        if (t.compare(0, prefix_.size(), prefix_) == 0) {
          t.erase(0, prefix_.size());
        } else {
          t = " " + t;  // (insert(0, " ") trips a g++ 12 -Wrestrict false positive)
        }
      }
      if (cleanup_) t = Cleanup(t);
    }
  }

 private:
  static std::string Cleanup(std::string s) {
    static const std::pair<const char*, const char*> kRules[] = {
        {" .", "."},   {" ?", "?"},   {" !", "!"},     {" ,", ","},           {" ' ", "'"},    {" n't", "n't"},
        {" 'm", "'m"}, {" do not", " don't"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}};
    for (const auto& [from, to] : kRules) s = Pattern::Literal(from).ReplaceAll(s, to);
    return s;
  }
  std::string prefix_;
  bool cleanup_;
};

class BpeSuffixDecoder final : public Decoder {
 public:
  explicit BpeSuffixDecoder(std::string suffix) : suffix_(std::move(suffix)) {}
  void DecodeChain(std::vector<std::string>& tokens) const override {
    const Pattern p = Pattern::Literal(suffix_);
    for (size_t k = 0; k < tokens.size(); ++k) {
      tokens[k] = p.ReplaceAll(tokens[k], k + 1 == tokens.size() ? "" : " ");
    }
  }

 private:
  std::string suffix_;
};

class SequenceDecoder final : public Decoder {
 public:
  explicit SequenceDecoder(std::vector<std::unique_ptr<Decoder>> parts) : parts_(std::move(parts)) {}
  void DecodeChain(std::vector<std::string>& tokens) const override {
    for (const auto& p : parts_) p->DecodeChain(tokens);
  }

 private:
  std::vector<std::unique_ptr<Decoder>> parts_;
};

char32_t SingleChar(const json& j, std::string_view key, const std::string& path, std::string fallback) {
  const std::string s = StringOr(j, key, path, std::move(fallback));
  size_t i = 0;
  if (s.empty()) throw ConfigError(Sub(path, key), "expected one character");
  const char32_t c = NextCodePoint(s, i);
  if (i != s.size()) throw ConfigError(Sub(path, key), "expected one character");
  return c;
}

}  // namespace

std::unique_ptr<Decoder> MakeDecoder(const json& j, const std::string& path) {
  const std::string type = StringField(j, "type", path);
  if (type == "ByteLevel") return std::make_unique<ByteLevelDecoder>();
  if (type == "ByteFallback") return std::make_unique<ByteFallbackDecoder>();
  if (type == "Fuse") return std::make_unique<FuseDecoder>();
  if (type == "Strip") {
    return std::make_unique<StripDecoder>(SingleChar(j, "content", path, " "),
                                          static_cast<size_t>(IntOr(j, "start", path, 0)),
                                          static_cast<size_t>(IntOr(j, "stop", path, 0)));
  }
  if (type == "Replace") {
    return std::make_unique<ReplaceDecoder>(Pattern::FromJson(Field(j, "pattern", path), Sub(path, "pattern")),
                                            StringField(j, "content", path));
  }
  if (type == "Metaspace") {
    bool strip_first = true;
    if (const json* legacy = OptionalField(j, "add_prefix_space"); legacy != nullptr && legacy->is_boolean()) {
      strip_first = legacy->get<bool>();
    }
    if (const std::string scheme = StringOr(j, "prepend_scheme", path, ""); !scheme.empty()) {
      strip_first = scheme != "never";
    }
    return std::make_unique<MetaspaceDecoder>(SingleChar(j, "replacement", path, "\xE2\x96\x81"), strip_first);
  }
  if (type == "WordPiece") {
    return std::make_unique<WordPieceDecoder>(StringOr(j, "prefix", path, "##"), BoolOr(j, "cleanup", path, true));
  }
  if (type == "BPEDecoder") return std::make_unique<BpeSuffixDecoder>(StringOr(j, "suffix", path, "</w>"));
  if (type == "Sequence") {
    const json& list = Field(j, "decoders", path);
    if (!list.is_array()) throw ConfigError(Sub(path, "decoders"), "expected an array");
    std::vector<std::unique_ptr<Decoder>> parts;
    for (size_t i = 0; i < list.size(); ++i) parts.push_back(MakeDecoder(list[i], Index(Sub(path, "decoders"), i)));
    return std::make_unique<SequenceDecoder>(std::move(parts));
  }
  throw ConfigError(Sub(path, "type"), "unsupported decoder '" + type + "'");
}

}  // namespace bench::hf
