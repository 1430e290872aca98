#include "bench/json_scan.h"

#include <charconv>
#include <cstdint>
#include <vector>

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

bool InRange(unsigned char c, unsigned char lo, unsigned char hi) { return c >= lo && c <= hi; }

// Length of the well-formed UTF-8 sequence at p (Unicode table 3-7), 0 when ill-formed.
size_t Utf8Length(const unsigned char* p, const unsigned char* end) {
  const unsigned char c = p[0];
  const size_t left = static_cast<size_t>(end - p);
  auto cont = [&](size_t i) { return i < left && InRange(p[i], 0x80, 0xBF); };
  if (InRange(c, 0xC2, 0xDF)) return cont(1) ? 2 : 0;
  if (c == 0xE0) return left > 1 && InRange(p[1], 0xA0, 0xBF) && cont(2) ? 3 : 0;
  if (InRange(c, 0xE1, 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
  if (c == 0xED) return left > 1 && InRange(p[1], 0x80, 0x9F) && cont(2) ? 3 : 0;
  if (c == 0xF0) return left > 1 && InRange(p[1], 0x90, 0xBF) && cont(2) && cont(3) ? 4 : 0;
  if (InRange(c, 0xF1, 0xF3)) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c == 0xF4) return left > 1 && InRange(p[1], 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

// Grammar checks move `p` past what they accept and return false at the first error.
class Validator {
 public:
  Validator(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  bool Run() {
    // nlohmann skips one byte-order mark; a partial one is an error.
    if (p_ != end_ && static_cast<unsigned char>(*p_) == 0xEF) {
      if (end_ - p_ < 3 || static_cast<unsigned char>(p_[1]) != 0xBB || static_cast<unsigned char>(p_[2]) != 0xBF) {
        return false;
      }
      p_ += 3;
    }
    // Iterative, so nesting depth costs heap, not stack: nlohmann has no depth limit either.
    std::vector<char> open;
    enum class Want { kValue, kKey, kAfterValue } want = Want::kValue;
    while (true) {
      SkipWs();
      switch (want) {
        case Want::kValue:
          if (p_ == end_) return false;
          switch (*p_) {
            case '{':
              ++p_;
              SkipWs();
              if (p_ != end_ && *p_ == '}') {
                ++p_;
                want = Want::kAfterValue;
              } else {
                open.push_back('{');
                want = Want::kKey;
              }
              continue;
            case '[':
              ++p_;
              SkipWs();
              if (p_ != end_ && *p_ == ']') {
                ++p_;
                want = Want::kAfterValue;
              } else {
                open.push_back('[');
                want = Want::kValue;
              }
              continue;
            case '"':
              if (!String()) return false;
              break;
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
          want = Want::kAfterValue;
          continue;
        case Want::kKey:
          if (p_ == end_ || *p_ != '"' || !String()) return false;
          SkipWs();
          if (p_ == end_ || *p_ != ':') return false;
          ++p_;
          want = Want::kValue;
          continue;
        case Want::kAfterValue:
          if (open.empty()) return p_ == end_;
          if (p_ == end_) return false;
          if (*p_ == ',') {
            ++p_;
            want = open.back() == '{' ? Want::kKey : Want::kValue;
            continue;
          }
          if (*p_ != (open.back() == '{' ? '}' : ']')) return false;
          ++p_;
          open.pop_back();
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

  // At the opening quote.
  bool String() {
    ++p_;
    while (true) {
      // The common case first: a run of plain ASCII.
      while (p_ != end_) {
        const auto c = static_cast<unsigned char>(*p_);
        if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
        ++p_;
      }
      if (p_ == end_) return false;
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c < 0x20) return false;
      if (c >= 0x80) {
        const size_t n = Utf8Length(reinterpret_cast<const unsigned char*>(p_), reinterpret_cast<const unsigned char*>(end_));
        if (n == 0) return false;
        p_ += n;
        continue;
      }
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
};

// Skippers over text already validated.
const char* SkipWs(const char* p, const char* end) {
  while (p != end && IsWs(*p)) ++p;
  return p;
}

const char* SkipString(const char* p, const char* end) {
  ++p;
  while (p != end && *p != '"') p += *p == '\\' ? 2 : 1;
  return p + 1;
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

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
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
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'u': {
        uint32_t cp = static_cast<uint32_t>(Hex4(body.data() + i + 2));
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          const auto low = static_cast<uint32_t>(Hex4(body.data() + i + 8));
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          i += 6;
        }
        AppendUtf8(out, cp);
        i += 6;
        continue;
      }
      default: out.push_back(e);  // " \ /
    }
    i += 2;
  }
  return out;
}

bool StringLiteralEquals(std::string_view raw, std::string_view s) {
  const std::string_view body = raw.substr(1, raw.size() - 2);
  if (body.find('\\') == std::string_view::npos) return body == s;
  return Decode(raw) == s;
}

}  // namespace

bool IsJsonText(std::string_view text) { return Validator(text).Run(); }

std::optional<JsonValue> JsonValue::Parse(std::string_view text) {
  if (!IsJsonText(text)) return std::nullopt;
  const char* end = text.data() + text.size();
  const char* p = text.data();
  if (text.size() >= 3 && static_cast<unsigned char>(*p) == 0xEF) p += 3;
  p = SkipWs(p, end);
  const char* e = SkipValue(p, end);
  return JsonValue(std::string_view(p, static_cast<size_t>(e - p)));
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
  const char* end = raw_.data() + raw_.size();
  const char* p = SkipWs(raw_.data() + 1, end);
  std::optional<JsonValue> found;
  while (p != end && *p == '"') {
    const char* key_end = SkipString(p, end);
    const std::string_view name(p, static_cast<size_t>(key_end - p));
    p = SkipWs(key_end, end);
    p = SkipWs(p + 1, end);  // the colon
    const char* value_end = SkipValue(p, end);
    if (StringLiteralEquals(name, key)) found = JsonValue(std::string_view(p, static_cast<size_t>(value_end - p)));
    p = SkipWs(value_end, end);
    if (p == end || *p != ',') break;
    p = SkipWs(p + 1, end);
  }
  return found;
}

std::optional<JsonValue> JsonValue::First() const {
  if (!is_array() || empty()) return std::nullopt;
  const char* end = raw_.data() + raw_.size();
  const char* p = SkipWs(raw_.data() + 1, end);
  return JsonValue(std::string_view(p, static_cast<size_t>(SkipValue(p, end) - p)));
}

bool JsonValue::empty() const {
  if (!is_array() && !is_object()) return false;
  const char* p = SkipWs(raw_.data() + 1, raw_.data() + raw_.size());
  return *p == ']' || *p == '}';
}

std::string JsonValue::String() const { return is_string() ? Decode(raw_) : std::string(); }

bool JsonValue::StringEquals(std::string_view s) const { return is_string() && StringLiteralEquals(raw_, s); }

}  // namespace bench
