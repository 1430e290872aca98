#include "util/spill_codec.h"

#include <lz4.h>

#include <cstring>

namespace bench {

namespace {

struct Lz4Stream {
  Lz4Stream() : state(LZ4_createStream()) {}
  ~Lz4Stream() { LZ4_freeStream(state); }
  Lz4Stream(const Lz4Stream&) = delete;
  Lz4Stream& operator=(const Lz4Stream&) = delete;
  LZ4_stream_t* state;
};

}  // namespace

size_t SpillBlockBound(size_t raw) {
  return sizeof(SpillBlockHeader) + static_cast<size_t>(LZ4_compressBound(static_cast<int>(raw)));
}

size_t EncodeSpillBlock(const char* data, size_t n, char* out) {
  char* body = out + sizeof(SpillBlockHeader);
  // Acceleration 1 (LZ4's default): the ratio is what removes the disk bound, and the writer
  // thread compresses one block while the loop fills the next. Each thread keeps one stream
  // state and resets it the fast way before each independent block: LZ4_compress_default
  // zero-fills a new 16 KiB state per call, as much memory as a body's packed piece (a fifth of
  // the compression's cost on 16 KiB pieces).
  thread_local const Lz4Stream stream;
  LZ4_resetStream_fast(stream.state);
  const int packed =
      LZ4_compress_fast_continue(stream.state, data, body, static_cast<int>(n), LZ4_compressBound(static_cast<int>(n)), 1);
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
