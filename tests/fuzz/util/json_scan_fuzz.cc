// Differential fuzzing of json_scan against nlohmann: IsJsonText must accept exactly what
// nlohmann::json::accept accepts (bar the NUL-terminator difference json_scan.h documents), and
// JsonValue's lookups (members with last-wins duplicates, first elements, decoded strings) must
// agree with nlohmann's DOM of the same text, both scanning (JsonValue::Parse) and indexed
// (JsonDocument::Parse, one document reused across inputs as FastOpenAiText reuses it).
//
// Input: any bytes, used as JSON text.

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "util/json_scan.h"
#include "fuzz_util.h"

namespace {

using Json = nlohmann::json;

// Checks `view` against `dom` (the same value) and recurses into containers, a few levels deep.
void Compare(const bench::JsonValue& view, const Json& dom, int depth) {
  if (Json::parse(view.raw(), nullptr, false) != dom) __builtin_trap();
  if (view.is_string() != dom.is_string() || view.is_object() != dom.is_object() ||
      view.is_array() != dom.is_array() || view.is_null() != dom.is_null()) {
    __builtin_trap();
  }
  if (dom.is_string()) {
    const std::string& s = dom.get_ref<const std::string&>();
    if (view.String() != s || !view.StringEquals(s)) __builtin_trap();
    if (view.StringEquals(s + "x")) __builtin_trap();
  }
  if ((dom.is_array() || dom.is_object()) && view.empty() != dom.empty()) __builtin_trap();
  if (depth == 0) return;
  if (dom.is_array()) {
    const std::optional<bench::JsonValue> first = view.First();
    if (first.has_value() == dom.empty()) __builtin_trap();
    if (first) Compare(*first, dom[0], depth - 1);
  }
  if (dom.is_object()) {
    for (const auto& [key, value] : dom.items()) {
      const std::optional<bench::JsonValue> member = view.Member(key);
      if (!member) __builtin_trap();
      Compare(*member, value, depth - 1);
    }
    if (view.Member("\x01no such key").has_value() != dom.contains("\x01no such key")) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = bench::fuzz::AsText(data, size);
  const bool ours = bench::IsJsonText(text);
  if (ours != Json::accept(text)) {
    // The one allowed difference (json_scan.h): nlohmann stops at a NUL after the value.
    const size_t nul = text.find('\0');
    if (ours || nul == std::string_view::npos || !bench::IsJsonText(text.substr(0, nul))) __builtin_trap();
    return 0;
  }
  const std::optional<bench::JsonValue> view = bench::JsonValue::Parse(text);
  if (view.has_value() != ours) __builtin_trap();
  static bench::JsonDocument doc;
  const std::optional<bench::JsonValue> indexed = doc.Parse(text);
  if (indexed.has_value() != ours) __builtin_trap();
  if (!view) return 0;
  if (indexed->raw() != view->raw()) __builtin_trap();
  const Json dom = Json::parse(text);
  Compare(*view, dom, 4);
  Compare(*indexed, dom, 4);
  return 0;
}
