#pragma once
// BpeModel's cache of recently encoded pieces (mostly single words) and their ids. Sharded, each
// shard one spin lock over a flat open-addressing table (long keys and id lists in two per-shard
// arenas): a lookup hashes the piece once and reads one 32-byte slot, plus an arena range only
// for a piece over 16 bytes or of several ids, with no allocation on a hit or a miss. A full
// shard is cleared (hot words come straight back), which bounds memory: 16 shards of at most 8,192
// slots, 4 MB, plus the arenas. (A mutex-guarded std::unordered_map with std::hash cost ~250
// instructions a word.)

#include <array>
#include <atomic>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bench::hf {

/// piece → ids; every method is thread-safe.
class WordCache {
 public:
  /// Longest piece the cache holds: longer ones are rarely seen twice.
  static constexpr size_t kMaxPieceBytes = 256;
  /// Entries a shard holds before it is cleared.
  static constexpr size_t kShardCapacity = 4096;

  /// The hash Find and Put take (computed once per piece by the caller).
  static uint64_t Hash(std::string_view piece);
  /// If `piece` is cached, appends its ids to `out` and returns true.
  bool Find(std::string_view piece, uint64_t hash, std::vector<int32_t>& out) const;
  /// Remembers `ids` for `piece` (1 to kMaxPieceBytes bytes; longer ones are ignored).
  void Put(std::string_view piece, uint64_t hash, std::span<const int32_t> ids);
  /// Number of pieces cached (tests).
  size_t Size() const;

 private:
  // A piece of up to 16 bytes is compared in the slot itself (its first and last eight bytes,
  // which cover it), a longer one in Shard::keys; one id (most words) sits in the slot too.
  struct Slot {
    uint64_t head = 0;      // the piece's first bytes (see EndsOf in the .cc)
    uint64_t tail = 0;      // and its last ones
    uint32_t tag = 0;       // high bits of the hash
    uint32_t key = 0;       // offset of a piece over 16 bytes in Shard::keys
    uint32_t ids = 0;       // offset of its ids in Shard::ids, or the id itself when id_count is 1
    uint16_t key_size = 0;  // 0: empty slot (pieces are never empty)
    uint16_t id_count = 0;
  };
  // Held for a few dozen instructions (a probe and a copy of a few ids) and mostly by one
  // thread at a time (the metrics stage counts on one): std::mutex's lock and unlock cost as
  // much as the lookup itself. A waiter yields, so one preempted holder does not burn a core.
  class SpinLock {
   public:
    void lock();
    void unlock() { locked_.store(false, std::memory_order_release); }

   private:
    std::atomic<bool> locked_{false};
  };
  struct Shard {
    SpinLock mu;
    std::vector<Slot> slots;  // kInitialSlots to kSlots once used; at most half full
    std::string keys;
    std::vector<int32_t> ids;
    size_t size = 0;
  };
  static constexpr size_t kShards = 16;
  // A shard starts small and doubles as it fills (kept at most half full), up to twice its
  // capacity: a run that caches few words touches 512 KB, not 4 MB (at start-up each new page
  // is a fault, ~6 µs on a paravirtualized guest).
  static constexpr size_t kInitialSlots = 1024;        // a power of two
  static constexpr size_t kSlots = 2 * kShardCapacity;  // the most: a power of two
  // A probe sequence this long means colliding keys (the table is at most half full): the
  // piece is treated as absent rather than searched further.
  static constexpr size_t kMaxProbes = 32;

  static Shard& ShardOf(std::array<Shard, kShards>& shards, uint64_t hash) { return shards[hash >> 60]; }
  static void Grow(Shard& shard);  // the shard is locked
  // The first free slot of `tag`'s probe sequence in `slots`, or null after kMaxProbes.
  static Slot* EmptySlot(std::vector<Slot>& slots, uint32_t tag);
  // The slot of `piece` (whose head and tail are given) in `shard`, or null; the shard is locked.
  static const Slot* FindSlot(const Shard& shard, std::string_view piece, uint64_t hash, uint64_t head, uint64_t tail);

  mutable std::array<Shard, kShards> shards_;
};

}  // namespace bench::hf
