#include "tokenizer/hf/word_cache.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <mutex>
#include <thread>

#include "util/fast_hash.h"

namespace bench::hf {
namespace {

uint32_t TagOf(uint64_t hash) { return static_cast<uint32_t>(hash >> 28); }

uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

uint32_t Load32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// The first and last bytes of a short piece, read as two (possibly overlapping) fixed-size
// loads, never past its end: no variable-length memcpy or memcmp call for a 6-byte word.
struct Ends {
  uint64_t head;
  uint64_t tail;
};
Ends EndsOf(const char* p, size_t n) {
  if (n >= 8) return {Load64(p), Load64(p + n - 8)};
  if (n >= 4) return {Load32(p), Load32(p + n - 4)};
  if (n > 0) {
    const auto byte = [p](size_t i) { return static_cast<uint64_t>(static_cast<unsigned char>(p[i])); };
    return {byte(0) | byte(n / 2) << 8 | byte(n - 1) << 16, 0};
  }
  return {0, 0};
}

bool SameBytes(const char* a, const char* b, size_t n) {
  for (size_t i = 0; i + 16 < n; i += 8) {
    if (Load64(a + i) != Load64(b + i)) return false;
  }
  // Up to 16 bytes left: with n > 16, the loop above compared all but the last 8..16, which
  // EndsOf's two loads of the last n <= 16 bytes (or of a suffix) cover.
  const size_t rest = n > 16 ? 16 : n;
  const Ends x = EndsOf(a + n - rest, rest), y = EndsOf(b + n - rest, rest);
  return x.head == y.head && x.tail == y.tail;
}

}  // namespace

void WordCache::SpinLock::lock() {
  while (locked_.exchange(true, std::memory_order_acquire)) {
    while (locked_.load(std::memory_order_relaxed)) std::this_thread::yield();
  }
}

// Pieces up to 16 bytes (most words): their two loads folded by one 64x64->128-bit multiply,
// whose halves depend on every input bit (the low bits pick the slot). Longer: FastHash64.
uint64_t WordCache::Hash(std::string_view piece) {
  if (piece.size() > 16) return FastHash64(piece);
  __extension__ using U128 = unsigned __int128;
  const Ends e = EndsOf(piece.data(), piece.size());
  const U128 m = static_cast<U128>(e.head ^ 0x9E3779B97F4A7C15ull) * (e.tail ^ 0xC2B2AE3D27D4EB4Full ^ piece.size());
  const auto h = static_cast<uint64_t>(m) ^ static_cast<uint64_t>(m >> 64);
  return h ^ (h >> 32);
}

const WordCache::Slot* WordCache::FindSlot(const Shard& shard, std::string_view piece, uint64_t hash, uint64_t head,
                                           uint64_t tail) {
  if (shard.slots.empty()) return nullptr;
  const uint32_t tag = TagOf(hash);
  const size_t mask = shard.slots.size() - 1;
  for (size_t probe = 0, i = tag & mask; probe < kMaxProbes; ++probe, i = (i + 1) & mask) {
    const Slot& s = shard.slots[i];
    if (s.key_size == 0) return nullptr;
    if (s.tag != tag || s.key_size != piece.size() || s.head != head || s.tail != tail) continue;
    if (piece.size() <= 16 || SameBytes(shard.keys.data() + s.key, piece.data(), piece.size())) return &s;
  }
  return nullptr;
}

bool WordCache::Find(std::string_view piece, uint64_t hash, std::vector<int32_t>& out) const {
  const Ends e = EndsOf(piece.data(), std::min<size_t>(piece.size(), 16));
  Shard& shard = ShardOf(shards_, hash);
  std::lock_guard lock(shard.mu);
  const Slot* s = FindSlot(shard, piece, hash, e.head, e.tail);
  if (s == nullptr) return false;
  if (s->id_count == 1) {
    out.push_back(static_cast<int32_t>(s->ids));
  } else {
    const int32_t* ids = shard.ids.data() + s->ids;
    out.insert(out.end(), ids, ids + s->id_count);
  }
  return true;
}

void WordCache::Put(std::string_view piece, uint64_t hash, std::span<const int32_t> ids) {
  if (piece.empty() || piece.size() > kMaxPieceBytes || ids.size() > UINT16_MAX) return;
  const Ends e = EndsOf(piece.data(), std::min<size_t>(piece.size(), 16));
  Shard& shard = ShardOf(shards_, hash);
  std::lock_guard lock(shard.mu);
  // Another thread may have put the same piece between our Find and this Put.
  if (FindSlot(shard, piece, hash, e.head, e.tail) != nullptr) return;
  // Clearing a full shard bounds memory; hot pieces come straight back on their next use.
  if (shard.slots.empty() || shard.size >= kShardCapacity) {
    shard.slots.assign(kInitialSlots, Slot{});
    shard.keys.clear();
    shard.ids.clear();
    shard.size = 0;
  } else if (2 * (shard.size + 1) > shard.slots.size()) {
    Grow(shard);
  }
  Slot* s = EmptySlot(shard.slots, TagOf(hash));
  if (s == nullptr) return;
  *s = Slot{e.head, e.tail, TagOf(hash), 0, 0, static_cast<uint16_t>(piece.size()), static_cast<uint16_t>(ids.size())};
  if (piece.size() > 16) {
    s->key = static_cast<uint32_t>(shard.keys.size());
    shard.keys.append(piece);
  }
  if (ids.size() == 1) {
    s->ids = static_cast<uint32_t>(ids[0]);
  } else {
    s->ids = static_cast<uint32_t>(shard.ids.size());
    shard.ids.insert(shard.ids.end(), ids.begin(), ids.end());
  }
  ++shard.size;
}

WordCache::Slot* WordCache::EmptySlot(std::vector<Slot>& slots, uint32_t tag) {
  const size_t mask = slots.size() - 1;
  for (size_t probe = 0, i = tag & mask; probe < kMaxProbes; ++probe, i = (i + 1) & mask) {
    if (slots[i].key_size == 0) return &slots[i];
  }
  return nullptr;
}

// Twice the slots, each entry moved to its place in them. The slot is found from the tag (high
// bits of the hash, kept in the entry), so nothing is hashed again.
void WordCache::Grow(Shard& shard) {
  std::vector<Slot> bigger(2 * shard.slots.size());
  size_t kept = 0;
  for (const Slot& old : shard.slots) {
    if (old.key_size == 0) continue;
    // Half full at most, so a place is near; an entry that finds none is dropped (a miss later).
    if (Slot* place = EmptySlot(bigger, old.tag)) {
      *place = old;
      ++kept;
    }
  }
  shard.slots = std::move(bigger);
  shard.size = kept;
}

size_t WordCache::Size() const {
  size_t n = 0;
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    n += shard.size;
  }
  return n;
}

}  // namespace bench::hf
