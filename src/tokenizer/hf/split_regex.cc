#include "tokenizer/hf/split_regex.h"

#include <array>
#include <cstdint>

namespace bench::hf {
namespace {

// ASCII classes of the pattern: \p{L} is [A-Za-z], \p{N} is [0-9] and \s is [\t\n\v\f\r ] on
// ASCII (Unicode White_Space); a byte >= 0x80 begins a character only Oniguruma may classify.
enum Class : uint8_t { kWhite, kSpace, kLetter, kDigit, kOther, kHigh };

constexpr std::array<Class, 256> MakeClasses() {
  std::array<Class, 256> t{};
  for (int b = 0; b < 256; ++b) {
    Class c = kOther;
    if (b >= 0x80) c = kHigh;
    else if (b == ' ') c = kSpace;
    else if (b >= '\t' && b <= '\r') c = kWhite;
    else if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z')) c = kLetter;
    else if (b >= '0' && b <= '9') c = kDigit;
    t[static_cast<size_t>(b)] = c;
  }
  return t;
}
constexpr std::array<Class, 256> kClasses = MakeClasses();

Class ClassAt(std::string_view text, size_t i) { return kClasses[static_cast<unsigned char>(text[i])]; }

bool IsSpaceClass(Class c) { return c == kWhite || c == kSpace; }

bool IsLineBreak(char c) { return c == '\r' || c == '\n'; }

// The end of the run of class `run` from `from`, or 0 when a non-ASCII character ends it (it
// may be of the run's class: a letter after "caf").
size_t RunEnd(std::string_view text, size_t from, Class run) {
  size_t j = from;
  while (j < text.size() && ClassAt(text, j) == run) ++j;
  return j < text.size() && ClassAt(text, j) == kHigh ? 0 : j;
}

// The end of the whitespace run from `from`, or 0 when a non-ASCII character ends it (U+0085,
// U+00A0, ... are \s too).
size_t WhiteRunEnd(std::string_view text, size_t from) {
  size_t j = from;
  while (j < text.size() && IsSpaceClass(ClassAt(text, j))) ++j;
  return j < text.size() && ClassAt(text, j) == kHigh ? 0 : j;
}

// "\s+(?!\S)", then "\s+" at `pos` (whitespace): before a non-space the first alternative gives
// its last character back (so " word" keeps its space), unless the run is that one character.
size_t WhiteMatchEnd(std::string_view text, size_t pos) {
  const size_t j = WhiteRunEnd(text, pos);
  if (j == 0 || j == text.size()) return j;
  return j - pos >= 2 ? j - 1 : j;
}

// 's 't 're 've 'm 'll 'd at `i` (text[i] == '\''), in ASCII letters of either case when
// `ignore_case`: the length, or 0.
size_t ContractionLength(std::string_view text, size_t i, bool ignore_case) {
  const auto at = [&](size_t k) -> char {
    const char c = k < text.size() ? text[k] : '\0';
    return ignore_case && c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
  };
  const char a = at(i + 1), b = at(i + 2);
  if (a == 's' || a == 't' || a == 'm' || a == 'd') return 2;
  return (a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l') ? 3 : 0;
}

// GPT-2's alternatives in order; Oniguruma takes the first that matches at `pos`.
size_t Gpt2MatchEnd(std::string_view text, size_t pos) {
  const size_t n = text.size();
  const Class first = ClassAt(text, pos);
  if (first == kHigh) return 0;
  if (text[pos] == '\'') {
    if (const size_t len = ContractionLength(text, pos, false)) return pos + len;
  }
  // " ?\p{L}+", " ?\p{N}+", " ?[^\s\p{L}\p{N}]+": an optional space, then a run of one class.
  size_t start = pos;
  Class run = first;
  if (first == kSpace && pos + 1 < n && !IsSpaceClass(ClassAt(text, pos + 1))) {
    start = pos + 1;
    run = ClassAt(text, start);
    if (run == kHigh) return 0;
  }
  if (run == kLetter || run == kDigit || run == kOther) return RunEnd(text, start + 1, run);
  return WhiteMatchEnd(text, pos);
}

// cl100k's alternatives in order (Qwen's when `max_digits` is 1).
size_t Cl100kMatchEnd(std::string_view text, size_t pos, size_t max_digits) {
  const size_t n = text.size();
  const Class first = ClassAt(text, pos);
  if (first == kHigh) return 0;
  // (?i:'s|'t|'re|'ve|'m|'ll|'d)
  if (text[pos] == '\'') {
    if (pos + 1 < n && ClassAt(text, pos + 1) == kHigh) return 0;  // "\u017F" folds to 's'
    if (pos + 2 < n && ClassAt(text, pos + 2) == kHigh) return 0;
    if (const size_t len = ContractionLength(text, pos, true)) return pos + len;
  }
  // [^\r\n\p{L}\p{N}]?\p{L}+: one character other than a line break, letter or digit may lead.
  if (first == kLetter) return RunEnd(text, pos + 1, kLetter);
  const bool may_lead = first == kOther || first == kSpace || (first == kWhite && !IsLineBreak(text[pos]));
  if (may_lead && pos + 1 < n) {
    const Class next = ClassAt(text, pos + 1);
    if (next == kHigh) return 0;
    if (next == kLetter) return RunEnd(text, pos + 2, kLetter);
  }
  // \p{N}{1,3} (or \p{N}): a run shorter than the limit may go on into a non-ASCII digit.
  if (first == kDigit) {
    size_t j = pos + 1;
    while (j < n && j - pos < max_digits && ClassAt(text, j) == kDigit) ++j;
    if (j - pos < max_digits && j < n && ClassAt(text, j) == kHigh) return 0;
    return j;
  }
  // " ?[^\s\p{L}\p{N}]+[\r\n]*"
  size_t start = pos;
  if (first == kSpace && pos + 1 < n && ClassAt(text, pos + 1) == kOther) start = pos + 1;
  if (ClassAt(text, start) == kOther) {
    size_t j = RunEnd(text, start + 1, kOther);
    if (j == 0) return 0;
    while (j < n && IsLineBreak(text[j])) ++j;
    return j;
  }
  // "\s*[\r\n]+": through the last line break of the whitespace run, if it has one.
  const size_t j = WhiteRunEnd(text, pos);
  if (j == 0) return 0;
  for (size_t k = j; k > pos; --k) {
    if (IsLineBreak(text[k - 1])) return k;
  }
  return WhiteMatchEnd(text, pos);
}

}  // namespace

KnownSplit IdentifySplit(std::string_view pattern) {
  if (pattern == kGpt2Regex) return KnownSplit::kGpt2;
  if (pattern == kCl100kRegex) return KnownSplit::kCl100k;
  if (pattern == kQwenRegex) return KnownSplit::kQwen;
  return KnownSplit::kNone;
}

size_t AsciiMatchEnd(KnownSplit kind, std::string_view text, size_t pos) {
  switch (kind) {
    case KnownSplit::kGpt2: return Gpt2MatchEnd(text, pos);
    case KnownSplit::kCl100k: return Cl100kMatchEnd(text, pos, 3);
    case KnownSplit::kQwen: return Cl100kMatchEnd(text, pos, 1);
    case KnownSplit::kNone: break;
  }
  return 0;
}

std::vector<Span> KnownSplitMatches(KnownSplit kind, std::string_view text, const Regex& regex) {
  std::vector<Span> matches;
  matches.reserve(text.size() / 4 + 1);
  for (size_t pos = 0; pos < text.size();) {
    if (const size_t end = AsciiMatchEnd(kind, text, pos)) {
      matches.emplace_back(pos, end);
      pos = end;
      continue;
    }
    // Never empty (every alternative takes a character), so FindAll's empty-match rule never applies.
    const std::optional<Span> m = regex.SearchFrom(text, pos);
    if (!m || m->second <= pos) return regex.FindAll(text);  // not the pattern of `kind` after all
    matches.push_back(*m);
    pos = m->second;
  }
  return matches;
}

}  // namespace bench::hf
