#include "util/utf8.h"

#include <cstdint>
#include <cstring>

namespace bench {

size_t Utf8SequenceLength(unsigned char lead) {
  if (lead < 0xC0) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

char32_t NextCodePoint(std::string_view s, size_t& i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) {
    ++i;
    return c;
  }
  const size_t len = Utf8SequenceLength(c);
  char32_t cp = len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (b(i + k) & 0x3F);
  i += len;
  return cp;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

size_t Utf8WellFormedLength(std::string_view s, size_t i, size_t* maximal_subpart) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  // The lead byte gives the length and the range of the second byte, which is narrower after
  // E0 and F0 (overlongs), ED (surrogates) and F4 (above U+10FFFF).
  size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  }
  size_t k = 1;  // bytes of a well-formed prefix so far (0 length: the lead alone is ill-formed)
  for (; k < len && i + k < s.size(); ++k) {
    const unsigned char t = b(i + k);
    if (t < (k == 1 ? lo : 0x80) || t > (k == 1 ? hi : 0xBF)) break;
  }
  if (k == len) return len;
  if (maximal_subpart != nullptr) *maximal_subpart = k;
  return 0;
}

namespace {

constexpr uint64_t kHighBits = 0x8080808080808080;

// The index of the first byte >= 0x80 at or after s[i], or s.size(). Text is mostly ASCII, so
// IsValidUtf8 tests 16 bytes at a time (whether any has its high bit set, which needs no byte
// order) and looks at single bytes only in the block where a sequence starts.
size_t SkipAscii(std::string_view s, size_t i) {
  for (; s.size() - i >= 16; i += 16) {
    uint64_t words[2];
    std::memcpy(words, s.data() + i, sizeof words);
    if (((words[0] | words[1]) & kHighBits) != 0) break;
  }
  while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  return i;
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  for (size_t i = SkipAscii(s, 0); i < s.size(); i = SkipAscii(s, i)) {
    const size_t len = Utf8WellFormedLength(s, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

namespace {

// Copies `s`, putting `replacement` in place of each maximal ill-formed subsequence.
std::string ReplaceInvalid(std::string_view s, std::string_view replacement) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    size_t bad = 1;
    const size_t len = Utf8WellFormedLength(s, i, &bad);
    if (len == 0) {
      out += replacement;
      i += bad;
    } else {
      out.append(s.substr(i, len));
      i += len;
    }
  }
  return out;
}

}  // namespace

std::string Utf8Lossy(std::string_view s) { return ReplaceInvalid(s, "\xEF\xBF\xBD"); }

std::string DropInvalidUtf8(std::string_view s) { return ReplaceInvalid(s, ""); }

}  // namespace bench
