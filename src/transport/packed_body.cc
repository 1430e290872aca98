#include "transport/packed_body.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "util/spill_codec.h"

namespace bench {
namespace {

// `text` from its first line start on: all of it unless it begins inside a line.
std::string_view FromLineStart(std::string_view text, bool mid_line) {
  if (!mid_line) return text;
  const size_t nl = text.find('\n');
  return nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
}

// Packs `staged` into `r`: see SettleRead.
void PackStaged(RawRecord& r, std::string_view staged) {
  size_t cut = staged.rfind('\n');
  cut = cut != std::string_view::npos ? cut + 1 : (staged.size() >= kPackBytes ? staged.size() : 0);
  if (cut > 0) {
    const std::string_view piece = staged.substr(0, cut);
    if (r.count_events) r.packed_events += EventsIn(FromLineStart(piece, r.packed_mid_line));
    // Compressed into a buffer that stays in cache, then appended: sizing r.packed for the
    // worst case would zero-fill it, in memory the cache no longer holds.
    thread_local std::vector<char> block;
    if (block.size() < SpillBlockBound(piece.size())) block.resize(SpillBlockBound(piece.size()));
    r.packed.append(block.data(), EncodeSpillBlock(piece.data(), piece.size(), block.data()));
    r.packed_bytes += piece.size();
    r.packed_mid_line = piece.back() != '\n';
  }
  r.bytes.assign(staged.substr(cut));
}

}  // namespace

size_t EventsIn(std::string_view text) {
  size_t events = 0;
  for (size_t at = 0; at < text.size();) {
    if (text[at] == '\n') {  // a blank line (every other line of a stream): no search
      ++at;
      continue;
    }
    const std::string_view line = text.substr(at);
    if (line.starts_with("data:") && !line.starts_with("data: [DONE]")) ++events;
    const size_t nl = text.find('\n', at);
    if (nl == std::string_view::npos) break;
    at = nl + 1;
  }
  return events;
}

std::string& ReadTarget(RawRecord& r, size_t read_bytes, std::string& staging) {
  if (!r.packable || r.bytes.size() + read_bytes < kPackBytes) return r.bytes;
  staging.assign(r.bytes);
  return staging;
}

void SettleRead(RawRecord& r, std::string& target) {
  if (&target != &r.bytes) PackStaged(r, target);
}

bool UnpackBody(RawRecord& r) {
  if (r.packed_bytes == 0 && r.packed.empty()) return true;
  const size_t tail = r.bytes.size();
  r.bytes.resize(r.packed_bytes + tail);
  // The tail moves behind the packed bytes first, then the blocks are decoded in front of it.
  if (tail > 0) std::memmove(r.bytes.data() + r.packed_bytes, r.bytes.data(), tail);
  size_t in = 0;
  size_t out = 0;
  bool ok = true;
  while (in < r.packed.size()) {
    SpillBlockHeader h;
    if (r.packed.size() - in < sizeof h) {
      ok = false;
      break;
    }
    std::memcpy(&h, r.packed.data() + in, sizeof h);
    in += sizeof h;
    if (!ValidSpillHeader(h, r.packed_bytes - out) || r.packed.size() - in < h.stored ||
        !DecodeSpillBlock(h, r.packed.data() + in, r.bytes.data() + out)) {
      ok = false;
      break;
    }
    in += h.stored;
    out += h.raw;
  }
  if (!ok || out != r.packed_bytes) {
    r.bytes.erase(0, r.packed_bytes);
    ok = false;
  }
  r.packed.clear();
  r.packed_bytes = 0;
  r.packed_events = 0;
  r.packed_mid_line = false;
  return ok;
}

void CutTooLarge(RawRecord& r) {
  UnpackBody(r);
  r.bytes.resize(std::min(r.bytes.size(), kMaxResponseBytes));
  r.too_large = true;
}

size_t EventsInBody(const RawRecord& r) {
  return r.packed_events + EventsIn(FromLineStart(r.bytes, r.packed_mid_line));
}

}  // namespace bench
