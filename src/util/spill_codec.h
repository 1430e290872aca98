#pragma once
// One spill block as it lies on disk: LZ4-compressed behind a small header, the blocks back to
// back (the file as a whole is padded to the O_DIRECT alignment). With 1,000-chunk bodies the
// spill wrote ~1.8 GB/s and the disk, not the client, set the pace (issue #23); SSE JSON repeats
// its keys, ids and model name in every event, so a block shrinks several times over for a few
// hundred µs of the writer thread's CPU per MiB (docs/benchmarks.md has the ratios and speeds
// measured). The same blocks hold the long bodies of requests still in flight
// (transport/packed_body).

#include <cstddef>
#include <cstdint>

namespace bench {

/// The header in front of every block on disk.
struct SpillBlockHeader {
  uint32_t stored;  // bytes after the header (compressed, or raw when compression did not pay)
  uint32_t raw;     // bytes of the block before compression
  uint32_t codec;   // kSpillRaw or kSpillLz4
  uint32_t check;   // stored ^ raw ^ codec ^ kSpillMagic: a torn or foreign header is refused
};

inline constexpr uint32_t kSpillRaw = 0;
inline constexpr uint32_t kSpillLz4 = 1;
inline constexpr uint32_t kSpillMagic = 0x5b11f11e;

/// Bytes an encoded block of `raw` bytes may take, header included, before padding.
size_t SpillBlockBound(size_t raw);

/// Encodes `n` bytes of `data` into `out` (room for SpillBlockBound(n)): the header, then the
/// LZ4 block, or the raw bytes when LZ4 would not make them smaller. Returns the bytes used.
size_t EncodeSpillBlock(const char* data, size_t n, char* out);

/// Checks a header read back: false when it is not one EncodeSpillBlock wrote for a block of at
/// most `max_raw` bytes.
bool ValidSpillHeader(const SpillBlockHeader& h, size_t max_raw);

/// Decodes the `h.stored` bytes after a valid header into `out` (room for h.raw). False when
/// the bytes do not decode to exactly h.raw bytes.
bool DecodeSpillBlock(const SpillBlockHeader& h, const char* stored, char* out);

}  // namespace bench
