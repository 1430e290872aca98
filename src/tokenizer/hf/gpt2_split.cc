#include "tokenizer/hf/gpt2_split.h"

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

// 's 't 're 've 'm 'll 'd at `i` (text[i] == '\''): the length, or 0.
size_t ContractionLength(std::string_view text, size_t i) {
  if (i + 1 >= text.size()) return 0;
  const char a = text[i + 1];
  if (a == 's' || a == 't' || a == 'm' || a == 'd') return 2;
  if (i + 2 >= text.size()) return 0;
  const char b = text[i + 2];
  return (a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l') ? 3 : 0;
}

}  // namespace

// The alternatives in the pattern's order; Oniguruma takes the first that matches at `pos`.
size_t Gpt2AsciiMatchEnd(std::string_view text, size_t pos) {
  const size_t n = text.size();
  const Class first = ClassAt(text, pos);
  if (first == kHigh) return 0;
  if (text[pos] == '\'') {
    if (const size_t len = ContractionLength(text, pos)) return pos + len;
  }
  // " ?\p{L}+", " ?\p{N}+", " ?[^\s\p{L}\p{N}]+": an optional space, then a run of one class.
  size_t start = pos;
  Class run = first;
  if (first == kSpace && pos + 1 < n && !IsSpaceClass(ClassAt(text, pos + 1))) {
    start = pos + 1;
    run = ClassAt(text, start);
    if (run == kHigh) return 0;
  }
  if (run == kLetter || run == kDigit || run == kOther) {
    size_t j = start + 1;
    while (j < n && ClassAt(text, j) == run) ++j;
    // A non-ASCII character may be of the run's class (a letter after "caf").
    return j < n && ClassAt(text, j) == kHigh ? 0 : j;
  }
  // "\s+(?!\S)", then "\s+": a whitespace run; before a non-space the first alternative gives
  // its last character back (so " word" keeps its space), unless the run is that one character.
  size_t j = pos + 1;
  while (j < n && IsSpaceClass(ClassAt(text, j))) ++j;
  if (j == n) return n;
  if (ClassAt(text, j) == kHigh) return 0;  // U+0085, U+00A0, ... are \s too
  return j - pos >= 2 ? j - 1 : j;
}

std::vector<Span> Gpt2Matches(std::string_view text, const Regex& gpt2) {
  std::vector<Span> matches;
  matches.reserve(text.size() / 4 + 1);
  for (size_t pos = 0; pos < text.size();) {
    if (const size_t end = Gpt2AsciiMatchEnd(text, pos)) {
      matches.emplace_back(pos, end);
      pos = end;
      continue;
    }
    // Never empty (every alternative takes a character), so FindAll's empty-match rule never applies.
    const std::optional<Span> m = gpt2.SearchFrom(text, pos);
    if (!m || m->second <= pos) return gpt2.FindAll(text);  // not the GPT-2 regex after all
    matches.push_back(*m);
    pos = m->second;
  }
  return matches;
}

}  // namespace bench::hf
