#include "util/json_scan.h"

#include <array>
#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "util/utf8.h"

namespace bench {
namespace {

bool IsWs(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Four hex digits at p (p + 4 <= end checked by the caller), or -1.
int32_t Hex4(const char* p) {
  int32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    const int h = HexValue(p[i]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

// Strings are scanned eight bytes at a time (SWAR): one 64-bit word holds eight bytes, the
// first in the lowest byte, and a mask sets the high bit of each byte that ends a run of plain
// bytes. The masks may also set bits above the first such byte (a borrow), never below it, so
// the lowest set bit is exact.
constexpr uint64_t kOnes = 0x0101010101010101;
constexpr uint64_t kHighBits = 0x8080808080808080;

uint64_t Load64(const char* p) {
  uint64_t v = 0;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

uint64_t BytesEqual(uint64_t x, unsigned char c) {
  const uint64_t v = x ^ (kOnes * c);
  return (v - kOnes) & ~v & kHighBits;
}

uint64_t BytesBelow(uint64_t x, unsigned char n) { return (x - kOnes * n) & ~x & kHighBits; }  // n <= 0x80

size_t FirstMarked(uint64_t mask) { return static_cast<size_t>(std::countr_zero(mask)) / 8; }

// Bytes that a string's validation can pass without a look: not '"', '\\', a control character
// or the start of a multi-byte sequence.
constexpr std::array<bool, 256> kPlainStringByte = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[static_cast<size_t>(c)] = c != '"' && c != '\\';
  return plain;
}();

// The first byte in [p, end) that is not a plain string byte, or end.
const char* SkipPlainStringBytes(const char* p, const char* end) {
  for (; end - p >= 8; p += 8) {
    const uint64_t x = Load64(p);
    const uint64_t mask = BytesEqual(x, '"') | BytesEqual(x, '\\') | BytesBelow(x, 0x20) | (x & kHighBits);
    if (mask != 0) return p + FirstMarked(mask);
  }
  while (p != end && kPlainStringByte[static_cast<unsigned char>(*p)]) ++p;
  return p;
}

// The first '"' or '\\' in [p, end), or end: in validated text, the next byte that is not the
// content of a string.
const char* FindQuoteOrBackslash(const char* p, const char* end) {
  for (; end - p >= 8; p += 8) {
    const uint64_t x = Load64(p);
    const uint64_t mask = BytesEqual(x, '"') | BytesEqual(x, '\\');
    if (mask != 0) return p + FirstMarked(mask);
  }
  while (p != end && *p != '"' && *p != '\\') ++p;
  return p;
}

// What the validator reports, for the index JsonDocument builds; IsJsonText reports to nothing.
struct NoIndex {
  void Scalar(const char*, const char*) {}
  void String(const char*, const char*, bool) {}
  void Open(const char*) {}
  void Close(const char*) {}
};

// The span of the root value (the first value begun, the last one ended), for JsonValue::Parse.
struct RootSpan {
  void Scalar(const char* b, const char* e) { Note(b, e); }
  void String(const char* b, const char* e, bool) { Note(b, e); }
  void Open(const char* b) { Note(b, b); }
  void Close(const char* e) { end = e; }
  void Note(const char* b, const char* e) {
    if (begin == nullptr) begin = b;
    end = e;
  }
  const char* begin = nullptr;
  const char* end = nullptr;
};

// Appends a node per value (member names included, each before its value) in pre-order. While a
// container is open its `size` holds the index of the container around it, so that closing
// needs no stack of its own.
class Indexer {
 public:
  Indexer(std::vector<JsonNode>& nodes, const char* base) : nodes_(nodes), base_(base) {}
  void Scalar(const char* b, const char* e) { nodes_.push_back({Offset(b), Offset(e), 1, false}); }
  void String(const char* b, const char* e, bool escaped) { nodes_.push_back({Offset(b), Offset(e), 1, escaped}); }
  void Open(const char* b) {
    nodes_.push_back({Offset(b), 0, open_, false});
    open_ = static_cast<uint32_t>(nodes_.size() - 1);
  }
  void Close(const char* e) {
    JsonNode& node = nodes_[open_];
    const uint32_t outer = node.size;
    node.end = Offset(e);
    node.size = static_cast<uint32_t>(nodes_.size()) - open_;
    open_ = outer;
  }

 private:
  uint32_t Offset(const char* p) const { return static_cast<uint32_t>(p - base_); }
  std::vector<JsonNode>& nodes_;
  const char* base_;
  uint32_t open_ = 0;
};

// The kinds of the open containers, innermost last. Nesting up to 64 deep (any real response)
// fits inline, so that validating an SSE event allocates nothing; deeper nesting costs heap,
// not stack, as nlohmann has no depth limit either.
class OpenContainers {
 public:
  bool empty() const { return depth_ == 0; }
  bool InObject() const { return depth_ <= kInline ? inline_[depth_ - 1] : deep_.back(); }
  void Push(bool object) {
    if (depth_ < kInline) {
      inline_[depth_] = object;
    } else {
      deep_.push_back(object);
    }
    ++depth_;
  }
  void Pop() {
    if (depth_ > kInline) deep_.pop_back();
    --depth_;
  }

 private:
  static constexpr size_t kInline = 64;
  std::array<bool, kInline> inline_;
  size_t depth_ = 0;
  std::vector<bool> deep_;
};

// Grammar checks move `p` past what they accept and return false at the first error; each value
// accepted is reported to the Sink (NoIndex, RootSpan or Indexer).
template <class Sink>
class Validator {
 public:
  Validator(std::string_view text, Sink& sink) : p_(text.data()), end_(text.data() + text.size()), sink_(sink) {}

  // nlohmann skips one byte-order mark; a partial one is an error.
  bool SkipByteOrderMark() {
    if (p_ == end_ || static_cast<unsigned char>(*p_) != 0xEF) return true;
    if (end_ - p_ < 3 || static_cast<unsigned char>(p_[1]) != 0xBB || static_cast<unsigned char>(p_[2]) != 0xBF) {
      return false;
    }
    p_ += 3;
    return true;
  }

  bool Run() {
    if (!SkipByteOrderMark()) return false;
    // Iterative (with OpenContainers), so nesting depth costs no stack.
    OpenContainers open;
    enum class Want { kValue, kKey, kAfterValue } want = Want::kValue;
    while (true) {
      SkipWs();
      switch (want) {
        case Want::kValue: {
          if (p_ == end_) return false;
          const char* start = p_;
          switch (*p_) {
            case '{':
            case '[': {
              const bool object = *p_ == '{';
              sink_.Open(p_);
              ++p_;
              SkipWs();
              if (p_ != end_ && *p_ == (object ? '}' : ']')) {
                sink_.Close(++p_);
                want = Want::kAfterValue;
              } else {
                open.Push(object);
                want = object ? Want::kKey : Want::kValue;
              }
              continue;
            }
            case '"': {
              bool escaped = false;
              if (!String(escaped)) return false;
              sink_.String(start, p_, escaped);
              want = Want::kAfterValue;
              continue;
            }
            case 't':
              if (!Literal("true")) return false;
              break;
            case 'f':
              if (!Literal("false")) return false;
              break;
            case 'n':
              if (!Literal("null")) return false;
              break;
            default:
              if (!Number()) return false;
          }
          sink_.Scalar(start, p_);
          want = Want::kAfterValue;
          continue;
        }
        case Want::kKey: {
          const char* start = p_;
          bool escaped = false;
          if (p_ == end_ || *p_ != '"' || !String(escaped)) return false;
          sink_.String(start, p_, escaped);
          SkipWs();
          if (p_ == end_ || *p_ != ':') return false;
          ++p_;
          want = Want::kValue;
          continue;
        }
        case Want::kAfterValue:
          if (open.empty()) return p_ == end_;
          if (p_ == end_) return false;
          if (*p_ == ',') {
            ++p_;
            want = open.InObject() ? Want::kKey : Want::kValue;
            continue;
          }
          if (*p_ != (open.InObject() ? '}' : ']')) return false;
          sink_.Close(++p_);
          open.Pop();
          continue;
      }
    }
  }

 private:
  void SkipWs() {
    while (p_ != end_ && IsWs(*p_)) ++p_;
  }

  bool Literal(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) return false;
    p_ += word.size();
    return true;
  }

  // At the opening quote; `escaped` becomes true when the string has an escape.
  bool String(bool& escaped) {
    ++p_;
    while (true) {
      p_ = SkipPlainStringBytes(p_, end_);
      if (p_ == end_) return false;
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c < 0x20) return false;
      if (c >= 0x80) {
        const size_t n = Utf8WellFormedLength(std::string_view(p_, static_cast<size_t>(end_ - p_)), 0);
        if (n == 0) return false;
        p_ += n;
        continue;
      }
      escaped = true;
      if (!Escape()) return false;
    }
  }

  // At a backslash inside a string.
  bool Escape() {
    if (end_ - p_ < 2) return false;
    const char e = p_[1];
    if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
      p_ += 2;
      return true;
    }
    if (e != 'u' || end_ - p_ < 6) return false;
    const int32_t unit = Hex4(p_ + 2);
    if (unit < 0) return false;
    p_ += 6;
    if (unit >= 0xDC00 && unit <= 0xDFFF) return false;  // a low surrogate first
    if (unit < 0xD800 || unit > 0xDBFF) return true;
    // A high surrogate must be followed by an escaped low one.
    if (end_ - p_ < 6 || p_[0] != '\\' || p_[1] != 'u') return false;
    const int32_t low = Hex4(p_ + 2);
    if (low < 0xDC00 || low > 0xDFFF) return false;
    p_ += 6;
    return true;
  }

  bool Number() {
    const char* start = p_;
    if (*p_ == '-') ++p_;
    if (p_ == end_) return false;
    if (*p_ == '0') {
      ++p_;
    } else if (*p_ >= '1' && *p_ <= '9') {
      while (p_ != end_ && IsDigit(*p_)) ++p_;
    } else {
      return false;
    }
    if (p_ != end_ && *p_ == '.') {
      ++p_;
      if (p_ == end_ || !IsDigit(*p_)) return false;
      while (p_ != end_ && IsDigit(*p_)) ++p_;
    }
    bool exponent = false;
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      exponent = true;
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ == end_ || !IsDigit(*p_)) return false;
      while (p_ != end_ && IsDigit(*p_)) ++p_;
    }
    // nlohmann rejects a number whose double is infinite. Without an exponent that needs more
    // than 308 digits, so short plain numbers skip the conversion.
    if (!exponent && p_ - start <= 300) return true;
    return !Overflows(std::string_view(start, static_cast<size_t>(p_ - start)));
  }

  // True when the (grammatical) number rounds to an infinite double.
  static bool Overflows(std::string_view number) {
    double value = 0;
    const auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc::result_out_of_range) return false;
    // Out of range is overflow or underflow (which nlohmann accepts as 0 or a subnormal):
    // tell them apart by the decimal magnitude, which is far from 0 in either case.
    size_t i = number[0] == '-' ? 1 : 0;
    int64_t magnitude = 0;  // position of the first non-zero digit relative to the point
    bool seen_nonzero = false;
    int64_t int_digits = 0;
    for (; i < number.size() && IsDigit(number[i]); ++i) {
      if (number[i] != '0') seen_nonzero = true;
      if (seen_nonzero) ++int_digits;
    }
    if (seen_nonzero) {
      magnitude = int_digits - 1;
    } else {
      if (i < number.size() && number[i] == '.') ++i;
      int64_t zeros = 0;
      for (; i < number.size() && number[i] == '0'; ++i) ++zeros;
      if (i >= number.size() || !IsDigit(number[i])) return false;  // the value is zero
      magnitude = -(zeros + 1);
    }
    const size_t e = number.find_first_of("eE");
    if (e != std::string_view::npos) {
      size_t k = e + 1;
      const bool negative = number[k] == '-';
      if (number[k] == '+' || number[k] == '-') ++k;
      int64_t exp = 0;
      for (; k < number.size(); ++k) {
        exp = std::min<int64_t>(exp * 10 + (number[k] - '0'), int64_t{1} << 40);
      }
      magnitude += negative ? -exp : exp;
    }
    return magnitude > 0;
  }

  const char* p_;
  const char* end_;
  Sink& sink_;
};

// Skippers over text already validated.
const char* SkipWs(const char* p, const char* end) {
  while (p != end && IsWs(*p)) ++p;
  return p;
}

// At the opening quote; past the closing one.
const char* SkipString(const char* p, const char* end) {
  p = FindQuoteOrBackslash(p + 1, end);
  while (p != end && *p == '\\') p = FindQuoteOrBackslash(p + 2, end);
  return p == end ? end : p + 1;
}

const char* SkipValue(const char* p, const char* end) {
  if (*p == '"') return SkipString(p, end);
  if (*p == '{' || *p == '[') {
    int depth = 0;
    while (p != end) {
      const char c = *p;
      if (c == '"') {
        p = SkipString(p, end);
        continue;
      }
      ++p;
      if (c == '{' || c == '[') {
        ++depth;
      } else if ((c == '}' || c == ']') && --depth == 0) {
        return p;
      }
    }
    return p;
  }
  while (p != end && *p != ',' && *p != '}' && *p != ']' && !IsWs(*p)) ++p;
  return p;
}

// Decodes the body of a validated string literal (quotes included in `raw`).
std::string Decode(std::string_view raw) {
  std::string out;
  const std::string_view body = raw.substr(1, raw.size() - 2);
  out.reserve(body.size());
  for (size_t i = 0; i < body.size();) {
    const char c = body[i];
    if (c != '\\') {
      const size_t next = body.find('\\', i);
      const size_t stop = next == std::string_view::npos ? body.size() : next;
      out.append(body, i, stop - i);
      i = stop;
      continue;
    }
    const char e = body[i + 1];
    switch (e) {
      case 'u': {
        auto cp = static_cast<char32_t>(Hex4(body.data() + i + 2));
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          const auto low = static_cast<char32_t>(Hex4(body.data() + i + 8));
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          i += 6;
        }
        AppendUtf8(out, cp);
        i += 6;
        continue;
      }
      default: out.push_back(JsonShortEscape(e));  // validated: one of the short escapes
    }
    i += 2;
  }
  return out;
}

// True when the string literal `raw` decodes to `s`; `may_be_escaped` false skips the look for
// a backslash (the index knows).
bool NameEquals(std::string_view raw, bool may_be_escaped, std::string_view s) {
  const std::string_view body = raw.substr(1, raw.size() - 2);
  if (!may_be_escaped || body.find('\\') == std::string_view::npos) return body == s;
  return Decode(raw) == s;
}

}  // namespace

bool IsJsonText(std::string_view text) {
  NoIndex none;
  return Validator(text, none).Run();
}

std::optional<JsonValue> JsonValue::Parse(std::string_view text) {
  RootSpan root;
  if (!Validator(text, root).Run()) return std::nullopt;
  return JsonValue(std::string_view(root.begin, static_cast<size_t>(root.end - root.begin)));
}

std::optional<JsonValue> JsonDocument::Parse(std::string_view text) {
  // Offsets are 32-bit to keep nodes small; a text of 4 GiB or more goes without an index.
  if (text.size() > std::numeric_limits<uint32_t>::max()) return JsonValue::Parse(text);
  // One huge text must not pin its index for the life of a thread that reuses this document.
  constexpr size_t kKeptNodes = size_t{1} << 16;
  if (nodes_.capacity() > kKeptNodes) nodes_ = {};
  nodes_.clear();
  Indexer indexer(nodes_, text.data());
  if (!Validator(text, indexer).Run()) return std::nullopt;
  const JsonNode& root = nodes_.front();
  return JsonValue(text.substr(root.begin, root.end - root.begin), nodes_.data());
}

JsonValue JsonValue::At(const JsonNode* node) const {
  const char* base = raw_.data() - node_->begin;
  return JsonValue(std::string_view(base + node->begin, node->end - node->begin), node);
}

JsonValue::Type JsonValue::type() const {
  switch (raw_.front()) {
    case 'n': return Type::kNull;
    case 't':
    case 'f': return Type::kBool;
    case '"': return Type::kString;
    case '[': return Type::kArray;
    case '{': return Type::kObject;
    default: return Type::kNumber;
  }
}

std::optional<JsonValue> JsonValue::Member(std::string_view key) const {
  if (!is_object()) return std::nullopt;
  std::optional<JsonValue> found;
  if (node_ != nullptr) {
    // Children alternate name, value; a value's size skips its subtree.
    const JsonNode* stop = node_ + node_->size;
    for (const JsonNode* name = node_ + 1; name != stop;) {
      const JsonNode* value = name + 1;
      if (NameEquals(At(name).raw_, name->escaped, key)) found = At(value);
      name = value + value->size;
    }
    return found;
  }
  const char* end = raw_.data() + raw_.size();
  const char* p = SkipWs(raw_.data() + 1, end);
  while (p != end && *p == '"') {
    const char* key_end = SkipString(p, end);
    const std::string_view name(p, static_cast<size_t>(key_end - p));
    p = SkipWs(key_end, end);
    p = SkipWs(p + 1, end);  // the colon
    const char* value_end = SkipValue(p, end);
    if (NameEquals(name, true, key)) found = JsonValue(std::string_view(p, static_cast<size_t>(value_end - p)));
    p = SkipWs(value_end, end);
    if (p == end || *p != ',') break;
    p = SkipWs(p + 1, end);
  }
  return found;
}

std::optional<JsonValue> JsonValue::First() const {
  if (!is_array() || empty()) return std::nullopt;
  if (node_ != nullptr) return At(node_ + 1);
  const char* end = raw_.data() + raw_.size();
  const char* p = SkipWs(raw_.data() + 1, end);
  return JsonValue(std::string_view(p, static_cast<size_t>(SkipValue(p, end) - p)));
}

bool JsonValue::empty() const {
  if (!is_array() && !is_object()) return false;
  if (node_ != nullptr) return node_->size == 1;
  const char* p = SkipWs(raw_.data() + 1, raw_.data() + raw_.size());
  return *p == ']' || *p == '}';
}

std::string JsonValue::String() const {
  if (!is_string()) return std::string();
  if (node_ != nullptr && !node_->escaped) return std::string(raw_.substr(1, raw_.size() - 2));
  return Decode(raw_);
}

bool JsonValue::StringEquals(std::string_view s) const {
  return is_string() && NameEquals(raw_, node_ == nullptr || node_->escaped, s);
}

char JsonShortEscape(char e) {
  switch (e) {
    case '"': case '\\': case '/': return e;
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    default: return 0;
  }
}

}  // namespace bench
