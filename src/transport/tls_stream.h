#pragma once
// TLS for the native HTTP/1.1 client: OpenSSL over the client's own non-blocking sockets, driven
// from the same edge-triggered epoll loop. `TlsClient` holds what every connection of a worker
// shares (verification rules, ALPN "http/1.1", the session to resume); `TlsStream` is one
// connection's TLS state. The socket is read through a BIO of ours that calls recvmsg, so each
// raw read still carries the kernel's receive timestamp (transport/rx_timestamp): the bytes one
// SSL_read returns are timed by the latest socket read that had fed the TLS layer by then — the
// arrival of the last byte of that read, which holds (the end of) the records decrypted.
//
// Verification follows the libcurl path's rules (util/http_options: --ca-cert replaces the
// system store; --insecure checks neither the chain nor the name) and its messages
// ("SSL certificate problem: ...").

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "util/http_options.h"

typedef struct ssl_ctx_st SSL_CTX;        // as <openssl/types.h> declares them; keeps OpenSSL
typedef struct ssl_st SSL;                // out of this header's users
typedef struct ssl_session_st SSL_SESSION;
typedef struct bio_st BIO;
typedef struct bio_method_st BIO_METHOD;

namespace bench {

/// One worker's TLS client settings for one host.
class TlsClient {
 public:
  /// Throws std::runtime_error when the CA file cannot be loaded or OpenSSL cannot be set up.
  TlsClient(const TlsOptions& tls, std::string host);
  ~TlsClient();
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  const std::string& host() const { return host_; }
  /// Handshakes that resumed a session instead of a full exchange.
  uint64_t resumed() const { return resumed_; }

 private:
  friend class TlsStream;
  static int OnNewSession(SSL* ssl, SSL_SESSION* session);

  SSL_CTX* ctx_ = nullptr;
  std::string host_;
  bool host_is_ip_ = false;
  bool insecure_ = false;
  SSL_SESSION* session_ = nullptr;  // the latest the server issued: offered by new connections
  uint64_t resumed_ = 0;
};

/// One connection's TLS over non-blocking socket `fd` (not owned).
class TlsStream {
 public:
  enum class Io { kDone, kWantRead, kWantWrite, kClosed, kError };

  TlsStream(TlsClient& client, int fd);
  ~TlsStream();
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  /// Advances the handshake; kError with `error()` set when it failed.
  Io Handshake();
  /// Writes some of `data`; `*written` bytes were taken when kDone.
  Io Write(const char* data, size_t size, size_t* written);
  /// Reads decrypted bytes; kClosed at the end of the stream (close_notify or a bare FIN).
  Io Read(char* buffer, size_t size, size_t* got);

  /// The kernel's CLOCK_REALTIME stamp of the latest raw socket read (0 = none).
  int64_t kernel_realtime_ns() const { return kernel_ns_; }
  /// Why the last kError happened; `sys_errno()` is non-zero when the socket itself failed.
  const std::string& error() const { return error_; }
  int sys_errno() const { return errno_; }

 private:
  static int BioRead(BIO* bio, char* buffer, int size);
  static int BioWrite(BIO* bio, const char* data, int size);
  static BIO_METHOD* SocketMethod();
  Io Result(int rc, const char* operation);

  TlsClient& client_;
  int fd_;
  SSL* ssl_ = nullptr;
  int64_t kernel_ns_ = 0;
  std::string error_;
  int errno_ = 0;
};

}  // namespace bench
