#pragma once
// Token ↔ id tables for tokenizer vocabularies of up to a few hundred thousand entries:
// open addressing over flat arrays, so loading is a few allocations and a lookup touches
// one or two cache lines (std::unordered_map chases a pointer per probe).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bench::hf {

/// token ↔ id map; ids may have gaps, and several tokens may share an id.
class Vocab {
 public:
  /// Pre-sizes for `n` tokens.
  void Reserve(size_t n);
  /// Adds (or remaps) `token` → `id`; the last token added for an id is its text.
  void Add(std::string_view token, int32_t id);
  /// Id of `token`, or -1.
  int32_t Find(std::string_view token) const;
  /// Text of `id`, or null if no token has it.
  const std::string* Token(int32_t id) const;
  /// One past the largest id.
  size_t IdBound() const { return by_id_.size(); }
  /// Number of distinct tokens.
  size_t size() const { return entries_.size(); }
  /// Every (token, id) in the order added (for the tokenizer cache).
  const std::vector<std::pair<std::string, int32_t>>& Entries() const { return entries_; }

 private:
  struct Slot {
    uint32_t hash = 0;
    int32_t entry = -1;  // index into entries_, -1 when empty
  };
  void Grow();
  size_t SlotOf(std::string_view token, uint32_t hash) const;

  std::vector<std::pair<std::string, int32_t>> entries_;
  std::vector<Slot> slots_;  // power-of-two size, at most half full
  std::vector<int32_t> by_id_;  // id → entry, -1 for gaps
};

/// (left id, right id) → (rank, merged id) map for BPE merges.
class MergeTable {
 public:
  /// A merge's priority (lower merges first) and the id it produces.
  struct Merge {
    int32_t rank;
    int32_t new_id;
  };
  /// Pre-sizes for `n` merges.
  void Reserve(size_t n);
  /// Sets the merge of (left, right), replacing an earlier one.
  void Set(int32_t left, int32_t right, Merge merge);
  /// The merge of (left, right), or null.
  const Merge* Find(int32_t left, int32_t right) const {
    if (slots_.empty()) return nullptr;
    const uint64_t key = Key(left, right);
    for (size_t i = Hash(key);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.key == key) return &s.merge;
      if (s.key == kEmpty) return nullptr;
    }
  }

 private:
  struct Slot {
    uint64_t key;
    Merge merge;
  };
  static constexpr uint64_t kEmpty = ~uint64_t{0};
  static uint64_t Key(int32_t l, int32_t r) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(l)) << 32) | static_cast<uint32_t>(r);
  }
  size_t Hash(uint64_t key) const { return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_) & mask_; }
  void Grow();

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  int shift_ = 64;
  size_t size_ = 0;
};

}  // namespace bench::hf
