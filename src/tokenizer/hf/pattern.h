#pragma once
// The `pattern` of tokenizer.json Split/Replace components: a literal string or an Oniguruma
// regex (the engine Hugging Face uses, so \p{L}, (?i:...) and lookahead behave identically).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace bench::hf {

/// A byte range [first, second) of a UTF-8 string.
using Span = std::pair<size_t, size_t>;

/// A regex of hf/split_regex with a hand-written matcher (kNone = 0 for any other).
enum class KnownSplit : uint8_t;

/// A compiled Oniguruma regex; safe to search from several threads at once.
class Regex {
 public:
  /// Compiles `pattern` (UTF-8, Oniguruma syntax); on failure returns null and sets `error`.
  static std::unique_ptr<Regex> Compile(std::string_view pattern, std::string* error);
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  /// Non-overlapping matches left to right; an empty match right after the previous match is
  /// skipped, as the onig crate's find_iter does.
  std::vector<Span> FindAll(std::string_view text) const;
  /// The first match starting at or after `pos` (one step of FindAll), or nullopt.
  std::optional<Span> SearchFrom(std::string_view text, size_t pos) const;

 private:
  explicit Regex(void* regex) : regex_(regex) {}
  void* regex_;  // OnigRegex; kept opaque so callers need not include oniguruma.h
};

/// A literal or regex pattern as written in tokenizer.json ({"String": s} or {"Regex": r}).
class Pattern {
 public:
  /// Parses {"String": ...} / {"Regex": ...}; throws ConfigError naming `path`.
  static Pattern FromJson(const nlohmann::json& j, const std::string& path);
  /// A literal pattern.
  static Pattern Literal(std::string text);

  /// Matches of the pattern in `text`, non-overlapping, left to right (for the regexes of
  /// hf/split_regex, mostly without Oniguruma).
  std::vector<Span> FindAll(std::string_view text) const;
  /// `text` with every match replaced by `content`. A literal pattern takes a fast path (one
  /// byte replaced without a branch per byte, or a find loop); ReplaceAllBySpans is its reference.
  std::string ReplaceAll(std::string_view text, std::string_view content) const;
  /// ReplaceAll through FindAll's list of matches: the general path, and what the fast paths
  /// must equal (tests).
  std::string ReplaceAllBySpans(std::string_view text, std::string_view content) const;

 private:
  std::string literal_;
  std::shared_ptr<const Regex> regex_;
  KnownSplit known_{};  // FindAll takes hf/split_regex's matcher for a regex it knows
};

}  // namespace bench::hf
