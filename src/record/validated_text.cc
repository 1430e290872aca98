#include "record/validated_text.h"

#include <simdjson.h>

#include <cstring>
#include <utility>
#include <vector>

namespace bench {
namespace {

namespace od = simdjson::ondemand;

// A string member's value as it was last seen: absent, null, a string, or something else.
struct Slot {
  enum class Kind { kAbsent, kNull, kString, kOther } kind = Kind::kAbsent;
  std::string text;

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

}  // namespace

std::optional<std::string> ValidatedOpenAiText(std::string_view json) {
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

}  // namespace bench
