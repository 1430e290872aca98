#include "load/spill_file.h"

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <stdexcept>

#include <fmt/format.h>

#include "util/spill_codec.h"
#include "util/clock.h"
#include "util/direct_io.h"
#include "util/thread_priority.h"

namespace bench {
namespace {

size_t RoundUp(size_t n, size_t to) { return (n + to - 1) / to * to; }

// Encoded blocks are packed back to back and written once a whole kFlushBytes has gathered:
// one write per block (2,300 a second at 1,000-chunk bodies, each compressed ~100 times) cost
// the writer thread a context switch and a device notification apiece (11 % of the process's
// CPU, perf). The buffer holds a flush's worth, plus one encoded block, rounded to O_DIRECT.
constexpr size_t kFlushBytes = SpillFile::kBufferSize;
size_t PackedSize() { return RoundUp(kFlushBytes + SpillBlockBound(SpillFile::kBufferSize), SpillFile::kAlignment); }

}  // namespace

SpillFile::SpillFile(const std::string& dir, Options options)
    : options_{options.direct, std::max<size_t>(options.max_buffers, 1), options.compress},
      buffers_(kBufferSize, options_.max_buffers) {
  // Allocated before the file exists, so a failed allocation leaves no descriptor open.
  current_ = buffers_.Add();
  if (options_.compress) packed_ = AllocateAligned(kAlignment, PackedSize());
  const std::string where = dir.empty() ? std::filesystem::temp_directory_path().string() : dir;
  std::string path = where + "/.bench-spill-XXXXXX";
  fd_ = mkostemp(path.data(), O_CLOEXEC);
  if (fd_ < 0) {
    throw std::runtime_error(fmt::format("cannot create a spill file in {}: {}", where, std::strerror(errno)));
  }
  unlink(path.c_str());
  // O_DIRECT is set after creation rather than passed to mkostemp: a file system that refuses
  // it (EINVAL) still gets its file, written the ordinary way.
  if (options_.direct) {
    fd_direct_ = SetDirect(fd_, true);
    direct_.store(fd_direct_, std::memory_order_release);
  }
}

SpillFile::~SpillFile() {
  if (writer_.joinable()) StopWriter(/*discard=*/true);
  close(fd_);
}

void SpillFile::AppendSpanning(const char* data, size_t n) {
  while (n > 0) {
    if (fill_ == kBufferSize) HandOff();
    const size_t k = std::min(n, kBufferSize - fill_);
    std::memcpy(current_ + fill_, data, k);
    fill_ += k;
    appended_ += k;
    data += k;
    n -= k;
  }
}

void SpillFile::WaitForWriter(std::unique_lock<std::mutex>& lock, const std::function<bool()>& done) {
  const int64_t start = MonotonicNowNs();
  buffer_free_.wait(lock, done);
  wait_ns_ += MonotonicNowNs() - start;
  ++waits_;
}

void SpillFile::AppendTaking(std::string& s) {
  if (!options_.compress || s.size() < kTakeAtLeast) {
    Append(s.data(), s.size());
    return;
  }
  if (!writer_.joinable()) StartWriter();
  // The bytes before it go first, as a block of their own (blocks may be short when compressed).
  if (fill_ > 0) HandOff();
  std::unique_lock lock(mutex_);
  const size_t limit = options_.max_buffers * kBufferSize;
  if (taken_bytes_ > 0 && taken_bytes_ + s.size() > limit) {
    // As many bytes wait in taken strings as the buffers would hold: wait as HandOff does.
    work_ready_.notify_one();
    unsignalled_ = 0;
    WaitForWriter(lock, [&] { return taken_bytes_ == 0 || taken_bytes_ + s.size() <= limit; });
  }
  appended_ += s.size();
  taken_bytes_ += s.size();
  unsignalled_ += s.size();
  full_.push_back(Pending{nullptr, 0, std::move(s)});
  s = std::string();
  if (!spent_.empty()) {
    s = std::move(spent_.back());  // empty, with the capacity of an earlier response
    spent_.pop_back();
  }
  // One wake-up per buffer's worth rather than per string: on one core each costs the loop a
  // context switch (the writer runs above it under SCHED_FIFO).
  if (unsignalled_ >= kBufferSize) {
    unsignalled_ = 0;
    work_ready_.notify_one();
  }
}

void SpillFile::HandOff() {
  if (!writer_.joinable()) StartWriter();
  std::unique_lock lock(mutex_);
  full_.push_back(Pending{current_, fill_, {}});
  unsignalled_ = 0;
  work_ready_.notify_one();
  fill_ = 0;
  // When every buffer is waiting for the disk, waiting here delays the event loop, but dropping
  // or growing without bound would be worse. The caller reports the waits.
  current_ = buffers_.Next(lock, [this](std::unique_lock<std::mutex>& held, const std::function<bool()>& ready) {
    WaitForWriter(held, ready);
  });
}

void SpillFile::StartWriter() {
  writer_ = std::thread([this] { WriterLoop(); });
  // Named so that a profile shows the spill's I/O apart from the worker's loop.
  pthread_setname_np(writer_.native_handle(), "bench-spill");
  RunAboveCaller(writer_);  // under chrt the loop would otherwise starve it (util/thread_priority)
}

void SpillFile::StopWriter(bool discard) {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
    discard_ = discard;
  }
  work_ready_.notify_one();
  writer_.join();
}

void SpillFile::WriterLoop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    work_ready_.wait(lock, [&] { return stop_ || !full_.empty(); });
    if (discard_) return;  // the owner is being destroyed: its buffers are freed with it
    if (full_.empty()) return;  // stopped, and everything queued is written
    Pending item = std::move(full_.front());
    full_.pop_front();
    lock.unlock();
    // After an error the rest is dropped: the read-back reports the failure, not a gap.
    if (!failed()) {
      if (item.block != nullptr) {
        WriteBlock(item.block, item.size);
      } else {
        for (size_t at = 0; at < item.taken.size() && !failed(); at += kBufferSize) {
          WriteBlock(item.taken.data() + at, std::min(kBufferSize, item.taken.size() - at));
        }
      }
    }
    lock.lock();
    if (item.block != nullptr) {
      buffers_.GiveBack(item.block);
    } else {
      taken_bytes_ -= item.taken.size();
      item.taken.clear();
      spent_.push_back(std::move(item.taken));
    }
    buffer_free_.notify_one();
  }
}

void SpillFile::WriteBlock(const char* data, size_t n) {
  const uint64_t at = disk_offset_.load(std::memory_order_relaxed);
  if (!options_.compress) {
    if (WriteAt(data, n, at)) disk_offset_.store(at + n, std::memory_order_release);
    return;
  }
  packed_fill_ += EncodeSpillBlock(data, n, packed_.get() + packed_fill_);
  if (packed_fill_ >= kFlushBytes) FlushPacked(/*last=*/false);
}

void SpillFile::FlushPacked(bool last) {
  // O_DIRECT writes whole aligned blocks: the partial one at the end waits for more, and the
  // last is padded with zeros (the reader stops at the bytes appended, before the padding).
  if (last) {
    const size_t padded = RoundUp(packed_fill_, kAlignment);
    std::memset(packed_.get() + packed_fill_, 0, padded - packed_fill_);
    packed_fill_ = padded;
  }
  const size_t whole = packed_fill_ / kAlignment * kAlignment;
  if (whole == 0) return;
  const uint64_t at = disk_offset_.load(std::memory_order_relaxed);
  if (!WriteAt(packed_.get(), whole, at)) return;
  disk_offset_.store(at + whole, std::memory_order_release);
  std::memmove(packed_.get(), packed_.get() + whole, packed_fill_ - whole);
  packed_fill_ -= whole;
}

bool SpillFile::WriteAt(const char* data, size_t n, uint64_t offset) {
  const bool was_direct = fd_direct_;
  const int err = WriteAllAt(fd_, data, n, offset, fd_direct_);
  if (was_direct && !fd_direct_) direct_.store(false, std::memory_order_release);  // refused
  if (err != 0) Fail(err);
  return err == 0;
}

bool SpillFile::ClearDirect() {
  if (!fd_direct_) return true;
  if (!SetDirect(fd_, false)) {
    Fail(errno);
    return false;
  }
  fd_direct_ = false;
  return true;
}

void SpillFile::Fail(int err) {
  int none = 0;
  error_.compare_exchange_strong(none, err != 0 ? err : EIO, std::memory_order_acq_rel);
}

void SpillFile::EndWrites() {
  if (ended_) return;
  ended_ = true;
  if (fill_ == kBufferSize) HandOff();  // a last full buffer still goes the direct way
  if (writer_.joinable()) StopWriter(/*discard=*/false);
  // The writer is joined: every buffer is this thread's again. An uncompressed tail is not a
  // whole number of blocks, which O_DIRECT cannot write, so it goes through the page cache; the
  // compressed blocks still waiting in packed_ go out padded to a whole block. Reading back is
  // buffered either way.
  if (fill_ > 0 && !failed()) {
    if (!options_.compress && !ClearDirect()) return;
    WriteBlock(current_, fill_);
  }
  if (options_.compress && !failed()) FlushPacked(/*last=*/true);
  if (!failed() && !ClearDirect()) return;
  // Reading back needs one buffer: current_.
  buffers_.KeepOnly(current_);
  posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
}

bool SpillFile::Read(void* data, size_t n) {
  EndWrites();
  if (failed() || n > appended_ - consumed_) return false;
  char* out = static_cast<char*>(data);
  for (size_t left = n; left > 0;) {
    if (read_at_ == read_fill_ && !Refill()) return false;
    const size_t k = std::min(left, read_fill_ - read_at_);
    std::memcpy(out, current_ + read_at_, k);
    read_at_ += k;
    out += k;
    left -= k;
  }
  consumed_ += n;
  return true;
}

bool SpillFile::ReadAppend(std::string& out, size_t n) {
  EndWrites();
  if (failed() || n > appended_ - consumed_) return false;
  out.reserve(out.size() + n);
  for (size_t left = n; left > 0;) {
    if (read_at_ == read_fill_ && !Refill()) return false;
    const size_t k = std::min(left, read_fill_ - read_at_);
    out.append(current_ + read_at_, k);
    read_at_ += k;
    left -= k;
  }
  consumed_ += n;
  return true;
}

// Large reads through one buffer: the file may be far bigger than memory.
bool SpillFile::Refill() {
  if (options_.compress) return RefillCompressed();
  const size_t want = static_cast<size_t>(std::min<uint64_t>(kBufferSize, appended_ - read_offset_));
  size_t got = 0;
  while (got < want) {
    const ssize_t r = pread(fd_, current_ + got, want - got, static_cast<off_t>(read_offset_ + got));
    if (r > 0) {
      got += static_cast<size_t>(r);
    } else if (r < 0 && errno == EINTR) {
      continue;
    } else {
      Fail(r < 0 ? errno : EIO);  // the file is shorter than what was appended
      return false;
    }
  }
  read_offset_ += got;
  read_fill_ = got;
  read_at_ = 0;
  return true;
}

}  // namespace bench

namespace bench {

// One block: its header, its stored bytes into packed_ (free again once writing is over),
// decoded into current_.
bool SpillFile::RefillCompressed() {
  const auto read_exactly = [&](char* out, size_t n, uint64_t offset) {
    for (size_t got = 0; got < n;) {
      const ssize_t r = pread(fd_, out + got, n - got, static_cast<off_t>(offset + got));
      if (r > 0) {
        got += static_cast<size_t>(r);
      } else if (!(r < 0 && errno == EINTR)) {
        Fail(r < 0 ? errno : EIO);  // the file is shorter than what was written
        return false;
      }
    }
    return true;
  };
  SpillBlockHeader h{};
  if (!read_exactly(reinterpret_cast<char*>(&h), sizeof h, read_offset_)) return false;
  if (!ValidSpillHeader(h, kBufferSize) || h.raw == 0 ||
      !read_exactly(packed_.get(), h.stored, read_offset_ + sizeof h) ||
      !DecodeSpillBlock(h, packed_.get(), current_)) {
    Fail(EIO);
    return false;
  }
  read_offset_ += sizeof h + h.stored;  // blocks lie back to back
  read_fill_ = h.raw;
  read_at_ = 0;
  return true;
}

}  // namespace bench
