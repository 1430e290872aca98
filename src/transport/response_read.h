#pragma once
// One network read of a response, straight into the record that keeps it: the kernel (or
// OpenSSL) writes the bytes where the body goes, and the parser then takes the HTTP framing out
// in place. Before, every read went through a shared buffer and was copied into the record:
// at 1,000-chunk bodies that copy was 18 % of the event loop's CPU (issue #23).

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace bench {

class Http1ResponseParser;
class TlsStream;

/// One recv (or SSL_read) takes at most this much: a 100-token stream's whole body fits, so a
/// burst costs one call.
inline constexpr size_t kMaxRead = 64 * 1024;
/// The least one read may take when the record has less spare capacity (the record then grows).
inline constexpr size_t kMinRead = 4096;

struct ResponseRead {
  // recv's result: bytes read, 0 at the end of the stream, -1 with `error` set (EAGAIN: wait
  // for an edge); kTlsFailed: TLS itself failed (the stream's error() says why).
  ssize_t n = 0;
  int error = 0;
  int64_t kernel_realtime_ns = 0;  // the kernel's arrival stamp of the read (0 = none)
  size_t room = 0;                 // the most the read could take: a shorter read emptied the socket
  size_t kept = 0;                 // body bytes appended to the record
  bool parsed = true;              // false: a protocol error (the parser's error() says what)
  static constexpr ssize_t kTlsFailed = -2;
};

/// Reads once from `fd` (through `tls` when not null) into the spare capacity of `body` (at
/// least kMinRead, at most kMaxRead: the string grows by doubling, so a stream holds about
/// what its response needs), and feeds the bytes to `parser`, which leaves only body bytes.
ResponseRead ReadResponse(int fd, TlsStream* tls, Http1ResponseParser& parser, std::string& body);

}  // namespace bench
