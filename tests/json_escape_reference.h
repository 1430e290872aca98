#pragma once
// rapidjson's string escaping (perf_analyzer's profile export), one byte at a time: the
// definition util/json_escape's fast paths must match, shared by its tests, the export writer's
// tests and json_escape_fuzz.

#include <string>
#include <string_view>

namespace bench::test {

inline std::string ReferenceJsonEscape(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

}  // namespace bench::test
