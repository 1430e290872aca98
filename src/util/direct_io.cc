#include "util/direct_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace bench {

bool SetDirect(int fd, bool on) {
  const int flags = ::fcntl(fd, F_GETFL);
  return flags >= 0 && ::fcntl(fd, F_SETFL, on ? flags | O_DIRECT : flags & ~O_DIRECT) == 0;
}

int WriteAllAt(int fd, const char* data, size_t n, uint64_t offset, bool& direct) {
  while (n > 0) {
    const ssize_t w = ::pwrite(fd, data, n, static_cast<off_t>(offset));
    if (w > 0) {
      data += w;
      n -= static_cast<size_t>(w);
      offset += static_cast<uint64_t>(w);
      continue;
    }
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && errno == EINVAL && direct) {
      if (!SetDirect(fd, false)) return errno;
      direct = false;
      continue;
    }
    return w < 0 ? errno : ENOSPC;
  }
  return 0;
}

int WriteAll(int fd, const char* data, size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, data, n);
    if (w > 0) {
      data += w;
      n -= static_cast<size_t>(w);
      continue;
    }
    if (w < 0 && errno == EINTR) continue;
    return w < 0 ? errno : ENOSPC;
  }
  return 0;
}

}  // namespace bench
