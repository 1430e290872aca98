#include "tokenizer/hf/normalizer.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <vector>

#include "tokenizer/hf/json.h"
#include "tokenizer/hf/pattern.h"
#include "tokenizer/hf/unicode.h"

namespace bench::hf {
namespace {

using nlohmann::json;

bool IsAscii(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

class UnicodeForm final : public Normalizer {
 public:
  explicit UnicodeForm(const icu::Normalizer2* form) : form_(form) {}
  void Normalize(std::string& text) const override {
    if (IsAscii(text)) return;  // ASCII is invariant under every normal form
    UErrorCode status = U_ZERO_ERROR;
    if (form_->isNormalizedUTF8(text, status) && U_SUCCESS(status)) return;
    std::string out;
    icu::StringByteSink<std::string> sink(&out, static_cast<int32_t>(text.size()));
    status = U_ZERO_ERROR;
    form_->normalizeUTF8(0, text, sink, nullptr, status);
    if (U_SUCCESS(status)) text = std::move(out);
  }

 private:
  const icu::Normalizer2* form_;
};

const icu::Normalizer2* IcuForm(const std::string& type, const std::string& path) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* form = nullptr;
  if (type == "NFC") form = icu::Normalizer2::getNFCInstance(status);
  if (type == "NFD") form = icu::Normalizer2::getNFDInstance(status);
  if (type == "NFKC") form = icu::Normalizer2::getNFKCInstance(status);
  if (type == "NFKD") form = icu::Normalizer2::getNFKDInstance(status);
  if (form == nullptr || U_FAILURE(status)) throw ConfigError(path, "ICU has no " + type + " data");
  return form;
}

class Lowercase final : public Normalizer {
 public:
  void Normalize(std::string& text) const override {
    if (IsAscii(text)) {
      for (char& c : text) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      return;
    }
    // Rust lowercases char by char with the full (not simple) mapping and no context, so map
    // each code point on its own: that keeps 'Σ' → 'σ' even at a word end.
    std::string out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
      const char32_t c = NextCodePoint(text, i);
      UChar in[2];
      int32_t in_len = 0;
      U16_APPEND_UNSAFE(in, in_len, static_cast<UChar32>(c));
      UChar lower[8];
      UErrorCode status = U_ZERO_ERROR;
      const int32_t n = u_strToLower(lower, 8, in, in_len, "", &status);
      if (U_FAILURE(status)) {
        AppendUtf8(out, c);
        continue;
      }
      for (int32_t k = 0; k < n;) {
        UChar32 cp;
        U16_NEXT_UNSAFE(lower, k, cp);
        AppendUtf8(out, static_cast<char32_t>(cp));
      }
    }
    text = std::move(out);
  }
};

class Strip final : public Normalizer {
 public:
  Strip(bool left, bool right) : left_(left), right_(right) {}
  void Normalize(std::string& text) const override {
    size_t begin = 0, end = text.size();
    if (left_) {
      while (begin < end) {
        size_t i = begin;
        if (!IsWhitespace(NextCodePoint(text, i))) break;
        begin = i;
      }
    }
    if (right_) {
      while (end > begin) {
        size_t start = end - 1;
        while (start > begin && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
        size_t i = start;
        if (!IsWhitespace(NextCodePoint(text, i))) break;
        end = start;
      }
    }
    text = text.substr(begin, end - begin);
  }

 private:
  bool left_, right_;
};

class StripAccents final : public Normalizer {
 public:
  void Normalize(std::string& text) const override {
    if (IsAscii(text)) return;
    std::string out;
    size_t i = 0;
    while (i < text.size()) {
      const char32_t c = NextCodePoint(text, i);
      if (u_charType(static_cast<UChar32>(c)) != U_NON_SPACING_MARK) AppendUtf8(out, c);
    }
    text = std::move(out);
  }
};

class Replace final : public Normalizer {
 public:
  Replace(Pattern pattern, std::string content)
      : pattern_(std::move(pattern)), content_(std::move(content)) {}
  void Normalize(std::string& text) const override { text = pattern_.ReplaceAll(text, content_); }

 private:
  Pattern pattern_;
  std::string content_;
};

class Prepend final : public Normalizer {
 public:
  explicit Prepend(std::string prefix) : prefix_(std::move(prefix)) {}
  void Normalize(std::string& text) const override {
    if (!text.empty()) text.insert(0, prefix_);  // HF leaves empty strings empty
  }

 private:
  std::string prefix_;
};

// Maps every byte to its GPT-2 printable character (the "ByteLevel" normalizer).
class ByteLevel final : public Normalizer {
 public:
  void Normalize(std::string& text) const override {
    std::string out;
    out.reserve(text.size() * 2);
    for (char c : text) out += ByteLevelChars()[static_cast<unsigned char>(c)];
    text = std::move(out);
  }
};

class Sequence final : public Normalizer {
 public:
  explicit Sequence(std::vector<std::unique_ptr<Normalizer>> parts) : parts_(std::move(parts)) {}
  void Normalize(std::string& text) const override {
    for (const auto& p : parts_) p->Normalize(text);
  }

 private:
  std::vector<std::unique_ptr<Normalizer>> parts_;
};

}  // namespace

std::unique_ptr<Normalizer> MakeNormalizer(const json& j, const std::string& path) {
  const std::string type = StringField(j, "type", path);
  if (type == "NFC" || type == "NFD" || type == "NFKC" || type == "NFKD") {
    return std::make_unique<UnicodeForm>(IcuForm(type, path));
  }
  if (type == "Lowercase") return std::make_unique<Lowercase>();
  if (type == "StripAccents") return std::make_unique<StripAccents>();
  if (type == "ByteLevel") return std::make_unique<ByteLevel>();
  if (type == "Strip") {
    return std::make_unique<Strip>(BoolOr(j, "strip_left", path, true),
                                   BoolOr(j, "strip_right", path, true));
  }
  if (type == "Replace") {
    return std::make_unique<Replace>(Pattern::FromJson(Field(j, "pattern", path), Sub(path, "pattern")),
                                     StringField(j, "content", path));
  }
  if (type == "Prepend") return std::make_unique<Prepend>(StringField(j, "prepend", path));
  if (type == "Sequence") {
    const json& list = Field(j, "normalizers", path);
    if (!list.is_array()) throw ConfigError(Sub(path, "normalizers"), "expected an array");
    std::vector<std::unique_ptr<Normalizer>> parts;
    for (size_t i = 0; i < list.size(); ++i) {
      parts.push_back(MakeNormalizer(list[i], Index(Sub(path, "normalizers"), i)));
    }
    return std::make_unique<Sequence>(std::move(parts));
  }
  throw ConfigError(Sub(path, "type"), "unsupported normalizer '" + type + "'");
}

}  // namespace bench::hf
