#include "tokenizer/hf/bpe.h"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>

#include "tokenizer/hf/json.h"
#include "tokenizer/hf/unicode.h"

namespace bench::hf {
namespace {

struct Symbol {
  int32_t id;
  int32_t prev;
  int32_t next;
  bool alive;
};

// "▁" (U+2581), SentencePiece's word-start mark.
constexpr std::string_view kWordMark = "\xE2\x96\x81";

// Index of the first byte at or after `i` with its high bit set (`piece.size()` if none),
// looking at eight bytes at a time: most text between word marks is ASCII.
size_t SkipAscii(std::string_view piece, size_t i) {
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  for (; i + 8 <= piece.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, piece.data() + i, sizeof w);
    if ((w & kHigh) != 0) {
      // The lowest-addressed high byte: the lowest set bit on a little-endian machine.
      if constexpr (std::endian::native == std::endian::little) return i + static_cast<size_t>(std::countr_zero(w & kHigh)) / 8;
      break;
    }
  }
  while (i < piece.size() && static_cast<unsigned char>(piece[i]) < 0x80) ++i;
  return i;
}

// Start of the next word after `from` in `piece`: a "▁" that follows a character other than
// "▁" (so a run of "▁" stays with the word it precedes), or piece.size(). Characters are
// stepped exactly as MergeWord steps them, so a cut always falls between two of its initial
// symbols, even in ill-formed UTF-8.
size_t NextWordStart(std::string_view piece, size_t from) {
  bool after_mark = true;  // never cut at `from` itself
  for (size_t i = from; i < piece.size();) {
    if (static_cast<unsigned char>(piece[i]) < 0x80) {  // most text: ASCII, not "▁"
      after_mark = false;
      i = SkipAscii(piece, i + 1);
      continue;
    }
    // "▁" whole (its lead byte's length is 3) or any other character, as MergeWord steps it.
    const bool mark = i + 2 < piece.size() && piece[i] == kWordMark[0] && piece[i + 1] == kWordMark[1] &&
                      piece[i + 2] == kWordMark[2];
    if (mark && !after_mark) return i;
    after_mark = mark;
    i += mark ? kWordMark.size()
              : std::min(Utf8SequenceLength(static_cast<unsigned char>(piece[i])), piece.size() - i);
  }
  return piece.size();
}

struct Candidate {
  int32_t rank;
  int32_t pos;
  int32_t new_id;
  // std heap is a max-heap: "greater" means lower rank, then leftmost position.
  bool operator<(const Candidate& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
};

// BPE proper: repeatedly merges the adjacent pair of lowest rank (leftmost first) until no pair
// has a merge; merged-away symbols are left dead in place.
void ApplyMerges(const MergeTable& merges, std::vector<Symbol>& symbols) {
  std::vector<Candidate> heap;
  heap.reserve(symbols.size());
  for (size_t k = 0; k + 1 < symbols.size(); ++k) {
    if (const MergeTable::Merge* m = merges.Find(symbols[k].id, symbols[k + 1].id)) {
      heap.push_back(Candidate{m->rank, static_cast<int32_t>(k), m->new_id});
    }
  }
  std::make_heap(heap.begin(), heap.end());
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end());
    const Candidate top = heap.back();
    heap.pop_back();
    Symbol& left = symbols[static_cast<size_t>(top.pos)];
    if (!left.alive || left.next < 0) continue;
    Symbol& right = symbols[static_cast<size_t>(left.next)];
    // Stale entry: one side was merged into something else since it was queued.
    const MergeTable::Merge* m = merges.Find(left.id, right.id);
    if (m == nullptr || m->new_id != top.new_id) continue;
    left.id = top.new_id;
    right.alive = false;
    left.next = right.next;
    if (left.next >= 0) symbols[static_cast<size_t>(left.next)].prev = top.pos;
    if (left.prev >= 0) {
      if (const MergeTable::Merge* pm = merges.Find(symbols[static_cast<size_t>(left.prev)].id, left.id)) {
        heap.push_back(Candidate{pm->rank, left.prev, pm->new_id});
        std::push_heap(heap.begin(), heap.end());
      }
    }
    if (left.next >= 0) {
      if (const MergeTable::Merge* nm = merges.Find(left.id, symbols[static_cast<size_t>(left.next)].id)) {
        heap.push_back(Candidate{nm->rank, top.pos, nm->new_id});
        std::push_heap(heap.begin(), heap.end());
      }
    }
  }
}

}  // namespace

std::unique_ptr<BpeModel> BpeModel::FromJson(const nlohmann::json& j, const std::string& path,
                                             BpeTables* tables) {
  std::unique_ptr<BpeModel> model(new BpeModel());
  BpeOptions& o = model->options_;
  if (const auto* unk = OptionalField(j, "unk_token")) {
    if (!unk->is_string()) throw ConfigError(Sub(path, "unk_token"), "expected a string");
    o.unk_token = unk->get<std::string>();
  }
  o.continuing_subword_prefix = StringOr(j, "continuing_subword_prefix", path, "");
  o.end_of_word_suffix = StringOr(j, "end_of_word_suffix", path, "");
  o.fuse_unk = BoolOr(j, "fuse_unk", path, false);
  o.byte_fallback = BoolOr(j, "byte_fallback", path, false);
  o.ignore_merges = BoolOr(j, "ignore_merges", path, false);
  if (const auto* dropout = OptionalField(j, "dropout");
      dropout != nullptr && !(dropout->is_number() && dropout->get<double>() == 0.0)) {
    throw ConfigError(Sub(path, "dropout"), "BPE dropout is random; token counts would not be reproducible");
  }
  const std::string mpath = Sub(path, "merges");
  if (tables != nullptr) {  // read by hf/simd_load or the cache, which leave them out of `j`
    model->vocab_ = std::move(tables->vocab);
    if (tables->split_words) {
      model->InitFromIds(tables->merge_ids, *tables->split_words, mpath);
    } else {
      model->Init(tables->merges, mpath, &tables->merge_ids);
      tables->split_words = model->split_words_;
    }
    return model;
  }
  ReadVocab(Field(j, "vocab", path), Sub(path, "vocab"), model->vocab_);

  const nlohmann::json* merges_json = OptionalField(j, "merges");
  std::vector<std::pair<std::string, std::string>> merges;
  if (merges_json != nullptr) {
    if (!merges_json->is_array()) throw ConfigError(mpath, "expected an array");
    merges.reserve(merges_json->size());
    for (size_t i = 0; i < merges_json->size(); ++i) {
      const auto& m = (*merges_json)[i];
      if (m.is_string()) {
        // Legacy form "a b": exactly one space separates the two parts.
        const std::string& s = m.get_ref<const std::string&>();
        const size_t space = s.find(' ');
        if (space == std::string::npos || s.find(' ', space + 1) != std::string::npos) {
          throw ConfigError(Index(mpath, i), "expected \"left right\"");
        }
        merges.emplace_back(s.substr(0, space), s.substr(space + 1));
      } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
        merges.emplace_back(m[0].get<std::string>(), m[1].get<std::string>());
      } else {
        throw ConfigError(Index(mpath, i), "expected \"left right\" or [\"left\", \"right\"]");
      }
    }
  }
  model->Init(merges, mpath);
  return model;
}

BpeModel::BpeModel(Vocab vocab, const std::vector<std::pair<std::string, std::string>>& merges,
                   BpeOptions options)
    : vocab_(std::move(vocab)), options_(std::move(options)) {
  Init(merges, "merges");
}

void BpeModel::Init(const std::vector<std::pair<std::string, std::string>>& merges,
                    const std::string& path, std::vector<MergeIds>* ids) {
  merges_.Reserve(merges.size());
  if (ids != nullptr) ids->reserve(merges.size());
  const size_t prefix_len = options_.continuing_subword_prefix.size();
  std::string joined;
  for (size_t i = 0; i < merges.size(); ++i) {
    const auto& [left, right] = merges[i];
    const int32_t l = vocab_.Find(left);
    const int32_t r = vocab_.Find(right);
    if (l < 0 || r < 0) {
      throw ConfigError(Index(path, i), "token '" + (l < 0 ? left : right) + "' is not in the vocab");
    }
    // The merged token drops the right part's continuing-subword prefix ("##").
    joined = left;
    joined.append(right, std::min(prefix_len, right.size()));
    const int32_t n = vocab_.Find(joined);
    if (n < 0) throw ConfigError(Index(path, i), "merged token '" + joined + "' is not in the vocab");
    // A repeated pair keeps its last rank, like HF's HashMap::insert.
    merges_.Set(l, r, Merge{static_cast<int32_t>(i), n});
    if (ids != nullptr) ids->push_back(MergeIds{l, r, n});
  }
  InitSpecialIds();
  split_words_ = WordSplitIsExact(merges);
}

// The cache's merges, already checked against this vocabulary when they were first built; only
// the ids' range is checked again (a damaged cache must not index out of bounds later).
void BpeModel::InitFromIds(const std::vector<MergeIds>& ids, bool split_words, const std::string& path) {
  merges_.Reserve(ids.size());
  const auto known = [this](int32_t id) { return vocab_.Token(id) != nullptr; };
  for (size_t i = 0; i < ids.size(); ++i) {
    const MergeIds& m = ids[i];
    if (!known(m.left) || !known(m.right) || !known(m.merged)) throw ConfigError(Index(path, i), "unknown id");
    merges_.Set(m.left, m.right, Merge{static_cast<int32_t>(i), m.merged});
  }
  InitSpecialIds();
  split_words_ = split_words;
}

void BpeModel::InitSpecialIds() {
  if (options_.unk_token) {
    if (const int32_t id = vocab_.Find(*options_.unk_token); id >= 0) unk_id_ = id;
  }
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    byte_ids_[static_cast<size_t>(b)] = vocab_.Find(name);
  }
}

// Cut a piece before a word start (NextWordStart): the left part A ends with a character c
// other than "▁", the right part B begins with "▁". Token texts and ids being one-to-one, and a
// merge's id being that of left+right, every symbol's text is its initial symbols' texts
// joined: B's first symbol always begins with "▁" (itself a token), and A's last one always
// ends with c's initial symbol — c, "<0xXX>" or the unk token — so, as valid UTF-8, it does not
// end with "▁". If no merge joins such a left side to a right side beginning with "▁", no
// symbol ever spans the cut; a merge inside A then only creates or removes pairs inside A, so
// the lowest-(rank, position)-first order over the whole piece, restricted to A, is A's own
// order (likewise B), and BPE(A + B) = BPE(A) + BPE(B). The premises fail, and the split stays
// off, when a character can be dropped (no unk id and an incomplete byte fallback), "▁" is not
// a token, the unk text could end in "▁", affixes make a symbol depend on its place in the
// word, or two tokens share an id. An unknown run before the cut is emitted at the "▁" either
// way (fuse_unk cannot cross it); ignore_merges looks at the whole piece before any cut.
bool BpeModel::WordSplitIsExact(const std::vector<std::pair<std::string, std::string>>& merges) const {
  if (!options_.continuing_subword_prefix.empty() || !options_.end_of_word_suffix.empty()) return false;
  if (vocab_.Find(kWordMark) < 0) return false;
  const bool all_bytes = options_.byte_fallback &&
                         std::all_of(byte_ids_.begin(), byte_ids_.end(), [](int32_t id) { return id >= 0; });
  if (!unk_id_ && !all_bytes) return false;
  if (unk_id_) {
    const std::string& unk = *options_.unk_token;
    if (unk.empty() || !IsValidUtf8(unk) || unk.ends_with(kWordMark)) return false;
  }
  size_t ids_with_text = 0;
  for (size_t id = 0; id < vocab_.IdBound(); ++id) ids_with_text += vocab_.Token(static_cast<int32_t>(id)) != nullptr;
  if (ids_with_text != vocab_.size()) return false;
  return std::none_of(merges.begin(), merges.end(), [](const auto& m) {
    const auto& [left, right] = m;
    return right.starts_with(kWordMark) && !(IsValidUtf8(left) && left.ends_with(kWordMark));
  });
}

std::optional<int32_t> BpeModel::TokenToId(std::string_view token) const {
  const int32_t id = vocab_.Find(token);
  if (id < 0) return std::nullopt;
  return id;
}

const std::string* BpeModel::IdToToken(int32_t id) const { return vocab_.Token(id); }

// ignore_merges: a whole piece that is a token is that token (before any cut into words).
bool BpeModel::WholePieceToken(std::string_view piece, std::vector<int32_t>& out) const {
  if (!options_.ignore_merges) return false;
  const int32_t id = vocab_.Find(piece);
  if (id < 0) return false;
  out.push_back(id);
  return true;
}

// With the word split on, a piece of several words is cached word by word only: the words of
// a text recur, the text rarely does, and caching it too would churn the cache.
void BpeModel::Tokenize(std::string_view piece, std::vector<int32_t>& out) const {
  if (piece.empty() || WholePieceToken(piece, out)) return;
  if (!split_words_) {
    EncodeCached(piece, out);
    return;
  }
  for (size_t start = 0, end = 0; start < piece.size(); start = end) {
    end = NextWordStart(piece, start);
    EncodeCached(piece.substr(start, end - start), out);  // one word: no further cut inside
  }
}

void BpeModel::TokenizeUnsplit(std::string_view piece, std::vector<int32_t>& out) const {
  if (piece.empty() || WholePieceToken(piece, out)) return;
  MergeWord(piece, out);
}

void BpeModel::EncodeCached(std::string_view piece, std::vector<int32_t>& out) const {
  if (piece.size() > WordCache::kMaxPieceBytes) {
    MergeWord(piece, out);
    return;
  }
  const uint64_t hash = WordCache::Hash(piece);
  if (cache_.Find(piece, hash, out)) return;
  const size_t first = out.size();
  MergeWord(piece, out);
  cache_.Put(piece, hash, std::span<const int32_t>(out).subspan(first));
}

void BpeModel::MergeWord(std::string_view piece, std::vector<int32_t>& out) const {
  std::vector<Symbol> symbols;
  symbols.reserve(piece.size());
  const auto add = [&](int32_t id) {
    const auto n = static_cast<int32_t>(symbols.size());
    symbols.push_back(Symbol{id, n - 1, n + 1, true});
  };
  // Pending unknown run: HF emits it only when the next known character (or the end) arrives.
  bool have_unk = false;
  std::string with_affixes;
  size_t i = 0;
  while (i < piece.size()) {
    const size_t start = i;
    i += Utf8SequenceLength(static_cast<unsigned char>(piece[i]));
    i = std::min(i, piece.size());
    std::string_view ch = piece.substr(start, i - start);
    if (!options_.continuing_subword_prefix.empty() || !options_.end_of_word_suffix.empty()) {
      with_affixes.clear();
      if (start > 0) with_affixes += options_.continuing_subword_prefix;
      with_affixes += ch;
      if (i == piece.size()) with_affixes += options_.end_of_word_suffix;
      ch = with_affixes;
    }
    if (const int32_t id = vocab_.Find(ch); id >= 0) {
      if (have_unk) {
        add(*unk_id_);
        have_unk = false;
      }
      add(id);
      continue;
    }
    if (options_.byte_fallback &&
        std::all_of(ch.begin(), ch.end(), [&](char c) { return byte_ids_[static_cast<unsigned char>(c)] >= 0; })) {
      for (char c : ch) add(byte_ids_[static_cast<unsigned char>(c)]);
      continue;
    }
    if (unk_id_) {
      if (have_unk && !options_.fuse_unk) add(*unk_id_);
      have_unk = true;
    }
    // Without an unk token HF silently drops the character.
  }
  if (have_unk) add(*unk_id_);
  if (symbols.empty()) return;
  symbols.back().next = -1;

  ApplyMerges(merges_, symbols);
  for (const Symbol& s : symbols) {
    if (s.alive) out.push_back(s.id);
  }
}

}  // namespace bench::hf
