// Differential fuzzing of the export's string escaping: the SSSE3 and AVX-512 paths (when the CPU
// has them) must write exactly what the plain loop and a byte-at-a-time rendering of rapidjson's
// rules write, appended after what the buffer already holds; and when the input is valid UTF-8
// the result must parse back (nlohmann) to the input.
//
// Input: any bytes, used as the string.

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "../../json_escape_reference.h"
#include "util/json_escape.h"
#include "util/utf8.h"

namespace {

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
  const std::string expected = bench::test::ReferenceJsonEscape(s);
  const bench::JsonEscapeSimd best = bench::BestJsonEscapeSimd();
  for (const auto simd : {bench::JsonEscapeSimd::kNone, bench::JsonEscapeSimd::kSsse3, bench::JsonEscapeSimd::kAvx512}) {
    if (simd > best) break;
    if (Escaped(s, simd) != expected) __builtin_trap();
  }
  if (bench::IsValidUtf8(s)) {
    const auto back = nlohmann::json::parse(expected, nullptr, false);
    if (!back.is_string() || back.get_ref<const std::string&>() != s) __builtin_trap();
  }
  return 0;
}
