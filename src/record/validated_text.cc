#include "record/validated_text.h"

#include <simdjson.h>

#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "util/json_scan.h"
#include "util/json_shape.h"
#include "util/utf8.h"

namespace bench {
namespace {

namespace od = simdjson::ondemand;

// A string member's value as it was last seen: absent, null, a string, or something else.
struct Slot {
  enum class Kind { kAbsent, kNull, kString, kOther } kind = Kind::kAbsent;
  std::string text;
  std::string_view raw;  // a string's content as it stands in the text (set by Walk only)

  // Reads `v`; false when the document turned out not to be valid.
  bool Read(od::value v) {
    od::json_type type;
    if (v.type().get(type) != simdjson::SUCCESS) return false;
    if (type == od::json_type::null) {
      kind = Kind::kNull;
    } else if (type == od::json_type::string) {
      std::string_view s;
      if (v.get_string().get(s) != simdjson::SUCCESS) return false;
      kind = Kind::kString;
      text.assign(s);
    } else {
      kind = Kind::kOther;
    }
    return true;
  }
};

// What the first choice holds: its text, and its delta's and message's content.
struct Choice {
  bool is_object = false;
  Slot text;
  bool delta_object = false;
  Slot delta_content;
  bool message_object = false;
  Slot message_content;
};

// `holder`'s "content" (last one wins) into `content`; `is_object` whether holder is an object.
bool ReadHolder(od::value holder, bool& is_object, Slot& content) {
  od::json_type type;
  if (holder.type().get(type) != simdjson::SUCCESS) return false;
  is_object = type == od::json_type::object;
  content = Slot{};
  if (!is_object) return true;
  od::object obj;
  if (holder.get_object().get(obj) != simdjson::SUCCESS) return false;
  for (auto member : obj) {
    od::field field;
    std::string_view key;
    if (std::move(member).get(field) != simdjson::SUCCESS || field.unescaped_key().get(key) != simdjson::SUCCESS) return false;
    if (key == "content" && !content.Read(field.value())) return false;
  }
  return true;
}

bool ReadChoice(od::value v, Choice& c) {
  c = Choice{};
  od::json_type type;
  if (v.type().get(type) != simdjson::SUCCESS) return false;
  c.is_object = type == od::json_type::object;
  if (!c.is_object) return true;
  od::object obj;
  if (v.get_object().get(obj) != simdjson::SUCCESS) return false;
  for (auto member : obj) {
    od::field field;
    std::string_view key;
    if (std::move(member).get(field) != simdjson::SUCCESS || field.unescaped_key().get(key) != simdjson::SUCCESS) return false;
    if (key == "text") {
      if (!c.text.Read(field.value())) return false;
    } else if (key == "delta") {
      if (!ReadHolder(field.value(), c.delta_object, c.delta_content)) return false;
    } else if (key == "message") {
      if (!ReadHolder(field.value(), c.message_object, c.message_content)) return false;
    }
  }
  return true;
}

// The document's top level: "object" and the first of "choices" (the last of each name wins).
struct Top {
  Slot object;
  enum class Choices { kAbsent, kNotArray, kEmpty, kFirst } choices = Choices::kAbsent;
  Choice first;
};

bool ReadTop(od::document& doc, Top& top) {
  od::object obj;
  if (doc.get_object().get(obj) != simdjson::SUCCESS) return false;
  for (auto member : obj) {
    od::field field;
    std::string_view key;
    if (std::move(member).get(field) != simdjson::SUCCESS || field.unescaped_key().get(key) != simdjson::SUCCESS) return false;
    if (key == "object") {
      if (!top.object.Read(field.value())) return false;
    } else if (key == "choices") {
      od::value v = field.value();
      od::json_type type;
      if (v.type().get(type) != simdjson::SUCCESS) return false;
      top.choices = Top::Choices::kNotArray;
      if (type != od::json_type::array) continue;
      od::array arr;
      if (v.get_array().get(arr) != simdjson::SUCCESS) return false;
      top.choices = Top::Choices::kEmpty;
      for (auto element : arr) {
        od::value e;
        if (std::move(element).get(e) != simdjson::SUCCESS || !ReadChoice(e, top.first)) return false;
        top.choices = Top::Choices::kFirst;
        break;  // the rest of the array is skipped by the object iteration
      }
    }
  }
  // Nothing can follow the value: the caller validated the text.
  return true;
}

// The text of a slot as FastOpenAiText gives it: absent or null is "", a non-string is no answer.
std::optional<std::string> SlotText(Slot& slot) {
  if (slot.kind == Slot::Kind::kAbsent || slot.kind == Slot::Kind::kNull) return std::string();
  if (slot.kind != Slot::Kind::kString) return std::nullopt;
  return std::move(slot.text);
}

std::optional<std::string> OnDemandText(std::string_view json) {
  // On-Demand reads up to SIMDJSON_PADDING bytes past the end: the event is copied into a
  // buffer that has them (one per thread, so its storage is reused).
  thread_local std::vector<char> padded;
  thread_local od::parser parser;
  padded.resize(json.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(padded.data(), json.data(), json.size());
  std::memset(padded.data() + json.size(), 0, simdjson::SIMDJSON_PADDING);
  od::document doc;
  if (parser.iterate(padded.data(), json.size(), padded.size()).get(doc) != simdjson::SUCCESS) return std::nullopt;
  Top top;
  if (!ReadTop(doc, top)) return std::nullopt;
  if (top.choices == Top::Choices::kAbsent || top.choices == Top::Choices::kNotArray) return std::nullopt;
  if (top.choices == Top::Choices::kEmpty) return std::string();
  Choice& c = top.first;
  if (!c.is_object) return std::nullopt;
  const Slot& obj = top.object;
  if (obj.kind == Slot::Kind::kAbsent || (obj.kind == Slot::Kind::kString && obj.text == "text_completion")) {
    return SlotText(c.text);
  }
  if (obj.kind != Slot::Kind::kString) return std::nullopt;
  const bool chunk = obj.text == "chat.completion.chunk";
  if (!chunk && obj.text != "chat.completion") return std::nullopt;
  if (chunk ? !c.delta_object : !c.message_object) return std::nullopt;
  return SlotText(chunk ? c.delta_content : c.message_content);
}

// The usual case without simdjson: a walk over the text that assumes it is valid JSON (the
// stream check validated it) and so only finds boundaries. On-Demand's stage 1 indexes every
// structural character of the event before the first lookup; this walk reads the members it
// needs and skips the rest: 1.8 k instead of 2.7 k instructions per event, padded copy included
// (callgrind, docs/benchmarks.md). It bounds-checks every byte it reads, and passes on (kUnsure) whatever
// it does not handle: escaped member names, \u escapes it cannot decode, anything unexpected.
class Walk {
 public:
  enum class Result { kText, kNoText, kUnsure };

  explicit Walk(std::string_view json) : p_(json.data()), end_(json.data() + json.size()) {}

  // `raw`: set to the content of the string that gave the text, when one did.
  Result Run(std::string& text, std::string_view& raw) {
    Ws();
    if (!Object([this](std::string_view key) { return TopMember(key); })) return Result::kUnsure;
    Ws();
    if (p_ != end_) return Result::kUnsure;
    if (choices_ == Choices::kAbsent || choices_ == Choices::kNotArray) return Result::kNoText;
    if (choices_ == Choices::kEmpty) {
      text.clear();
      return Result::kText;
    }
    if (!choice_object_) return Result::kNoText;
    Slot* slot = &text_;
    if (object_ != ObjectKind::kAbsent && object_ != ObjectKind::kTextCompletion) {
      const bool chunk = object_ == ObjectKind::kChatChunk;
      if (!chunk && object_ != ObjectKind::kChat) return Result::kNoText;
      if (chunk ? !delta_.is_object : !message_.is_object) return Result::kNoText;
      slot = chunk ? &delta_.content : &message_.content;
    }
    if (slot->kind == Slot::Kind::kAbsent || slot->kind == Slot::Kind::kNull) {
      text.clear();
      return Result::kText;
    }
    if (slot->kind != Slot::Kind::kString) return Result::kNoText;
    text = std::move(slot->text);
    raw = slot->raw;
    return Result::kText;
  }

 private:
  enum class Choices { kAbsent, kNotArray, kEmpty, kFirst };
  // The "object" member, told apart without keeping its string (kOther: any other value).
  enum class ObjectKind { kAbsent, kTextCompletion, kChat, kChatChunk, kOther };
  struct Holder {
    bool is_object = false;
    Slot content;
  };

  void Ws() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  bool Eat(char c) {
    Ws();
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }

  // The first '"' or '\\' at or after `p` (`end` if none), 8 bytes at a time: a text is most of
  // an event's bytes.
  static const char* NextQuoteOrBackslash(const char* p, const char* end) {
    constexpr uint64_t kOnes = 0x0101010101010101ULL;
    constexpr uint64_t kHigh = 0x8080808080808080ULL;
    while (end - p >= 8) {
      uint64_t x;
      std::memcpy(&x, p, 8);
      const uint64_t q = x ^ (kOnes * '"');
      const uint64_t b = x ^ (kOnes * '\\');
      // A zero byte of q or b sets its high bit (and maybe some above it: the lowest is exact).
      const uint64_t hit = (((q - kOnes) & ~q) | ((b - kOnes) & ~b)) & kHigh;
      if (hit != 0) return p + (__builtin_ctzll(hit) >> 3);
      p += 8;
    }
    while (p != end && *p != '"' && *p != '\\') ++p;
    return p;
  }

  // A string's raw bytes (between the quotes); `escaped` when it holds a backslash.
  bool RawString(std::string_view& raw, bool& escaped) {
    if (p_ == end_ || *p_ != '"') return false;
    const char* begin = ++p_;
    escaped = false;
    for (;;) {
      p_ = NextQuoteOrBackslash(p_, end_);
      if (p_ == end_) return false;
      if (*p_ == '"') break;
      escaped = true;
      if (end_ - p_ < 2) return false;
      p_ += 2;
    }
    raw = std::string_view(begin, static_cast<size_t>(p_ - begin));
    ++p_;
    return true;
  }

  // Skips one value of any kind.
  bool Skip() {
    Ws();
    if (p_ == end_) return false;
    if (*p_ == '"') {
      std::string_view raw;
      bool escaped;
      return RawString(raw, escaped);
    }
    if (*p_ == '{' || *p_ == '[') {
      size_t depth = 0;
      while (p_ != end_) {
        const char c = *p_;
        if (c == '"') {
          std::string_view raw;
          bool escaped;
          if (!RawString(raw, escaped)) return false;
          continue;
        }
        ++p_;
        if (c == '{' || c == '[') {
          ++depth;
        } else if (c == '}' || c == ']') {
          if (--depth == 0) return true;
        }
      }
      return false;
    }
    // A number or a literal: up to the next delimiter.
    const char* begin = p_;
    while (p_ != end_ && *p_ != ',' && *p_ != '}' && *p_ != ']' && *p_ != ' ' && *p_ != '\n' && *p_ != '\r' &&
           *p_ != '\t') {
      ++p_;
    }
    return p_ != begin;
  }

  // Reads a value into `slot`: null, a string (decoded), or something else (skipped).
  bool Read(Slot& slot) {
    Ws();
    if (p_ == end_) return false;
    if (*p_ == '"') {
      std::string_view raw;
      bool escaped;
      if (!RawString(raw, escaped)) return false;
      slot.kind = Slot::Kind::kString;
      slot.raw = raw;
      return escaped ? Unescape(raw, slot.text) : (slot.text.assign(raw), true);
    }
    if (*p_ == 'n') {
      slot.kind = Slot::Kind::kNull;
      return Skip();
    }
    slot.kind = Slot::Kind::kOther;
    return Skip();
  }

 public:
  // `raw` decoded; false (kUnsure) for a \u escape that is not one whole code point.
  static bool Unescape(std::string_view raw, std::string& out) {
    out.clear();
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '\\') {
        out.push_back(raw[i]);
        continue;
      }
      if (++i == raw.size()) return false;
      switch (raw[i]) {
        case 'u': {
          uint32_t cp = 0;
          if (!Hex4(raw, i + 1, cp)) return false;
          i += 4;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t low = 0;
            if (i + 2 >= raw.size() || raw[i + 1] != '\\' || raw[i + 2] != 'u' || !Hex4(raw, i + 3, low) ||
                low < 0xDC00 || low > 0xDFFF) {
              return false;
            }
            i += 6;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return false;
          }
          AppendUtf8(out, static_cast<char32_t>(cp));
          break;
        }
        default: {
          const char c = JsonShortEscape(raw[i]);
          if (c == 0) return false;
          out.push_back(c);
        }
      }
    }
    return true;
  }
  static bool Hex4(std::string_view raw, size_t at, uint32_t& v) {
    if (at + 4 > raw.size()) return false;
    v = 0;
    for (size_t k = at; k < at + 4; ++k) {
      const char c = raw[k];
      const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) return false;
      v = v * 16 + static_cast<uint32_t>(d);
    }
    return true;
  }

 private:
  // Walks an object's members, calling `member(key)` with p_ at each value (which it must
  // consume); false when not an object or on anything unexpected (an escaped name included).
  template <class Member>
  bool Object(Member&& member) {
    if (!Eat('{')) return false;
    if (Eat('}')) return true;
    do {
      Ws();
      std::string_view key;
      bool escaped;
      if (!RawString(key, escaped) || escaped || !Eat(':') || !member(key)) return false;
    } while (Eat(','));
    return Eat('}');
  }

  bool TopMember(std::string_view key) {
    if (key == "object") return ReadObject();
    if (key != "choices") return Skip();
    Ws();
    if (p_ == end_) return false;
    if (*p_ != '[') {
      choices_ = Choices::kNotArray;
      return Skip();
    }
    ++p_;
    if (Eat(']')) {
      choices_ = Choices::kEmpty;
      return true;
    }
    // The first element is read, the others skipped.
    choices_ = Choices::kFirst;
    text_ = Slot{};
    delta_ = Holder{};
    message_ = Holder{};
    Ws();
    if (p_ == end_) return false;
    choice_object_ = *p_ == '{';
    if (choice_object_ ? !Object([this](std::string_view k) { return ChoiceMember(k); }) : !Skip()) return false;
    while (Eat(',')) {
      if (!Skip()) return false;
    }
    return Eat(']');
  }

  bool ReadObject() {
    Ws();
    if (p_ == end_ || *p_ != '"') {
      object_ = ObjectKind::kOther;
      return Skip();
    }
    std::string_view raw;
    bool escaped;
    if (!RawString(raw, escaped) || escaped) return false;  // an escaped one is left to On-Demand
    object_ = raw == "chat.completion.chunk" ? ObjectKind::kChatChunk
              : raw == "chat.completion"     ? ObjectKind::kChat
              : raw == "text_completion"     ? ObjectKind::kTextCompletion
                                             : ObjectKind::kOther;
    return true;
  }

  bool ChoiceMember(std::string_view key) {
    if (key == "text") return Read(text_);
    if (key == "delta") return ReadHolder(delta_);
    if (key == "message") return ReadHolder(message_);
    return Skip();
  }

  bool ReadHolder(Holder& h) {
    h = Holder{};
    Ws();
    if (p_ == end_) return false;
    h.is_object = *p_ == '{';
    if (!h.is_object) return Skip();
    return Object([this, &h](std::string_view k) { return k == "content" ? Read(h.content) : Skip(); });
  }

  const char* p_;
  const char* end_;
  ObjectKind object_ = ObjectKind::kAbsent;
  Choices choices_ = Choices::kAbsent;
  bool choice_object_ = false;
  Slot text_;
  Holder delta_;
  Holder message_;
};

// The text of an event that differs from the last one walked on this thread only inside the
// string that gave its text (util/json_shape): that string's content decoded, as the walk would
// decode it; nullopt when the shape differs or the walk would have been unsure.
std::optional<std::string> TextOfSameShape(const JsonShape& shape, std::string_view json,
                                           std::optional<JsonShape::Span>* from) {
  const std::optional<JsonShape::Span> changed = shape.Match(json);
  if (!changed) return std::nullopt;
  const std::string_view content = json.substr(changed->begin, changed->end - changed->begin);
  if (!StaysOneString(content)) return std::nullopt;
  std::optional<std::string> text = DecodedStringContent(content);
  if (text && from != nullptr) *from = changed;
  return text;
}

}  // namespace

std::optional<std::string> DecodedStringContent(std::string_view content) {
  std::string text;
  if (content.find('\\') == std::string_view::npos) {
    text.assign(content);
  } else if (!Walk::Unescape(content, text)) {
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> ValidatedOpenAiText(std::string_view json, std::optional<JsonShape::Span>* from) {
  if (from != nullptr) from->reset();
  // Per thread: a stream's events repeat one shape, whatever request they come from.
  thread_local JsonShape last_shape;
  if (std::optional<std::string> text = TextOfSameShape(last_shape, json, from)) return text;
  std::string text;
  std::string_view raw;
  switch (Walk(json).Run(text, raw)) {
    case Walk::Result::kText:
      if (raw.data() != nullptr) {
        const size_t begin = static_cast<size_t>(raw.data() - json.data());
        last_shape.RememberCopy(json, {begin, begin + raw.size()});
        if (from != nullptr) *from = JsonShape::Span{begin, begin + raw.size()};
      }
      return text;
    case Walk::Result::kNoText: return std::nullopt;
    case Walk::Result::kUnsure: break;
  }
  return OnDemandText(json);
}

namespace detail {
std::optional<std::string> OnDemandOpenAiText(std::string_view json) { return OnDemandText(json); }
}  // namespace detail

}  // namespace bench
