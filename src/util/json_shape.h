#pragma once
// The JSON texts of one stream repeat one shape: a vLLM or SGLang chunk differs from the one
// before only in the text inside "content". Once one event has been validated (or read), the
// next can be compared with it byte for byte (16 bytes a step) and, when all that changed lies
// inside one string's content, only that string needs to be checked (or decoded). Issue #23:
// validating and walking every event in full was ~40 % of a whole run's instructions.
//
// Exactness: a text equal to a valid template outside one string token's content, whose new
// content is itself a valid string content, has the template's structure token for token, so
// it is valid JSON with the same members. The caller must check the new content (Match cannot
// tell `"a":"x","b":"y"` from a changed string); when that check fails it takes its full path.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

/// A remembered JSON text and the string contents (between their quotes) allowed to change.
class JsonShape {
 public:
  /// Bounds of a string's content: just after its opening quote, at its closing quote.
  struct Span {
    size_t begin = 0;
    size_t end = 0;
  };

  /// Remembers `text`, valid JSON that outlives every Match (it is not copied), with every
  /// string's content (member names too) allowed to change.
  void RememberAllStrings(std::string_view text);
  /// Remembers a copy of `text` with only the content at `span` allowed to change.
  void RememberCopy(std::string_view text, Span span);
  /// Forgets the template: Match fails until the next Remember.
  void Forget();

  /// Where a matching text differs from the template: the allowed span `index` (in order),
  /// whose content is at `span` in the text; `identical` when no byte differs (index 0 then).
  struct Change {
    size_t index = 0;
    Span span;
    bool identical = false;
  };

  /// When `text` equals the template except inside one allowed span's content: that content's
  /// bounds in `text` (identical texts give the first span). nullopt otherwise.
  std::optional<Span> Match(std::string_view text) const;
  /// Match, telling also which span changed, or that none did.
  std::optional<Change> MatchChange(std::string_view text) const;
  /// The index of the allowed span whose content begins at `begin` in the template, if any.
  std::optional<size_t> SpanStartingAt(size_t begin) const;

 private:
  std::string owned_;
  std::string_view text_;
  std::vector<Span> spans_;  // in order, not overlapping
};

/// True when `content` could sit between two quotes as one JSON string token's content without
/// ending it early: no unescaped `"` and no backslash left without the byte it escapes. It does
/// not check escapes, control bytes or UTF-8 (a full validation does).
bool StaysOneString(std::string_view content);

}  // namespace bench
