#pragma once
// JSON validation and read-only lookups in JSON text, without building a DOM. After a run the
// stream check validates every SSE event and the metrics stage reads the text of every event;
// nlohmann's DOM parse of each (about 100 per request) was most of the post-run CPU. What
// IsJsonText accepts is what nlohmann::json::accept accepts, with one deliberate difference:
// nlohmann takes a NUL byte after the value as the end of input and ignores what follows, so
// "0\0junk" passes it; here (as in Python's json.loads, which GenAI-Perf uses) that is an
// error. tests/fuzz/util/json_scan_fuzz.cc checks both and JsonValue's lookups against nlohmann.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

/// True when `text` is one JSON value (RFC 8259) with optional whitespace around it and an
/// optional UTF-8 byte-order mark first; strings must be valid UTF-8 with paired surrogate
/// escapes, and a number must not overflow a double: nlohmann::json::accept's rules, except
/// that nothing, not even after a NUL byte, may follow the value.
bool IsJsonText(std::string_view text);

/// One value's place in a JsonDocument's index; JsonValue walks these instead of the text.
struct JsonNode {
  uint32_t begin;  // offset in the text of the value's first byte
  uint32_t end;    // one past its last byte
  uint32_t size;   // nodes in its subtree, itself included: the next sibling is this + size
  bool escaped;    // a string with a backslash, which must be decoded to be compared
};

/// One value inside JSON text that has been validated. Cheap to copy (a view). A value from
/// JsonDocument::Parse also points into the document's index, and its lookups walk the index
/// (O(members)); one from JsonValue::Parse scans the text for every lookup.
class JsonValue {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

  /// The value of a whole text, or nullopt when IsJsonText(text) is false. Without an index:
  /// for one lookup; JsonDocument is faster for several.
  static std::optional<JsonValue> Parse(std::string_view text);

  Type type() const;
  bool is_null() const { return type() == Type::kNull; }
  bool is_string() const { return type() == Type::kString; }
  bool is_array() const { return type() == Type::kArray; }
  bool is_object() const { return type() == Type::kObject; }
  /// The value's own text, e.g. `{"a":1}` or `"x\n"` (quotes and escapes included).
  std::string_view raw() const { return raw_; }

  /// Object: the member named `key` (escapes in member names decoded); the last one when the
  /// name repeats, as nlohmann and Python keep. nullopt when absent or not an object.
  std::optional<JsonValue> Member(std::string_view key) const;
  /// Array: its first element; nullopt when empty or not an array.
  std::optional<JsonValue> First() const;
  /// Array or object without elements.
  bool empty() const;
  /// String: its decoded UTF-8. Empty for other types.
  std::string String() const;
  /// True when this is a string equal to `s` after decoding.
  bool StringEquals(std::string_view s) const;

 private:
  friend class JsonDocument;
  explicit JsonValue(std::string_view raw, const JsonNode* node = nullptr) : raw_(raw), node_(node) {}
  // The value at `node`, a node of the same index as node_.
  JsonValue At(const JsonNode* node) const;

  std::string_view raw_;
  const JsonNode* node_;  // nullptr when not from a JsonDocument
};

/// JSON text validated and indexed in one pass (a flat pre-order array of its values), so that
/// several lookups cost O(members) each instead of a scan of the text each. Reuse one document
/// (e.g. one per thread): its array keeps its storage from one text to the next.
class JsonDocument {
 public:
  /// What IsJsonText(text) accepts, as a value; nullopt otherwise. The value and those found
  /// from it point into `text` and into this document, so they are valid until the next Parse.
  std::optional<JsonValue> Parse(std::string_view text);

 private:
  std::vector<JsonNode> nodes_;
};

/// The character a one-letter JSON escape stands for (`e` is the letter after the backslash:
/// b f n r t " \ /), or 0 for any other letter, `u` included.
char JsonShortEscape(char e);

}  // namespace bench
