#include "tokenizer/hf/vocab.h"

#include <bit>
#include <cstring>
#include "util/fast_hash.h"

namespace bench::hf {
namespace {

// Tokens are short (Mistral's average 6 bytes): util/fast_hash says why not std::hash.
uint32_t HashOf(std::string_view s) { return static_cast<uint32_t>(FastHash64(s)); }

}  // namespace

void Vocab::Reserve(size_t n) {
  entries_.reserve(n);
  if (slots_.size() < 2 * n) {
    const size_t cap = std::bit_ceil(std::max<size_t>(16, 2 * n));
    slots_.assign(cap, Slot{});
    for (size_t e = 0; e < entries_.size(); ++e) {
      const uint32_t h = HashOf(entries_[e].first);
      slots_[SlotOf(entries_[e].first, h)] = Slot{h, static_cast<int32_t>(e)};
    }
  }
}

size_t Vocab::SlotOf(std::string_view token, uint32_t hash) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.entry < 0) return i;
    if (s.hash == hash && entries_[static_cast<size_t>(s.entry)].first == token) return i;
  }
}

void Vocab::Grow() { Reserve(std::max<size_t>(16, entries_.size() * 2)); }

void Vocab::Add(std::string_view token, int32_t id) {
  if (2 * (entries_.size() + 1) > slots_.size()) Grow();
  const uint32_t h = HashOf(token);
  Slot& slot = slots_[SlotOf(token, h)];
  if (slot.entry >= 0) {
    entries_[static_cast<size_t>(slot.entry)].second = id;
  } else {
    slot = Slot{h, static_cast<int32_t>(entries_.size())};
    entries_.emplace_back(std::string(token), id);
  }
  if (static_cast<size_t>(id) >= by_id_.size()) by_id_.resize(static_cast<size_t>(id) + 1, -1);
  by_id_[static_cast<size_t>(id)] = slot.entry;
}

int32_t Vocab::Find(std::string_view token) const {
  if (slots_.empty()) return -1;
  const Slot& s = slots_[SlotOf(token, HashOf(token))];
  return s.entry < 0 ? -1 : entries_[static_cast<size_t>(s.entry)].second;
}

const std::string* Vocab::Token(int32_t id) const {
  if (id < 0 || static_cast<size_t>(id) >= by_id_.size()) return nullptr;
  const int32_t e = by_id_[static_cast<size_t>(id)];
  // An entry later remapped to another id no longer names this one.
  if (e < 0 || entries_[static_cast<size_t>(e)].second != id) return nullptr;
  return &entries_[static_cast<size_t>(e)].first;
}

void MergeTable::Reserve(size_t n) {
  if (slots_.size() >= 2 * n && !slots_.empty()) return;
  const size_t cap = std::bit_ceil(std::max<size_t>(16, 2 * n));
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(cap, Slot{kEmpty, Merge{0, 0}});
  mask_ = cap - 1;
  shift_ = 64 - std::countr_zero(cap);
  for (const Slot& s : old) {
    if (s.key == kEmpty) continue;
    size_t i = Hash(s.key);
    while (slots_[i].key != kEmpty) i = (i + 1) & mask_;
    slots_[i] = s;
  }
}

void MergeTable::Grow() { Reserve(std::max<size_t>(16, size_ * 2)); }

void MergeTable::Set(int32_t left, int32_t right, Merge merge) {
  if (2 * (size_ + 1) > slots_.size()) Grow();
  const uint64_t key = Key(left, right);
  size_t i = Hash(key);
  while (slots_[i].key != kEmpty && slots_[i].key != key) i = (i + 1) & mask_;
  if (slots_[i].key == kEmpty) ++size_;
  slots_[i] = Slot{key, merge};
}

}  // namespace bench::hf
