#pragma once
// A test-only Hugging Face Hub on 127.0.0.1:<ephemeral port> serving
// GET/HEAD /{repo}/resolve/{revision}/{file} with the headers huggingface_hub reads
// (X-Repo-Commit, ETag, X-Linked-Etag + a redirect for LFS files, X-Error-Code).
//
// Header-only on purpose: tests/CMakeLists.txt compiles *_test.cc plus test_util.cc, and this
// helper should not need a build change. Plain POSIX sockets, one connection at a time
// (Connection: close), which is all libcurl's sequential requests need.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace bench::test {

/// One file the fake hub serves.
struct FakeHubFile {
  std::string body;
  std::string commit;       // X-Repo-Commit; empty = header omitted
  std::string etag;         // ETag (quoted when sent); empty = header omitted
  bool lfs = false;         // 302 to /cdn/... with X-Linked-Etag, as the Hub does for LFS files
};

/// A loopback HTTP server imitating the Hub's resolve endpoint; counts every request. A repo with
/// no file added gets 401 RepoNotFound, a missing file in a known repo 404 EntryNotFound.
class FakeHubServer {
 public:
  FakeHubServer() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd_ < 0) throw std::runtime_error("fake hub: socket failed");
    const int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof(addr);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || ::listen(listen_fd_, 16) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ::close(listen_fd_);
      throw std::runtime_error("fake hub: bind/listen on 127.0.0.1:0 failed");
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeHubServer() {
    stop_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);  // wakes the blocked accept() on Linux
    thread_.join();
    ::close(listen_fd_);
  }
  FakeHubServer(const FakeHubServer&) = delete;
  FakeHubServer& operator=(const FakeHubServer&) = delete;

  /// Serves `file` at /{repo}/resolve/{revision}/{name}; `revision` as it appears in the URL.
  void AddFile(const std::string& repo, const std::string& revision, const std::string& name, FakeHubFile file) {
    std::lock_guard<std::mutex> lock(mu_);
    files_["/" + repo + "/resolve/" + revision + "/" + name] = std::move(file);
  }
  /// Requests for `repo` get 401 + X-Error-Code: GatedRepo unless "Authorization: Bearer <token>".
  void SetGated(const std::string& repo, const std::string& token) {
    std::lock_guard<std::mutex> lock(mu_);
    gated_[repo] = token;
  }
  /// http://127.0.0.1:<port>, for HF_ENDPOINT.
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  /// Requests received so far (redirect follow-ups included).
  int hits() const { return hits_.load(); }
  /// Request targets received so far, in order.
  std::vector<std::string> targets() const {
    std::lock_guard<std::mutex> lock(mu_);
    return targets_;
  }
  /// Authorization header of the last request ("" when absent).
  std::string last_authorization() const {
    std::lock_guard<std::mutex> lock(mu_);
    return last_authorization_;
  }

 private:
  void Serve() {
    while (!stop_) {
      const int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;  // shutdown (stop_ set) or a transient error
      Handle(fd);
      ::close(fd);
    }
  }

  void Handle(int fd) {
    std::string request;
    char buf[4096];
    while (request.find("\r\n\r\n") == std::string::npos) {
      const ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
      if (n <= 0) return;
      request.append(buf, static_cast<size_t>(n));
    }
    ++hits_;
    const size_t sp1 = request.find(' ');
    const size_t sp2 = request.find(' ', sp1 + 1);
    const std::string method = request.substr(0, sp1);
    const std::string target = request.substr(sp1 + 1, sp2 - sp1 - 1);
    const std::string authorization = Header(request, "authorization");
    std::lock_guard<std::mutex> lock(mu_);
    targets_.push_back(target);
    last_authorization_ = authorization;
    std::string extra;
    std::string body;
    int status = 404;
    const size_t resolve = target.find("/resolve/");
    const std::string repo = resolve == std::string::npos ? "" : target.substr(1, resolve - 1);
    if (auto g = gated_.find(repo); g != gated_.end() && authorization != "Bearer " + g->second) {
      status = 401;
      extra = "X-Error-Code: GatedRepo\r\n";
    } else if (target.rfind("/cdn/", 0) == 0 && cdn_.count(target) != 0) {
      status = 200;
      body = cdn_[target];
      extra = "ETag: \"cdn-etag-not-the-blob-name\"\r\n";
    } else if (auto f = files_.find(target); f != files_.end()) {
      const FakeHubFile& file = f->second;
      if (!file.commit.empty()) extra += "X-Repo-Commit: " + file.commit + "\r\n";
      if (file.lfs) {
        const std::string location = "/cdn/" + std::to_string(cdn_.size());
        cdn_[location] = file.body;
        status = 302;
        extra += "X-Linked-Etag: \"" + file.etag + "\"\r\nLocation: " + location + "\r\n";
      } else {
        status = 200;
        body = file.body;
        if (!file.etag.empty()) extra += "ETag: \"" + file.etag + "\"\r\n";
      }
    } else if (!KnownRepo(repo)) {
      status = 401;  // what the Hub answers an anonymous request for a repo it does not have
      extra = "X-Error-Code: RepoNotFound\r\n";
    } else {
      extra = "X-Error-Code: EntryNotFound\r\n";
    }
    if (status == 404 || status == 401) body = "{\"error\":\"fake hub\"}";
    std::string response = "HTTP/1.1 " + std::to_string(status) + (status == 200 ? " OK" : " Other") + "\r\n" + extra +
                           "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
    if (method != "HEAD") response += body;
    for (size_t sent = 0; sent < response.size();) {
      const ssize_t n = ::send(fd, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<size_t>(n);
    }
  }

  bool KnownRepo(const std::string& repo) const {
    const std::string prefix = "/" + repo + "/resolve/";
    for (const auto& [target, file] : files_) {
      if (target.rfind(prefix, 0) == 0) return true;
    }
    return false;
  }

  // Value of header `lower_name` in `request` (names compared case-insensitively), or "".
  static std::string Header(const std::string& request, const std::string& lower_name) {
    size_t pos = request.find("\r\n");
    while (pos != std::string::npos && pos + 2 < request.size()) {
      const size_t end = request.find("\r\n", pos + 2);
      const std::string line = request.substr(pos + 2, end - pos - 2);
      const size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const size_t value = line.find_first_not_of(' ', colon + 1);
        if (name == lower_name) return value == std::string::npos ? "" : line.substr(value);
      }
      pos = end;
    }
    return "";
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> hits_{0};
  mutable std::mutex mu_;
  std::map<std::string, FakeHubFile> files_;
  std::map<std::string, std::string> gated_;
  std::map<std::string, std::string> cdn_;
  std::vector<std::string> targets_;
  std::string last_authorization_;
  std::thread thread_;
};

}  // namespace bench::test
