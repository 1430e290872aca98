#include "util/append_file.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "util/direct_io.h"
#include "util/thread_priority.h"

namespace bench {

namespace {

// Reserved ahead: as much again as is written, from 4 MiB to 64 MiB at a time (a short run's
// export reserves little; a long one makes one call per 64 MiB).
constexpr int64_t kMinReserve = int64_t{4} << 20;
constexpr int64_t kMaxReserve = int64_t{64} << 20;

}  // namespace

AppendFileBuf::AppendFileBuf(Options options)
    : options_{options.direct, std::max<size_t>(options.max_buffers, 1)}, buffers_(kBufferSize, options_.max_buffers) {}

AppendFileBuf::~AppendFileBuf() { Close(); }

bool AppendFileBuf::Open(const std::string& path) {
  Close();
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);  // as std::ofstream: the umask decides
  written_ = 0;
  handed_off_ = 0;
  reserved_ = 0;
  can_reserve_ = true;
  error_.store(0, std::memory_order_release);
  direct_.store(false, std::memory_order_release);
  through_writer_ = false;
  if (fd_ < 0) return false;
  struct stat st {};
  through_writer_ = ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode);
  if (through_writer_) {
    current_ = buffers_.Reclaim();  // a file opened before was closed, its writer joined
    fill_ = 0;
    direct_.store(options_.direct && SetDirect(fd_, true), std::memory_order_release);
  }
  return true;
}

void AppendFileBuf::ReserveFor(int64_t end) {
  if (!can_reserve_ || end <= reserved_) return;
  const int64_t step = std::clamp(written_, kMinReserve, kMaxReserve);
  const int64_t target = std::max(end, reserved_ + step);
  if (::fallocate(fd_, FALLOC_FL_KEEP_SIZE, reserved_, target - reserved_) != 0) {
    // Not supported here (tmpfs before 3.5, NFS, a pipe) or no room left: written as any file;
    // a full disk then fails the write itself.
    can_reserve_ = false;
    return;
  }
  reserved_ = target;
}

std::streamsize AppendFileBuf::xsputn(const char* s, std::streamsize n) {
  if (fd_ < 0 || error() != 0) return 0;
  ReserveFor(written_ + n);
  if (!through_writer_) {
    if (!WriteNow(s, static_cast<size_t>(n))) return 0;
    written_ += n;
    return n;
  }
  for (size_t left = static_cast<size_t>(n); left > 0;) {
    const size_t k = std::min(left, kBufferSize - fill_);
    std::memcpy(current_ + fill_, s, k);
    fill_ += k;
    s += k;
    left -= k;
    if (fill_ == kBufferSize) HandOff();
  }
  written_ += n;
  return n;
}

int AppendFileBuf::overflow(int c) {
  if (c == traits_type::eof()) return traits_type::not_eof(c);
  const char ch = traits_type::to_char_type(c);
  return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
}

void AppendFileBuf::HandOff() {
  if (!writer_.joinable()) {
    stop_ = false;
    writer_ = std::thread([this] { WriterLoop(); });
    pthread_setname_np(writer_.native_handle(), "bench-export");  // apart from the caller in a profile
    RunAboveCaller(writer_);
  }
  std::unique_lock lock(mutex_);
  full_.push_back(Full{current_, handed_off_});  // every buffer before this one was full too
  handed_off_ += static_cast<int64_t>(kBufferSize);
  work_ready_.notify_one();
  fill_ = 0;
  current_ = buffers_.Next(lock, [this](std::unique_lock<std::mutex>& held, auto ready) {
    buffer_free_.wait(held, ready);  // every buffer waits for the disk
  });
}

void AppendFileBuf::WriterLoop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    work_ready_.wait(lock, [&] { return stop_ || !full_.empty(); });
    if (full_.empty()) return;  // stopped, and everything queued is written
    const Full item = full_.front();
    full_.pop_front();
    lock.unlock();
    if (error() == 0) WriteAt(item.data, kBufferSize, item.offset);  // after an error the rest is dropped
    lock.lock();
    buffers_.GiveBack(item.data);
    buffer_free_.notify_one();
  }
}

void AppendFileBuf::StopWriter() {
  if (!writer_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  work_ready_.notify_one();
  writer_.join();
}

bool AppendFileBuf::WriteAt(const char* data, size_t n, int64_t offset) {
  bool direct = this->direct();  // only the writer thread (or the owner, after it) changes it
  const int err = WriteAllAt(fd_, data, n, static_cast<uint64_t>(offset), direct);
  direct_.store(direct, std::memory_order_release);
  if (err != 0) Fail(err);
  return err == 0;
}

bool AppendFileBuf::WriteNow(const char* data, size_t n) {
  const int err = WriteAll(fd_, data, n);
  if (err != 0) Fail(err);
  return err == 0;
}

bool AppendFileBuf::ClearDirect() {
  if (!SetDirect(fd_, false)) {
    Fail(errno);
    return false;
  }
  direct_.store(false, std::memory_order_release);
  return true;
}

void AppendFileBuf::Fail(int err) {
  int none = 0;
  error_.compare_exchange_strong(none, err != 0 ? err : EIO, std::memory_order_acq_rel);
}

bool AppendFileBuf::Close() {
  if (fd_ < 0) return error() == 0;
  StopWriter();
  // The last, partial buffer is not a whole number of blocks, which O_DIRECT cannot write: it
  // goes through the page cache.
  if (through_writer_ && fill_ > 0 && error() == 0 && (!direct() || ClearDirect())) {
    WriteAt(current_, fill_, handed_off_);
  }
  fill_ = 0;
  bool ok = error() == 0;
  // Truncating to the size written frees the blocks reserved past it.
  if (reserved_ > written_ && ::ftruncate(fd_, written_) != 0) ok = false;
  if (::close(fd_) != 0) ok = false;
  fd_ = -1;
  if (!ok) Fail(EIO);
  return ok;
}

AppendFile::AppendFile(const std::string& path, AppendFileBuf::Options options)
    : std::ostream(nullptr), buf_(options) {
  rdbuf(&buf_);  // only now constructed
  if (!buf_.Open(path)) setstate(std::ios::failbit);
}

void AppendFile::close() {
  if (!buf_.Close()) setstate(std::ios::failbit);
}

}  // namespace bench
