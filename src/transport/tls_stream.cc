#include "transport/tls_stream.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "transport/rx_timestamp.h"

namespace bench {
namespace {

// The protocol list offered in ALPN: HTTP/1.1 only (this client speaks nothing else).
constexpr unsigned char kAlpn[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};

std::string OpenSslError() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown error";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

bool IsIpLiteral(const std::string& host) {
  unsigned char address[16];
  return inet_pton(AF_INET, host.c_str(), address) == 1 || inet_pton(AF_INET6, host.c_str(), address) == 1;
}

long BioCtrl(BIO*, int command, long, void*) {
  // OpenSSL flushes after each handshake flight; our writes go straight to the socket.
  return command == BIO_CTRL_FLUSH ? 1 : 0;
}

int BioCreate(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

}  // namespace

TlsClient::TlsClient(const TlsOptions& tls, std::string host)
    : host_(std::move(host)), host_is_ip_(IsIpLiteral(host_)), insecure_(tls.insecure) {
  ctx_ = SSL_CTX_new(TLS_client_method());
  if (ctx_ == nullptr) throw std::runtime_error("TLS: cannot create a context: " + OpenSslError());
  SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
  // Partial writes let a request be written as far as the socket takes it, then resumed on
  // EPOLLOUT from where it stopped, as on a plain socket.
  SSL_CTX_set_mode(ctx_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
#ifdef SSL_OP_IGNORE_UNEXPECTED_EOF
  // A server that closes without close_notify ends a Connection: close body, as libcurl allows.
  SSL_CTX_set_options(ctx_, SSL_OP_IGNORE_UNEXPECTED_EOF);
#endif
  if (SSL_CTX_set_alpn_protos(ctx_, kAlpn, sizeof kAlpn) != 0) {
    throw std::runtime_error("TLS: cannot set ALPN: " + OpenSslError());
  }
  if (insecure_) {
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_NONE, nullptr);
  } else {
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
    // --ca-cert replaces the system store, as CURLOPT_CAINFO does.
    const bool loaded = tls.ca_cert.empty() ? SSL_CTX_set_default_verify_paths(ctx_) == 1
                                            : SSL_CTX_load_verify_locations(ctx_, tls.ca_cert.c_str(), nullptr) == 1;
    if (!loaded) {
      const std::string why = OpenSslError();
      SSL_CTX_free(ctx_);
      throw std::runtime_error(tls.ca_cert.empty() ? "TLS: cannot load the system CA store: " + why
                                                   : fmt::format("--ca-cert '{}': cannot load: {}", tls.ca_cert, why));
    }
  }
  // Sessions are kept here, not in OpenSSL's cache: the latest ticket the server issued is
  // offered by every new connection of this worker, so reconnects resume instead of redoing
  // the full key exchange.
  SSL_CTX_set_session_cache_mode(ctx_, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
  SSL_CTX_sess_set_new_cb(ctx_, &TlsClient::OnNewSession);
  SSL_CTX_set_app_data(ctx_, this);
}

TlsClient::~TlsClient() {
  if (session_ != nullptr) SSL_SESSION_free(session_);
  SSL_CTX_free(ctx_);
}

int TlsClient::OnNewSession(SSL* ssl, SSL_SESSION* session) {
  auto* client = static_cast<TlsClient*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
  if (client->session_ != nullptr) SSL_SESSION_free(client->session_);
  client->session_ = session;
  return 1;  // the reference is ours now
}

BIO_METHOD* TlsStream::SocketMethod() {
  static BIO_METHOD* const method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "bench stamped socket");
    BIO_meth_set_read(m, &TlsStream::BioRead);
    BIO_meth_set_write(m, &TlsStream::BioWrite);
    BIO_meth_set_ctrl(m, &BioCtrl);
    BIO_meth_set_create(m, &BioCreate);
    return m;
  }();
  return method;
}

TlsStream::TlsStream(TlsClient& client, int fd) : client_(client), fd_(fd) {
  ssl_ = SSL_new(client.ctx_);
  if (ssl_ == nullptr) throw std::runtime_error("TLS: cannot create a connection: " + OpenSslError());
  BIO* bio = BIO_new(SocketMethod());
  BIO_set_data(bio, this);
  SSL_set_bio(ssl_, bio, bio);  // one reference, owned by ssl_
  if (!client.insecure_) {
    // The name check libcurl's CURLOPT_SSL_VERIFYHOST=2 makes: an IP literal against the
    // certificate's IP addresses, a name against its DNS names.
    if (client.host_is_ip_) {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), client.host_.c_str());
    } else {
      SSL_set1_host(ssl_, client.host_.c_str());
    }
  }
  if (!client.host_is_ip_) SSL_set_tlsext_host_name(ssl_, client.host_.c_str());  // SNI: names only (RFC 6066)
  if (client.session_ != nullptr) SSL_set_session(ssl_, client.session_);
  // Whole records (and more) per socket read: fewer recvmsg calls than header-then-body.
  SSL_set_read_ahead(ssl_, 1);
  SSL_set_connect_state(ssl_);
}

TlsStream::~TlsStream() {
  // A close_notify (one non-blocking attempt) before freeing: OpenSSL marks the session of a
  // connection freed without one as not resumable, and the worker's next connections offer it.
  if (SSL_is_init_finished(ssl_) == 1) {
    ERR_clear_error();
    SSL_shutdown(ssl_);
    ERR_clear_error();
  }
  SSL_free(ssl_);
}

int TlsStream::BioRead(BIO* bio, char* buffer, int size) {
  auto* s = static_cast<TlsStream*>(BIO_get_data(bio));
  BIO_clear_retry_flags(bio);
  for (;;) {
    int64_t stamp = 0;
    const ssize_t n = RecvStamped(s->fd_, buffer, static_cast<size_t>(size), &stamp);
    if (n > 0) {
      s->kernel_ns_ = stamp;
      return static_cast<int>(n);
    }
    if (n == 0) return 0;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) BIO_set_retry_read(bio);
    return -1;
  }
}

int TlsStream::BioWrite(BIO* bio, const char* data, int size) {
  auto* s = static_cast<TlsStream*>(BIO_get_data(bio));
  BIO_clear_retry_flags(bio);
  for (;;) {
    const ssize_t n = send(s->fd_, data, static_cast<size_t>(size), MSG_NOSIGNAL);
    if (n >= 0) return static_cast<int>(n);
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) BIO_set_retry_write(bio);
    return -1;
  }
}

TlsStream::Io TlsStream::Result(int rc, const char* operation) {
  const int error = SSL_get_error(ssl_, rc);
  switch (error) {
    case SSL_ERROR_WANT_READ:
      return Io::kWantRead;
    case SSL_ERROR_WANT_WRITE:
      return Io::kWantWrite;
    case SSL_ERROR_ZERO_RETURN:
      return Io::kClosed;
    case SSL_ERROR_SYSCALL:
      if (errno == 0 || ERR_peek_error() != 0) {
        if (ERR_peek_error() == 0) return Io::kClosed;  // a bare FIN
        error_ = fmt::format("{}: {}", operation, OpenSslError());
        return Io::kError;
      }
      errno_ = errno;
      error_ = fmt::format("{}: {}", operation, std::strerror(errno_));
      return Io::kError;
    default: {
      const long verify = SSL_get_verify_result(ssl_);
      if (verify != X509_V_OK) {
        ERR_clear_error();
        error_ = fmt::format("SSL certificate problem: {}", X509_verify_cert_error_string(verify));
      } else {
        error_ = fmt::format("{}: {}", operation, OpenSslError());
      }
      return Io::kError;
    }
  }
}

TlsStream::Io TlsStream::Handshake() {
  ERR_clear_error();
  errno = 0;
  const int rc = SSL_do_handshake(ssl_);
  if (rc == 1) {
    if (SSL_session_reused(ssl_) == 1) ++client_.resumed_;
    return Io::kDone;
  }
  return Result(rc, "TLS handshake");
}

TlsStream::Io TlsStream::Write(const char* data, size_t size, size_t* written) {
  ERR_clear_error();
  errno = 0;
  if (SSL_write_ex(ssl_, data, size, written) == 1) return Io::kDone;
  return Result(0, "TLS write");
}

TlsStream::Io TlsStream::Read(char* buffer, size_t size, size_t* got) {
  ERR_clear_error();
  errno = 0;
  if (SSL_read_ex(ssl_, buffer, size, got) == 1) return Io::kDone;
  return Result(0, "TLS read");
}

}  // namespace bench
