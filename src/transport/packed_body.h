#pragma once
// Long response bodies kept compressed from the moment they arrive. At 1,000 chunks and
// concurrency 100, 17 MB of bodies are in flight at once: appending each read to its record's
// own buffer wrote memory no cache held (a sixth of the loop's time), and the spill's writer
// read it back from memory again to compress it. For a record nobody reads during the load,
// a long read is parsed into the transport's one staging buffer, still in cache, and its
// complete lines are compressed into the record right away (util/spill_codec blocks); only a
// partial last line waits in RawRecord::bytes for the next read.

#include <cstddef>
#include <string>
#include <string_view>

#include "transport/transport.h"

namespace bench {

/// A read that brings a packable record's unpacked tail to this many bytes is staged and packed.
inline constexpr size_t kPackBytes = 16 * 1024;

/// Where the body bytes of the next read (`read_bytes` long at most) go: r.bytes, or for a read
/// that brings a packable record's unpacked tail to kPackBytes, `staging` holding a copy of
/// r.bytes. Hand the same string to SettleRead once the bytes are appended.
std::string& ReadTarget(RawRecord& r, size_t read_bytes, std::string& staging);

/// After a read's bytes were appended to ReadTarget's string: when it was the staging buffer,
/// everything up to its last line end is compressed onto r.packed (all of it, when it holds no
/// line end and is at least kPackBytes long) and the rest becomes r.bytes. With
/// r.count_events, the SSE data events of what was packed are added to r.packed_events.
void SettleRead(RawRecord& r, std::string& target);

/// Makes r.bytes the whole body again (the packed blocks decoded, then the unpacked tail) and
/// r.packed empty; false when a block does not decode (r.bytes then holds the tail only).
bool UnpackBody(RawRecord& r);

/// A body over kMaxResponseBytes: unpacked, cut to the limit, and the record marked too large.
void CutTooLarge(RawRecord& r);

/// The SSE data events (not `[DONE]`) of the whole body, packed or not.
size_t EventsInBody(const RawRecord& r);

/// Data lines (not `data: [DONE]`) in `text`: SSE events, as the live progress counts them.
size_t EventsIn(std::string_view text);

}  // namespace bench
