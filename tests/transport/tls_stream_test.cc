// The native client over TLS, against a loopback TLS server with a CA made here: verification
// rules and messages, ALPN, session resumption across connections, and reads still timed by the
// kernel's receive stamps under TLS.

#include "transport/tls_stream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "util/clock.h"
#include "scripted_server.h"
#include "test_util.h"
#include "tls_pki.h"

namespace bench {
namespace {

using test_tls::TestPki;

// What the server saw of one connection.
struct SeenConnection {
  bool resumed = false;      // the client offered a session the server accepted
  std::string alpn;          // the protocol agreed ("" = none)
  std::string sni;           // the server name the client sent ("" = none)
};

// HTTPS on 127.0.0.1: answers each request with a chunked stream of two events written 20 ms
// apart (the monotonic time before each write is kept), then closes the connection when
// `close_each` (so the next request needs a new connection and handshake).
class TlsScriptedServer {
 public:
  TlsScriptedServer(const test_tls::IssuedCertificate& cert, bool close_each)
      : ctx_(test_tls::ServerContext(cert)), close_each_(close_each) {
    std::signal(SIGPIPE, SIG_IGN);
    // Stateless tickets (the default) let the client resume; ALPN picks http/1.1 when offered.
    SSL_CTX_set_alpn_select_cb(
        ctx_,
        [](SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in, unsigned int inlen, void*) {
          static const unsigned char kMine[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
          unsigned char* selected = nullptr;
          if (SSL_select_next_proto(&selected, outlen, kMine, sizeof kMine, in, inlen) != OPENSSL_NPN_NEGOTIATED) {
            return SSL_TLSEXT_ERR_NOACK;
          }
          *out = selected;
          return SSL_TLSEXT_ERR_OK;
        },
        nullptr);
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t n = sizeof a;
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(listen(fd_, 16), 0);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &n);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~TlsScriptedServer() {
    stop_ = true;
    thread_.join();
    close(fd_);
    SSL_CTX_free(ctx_);
  }
  std::string url(const std::string& host = "127.0.0.1") const {
    return "https://" + host + ":" + std::to_string(port_) + "/v1/chat/completions";
  }
  std::vector<SeenConnection> seen() {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }
  std::vector<int64_t> writes() {
    std::lock_guard<std::mutex> lock(mu_);
    return writes_;
  }

 private:
  // One connection at a time is enough for these tests.
  void Serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      const int c = accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      const int one = 1;
      setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      timeval tv{2, 0};
      setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      SSL* ssl = SSL_new(ctx_);
      SSL_set_fd(ssl, c);
      if (SSL_accept(ssl) == 1) {
        SeenConnection s;
        s.resumed = SSL_session_reused(ssl) == 1;
        const unsigned char* alpn = nullptr;
        unsigned int alpn_length = 0;
        SSL_get0_alpn_selected(ssl, &alpn, &alpn_length);
        s.alpn.assign(reinterpret_cast<const char*>(alpn), alpn_length);
        const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
        s.sni = sni != nullptr ? sni : "";
        {
          std::lock_guard<std::mutex> lock(mu_);
          seen_.push_back(s);
        }
        std::string buffer;
        while (!stop_ && ServeOne(ssl, buffer) && !close_each_) {
        }
        SSL_shutdown(ssl);
      }
      SSL_free(ssl);
      close(c);
    }
  }

  bool ServeOne(SSL* ssl, std::string& buffer) {
    size_t end;
    while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
      char chunk[4096];
      const int n = SSL_read(ssl, chunk, sizeof chunk);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<size_t>(n));
    }
    const size_t cl = buffer.find("Content-Length: ");
    const size_t length = cl == std::string::npos ? 0 : std::stoul(buffer.substr(cl + 16));
    while (buffer.size() < end + 4 + length) {
      char chunk[4096];
      const int n = SSL_read(ssl, chunk, sizeof chunk);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<size_t>(n));
    }
    buffer.erase(0, end + 4 + length);
    const std::string head = std::string("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n") +
                             (close_each_ ? "Connection: close\r\n" : "") + "Transfer-Encoding: chunked\r\n\r\n";
    const std::string parts[] = {head + "9\r\ndata: a\n\n\r\n", "9\r\ndata: b\n\n\r\n0\r\n\r\n"};
    for (const std::string& part : parts) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        writes_.push_back(MonotonicNowNs());
      }
      if (SSL_write(ssl, part.data(), static_cast<int>(part.size())) <= 0) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
  }

  SSL_CTX* ctx_;
  bool close_each_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mu_;
  std::vector<SeenConnection> seen_;
  std::vector<int64_t> writes_;
};

class NativeTlsTest : public ::testing::Test {
 protected:
  NativeTlsTest() : pki_(dir_.path()) {}
  TlsOptions Trusting() const { return TlsOptions{pki_.ca.string(), false}; }

  test::TempDir dir_;
  TestPki pki_;
};

TEST_F(NativeTlsTest, StreamsOverTlsWithKernelStampedReads) {
  const KernelStampsOn on;
  ASSERT_TRUE(on.stamped()) << "the kernel gives no receive stamps here";
  TlsScriptedServer server(pki_.trusted, /*close_each=*/false);
  Loop loop(server.url(), 0, HttpClient::kNative, Trusting());
  const RawRecord r = loop.Post(R"({"stream":true})");
  ASSERT_TRUE(r.Succeeded()) << r.transport_message;
  EXPECT_EQ(r.bytes, "data: a\n\ndata: b\n\n");
  ASSERT_EQ(r.read_end.size(), 2u) << "each paused write is its own read";
  EXPECT_EQ(r.kernel_stamped_reads, 2u) << "TLS reads keep the socket's receive stamps";
  const std::vector<int64_t> writes = server.writes();
  ASSERT_EQ(writes.size(), 2u);
  EXPECT_GE(r.read_mono_ns[0], writes[0]);
  EXPECT_GE(r.read_mono_ns[1], writes[1]);
  EXPECT_LE(r.send_mono_ns, r.read_mono_ns[0]);
  const std::vector<SeenConnection> seen = server.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].alpn, "http/1.1");
  EXPECT_EQ(seen[0].sni, "") << "no SNI for an IP address (RFC 6066)";
  // Kept alive: the second request needs no new handshake.
  EXPECT_TRUE(loop.Post(R"({"stream":true})", "t-2").Succeeded());
  EXPECT_EQ(server.seen().size(), 1u);
}

TEST_F(NativeTlsTest, NewConnectionsResumeTheSession) {
  TlsScriptedServer server(pki_.trusted, /*close_each=*/true);
  Loop loop(server.url(), 0, HttpClient::kNative, Trusting());
  for (int i = 0; i < 3; ++i) {
    const RawRecord r = loop.Post("{}", "t-" + std::to_string(i));
    ASSERT_TRUE(r.Succeeded()) << i << ": " << r.transport_message;
  }
  const std::vector<SeenConnection> seen = server.seen();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_FALSE(seen[0].resumed);
  EXPECT_TRUE(seen[1].resumed);
  EXPECT_TRUE(seen[2].resumed);
}

TEST_F(NativeTlsTest, AnUntrustedCertificateFailsAsTlsWithCurlsWording) {
  TlsScriptedServer server(pki_.rogue, false);
  Loop loop(server.url(), 0, HttpClient::kNative, Trusting());
  const RawRecord r = loop.Post();
  EXPECT_EQ(r.transport_error, ErrorKind::kTls);
  EXPECT_EQ(r.transport_message, "SSL certificate problem: unable to get local issuer certificate");
  EXPECT_EQ(r.http_status, 0);
}

TEST_F(NativeTlsTest, TheSystemStoreDoesNotTrustAPrivateCa) {
  TlsScriptedServer server(pki_.trusted, false);
  Loop loop(server.url(), 0, HttpClient::kNative, TlsOptions{});
  const RawRecord r = loop.Post();
  EXPECT_EQ(r.transport_error, ErrorKind::kTls);
  EXPECT_NE(r.transport_message.find("SSL certificate problem"), std::string::npos) << r.transport_message;
}

TEST_F(NativeTlsTest, TheNameMustMatchTheCertificate) {
  // The certificate is for IP 127.0.0.1; "localhost" reaches the same server but is not in it.
  TlsScriptedServer server(pki_.trusted, false);
  Loop loop(server.url("localhost"), 0, HttpClient::kNative, Trusting());
  const RawRecord r = loop.Post();
  EXPECT_EQ(r.transport_error, ErrorKind::kTls);
  EXPECT_EQ(r.transport_message, "SSL certificate problem: hostname mismatch");
}

TEST_F(NativeTlsTest, InsecureSkipsBothChecks) {
  TlsScriptedServer server(pki_.rogue, false);
  Loop loop(server.url("localhost"), 0, HttpClient::kNative, TlsOptions{"", true});
  const RawRecord r = loop.Post();
  EXPECT_TRUE(r.Succeeded()) << r.transport_message;
  const std::vector<SeenConnection> seen = server.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].sni, "localhost") << "SNI for a name";
}

TEST_F(NativeTlsTest, AServerThatIsNotTlsFailsTheHandshake) {
  // A plain HTTP server answers the ClientHello with an HTTP error, as real ones do.
  ScriptedServer plain([](int, const std::string&, int, int) { return false; },
                       [](int fd) { Write(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"); });
  std::string url = plain.url();
  url.replace(0, 4, "https");
  Loop loop(url, 0, HttpClient::kNative, Trusting());
  const RawRecord r = loop.Post();
  EXPECT_EQ(r.transport_error, ErrorKind::kTls);
  EXPECT_FALSE(r.transport_message.empty());
}

TEST_F(NativeTlsTest, AnUnreadableCaFileIsASetupError) {
  const std::string bad = (dir_.path() / "not-a-pem.txt").string();
  std::ofstream(bad) << "not a certificate\n";
  EXPECT_THROW(TlsClient(TlsOptions{bad, false}, "127.0.0.1"), std::runtime_error);
}

}  // namespace
}  // namespace bench
