#include "util/append_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace bench {

namespace {

// Reserved ahead: as much again as is written, from 4 MiB to 64 MiB at a time (a short run's
// export reserves little; a long one makes one call per 64 MiB).
constexpr int64_t kMinReserve = int64_t{4} << 20;
constexpr int64_t kMaxReserve = int64_t{64} << 20;

}  // namespace

AppendFileBuf::~AppendFileBuf() { Close(); }

bool AppendFileBuf::Open(const std::string& path) {
  Close();
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);  // as std::ofstream: the umask decides
  written_ = 0;
  reserved_ = 0;
  can_reserve_ = true;
  failed_ = false;
  return fd_ >= 0;
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
  if (fd_ < 0 || failed_) return 0;
  ReserveFor(written_ + n);
  std::streamsize done = 0;
  while (done < n) {
    const ssize_t w = ::write(fd_, s + done, static_cast<size_t>(n - done));
    if (w < 0) {
      if (errno == EINTR) continue;
      failed_ = true;
      break;
    }
    done += w;
  }
  written_ += done;
  return done;
}

int AppendFileBuf::overflow(int c) {
  if (c == traits_type::eof()) return traits_type::not_eof(c);
  const char ch = traits_type::to_char_type(c);
  return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
}

bool AppendFileBuf::Close() {
  if (fd_ < 0) return !failed_;
  bool ok = !failed_;
  // Truncating to the size written frees the blocks reserved past it.
  if (reserved_ > written_ && ::ftruncate(fd_, written_) != 0) ok = false;
  if (::close(fd_) != 0) ok = false;
  fd_ = -1;
  failed_ = !ok;
  return ok;
}

AppendFile::AppendFile(const std::string& path) : std::ostream(nullptr) {
  rdbuf(&buf_);  // only now constructed
  if (!buf_.Open(path)) setstate(std::ios::failbit);
}

void AppendFile::close() {
  if (!buf_.Close()) setstate(std::ios::failbit);
}

}  // namespace bench
