#include "util/read_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace bench {

std::optional<std::string> ReadWholeFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st {};
  // A regular file's size is known (it may still change while it is read: the loop reads to
  // the end whatever the size said); anything else is read in steps.
  const size_t expected = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? static_cast<size_t>(st.st_size) : 0;
  std::string out(expected > 0 ? expected : 64 * 1024, '\0');
  size_t got = 0;
  for (;;) {
    if (got == out.size()) out.resize(out.size() * 2);
    const ssize_t r = ::read(fd, out.data() + got, out.size() - got);
    if (r > 0) {
      got += static_cast<size_t>(r);
    } else if (r == 0) {
      break;
    } else if (errno != EINTR) {
      const int err = errno;
      ::close(fd);
      errno = err;
      return std::nullopt;
    }
  }
  ::close(fd);
  out.resize(got);
  return out;
}

}  // namespace bench
