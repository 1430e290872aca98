#include "transport/response_read.h"

#include <algorithm>
#include <cerrno>

#include "transport/http1_response.h"
#include "transport/rx_timestamp.h"
#include "transport/tls_stream.h"

namespace bench {
namespace {

ssize_t ReadSome(int fd, TlsStream* tls, char* into, size_t room, int64_t& kernel_ns) {
  if (tls == nullptr) return RecvStamped(fd, into, room, &kernel_ns);
  size_t got = 0;
  const TlsStream::Io io = tls->Read(into, room, &got);
  // Over https the time is the kernel stamp of the latest socket read under this SSL_read.
  kernel_ns = tls->kernel_realtime_ns();
  switch (io) {
    case TlsStream::Io::kDone:
      return static_cast<ssize_t>(got);
    case TlsStream::Io::kClosed:
      return 0;
    case TlsStream::Io::kWantRead:
    case TlsStream::Io::kWantWrite:
      errno = EAGAIN;
      return -1;
    case TlsStream::Io::kError:
      break;
  }
  if (tls->sys_errno() != 0) {
    errno = tls->sys_errno();
    return -1;
  }
  return ResponseRead::kTlsFailed;
}

}  // namespace

ResponseRead ReadResponse(int fd, TlsStream* tls, Http1ResponseParser& parser, std::string& body) {
  ResponseRead read;
  const size_t before = body.size();
  read.room = std::clamp(body.capacity() - before, kMinRead, kMaxRead);
  body.resize_and_overwrite(before + read.room, [&](char* p, size_t) {
    read.n = ReadSome(fd, tls, p + before, read.room, read.kernel_realtime_ns);
    read.error = read.n < 0 ? errno : 0;
    return before + (read.n > 0 ? static_cast<size_t>(read.n) : 0);
  });
  if (read.n <= 0) return read;
  read.parsed = parser.FeedInPlace(body.data() + before, static_cast<size_t>(read.n), &read.kept);
  body.resize(before + read.kept);
  return read;
}

}  // namespace bench
