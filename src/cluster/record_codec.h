#pragma once
// A measured request as bytes, for the trip from a rank to rank 0 (docs/cluster.md): every field
// of RequestRecord, MessagePack-encoded, length-prefixed so chunks hold many records. Lossless:
// Decode(Encode(r)) == r, so rank 0 computes from exactly what the rank measured.

#include <cstdint>
#include <string>
#include <string_view>

#include "record/record.h"

namespace bench {

/// Appends `record` to `out` as [u32 little-endian length][MessagePack].
void AppendRecord(const RequestRecord& record, std::string& out);

/// Reads the records of a chunk made by AppendRecord, in order, calling `each` on every one.
/// False (with `error`) when the bytes are not such a chunk.
template <typename Each>
bool ForEachRecord(std::string_view chunk, Each&& each, std::string& error);

/// One record from its MessagePack bytes; false (with `error`) when they are not one.
bool DecodeRecord(std::string_view bytes, RequestRecord& record, std::string& error);

template <typename Each>
bool ForEachRecord(std::string_view chunk, Each&& each, std::string& error) {
  size_t at = 0;
  while (at < chunk.size()) {
    if (chunk.size() - at < 4) {
      error = "truncated record length";
      return false;
    }
    const auto* p = reinterpret_cast<const unsigned char*>(chunk.data() + at);
    const uint32_t length = uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
    at += 4;
    if (chunk.size() - at < length) {
      error = "truncated record";
      return false;
    }
    RequestRecord record;
    if (!DecodeRecord(chunk.substr(at, length), record, error)) return false;
    at += length;
    each(std::move(record));
  }
  return true;
}

}  // namespace bench
