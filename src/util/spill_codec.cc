#include "util/spill_codec.h"

#include <lz4.h>

#include <cstring>

namespace bench {

size_t SpillBlockBound(size_t raw) {
  return sizeof(SpillBlockHeader) + static_cast<size_t>(LZ4_compressBound(static_cast<int>(raw)));
}

size_t EncodeSpillBlock(const char* data, size_t n, char* out) {
  char* body = out + sizeof(SpillBlockHeader);
  // Acceleration 1 (LZ4's default): the ratio is what removes the disk bound, and the writer
  // thread compresses one block while the loop fills the next.
  const int packed = LZ4_compress_default(data, body, static_cast<int>(n), LZ4_compressBound(static_cast<int>(n)));
  SpillBlockHeader h{};
  h.raw = static_cast<uint32_t>(n);
  if (packed > 0 && static_cast<size_t>(packed) < n) {
    h.codec = kSpillLz4;
    h.stored = static_cast<uint32_t>(packed);
  } else {
    h.codec = kSpillRaw;
    h.stored = static_cast<uint32_t>(n);
    if (n > 0) std::memcpy(body, data, n);
  }
  h.check = h.stored ^ h.raw ^ h.codec ^ kSpillMagic;
  std::memcpy(out, &h, sizeof h);
  return sizeof h + h.stored;
}

bool ValidSpillHeader(const SpillBlockHeader& h, size_t max_raw) {
  if ((h.stored ^ h.raw ^ h.codec ^ kSpillMagic) != h.check || h.raw > max_raw) return false;
  if (h.codec == kSpillRaw) return h.stored == h.raw;
  return h.codec == kSpillLz4 && h.stored <= static_cast<size_t>(LZ4_compressBound(static_cast<int>(h.raw)));
}

bool DecodeSpillBlock(const SpillBlockHeader& h, const char* stored, char* out) {
  if (h.codec == kSpillRaw) {
    if (h.raw > 0) std::memcpy(out, stored, h.raw);
    return true;
  }
  // The _safe decoder never writes past h.raw bytes nor reads past h.stored, whatever the input.
  const int got = LZ4_decompress_safe(stored, out, static_cast<int>(h.stored), static_cast<int>(h.raw));
  return got >= 0 && static_cast<uint32_t>(got) == h.raw;
}

}  // namespace bench
