#include "bench/builtin_tokenizer.h"

#include <array>
#include <string>
#include <unordered_map>

namespace bench {
namespace {

constexpr std::string_view kWords[] = {
    "the", "of", "and", "to", "in", "is", "that", "it", "was", "for", "on", "are", "as", "with",
    "his", "they", "at", "be", "this", "from", "have", "or", "by", "one", "had", "not", "but",
    "what", "all", "were", "when", "we", "there", "can", "an", "your", "which", "their", "said",
    "if", "do", "will", "each", "about", "how", "up", "out", "them", "then", "she", "many",
    "some", "so", "these", "would", "other", "into", "has", "more", "her", "two", "like", "him",
    "see", "time", "could", "no", "make", "than", "first", "been", "its", "who", "now", "people",
    "my", "made", "over", "did", "down", "only", "way", "find", "use", "may", "water", "long",
    "little", "very", "after", "words", "called", "just", "where", "most", "know", "get",
    "through", "back", "much", "before", "go", "good", "new", "write", "our", "used", "me", "man",
    "too", "any", "day", "same", "right", "look", "think", "also", "around", "another", "came",
    "come", "work", "three", "word", "must", "because", "does", "part", "even", "place", "well",
    "such", "here", "take", "why", "things", "help", "put", "years", "different", "away", "again",
    "off", "went", "old", "number", "great", "tell", "men", "say", "small", "every", "found",
    "still", "between", "name", "should", "home", "big", "give", "air", "line", "set", "own",
    "under", "read", "last", "never", "us", "left", "end", "along", "while", "might", "next",
    "sound", "below", "saw", "something", "thought", "both", "few", "those", "always", "looked",
    "show", "large", "often", "together", "asked", "house", "world", "going", "want", "school",
    "important", "until", "form", "food", "keep", "children", "feet", "land", "side", "without",
    "boy", "once", "animals", "life", "enough", "took", "sometimes", "four", "head", "above",
    "kind", "began", "almost", "live", "page", "got", "earth", "need", "far", "hand", "high",
    "year", "mother", "light", "parts", "country", "father", "let", "night", "following",
    "picture", "being", "study", "second", "eyes", "soon", "times", "story", "boys", "since",
    "white", "days", "ever", "paper", "hard", "near", "sentence", "better", "best", "across",
    "during", "today", "others", "however", "sure", "means", "knew", "try", "told", "young",
    "miles", "sun", "ways", "thing", "whole", "hear", "example", "heard", "several", "change",
    "answer", "room", "sea", "against", "top", "turned", "learn", "point", "city", "play",
    "toward", "five", "using", "himself", "usually", "money", "seen", "car", "morning", "given",
    "family",
};

constexpr int32_t kByteTokens = 256;

bool IsAsciiAlpha(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsAsciiDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool IsAsciiSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Length of the piece starting at `pos`: ` ?[A-Za-z]+| ?[0-9]| ?[^\sA-Za-z0-9]|\s+`.
size_t PieceLength(std::string_view text, size_t pos) {
  size_t i = pos;
  const auto at = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  if (at(i) == ' ' && i + 1 < text.size() && !IsAsciiSpace(at(i + 1))) ++i;
  if (IsAsciiSpace(at(i))) {
    while (i < text.size() && IsAsciiSpace(at(i))) ++i;
    return i - pos;
  }
  if (IsAsciiAlpha(at(i))) {
    while (i < text.size() && IsAsciiAlpha(at(i))) ++i;
    return i - pos;
  }
  if (IsAsciiDigit(at(i))) return i + 1 - pos;
  // One "other" character: a whole UTF-8 sequence so multi-byte text stays intact.
  size_t len = 1;
  const unsigned char c = at(i);
  if (c >= 0xF0) len = 4;
  else if (c >= 0xE0) len = 3;
  else if (c >= 0xC0) len = 2;
  return std::min(i + len, text.size()) - pos;
}

class BuiltinTokenizer final : public Tokenizer {
 public:
  BuiltinTokenizer() {
    pieces_.reserve(kByteTokens + 2 * std::size(kWords));
    for (int b = 0; b < kByteTokens; ++b) pieces_.emplace_back(1, static_cast<char>(b));
    for (std::string_view w : kWords) {
      pieces_.emplace_back(w);
      pieces_.push_back(" " + std::string(w));
    }
    for (size_t id = kByteTokens; id < pieces_.size(); ++id) {
      ids_.emplace(pieces_[id], static_cast<int32_t>(id));
    }
  }

  std::vector<int32_t> Encode(std::string_view text, bool /*add_special_tokens*/) const override {
    std::vector<int32_t> out;
    for (size_t pos = 0; pos < text.size();) {
      const size_t len = PieceLength(text, pos);
      const std::string_view piece = text.substr(pos, len);
      if (auto it = ids_.find(piece); it != ids_.end()) {
        out.push_back(it->second);
      } else {
        for (unsigned char c : piece) out.push_back(c);
      }
      pos += len;
    }
    return out;
  }

  std::string Decode(std::span<const int32_t> ids, bool /*skip_special_tokens*/) const override {
    std::string out;
    for (int32_t id : ids) {
      if (id >= 0 && static_cast<size_t>(id) < pieces_.size()) out += pieces_[id];
    }
    return out;
  }

  size_t VocabSize() const override { return pieces_.size(); }
  std::string Name() const override { return "builtin"; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::vector<std::string> pieces_;
  std::unordered_map<std::string, int32_t, Hash, std::equal_to<>> ids_;
};

}  // namespace

std::span<const std::string_view> BuiltinWords() { return kWords; }

std::unique_ptr<Tokenizer> MakeBuiltinTokenizer() { return std::make_unique<BuiltinTokenizer>(); }

int32_t BuiltinSpacedWordId(size_t word_index) {
  return kByteTokens + 2 * static_cast<int32_t>(word_index) + 1;
}

}  // namespace bench
