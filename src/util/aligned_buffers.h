#pragma once
// The aligned memory O_DIRECT writes need (memory, offsets and lengths on 4096-byte
// boundaries), and the buffers a thread fills while a writer thread of its owner's writes them
// out and gives them back (load/spill_file during the load, util/append_file for the export):
// allocated as needed up to a limit, then recycled, so the filling thread waits for the disk
// only when every buffer does.

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <vector>

namespace bench {

struct FreeAligned {
  void operator()(char* p) const { std::free(p); }
};
using AlignedBlock = std::unique_ptr<char, FreeAligned>;

/// `size` bytes aligned to `alignment` (a power of two); throws std::bad_alloc.
AlignedBlock AllocateAligned(size_t alignment, size_t size);

/// Buffers of one size, 4096-aligned, passed from the thread that fills them (the owner, which
/// alone allocates) to a writer thread and back. The free list is guarded by the owner's
/// mutex: Next and GiveBack are called with it held.
class AlignedBuffers {
 public:
  static constexpr size_t kAlignment = 4096;

  /// At most `max_buffers` (at least 1) of `buffer_size` bytes each.
  AlignedBuffers(size_t buffer_size, size_t max_buffers);

  /// One more buffer, whatever the limit (the first to fill).
  char* Add();
  /// The next buffer to fill, once the full one is queued for the writer: one given back, a new
  /// one while fewer than the limit exist (allocated with `lock` released: it may be released
  /// on return), or else the first given back, after `wait(lock, ready)` (the owner's condition
  /// variable, signalled after GiveBack) returns with ready() true.
  template <typename Wait>
  char* Next(std::unique_lock<std::mutex>& lock, Wait&& wait) {
    if (free_.empty() && all_.size() < max_) {
      lock.unlock();
      return Add();
    }
    if (free_.empty()) wait(lock, [this] { return !free_.empty(); });
    char* b = free_.back();
    free_.pop_back();
    return b;
  }
  /// The writer thread, with the owner's mutex held: `b` is written and may be filled again.
  void GiveBack(char* b) { free_.push_back(b); }

  /// With the writer joined: every buffer free again but one, returned to fill (a new one when
  /// none exists yet).
  char* Reclaim();
  /// With the writer joined: every buffer but `keep` released.
  void KeepOnly(const char* keep);
  size_t count() const { return all_.size(); }

 private:
  const size_t size_;
  const size_t max_;
  std::vector<AlignedBlock> all_;
  std::vector<char*> free_;
};

}  // namespace bench
