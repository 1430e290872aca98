#include "tokenizer/hf/pattern.h"

#include <oniguruma.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <mutex>

#include "tokenizer/hf/json.h"
#include "tokenizer/hf/split_regex.h"
#include "tokenizer/hf/unicode.h"

namespace bench::hf {
namespace {

void InitOniguruma() {
  static std::once_flag once;
  std::call_once(once, [] {
    OnigEncoding encodings[] = {ONIG_ENCODING_UTF8};
    onig_initialize(encodings, 1);
  });
}

// One match region per thread: onig_search writes into it, the regex itself is read-only.
OnigRegion* ThreadRegion() {
  struct Holder {
    OnigRegion* region = onig_region_new();
    ~Holder() { onig_region_free(region, 1); }
  };
  thread_local Holder holder;
  return holder.region;
}

// `text` with each byte `from` replaced by `content` (at most 8 bytes): the SentencePiece
// normalizer's " " -> "\u2581" over every text counted. Each input byte costs one unaligned
// 8-byte store — `content` on a hit, the byte itself (zero-padded) otherwise — and a cursor step
// of content.size() or 1, so there is no branch on the text; the stores' tails are overwritten by
// the next one and the last is cut off. (The general path, a span list then appends, took ~50
// instructions a byte.)
// Bytes of `text` equal to `b`, eight at a time: a byte of x = w ^ b...b is zero exactly when
// its high bit survives ~(((x & 0x7F..) + 0x7F..) | x) (no carry crosses a byte).
size_t CountByte(std::string_view text, char b) {
  constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Full;
  const uint64_t spread = 0x0101010101010101ull * static_cast<unsigned char>(b);
  size_t n = 0, i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, text.data() + i, sizeof w);
    const uint64_t x = w ^ spread;
    // One 0/1 a byte, summed into the top byte by a multiply (std::popcount without -mpopcnt
    // is a libgcc call).
    const uint64_t ones = (~(((x & kLow7) + kLow7) | x) & ~kLow7) >> 7;
    n += static_cast<size_t>((ones * 0x0101010101010101ull) >> 56);
  }
  for (; i < text.size(); ++i) n += text[i] == b;
  return n;
}

std::string ReplaceByte(std::string_view text, char from, std::string_view content) {
  const size_t hits = CountByte(text, from);
  if (hits == 0) return std::string(text);
  const size_t size = text.size() - hits + hits * content.size();
  std::string out(size + sizeof(uint64_t), '\0');
  uint64_t with = 0;
  if (!content.empty()) std::memcpy(&with, content.data(), content.size());
  char* dst = out.data();
  for (const char c : text) {
    const bool hit = c == from;
    const uint64_t word = hit ? with : static_cast<unsigned char>(c);
    std::memcpy(dst, &word, sizeof word);
    dst += hit ? content.size() : 1;
  }
  out.resize(size);
  return out;
}

}  // namespace

std::unique_ptr<Regex> Regex::Compile(std::string_view pattern, std::string* error) {
  InitOniguruma();
  OnigRegex regex = nullptr;
  OnigErrorInfo info;
  const auto* begin = reinterpret_cast<const OnigUChar*>(pattern.data());
  const int rc = onig_new(&regex, begin, begin + pattern.size(), ONIG_OPTION_NONE,
                          ONIG_ENCODING_UTF8, ONIG_SYNTAX_DEFAULT, &info);
  if (rc != ONIG_NORMAL) {
    OnigUChar message[ONIG_MAX_ERROR_MESSAGE_LEN];
    onig_error_code_to_str(message, rc, &info);
    if (error != nullptr) *error = reinterpret_cast<const char*>(message);
    return nullptr;
  }
  return std::unique_ptr<Regex>(new Regex(regex));
}

Regex::~Regex() { onig_free(static_cast<OnigRegex>(regex_)); }

std::vector<Span> Regex::FindAll(std::string_view text) const {
  std::vector<Span> matches;
  auto* regex = static_cast<OnigRegex>(regex_);
  OnigRegion* region = ThreadRegion();
  const auto* str = reinterpret_cast<const OnigUChar*>(text.data());
  const auto* end = str + text.size();
  size_t pos = 0;
  bool have_last = false;
  size_t last_end = 0;
  while (pos <= text.size()) {
    onig_region_clear(region);
    const int rc = onig_search(regex, str, end, str + pos, end, region, ONIG_OPTION_NONE);
    if (rc < 0) break;  // ONIG_MISMATCH, or an error we treat as "no more matches"
    const auto s = static_cast<size_t>(region->beg[0]);
    const auto e = static_cast<size_t>(region->end[0]);
    if (s == e && have_last && last_end == e) {
      // An empty match touching the previous one: step one character to avoid looping.
      if (pos >= text.size()) break;
      pos += Utf8SequenceLength(static_cast<unsigned char>(text[pos]));
      continue;
    }
    pos = e;
    have_last = true;
    last_end = e;
    matches.emplace_back(s, e);
    if (s == e && pos >= text.size()) break;
  }
  return matches;
}

std::optional<Span> Regex::SearchFrom(std::string_view text, size_t pos) const {
  OnigRegion* region = ThreadRegion();
  onig_region_clear(region);
  const auto* str = reinterpret_cast<const OnigUChar*>(text.data());
  const auto* end = str + text.size();
  if (onig_search(static_cast<OnigRegex>(regex_), str, end, str + pos, end, region, ONIG_OPTION_NONE) < 0) {
    return std::nullopt;
  }
  return Span{static_cast<size_t>(region->beg[0]), static_cast<size_t>(region->end[0])};
}

Pattern Pattern::Literal(std::string text) {
  Pattern p;
  p.literal_ = std::move(text);
  return p;
}

Pattern Pattern::FromJson(const nlohmann::json& j, const std::string& path) {
  if (const auto* s = OptionalField(j, "String")) {
    if (!s->is_string()) throw ConfigError(Sub(path, "String"), "expected a string");
    return Literal(s->get<std::string>());
  }
  if (const auto* r = OptionalField(j, "Regex")) {
    if (!r->is_string()) throw ConfigError(Sub(path, "Regex"), "expected a string");
    std::string error;
    auto regex = Regex::Compile(r->get<std::string>(), &error);
    if (!regex) throw ConfigError(Sub(path, "Regex"), "invalid regex: " + error);
    Pattern p;
    p.regex_ = std::move(regex);
    p.known_ = IdentifySplit(r->get_ref<const std::string&>());
    return p;
  }
  throw ConfigError(path, "expected {\"String\": ...} or {\"Regex\": ...}");
}

std::vector<Span> Pattern::FindAll(std::string_view text) const {
  if (regex_) return known_ == KnownSplit::kNone ? regex_->FindAll(text) : KnownSplitMatches(known_, text, *regex_);
  std::vector<Span> matches;
  if (literal_.empty()) return matches;
  size_t pos = 0;
  while ((pos = text.find(literal_, pos)) != std::string_view::npos) {
    matches.emplace_back(pos, pos + literal_.size());
    pos += literal_.size();
  }
  return matches;
}

std::string Pattern::ReplaceAll(std::string_view text, std::string_view content) const {
  if (regex_ || literal_.empty()) return ReplaceAllBySpans(text, content);
  // ReplaceByte stores bytes as little-endian words.
  if (literal_.size() == 1 && content.size() <= sizeof(uint64_t) && std::endian::native == std::endian::little) {
    return ReplaceByte(text, literal_[0], content);
  }
  std::string out;
  out.reserve(text.size());
  size_t prev = 0;
  for (size_t pos; (pos = text.find(literal_, prev)) != std::string_view::npos; prev = pos + literal_.size()) {
    out.append(text.substr(prev, pos - prev));
    out.append(content);
  }
  out.append(text.substr(prev));
  return out;
}

std::string Pattern::ReplaceAllBySpans(std::string_view text, std::string_view content) const {
  std::string out;
  size_t prev = 0;
  for (const auto& [s, e] : FindAll(text)) {
    out.append(text.substr(prev, s - prev));
    out.append(content);
    prev = e;
  }
  out.append(text.substr(prev));
  return out;
}

}  // namespace bench::hf
