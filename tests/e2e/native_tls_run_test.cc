// `bench profile --url https://... --ca-cert` end to end against the simulator behind TLS: the
// simulator speaks plain HTTP, so a small TLS relay made here (certificate from a CA made in
// the test) sits in front of it. `--http-client auto` takes the native client for https, and
// every read keeps the kernel's receive stamp through TLS.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "sim/simulator.h"
#include "test_util.h"
#include "tls_pki.h"

namespace bench {
namespace {

// Accepts TLS on 127.0.0.1:<ephemeral> and relays each connection's bytes to and from a plain
// TCP port, one thread per connection.
class TlsRelay {
 public:
  TlsRelay(const test_tls::IssuedCertificate& cert, uint16_t target) : ctx_(test_tls::ServerContext(cert)), target_(target) {
    std::signal(SIGPIPE, SIG_IGN);
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t n = sizeof a;
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(listen(fd_, 64), 0);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &n);
    port_ = ntohs(a.sin_port);
    acceptor_ = std::thread([this] { Accept(); });
  }
  ~TlsRelay() {
    stop_ = true;
    acceptor_.join();
    for (auto& t : connections_) t.join();
    close(fd_);
    SSL_CTX_free(ctx_);
  }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }

 private:
  void Accept() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      const int c = accept(fd_, nullptr, nullptr);
      if (c >= 0) connections_.emplace_back([this, c] { Relay(c); });
    }
  }

  int ConnectTarget() const {
    const int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(target_);
    if (connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      close(s);
      return -1;
    }
    const int one = 1;
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return s;
  }

  void Relay(int client) {
    const int one = 1;
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    SSL* ssl = SSL_new(ctx_);
    SSL_set_fd(ssl, client);
    const int plain = SSL_accept(ssl) == 1 ? ConnectTarget() : -1;
    char buffer[16384];
    while (plain >= 0 && !stop_) {
      pollfd p[2] = {{client, POLLIN, 0}, {plain, POLLIN, 0}};
      if (SSL_pending(ssl) == 0 && poll(p, 2, 20) <= 0) continue;
      if (SSL_pending(ssl) > 0 || (p[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
        const int n = SSL_read(ssl, buffer, sizeof buffer);
        if (n <= 0) break;
        if (send(plain, buffer, static_cast<size_t>(n), MSG_NOSIGNAL) != n) break;
      }
      if ((p[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
        const ssize_t n = recv(plain, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        if (SSL_write(ssl, buffer, static_cast<int>(n)) != n) break;
      }
    }
    if (plain >= 0) close(plain);
    SSL_free(ssl);
    close(client);
  }

  SSL_CTX* ctx_;
  uint16_t target_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread acceptor_;
  std::vector<std::thread> connections_;
};

TEST(NativeTlsRunTest, ProfilesTheSimulatorOverHttpsWithKernelStamps) {
  test::TempDir dir;
  const test_tls::TestPki pki(dir.path());
  SimulatorOptions sim;
  sim.host = "127.0.0.1";
  sim.port = 0;
  sim.ttft_ms = 5;
  sim.itl_ms = 2;
  Simulator simulator(sim);
  const uint16_t port = simulator.Start();
  TlsRelay relay(pki.trusted, port);

  const auto r = test::RunBench({"profile", "-m", "bench-sim", "--url", relay.url(), "--ca-cert", pki.ca.string(),
                                 "--endpoint-type", "chat", "--streaming", "--concurrency", "4", "--request-count", "12",
                                 "--isl", "16", "--osl", "8", "--extra-inputs", "ignore_eos:true", "--tokenizer",
                                 "builtin", "--no-progress", "--artifact-dir", (dir.path() / "artifacts").string()});
  simulator.Stop();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("native HTTP client"), std::string::npos) << r.err;
  const auto gp = test::ReadRunJson(dir.path() / "artifacts" / "bench-sim-openai-chat-concurrency4" /
                                    "profile_export_genai_perf.json");
  EXPECT_EQ(gp["request_count"]["avg"], 12.0);
  EXPECT_EQ(gp["output_sequence_length"]["avg"], 8.0);
  EXPECT_GE(gp["time_to_first_token"]["min"].get<double>(), 5.0) << "the simulator's TTFT, through TLS";
  EXPECT_FALSE(gp["bench"].contains("errors")) << gp["bench"].dump();
  const auto stamps = gp["bench"]["client"]["read_timestamps"];
  EXPECT_GE(stamps["reads"].get<int>(), 12);
  // Stamped through TLS; the kernel may leave the first packets of a run unstamped while it
  // turns stamping on (rx_timestamp.h), and those are counted rather than hidden.
  EXPECT_GT(stamps["kernel_stamped"].get<int>(), 0);
  EXPECT_EQ(stamps["kernel_stamped"].get<int>() + stamps["without_kernel_stamp"].get<int>(), stamps["reads"].get<int>());
}

}  // namespace
}  // namespace bench
