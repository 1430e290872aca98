#pragma once
// The project's harness around a real llama-server (scripts/llama-server.sh, docs/testing.md):
// one server process per test on a free port, and the fixture every real-server test file uses.
// Without a prepared server the tests skip saying what to run; with CI=true they fail.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_util.h"

namespace bench::llama {

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace std::chrono_literals;

// One bench run may take this long; longer is a hang, and fails the test instead of CI.
inline constexpr auto kRunDeadline = 60s;

inline fs::path LlamaDir() {
  const char* env = std::getenv("BENCH_LLAMA_DIR");
  return env != nullptr && env[0] != '\0' ? fs::path(env) : fs::path(BENCH_SOURCE_DIR) / "build" / "llama";
}

// The tokenizer.json tiny-llama was made with: bench's counts agree with the server's.
inline std::string Tokenizer() { return (LlamaDir() / "tokenizer.json").string(); }

// Why the server cannot run here, or "" when it can.
inline std::string Unavailable() {
  if (!fs::exists(LlamaDir() / "ready")) {
    return "llama-server is not prepared in " + LlamaDir().string() +
           ": run scripts/llama-server.sh prepare as root (scripts/test.sh does), or set BENCH_LLAMA_DIR";
  }
  if (geteuid() != 0) return "llama-server runs in a chroot: these tests need root";
  return "";
}

inline int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

// The HTTP status of GET /health: 200 {"status":"ok"} once the model is loaded, 503 while it
// loads; 0 when nothing answers.
inline int HealthStatus(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const std::string request = "GET /health HTTP/1.0\r\n\r\n";
    if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
      char buf[512];
      for (ssize_t n; (n = recv(fd, buf, sizeof buf, 0)) > 0;) response.append(buf, static_cast<size_t>(n));
    }
  }
  close(fd);
  if (response.rfind("HTTP/1.1 ", 0) != 0 || response.size() < 12) return 0;
  return std::atoi(response.c_str() + 9);
}

// One llama-server process: `scripts/llama-server.sh run PORT`, which execs into the server, so
// its pid is the server's and a signal reaches it directly.
class LlamaServer {
 public:
  ~LlamaServer() { Stop(SIGKILL); }

  /// Starts on `port` (0: a free one) and waits for /health to say "ok". "" when up, else why not.
  std::string Start(int port = 0) { return Launch(port, 200); }

  /// Start with more llama-server flags (BENCH_LLAMA_ARGS), e.g. "--embeddings --pooling mean".
  std::string StartWith(const std::string& extra_args, int port = 0) {
    extra_args_ = extra_args;
    return Launch(port, 200);
  }

  /// Starts on `port` and returns as soon as /health answers at all (503 while the model loads);
  /// health() says what it answered.
  std::string StartLoading(int port = 0) { return Launch(port, 0); }

  int health() const { return health_; }

  /// Sends `sig` (SIGKILL: the server dies without closing anything itself) and waits for it.
  void Stop(int sig = SIGTERM) {
    if (pid_ <= 0) return;
    kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  // Waits for /health to answer `want` (0: anything).
  std::string Launch(int port, int want) {
    port_ = port != 0 ? port : FreePort();
    log_ = log_dir_.path() / ("server-" + std::to_string(starts_++) + ".log");
    pid_ = fork();
    if (pid_ == 0) {
      if (freopen(log_.c_str(), "w", stdout) == nullptr || dup2(fileno(stdout), 2) < 0) _exit(126);
      const std::string script = (fs::path(BENCH_SOURCE_DIR) / "scripts" / "llama-server.sh").string();
      const std::string port_arg = std::to_string(port_);
      if (!extra_args_.empty()) setenv("BENCH_LLAMA_ARGS", extra_args_.c_str(), 1);
      execl(script.c_str(), script.c_str(), "run", port_arg.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return "llama-server exited during start-up:\n" + test::ReadFile(log_);
      }
      health_ = HealthStatus(port_);
      if (health_ != 0 && (want == 0 || health_ == want)) return "";
      std::this_thread::sleep_for(want == 0 ? 2ms : 50ms);
    }
    Stop(SIGKILL);
    return "llama-server gave no /health answer in 60 s:\n" + test::ReadFile(log_);
  }

  test::TempDir log_dir_;
  fs::path log_;
  int starts_ = 0;
  pid_t pid_ = -1;
  int port_ = 0;
  int health_ = 0;
  std::string extra_args_;
};

class LlamaServerTest : public testing::Test {
 protected:
  void SetUp() override {
    if (const std::string why = Unavailable(); !why.empty()) {
      const char* ci = std::getenv("CI");
      if (ci != nullptr && std::string(ci) == "true") GTEST_FAIL() << why;
      GTEST_SKIP() << why;
    }
    if (StartsServer()) {
      ASSERT_EQ(server_.Start(), "");
    }
  }
  /// Fault tests start (and stop) the server themselves.
  virtual bool StartsServer() const { return true; }

  /// The seed's command (issue 16) against `url`, writing under artifacts_, plus `more`.
  std::vector<std::string> Seed(const std::vector<std::string>& more, const std::string& url = "") const {
    std::vector<std::string> args = {"profile", "--endpoint-type", "chat", "--url", url.empty() ? server_.url() : url,
                                     "--model", "tiny-llama", "--streaming", "--concurrency", "2",
                                     "--request-count", "8", "--isl", "50", "--osl", "20", "--tokenizer", Tokenizer(),
                                     "--extra-inputs", "ignore_eos:true", "--artifact-dir", artifacts_.path().string()};
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }

  /// `args` with `flag` (and the value after it) removed.
  static std::vector<std::string> Without(std::vector<std::string> args, const std::string& flag, bool has_value) {
    for (auto it = args.begin(); it != args.end(); ++it) {
      if (*it != flag) continue;
      args.erase(it, it + (has_value ? 2 : 1));
      break;
    }
    return args;
  }

  /// `args` with the value of `flag` set to `value` (appended when absent).
  static std::vector<std::string> Set(std::vector<std::string> args, const std::string& flag, const std::string& value) {
    for (size_t i = 0; i + 1 < args.size(); ++i) {
      if (args[i] == flag) {
        args[i + 1] = value;
        return args;
      }
    }
    args.insert(args.end(), {flag, value});
    return args;
  }

  /// The one run directory under the artifact directory (its name is GenAI-Perf's, which may change).
  fs::path RunDir() const {
    std::vector<fs::path> dirs;
    for (const auto& e : fs::directory_iterator(artifacts_.path())) {
      if (e.is_directory()) dirs.push_back(e.path());
    }
    EXPECT_EQ(dirs.size(), 1u) << "one run directory under " << artifacts_.path();
    return dirs.empty() ? artifacts_.path() : dirs.front();
  }

  /// Returns once bench has written inputs.json, just before its load starts (30 s at most).
  void WaitUntilLoadStarts() const {
    for (int i = 0; i < 600; ++i) {
      std::error_code ec;
      for (const auto& e : fs::recursive_directory_iterator(artifacts_.path(), ec)) {
        if (e.path().filename() == "inputs.json") return;
      }
      std::this_thread::sleep_for(50ms);
    }
  }

  json Requests() const { return test::ReadJson(RunDir() / "profile_export.json")["experiments"][0]["requests"]; }
  /// GenAI-Perf's statistics with bench's own file under "bench".
  json Stats() const { return test::ReadRunJson(RunDir() / "profile_export_genai_perf.json"); }

  /// Every request of the export succeeded, and there are `count` of them.
  void ExpectAllSucceeded(size_t count, const std::string& what) const {
    const json requests = Requests();
    EXPECT_EQ(requests.size(), count) << what;
    for (const auto& req : requests) EXPECT_FALSE(req.contains("error")) << what << ": " << req.dump().substr(0, 400);
    EXPECT_EQ(Stats()["request_count"]["avg"], count) << what;
  }

  static std::string Explain(const test::CommandResult& r) {
    return (r.timed_out ? "TIMED OUT (a hang)\n" : "") + std::string("stderr:\n") + r.err;
  }

  LlamaServer server_;
  test::TempDir artifacts_;
};

}  // namespace bench::llama
