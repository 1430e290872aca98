#include "tokenizer/hf/added_vocabulary.h"

#include <algorithm>
#include <cstring>

#include "tokenizer/hf/json.h"
#include "tokenizer/hf/normalizer.h"
#include "tokenizer/hf/unicode.h"

namespace bench::hf {
namespace {

bool IsWordChar(char32_t c) { return IsAlphanumeric(c) || c == '_'; }

// Last code point of s (non-empty, valid UTF-8).
char32_t LastCodePoint(std::string_view s) {
  size_t start = s.size() - 1;
  while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
  return NextCodePoint(s, start);
}

}  // namespace

void AddedVocabulary::Trie::Insert(std::string_view pattern, int32_t token_index) {
  if (pattern.empty()) return;
  int32_t node = 0;
  for (char ch : pattern) {
    const auto byte = static_cast<unsigned char>(ch);
    const uint64_t key = (static_cast<uint64_t>(node) << 8) | byte;
    auto it = edges.find(key);
    if (it == edges.end()) {
      it = edges.emplace(key, static_cast<int32_t>(terminal.size())).first;
      terminal.push_back(-1);
    }
    node = it->second;
  }
  terminal[static_cast<size_t>(node)] = token_index;
  const auto lead = static_cast<unsigned char>(pattern[0]);
  if (!first[lead]) {
    first[lead] = true;
    ++first_count;
  }
  only_first = first_count == 1 ? lead : -1;
}

// Every text counted is scanned here: with one possible first byte (every special token of
// Llama, Mistral and GPT-2 begins with '<'), memchr skips to it instead of a table test a byte.
size_t AddedVocabulary::Trie::NextCandidate(std::string_view text, size_t i) const {
  if (only_first >= 0) {
    const void* hit = std::memchr(text.data() + i, only_first, text.size() - i);
    return hit == nullptr ? text.size() : static_cast<size_t>(static_cast<const char*>(hit) - text.data());
  }
  while (i < text.size() && !first[static_cast<unsigned char>(text[i])]) ++i;
  return i;
}

std::vector<AddedToken> AddedVocabulary::ParseJson(const nlohmann::json& j, const std::string& path) {
  if (!j.is_array()) throw ConfigError(path, "expected an array");
  std::vector<AddedToken> tokens;
  tokens.reserve(j.size());
  for (size_t i = 0; i < j.size(); ++i) {
    const std::string p = Index(path, i);
    AddedToken t;
    const int64_t id = IntOr(j[i], "id", p, -1);
    if (id < 0 || id > INT32_MAX) throw ConfigError(Sub(p, "id"), "missing or not a valid id");
    t.id = static_cast<int32_t>(id);
    t.content = StringField(j[i], "content", p);
    t.special = BoolOr(j[i], "special", p, false);
    t.single_word = BoolOr(j[i], "single_word", p, false);
    t.lstrip = BoolOr(j[i], "lstrip", p, false);
    t.rstrip = BoolOr(j[i], "rstrip", p, false);
    t.normalized = BoolOr(j[i], "normalized", p, !t.special);
    tokens.push_back(std::move(t));
  }
  return tokens;
}

void AddedVocabulary::AssignIds(std::vector<AddedToken>& tokens, const Model& model) {
  std::vector<AddedToken> kept;
  std::unordered_set<std::string, StringHash, std::equal_to<>> seen;
  const auto vocab_size = static_cast<int64_t>(model.Size());
  int64_t max_id = -1;
  for (AddedToken& t : tokens) {
    if (t.content.empty() || !seen.insert(t.content).second) continue;
    if (const auto id = model.TokenToId(t.content)) {
      t.id = *id;
    } else if (max_id < 0) {
      t.id = static_cast<int32_t>(vocab_size);
    } else {
      t.id = static_cast<int32_t>(max_id >= vocab_size || vocab_size == 0 ? max_id + 1 : vocab_size);
    }
    max_id = std::max<int64_t>(max_id, t.id);
    kept.push_back(std::move(t));
  }
  tokens = std::move(kept);
}

AddedVocabulary::AddedVocabulary(std::vector<AddedToken> tokens, const Normalizer* normalizer)
    : tokens_(std::move(tokens)) {
  for (size_t i = 0; i < tokens_.size(); ++i) {
    const AddedToken& t = tokens_[i];
    by_id_[t.id] = i;
    id_bound_ = std::max(id_bound_, static_cast<size_t>(t.id) + 1);
    if (t.special) special_contents_.insert(t.content);
    if (t.normalized) {
      std::string content = t.content;
      if (normalizer != nullptr) normalizer->Normalize(content);
      normalized_.Insert(content, static_cast<int32_t>(i));
    } else {
      raw_.Insert(t.content, static_cast<int32_t>(i));
    }
  }
}

const AddedToken* AddedVocabulary::FindById(int32_t id) const {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &tokens_[it->second];
}

bool AddedVocabulary::IsSpecialContent(std::string_view content) const {
  return special_contents_.find(content) != special_contents_.end();
}

std::vector<AddedSplit> AddedVocabulary::Split(std::string_view text, bool normalized) const {
  return SplitWith(text, normalized ? normalized_ : raw_);
}

std::vector<AddedSplit> AddedVocabulary::SplitWith(std::string_view text, const Trie& trie) const {
  std::vector<AddedSplit> out;
  if (trie.Empty() || text.empty()) {
    out.push_back({{0, text.size()}, -1});
    return out;
  }
  size_t emitted = 0;  // end of the text already assigned to a split
  size_t i = 0;
  while ((i = trie.NextCandidate(text, i)) < text.size()) {
    // Longest token starting at i (leftmost-longest).
    int32_t node = 0, best = -1;
    size_t best_end = 0;
    for (size_t k = i; k < text.size(); ++k) {
      const auto it = trie.edges.find((static_cast<uint64_t>(node) << 8) | static_cast<unsigned char>(text[k]));
      if (it == trie.edges.end()) break;
      node = it->second;
      if (trie.terminal[static_cast<size_t>(node)] >= 0) {
        best = trie.terminal[static_cast<size_t>(node)];
        best_end = k + 1;
      }
    }
    if (best < 0) {
      ++i;
      continue;
    }
    const AddedToken& token = tokens_[static_cast<size_t>(best)];
    size_t start = i, stop = best_end;
    i = best_end;  // like Aho-Corasick iteration, a rejected match is not retried shorter
    if (token.single_word) {
      const bool word_before = start > 0 && IsWordChar(LastCodePoint(text.substr(0, start)));
      size_t after = stop;
      const bool word_after = stop < text.size() && IsWordChar(NextCodePoint(text, after));
      if (word_before || word_after) continue;
    }
    if (token.lstrip) {
      size_t s = start;
      while (s > 0) {
        size_t prev = s - 1;
        while (prev > 0 && (static_cast<unsigned char>(text[prev]) & 0xC0) == 0x80) --prev;
        size_t tmp = prev;
        if (!IsWhitespace(NextCodePoint(text, tmp))) break;
        s = prev;
      }
      start = std::max(s, emitted);
    }
    if (token.rstrip) {
      while (stop < text.size()) {
        size_t next = stop;
        if (!IsWhitespace(NextCodePoint(text, next))) break;
        stop = next;
      }
    }
    if (emitted < start) out.push_back({{emitted, start}, -1});
    out.push_back({{start, stop}, token.id});
    emitted = stop;
    i = std::max(i, stop);
  }
  if (emitted < text.size()) out.push_back({{emitted, text.size()}, -1});
  return out;
}

}  // namespace bench::hf
