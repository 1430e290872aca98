#pragma once
// A file written once, front to back, through a std::ostream: the export, hundreds of MB to
// GB of it in a long run. Two costs of a buffered write are avoided:
// - A regular file is written around the page cache (O_DIRECT) by a thread of its own, from
//   aligned 1 MiB buffers: the appending thread pays one memcpy, not the kernel's copy into new
//   page-cache pages and their bookkeeping (in ceiling.sh's runs, 2.5 GB each, the whole
//   process cost 0.049-0.053 -> 0.039-0.045 CPU-s per 1,000 requests, docs/benchmarks.md),
//   the disk works while the caller goes on, and no dirty pages are left behind for the
//   kernel to flush while the next run is being measured. Where the file system refuses O_DIRECT, the same thread
//   writes through the page cache. Anything else (a device, a pipe) is written at once.
// - On ext4 a write into a file's end books each new block for delayed allocation on its own;
//   blocks reserved ahead with fallocate(KEEP_SIZE) in large steps skip that. The reservation
//   past the end is released when the file is closed, so its size and blocks are what was
//   written.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <ostream>
#include <streambuf>
#include <string>
#include <thread>
#include <vector>

#include "util/aligned_buffers.h"

namespace bench {

/// Unbuffered for a non-regular file (each write goes out at once), so callers hand it large
/// pieces (the export writer's MiB). A write error is reported by the next write or by Close.
class AppendFileBuf : public std::streambuf {
 public:
  static constexpr size_t kBufferSize = size_t{1} << 20;
  static constexpr size_t kAlignment = AlignedBuffers::kAlignment;  // O_DIRECT's memory, offsets, lengths

  struct Options {
    bool direct = true;  // a regular file: around the page cache where the file system allows
    // Full buffers that may wait for the disk before a write waits for one.
    size_t max_buffers = 8;
  };

  AppendFileBuf() : AppendFileBuf(Options{}) {}
  explicit AppendFileBuf(Options options);
  ~AppendFileBuf() override;
  AppendFileBuf(const AppendFileBuf&) = delete;
  AppendFileBuf& operator=(const AppendFileBuf&) = delete;

  /// Creates or empties `path`; false (errno set) when it cannot be opened for writing.
  bool Open(const std::string& path);
  /// Writes what is left, releases the reservation past the end and closes; false when any
  /// write or the close failed.
  bool Close();
  bool is_open() const { return fd_ >= 0; }
  int64_t written() const { return written_; }    // bytes accepted
  int64_t reserved() const { return reserved_; }  // bytes reserved so far, from the start
  /// Full buffers go out with O_DIRECT (false: not a regular file, not asked, or refused).
  bool direct() const { return direct_.load(std::memory_order_acquire); }
  /// errno of the first failed write (0 = none).
  int error() const { return error_.load(std::memory_order_acquire); }

 protected:
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int overflow(int c) override;

 private:
  struct Full {
    char* data;
    int64_t offset;
  };

  void ReserveFor(int64_t end);
  bool WriteAt(const char* data, size_t n, int64_t offset);  // false after setting error_
  bool WriteNow(const char* data, size_t n);                  // at the end, through write(2)
  bool ClearDirect();
  void Fail(int err);
  void HandOff();  // queues the full current buffer, takes a free one
  void WriterLoop();
  void StopWriter();

  const Options options_;
  int fd_ = -1;
  int64_t written_ = 0;
  int64_t reserved_ = 0;
  bool can_reserve_ = true;
  bool through_writer_ = false;  // a regular file: buffers and the writer thread
  std::atomic<bool> direct_{false};
  std::atomic<int> error_{0};

  // The appending thread's side.
  AlignedBuffers buffers_;  // handed to the writer and back: their free list is guarded by mutex_
  char* current_ = nullptr;
  size_t fill_ = 0;
  int64_t handed_off_ = 0;  // bytes in buffers given to the writer: where current_ starts

  // Shared with the writer thread (guarded by mutex_): buffers are handed over, never shared.
  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable buffer_free_;
  std::deque<Full> full_;
  bool stop_ = false;
  std::thread writer_;
};

/// An output file stream over AppendFileBuf: `if (!file)` and `file.close()` as with
/// std::ofstream.
class AppendFile : public std::ostream {
 public:
  explicit AppendFile(const std::string& path, AppendFileBuf::Options options = {});
  /// Closes the file; sets failbit when any write or the close failed.
  void close();
  const AppendFileBuf& buf() const { return buf_; }

 private:
  AppendFileBuf buf_;
};

}  // namespace bench
