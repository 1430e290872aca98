// HTTPS and secrets end to end: a self-signed CA and a server certificate for 127.0.0.1 are made
// here with OpenSSL, a tiny TLS HTTP/1.1 server serves /v1/models and a fixed SSE chat stream and
// records the Authorization header of each request, and the real `bench profile` runs against it.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "transport/server_check.h"
#include "test_util.h"
#include "tls_pki.h"

namespace bench {
namespace {

namespace fs = std::filesystem;
using test_tls::Check;
using test_tls::IssuedCertificate;
using test_tls::ServerContext;
using test_tls::TestPki;

constexpr const char* kModels = R"({"object":"list","data":[{"id":"m","object":"model","owned_by":"test"}]})";

std::string ChatStream() {
  const std::string head = R"(data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":)";
  return head + R"({"role":"assistant","content":""},"finish_reason":null}]})" "\n\n" +
         head + R"({"content":"hello"},"finish_reason":null}]})" "\n\n" +
         head + R"({"content":" world"},"finish_reason":"stop"}]})" "\n\n" + "data: [DONE]\n\n";
}

// HTTPS on 127.0.0.1:<ephemeral>, one thread per connection, keep-alive, Content-Length bodies.
// For a certificate rotated mid-run, it can close every connection after one response and
// present `rogue`'s certificate from the n-th connection on.
class TlsServer {
 public:
  TlsServer(const TestPki& pki) : ctx_(ServerContext(pki.trusted)), rogue_ctx_(ServerContext(pki.rogue)) {
    std::signal(SIGPIPE, SIG_IGN);  // a client closing mid-write must not kill the test
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    Check(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 && listen(fd_, 64) == 0 &&
              getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0,
          "listen");
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { AcceptLoop(); });
  }
  ~TlsServer() {
    stop_ = true;
    acceptor_.join();
    for (auto& t : connections_) t.join();
    close(fd_);
    SSL_CTX_free(ctx_);
    SSL_CTX_free(rogue_ctx_);
  }
  /// Call before any request: one response per connection, the untrusted certificate from
  /// connection `n` (1-based; the pre-flight GET /v1/models is connection 1) on.
  void RotateToRogueFromConnection(int n) {
    close_each_ = true;
    rogue_from_ = n;
  }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  /// The Authorization header of every request served ("" when absent), in arrival order.
  std::vector<std::string> authorizations() const {
    std::lock_guard<std::mutex> lock(mu_);
    return authorizations_;
  }
  int chat_requests() const { return chat_requests_; }

 private:
  void AcceptLoop() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      const int c = accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      ++accepted_;
      SSL_CTX* ctx = rogue_from_ > 0 && accepted_ >= rogue_from_ ? rogue_ctx_ : ctx_;
      connections_.emplace_back([this, c, ctx] { Serve(c, ctx); });
    }
  }

  void Serve(int c, SSL_CTX* ctx) {
    timeval tv{2, 0};  // a client that never closes cannot hold the destructor for long
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, c);
    if (SSL_accept(ssl) == 1) {
      std::string buffer;
      while (!stop_ && ServeOne(ssl, buffer) && !close_each_) {
      }
    }
    SSL_free(ssl);
    close(c);
  }

  static bool Read(SSL* ssl, std::string& buffer) {
    char chunk[4096];
    const int n = SSL_read(ssl, chunk, sizeof chunk);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
    return true;
  }

  bool ServeOne(SSL* ssl, std::string& buffer) {
    size_t end;
    while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
      if (!Read(ssl, buffer)) return false;
    }
    const std::string head = buffer.substr(0, end + 2);
    buffer.erase(0, end + 4);
    size_t content_length = 0;
    std::string authorization;
    for (size_t at = head.find("\r\n") + 2; at < head.size();) {
      const size_t eol = head.find("\r\n", at);
      const std::string line = head.substr(at, eol - at);
      at = eol + 2;
      const size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      const std::string value = line.substr(line.find_first_not_of(' ', colon + 1));
      if (name == "content-length") content_length = std::stoul(value);
      if (name == "authorization") authorization = value;
    }
    while (buffer.size() < content_length) {
      if (!Read(ssl, buffer)) return false;
    }
    buffer.erase(0, content_length);
    {
      std::lock_guard<std::mutex> lock(mu_);
      authorizations_.push_back(authorization);
    }
    std::string status = "200 OK", type = "application/json", body = kModels;
    if (head.rfind("POST /v1/chat/completions ", 0) == 0) {
      ++chat_requests_;
      type = "text/event-stream";
      body = ChatStream();
    } else if (head.rfind("GET /v1/models ", 0) != 0) {
      status = "404 Not Found";
      body = R"({"error":"not found"})";
    }
    const std::string response = "HTTP/1.1 " + status + "\r\nContent-Type: " + type +
                                 "\r\nContent-Length: " + std::to_string(body.size()) +
                                 (close_each_ ? "\r\nConnection: close" : "") + "\r\n\r\n" + body;
    return SSL_write(ssl, response.data(), static_cast<int>(response.size())) > 0;
  }

  SSL_CTX* ctx_;
  SSL_CTX* rogue_ctx_;
  std::atomic<bool> close_each_{false};
  std::atomic<int> rogue_from_{0};
  int accepted_ = 0;         // the acceptor's own count
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> chat_requests_{0};
  std::thread acceptor_;
  std::vector<std::thread> connections_;  // touched only by the acceptor, then by the destructor
  mutable std::mutex mu_;
  std::vector<std::string> authorizations_;
};

class TlsTest : public ::testing::Test {
 protected:
  TlsTest() : pki_(dir_.path()), server_(pki_) {}

  test::CommandResult Profile(std::vector<std::string> extra) {
    std::vector<std::string> args = {"profile", "-m", "m", "--url", server_.url(), "--streaming",
                                     "--tokenizer", "builtin", "--concurrency", "2", "--request-count", "4",
                                     "--isl", "8", "--num-dataset-entries", "2", "--no-progress",
                                     "--artifact-dir", (dir_.path() / "artifacts").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return test::RunBench(args);
  }

  size_t MeasuredRequests() {
    const auto pa = test::ReadJson(dir_.path() / "artifacts" / "m-openai-chat-concurrency2" / "profile_export.json");
    return pa["experiments"][0]["requests"].size();
  }

  // The key appears nowhere bench wrote: stdout, stderr, or any artifact file.
  void ExpectKeyNowhere(const test::CommandResult& r, const std::string& key) {
    EXPECT_EQ(r.out.find(key), std::string::npos);
    EXPECT_EQ(r.err.find(key), std::string::npos) << r.err;
    int files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir_.path() / "artifacts")) {
      if (!entry.is_regular_file()) continue;
      ++files;
      EXPECT_EQ(test::ReadFile(entry.path()).find(key), std::string::npos) << entry.path();
    }
    EXPECT_GE(files, 4);
  }

  test::TempDir dir_;
  TestPki pki_;
  TlsServer server_;
};

TEST_F(TlsTest, UnknownCaFailsBeforeLoadWithOneClearLine) {
  const auto r = Profile({});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("TLS: certificate verify failed for " + server_.url()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--ca-cert"), std::string::npos);
  EXPECT_EQ(server_.chat_requests(), 0);
}

// A minimal system without ca-certificates (issue 16): one line saying what to do, not libcurl's
// "error setting certificate file". Hidden here under a tmpfs in a mount namespace of bench's own.
TEST_F(TlsTest, MissingSystemCaStoreSaysWhatToInstall) {
  if (SystemCaStore().empty()) GTEST_SKIP() << "this libcurl has no built-in CA store";
  const std::string script = std::string("mount -t tmpfs tmpfs /etc/ssl 2>/dev/null || [ ! -e /etc/ssl ] || exit 99; ") +
                             "exec \"$0\" \"$@\"";
  std::vector<std::string> args = {"--mount", "--propagation", "private", "--", "/bin/sh", "-c", script, BENCH_BINARY,
                                   "profile", "-m", "m", "--url", server_.url(), "--tokenizer", "builtin",
                                   "--request-count", "1", "--artifact-dir", (dir_.path() / "artifacts").string()};
  if (geteuid() != 0) args.insert(args.begin(), "--map-root-user");
  const auto r = test::RunProgram("unshare", args);
  if (r.exit_code == 127 || r.exit_code == 99 || r.err.find("unshare:") != std::string::npos) {
    GTEST_SKIP() << "no mount namespace here to hide the CA store in: " << r.err;
  }
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(test::Occurrences(r.err, "\n"), 1u) << r.err;
  EXPECT_NE(r.err.find(MissingCaStoreMessage(server_.url(), SystemCaStore())), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("error setting certificate"), std::string::npos) << r.err;
  EXPECT_EQ(server_.chat_requests(), 0);
}

TEST(TlsCaStoreTest, MissingStoreMessageNamesThePackageAndTheFlag) {
  const std::string line = MissingCaStoreMessage("https://user:pw@example.com:8443", "/etc/ssl/certs/ca-certificates.crt");
  EXPECT_EQ(line,
            "TLS: cannot verify https://<redacted>@example.com:8443: the system CA store "
            "(/etc/ssl/certs/ca-certificates.crt) is missing or unreadable; install the CA certificates "
            "(Debian/Ubuntu: apt-get install ca-certificates), or give --ca-cert FILE");
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST_F(TlsTest, CaCertVerifiesThePrivateCa) {
  const auto r = Profile({"--ca-cert", pki_.ca.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(MeasuredRequests(), 4u);
  EXPECT_EQ(server_.chat_requests(), 4);
  EXPECT_EQ(r.err.find("--insecure"), std::string::npos) << r.err;
  // https without a proxy is the native client's, and its reads keep the kernel's stamps.
  EXPECT_NE(r.err.find("native HTTP client"), std::string::npos) << r.err;
  const auto gp = test::ReadRunJson(dir_.path() / "artifacts" / "m-openai-chat-concurrency2" /
                                    "profile_export_genai_perf.json");
  const auto stamps = gp["bench"]["client"]["read_timestamps"];
  EXPECT_GT(stamps["reads"].get<int>(), 0) << gp["bench"]["client"].dump();
  EXPECT_GT(stamps["kernel_stamped"].get<int>(), 0);  // the first packets may precede the kernel's switch
  EXPECT_EQ(stamps["kernel_stamped"].get<int>() + stamps["without_kernel_stamp"].get<int>(), stamps["reads"].get<int>());
}

TEST_F(TlsTest, LibcurlStaysAvailableForHttps) {
  const auto r = Profile({"--ca-cert", pki_.ca.string(), "--http-client", "curl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(MeasuredRequests(), 4u);
  EXPECT_NE(r.err.find("libcurl HTTP client"), std::string::npos) << r.err;
  const auto gp = test::ReadRunJson(dir_.path() / "artifacts" / "m-openai-chat-concurrency2" /
                                    "profile_export_genai_perf.json");
  const auto stamps = gp["bench"]["client"]["read_timestamps"];
  EXPECT_GT(stamps["reads"].get<int>(), 0);
  EXPECT_EQ(stamps["kernel_stamped"], 0);
  EXPECT_EQ(stamps["without_kernel_stamp"], stamps["reads"]);
}

TEST_F(TlsTest, InsecureSkipsVerificationAndWarns) {
  const auto r = Profile({"--insecure"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(MeasuredRequests(), 4u);
  EXPECT_NE(r.err.find("--insecure: TLS certificates are not verified"), std::string::npos) << r.err;
}

TEST_F(TlsTest, MissingCaCertFileIsAUsageError) {
  const auto r = Profile({"--ca-cert", (dir_.path() / "missing.pem").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--ca-cert"), std::string::npos) << r.err;
}

TEST_F(TlsTest, ApiKeyFlagIsSentAsBearerAndNeverPrintedOrWritten) {
  const std::string key = "sk-flag-SECRET-0123456789";
  const auto r = Profile({"--ca-cert", pki_.ca.string(), "--api-key", key, "-v"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto seen = server_.authorizations();
  ASSERT_EQ(seen.size(), 11u);  // preflight GET /v1/models + the 6 server-identity GETs + 4 requests
  for (const auto& a : seen) EXPECT_EQ(a, "Bearer " + key);
  EXPECT_NE(r.err.find("API key from --api-key"), std::string::npos) << r.err;
  ExpectKeyNowhere(r, key);
  const auto gp = test::ReadJson(dir_.path() / "artifacts" / "m-openai-chat-concurrency2" /
                                 "profile_export_genai_perf.json");
  EXPECT_EQ(gp["input_config"]["endpoint"]["api_key"], "<redacted>");
}

// A certificate that stops verifying mid-run (rotated to one from an unknown CA) fails the
// requests on the new connections as `tls`, and the ones before keep their measurements.
TEST_F(TlsTest, CertificateRotatedMidRunFailsLaterRequestsAsTls) {
  // 1: GET /v1/models, 2-7: the server-identity GETs (at once, one connection each), 8-9: two good requests
  server_.RotateToRogueFromConnection(10);
  std::vector<std::string> args = {"profile", "-m", "m", "--url", server_.url(), "--streaming",
                                   "--tokenizer", "builtin", "--concurrency", "1", "--request-count", "6",
                                   "--isl", "8", "--no-progress", "--ca-cert", pki_.ca.string(),
                                   "--artifact-dir", (dir_.path() / "artifacts").string()};
  const auto r = test::RunBench(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;  // some requests succeeded: the run is valid
  EXPECT_EQ(server_.chat_requests(), 2);
  const fs::path run = dir_.path() / "artifacts" / "m-openai-chat-concurrency1";
  const auto requests = test::ReadJson(run / "profile_export.json")["experiments"][0]["requests"];
  ASSERT_EQ(requests.size(), 6u);
  for (size_t i = 0; i < requests.size(); ++i) {
    if (i < 2) {
      EXPECT_FALSE(requests[i].contains("error")) << i;
      EXPECT_EQ(requests[i]["response_timestamps"].size(), requests[i]["response_outputs"].size());
      EXPECT_FALSE(requests[i]["response_timestamps"].empty()) << i;
    } else {
      ASSERT_TRUE(requests[i].contains("error")) << i;
      EXPECT_EQ(requests[i]["error"]["kind"], "tls") << requests[i]["error"].dump();
      EXPECT_TRUE(requests[i]["response_timestamps"].empty()) << i;
    }
  }
  const auto summary = test::ReadRunJson(run / "profile_export_genai_perf.json");
  EXPECT_EQ(summary["bench"]["errors"]["by_kind"]["tls"], 4);
  EXPECT_EQ(summary["request_count"]["avg"], 2.0);
  EXPECT_EQ(summary["output_sequence_length"]["avg"], 3.0);  // "hello world" in the builtin tokenizer
  EXPECT_NE(r.out.find("tls"), std::string::npos) << r.out;  // the footer counts the kind
}

// Environment variables reach the child through execv's inherited environment.
using test::ScopedEnv;

TEST_F(TlsTest, EnvironmentKeysFollowTheDocumentedPrecedence) {
  const std::string openai = "sk-openai-SECRET-0123", ngc = "nvapi-ngc-SECRET-4567";
  {
    ScopedEnv a("OPENAI_API_KEY", openai), b("NGC_API_KEY", ngc);
    const auto r = Profile({"--ca-cert", pki_.ca.string(), "-v"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(server_.authorizations().back(), "Bearer " + openai);
    EXPECT_NE(r.err.find("API key from OPENAI_API_KEY"), std::string::npos) << r.err;
    ExpectKeyNowhere(r, openai);
    ExpectKeyNowhere(r, ngc);
  }
  {
    ScopedEnv a("OPENAI_API_KEY", ""), b("NGC_API_KEY", ngc);
    const auto r = Profile({"--ca-cert", pki_.ca.string(), "-v"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(server_.authorizations().back(), "Bearer " + ngc);
    ExpectKeyNowhere(r, ngc);
  }
  {
    // An Authorization header typed with -H wins over the environment, and is redacted too.
    ScopedEnv a("OPENAI_API_KEY", openai);
    const auto r = Profile({"--ca-cert", pki_.ca.string(), "-v", "-H", "Authorization: Bearer typed-SECRET-89"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(server_.authorizations().back(), "Bearer typed-SECRET-89");
    EXPECT_EQ(r.err.find("API key from"), std::string::npos) << r.err;
    ExpectKeyNowhere(r, "typed-SECRET-89");
    ExpectKeyNowhere(r, openai);
  }
}

TEST_F(TlsTest, UrlCredentialsAreRedactedInLogsAndArtifacts) {
  const std::string url = "https://user:pw-SECRET-url@127.0.0.1:" + server_.url().substr(server_.url().rfind(':') + 1);
  std::vector<std::string> args = {"profile", "-m", "m", "--url", url, "--streaming", "--tokenizer", "builtin",
                                   "--concurrency", "2", "--request-count", "2", "--no-progress", "-v",
                                   "--ca-cert", pki_.ca.string(), "--artifact-dir", (dir_.path() / "artifacts").string()};
  const auto r = test::RunBench(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(server_.authorizations().back().find("Basic "), std::string::npos);  // libcurl sent the userinfo
  ExpectKeyNowhere(r, "pw-SECRET-url");
}

}  // namespace
}  // namespace bench
