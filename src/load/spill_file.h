#pragma once
// A byte stream parked on disk while a load runs, written so that the event-loop thread pays
// only a memcpy: appends fill 1 MiB aligned buffers, and a writer thread owned by the file
// writes each full buffer with O_DIRECT (no page-cache allocation, no delayed-allocation work,
// no kernel copy — measured at 20–25 % of a worker's CPU with buffered stdio). After the load
// the bytes are read back once, in order. The file is unlinked at creation, so nothing is left
// behind even if the process dies. Each block is LZ4-compressed by the writer thread before it
// goes to disk (util/spill_codec): SSE bodies shrink several times over, so 1,000-chunk bodies
// are no longer limited by the disk's write speed (issue #23). The compressed blocks lie back to
// back and go out in 1 MiB writes; a long response body is handed over whole (AppendTaking)
// rather than copied, which saves the loop thread a copy of every byte it received.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "util/aligned_buffers.h"

namespace bench {

/// An unlinked temp file: Append from one thread while writing, then EndWrites and Read back.
/// Not thread-safe itself: one thread appends and reads; the writer thread is internal.
class SpillFile {
 public:
  static constexpr size_t kBufferSize = size_t{1} << 20;
  static constexpr size_t kAlignment = 4096;  // O_DIRECT needs aligned memory, offsets, lengths

  struct Options {
    bool direct = true;  // O_DIRECT when the file system allows it; false = buffered writes
    // Buffers that may exist at once (the one being filled included): 32 MiB of writes in
    // flight before an append waits for the disk. At least 1.
    size_t max_buffers = 32;
    // LZ4 on every block in the writer thread (false = the bytes as appended).
    bool compress = true;
  };

  /// Creates the file in `dir` ("" = the temp directory). Throws std::runtime_error naming the
  /// directory when it cannot.
  explicit SpillFile(const std::string& dir) : SpillFile(dir, Options{}) {}
  SpillFile(const std::string& dir, Options options);
  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  /// Appends `n` bytes (before EndWrites). Waits only when max_buffers are all waiting for the
  /// disk. A write error is not reported here but by failed(); later bytes are dropped.
  void Append(const void* data, size_t n) {
    if (n <= kBufferSize - fill_) {
      if (n > 0) std::memcpy(current_ + fill_, data, n);
      fill_ += n;
      appended_ += n;
      return;
    }
    AppendSpanning(static_cast<const char*>(data), n);
  }

  /// Appends the bytes of `s`. A long string in a compressed file is not copied but taken: the
  /// writer thread compresses it where it lies, and `s` comes back empty (with the capacity of
  /// a string taken earlier, so a recycled request buffer need not grow again).
  void AppendTaking(std::string& s);
  /// Strings shorter than this are copied: a copy is cheaper than a hand-over to the writer.
  static constexpr size_t kTakeAtLeast = 64 * 1024;

  /// Writing is over: stops the writer thread and writes the last, partial buffer. Idempotent;
  /// the first Read calls it.
  void EndWrites();

  /// The next `n` appended bytes, in order. False (nothing copied in full) past the end or
  /// after a write or read error.
  bool Read(void* data, size_t n);
  /// Read's bytes appended to `out` (copied from the read buffer without zero-filling `out`
  /// first, as a resize would: the body of every record comes back this way).
  bool ReadAppend(std::string& out, size_t n);

  /// A write or read error happened (disk full, I/O error); complete only after EndWrites.
  bool failed() const { return error_.load(std::memory_order_acquire) != 0; }
  /// errno of the first error (0 = none).
  int error() const { return error_.load(std::memory_order_acquire); }
  /// Bytes appended.
  uint64_t bytes() const { return appended_; }
  /// Full buffers are written with O_DIRECT (false: refused by the file system, or not asked).
  bool direct() const { return direct_.load(std::memory_order_acquire); }
  /// How often Append waited because every buffer was still queued for the disk, and how long.
  uint64_t waits() const { return waits_; }
  int64_t wait_ns() const { return wait_ns_; }
  /// Bytes written to the file so far (headers and padding included); after EndWrites, all of
  /// them: bytes() / stored_bytes() is the compression ratio.
  uint64_t stored_bytes() const { return disk_offset_.load(std::memory_order_acquire); }

 private:
  void AppendSpanning(const char* data, size_t n);
  // Waits (counted in waits_ and wait_ns_) until the writer has given back what `done` needs.
  void WaitForWriter(std::unique_lock<std::mutex>& lock, const std::function<bool()>& done);
  void HandOff();  // queues the current buffer (full, or short when compressed), takes a free one
  void StartWriter();
  void StopWriter(bool discard);
  void WriterLoop();
  void WriteBlock(const char* data, size_t n);  // at disk_offset_, compressed when asked
  void FlushPacked(bool last);  // writes the whole aligned blocks of packed_ (last: all, padded)
  bool WriteAt(const char* data, size_t n, uint64_t offset);  // false after setting error_
  // For the tail, not a whole number of blocks; direct() still reports the full buffers.
  bool ClearDirect();
  void Fail(int err);
  bool Refill();
  bool RefillCompressed();

  const Options options_;
  int fd_ = -1;
  // The descriptor has O_DIRECT: changed by the writer thread while it runs, else by the owner.
  bool fd_direct_ = false;
  std::atomic<bool> direct_{false};  // what direct() reports: the tail's switch does not count
  std::atomic<int> error_{0};

  // The appending thread's side.
  AlignedBuffers buffers_;  // handed to the writer and back: their free list is guarded by mutex_
  char* current_ = nullptr;
  size_t fill_ = 0;
  uint64_t appended_ = 0;
  uint64_t waits_ = 0;
  int64_t wait_ns_ = 0;
  bool ended_ = false;

  // Shared with the writer thread (guarded by mutex_): buffers are handed over, never shared.
  std::mutex mutex_;
  std::condition_variable work_ready_;  // the writer waits for full buffers or stop
  std::condition_variable buffer_free_;  // the appender waits for a written buffer
  // Queued for the writer, in order: a buffer of `size` bytes, or a taken string.
  struct Pending {
    char* block = nullptr;
    size_t size = 0;
    std::string taken;
  };
  std::deque<Pending> full_;
  std::vector<std::string> spent_;  // taken strings written, cleared, for AppendTaking to return
  size_t taken_bytes_ = 0;           // bytes of taken strings not yet written
  size_t unsignalled_ = 0;           // bytes queued since the writer was last woken (appender's)
  bool stop_ = false;
  bool discard_ = false;  // the destructor: queued buffers are dropped, not written
  std::thread writer_;
  // The writer thread's while it runs, the owner's after: where the next block goes, and the
  // buffer a block is compressed into (also where a compressed block is read back into).
  std::atomic<uint64_t> disk_offset_{0};
  AlignedBlock packed_;
  size_t packed_fill_ = 0;  // encoded bytes in packed_ not yet written

  // Reading back.
  uint64_t read_offset_ = 0;  // next file offset to load into current_ (or its block header)
  size_t read_at_ = 0;        // next byte of current_ to hand out
  size_t read_fill_ = 0;      // bytes loaded into current_
  uint64_t consumed_ = 0;
};

}  // namespace bench
