// Differential fuzzing of the export's string escaping: the SSSE3 path (when the CPU has it) must
// write exactly what the plain loop and a byte-at-a-time rendering of rapidjson's
// rules write, appended after what the buffer already holds; and when the input is valid UTF-8
// the result must parse back (nlohmann) to the input.
//
// Input: any bytes, used as the string.

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "util/json_escape.h"
#include "util/utf8.h"

namespace {

std::string Reference(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') {
      out += '\\';
      out += c == '\b' ? 'b' : c == '\f' ? 'f' : c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
    } else if (c < 0x20) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

std::string Escaped(std::string_view s, bench::JsonEscapeSimd simd) {
  bench::ByteBuffer out;
  out += "[";
  bench::detail::AppendEscaped(out, s, simd);
  if (out.view().substr(0, 1) != "[") __builtin_trap();
  return std::string(out.view().substr(1));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view s(reinterpret_cast<const char*>(data), size);
  const std::string expected = Reference(s);
  const bench::JsonEscapeSimd best = bench::BestJsonEscapeSimd();
  for (const auto simd : {bench::JsonEscapeSimd::kNone, bench::JsonEscapeSimd::kSsse3}) {
    if (simd > best) break;
    if (Escaped(s, simd) != expected) __builtin_trap();
  }
  if (bench::IsValidUtf8(s)) {
    const auto back = nlohmann::json::parse(expected, nullptr, false);
    if (!back.is_string() || back.get_ref<const std::string&>() != s) __builtin_trap();
  }
  return 0;
}
