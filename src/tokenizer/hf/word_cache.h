#pragma once
// BpeModel's cache of recently encoded pieces (mostly single words) and their ids. Sharded, each
// shard one spin lock over a flat open-addressing table whose keys and ids sit in two per-shard
// arenas: a lookup hashes the piece once, reads one 16-byte slot and compares one arena range,
// with no allocation on a hit or a miss. A full shard is cleared (hot words come straight back),
// which bounds memory. (A mutex-guarded std::unordered_map with std::hash cost ~250
// instructions a word, this ~60.)

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
  struct Slot {
    uint32_t tag = 0;       // high bits of the hash
    uint32_t key = 0;       // offset of the piece in Shard::keys
    uint32_t ids = 0;       // offset of its ids in Shard::ids
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
    std::vector<Slot> slots;  // kSlots once used; at most half full
    std::string keys;
    std::vector<int32_t> ids;
    size_t size = 0;
  };
  static constexpr size_t kShards = 16;
  static constexpr size_t kSlots = 2 * kShardCapacity;  // a power of two
  // A probe sequence this long means colliding keys (the table is at most half full): the
  // piece is treated as absent rather than searched further.
  static constexpr size_t kMaxProbes = 32;

  static Shard& ShardOf(std::array<Shard, kShards>& shards, uint64_t hash) { return shards[hash >> 60]; }

  mutable std::array<Shard, kShards> shards_;
};

}  // namespace bench::hf
