#pragma once
// Test seams for the HTTP clients: a loopback server whose answers a test scripts byte by byte
// (as real servers frame, keep alive and close), and an epoll loop driving one Transport as a
// worker does.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "util/clock.h"
#include "transport/transport.h"

namespace bench {

// A loopback server that answers each request with what `respond` writes on the socket.
class ScriptedServer {
 public:
  // (socket, request text, connection number from 0, request number on that connection);
  // returns false to close the connection.
  using Respond = std::function<bool(int, const std::string&, int, int)>;

  // Handles a connection right after accept instead of reading requests (then closes it).
  using OnAccept = std::function<void(int)>;

  explicit ScriptedServer(Respond respond, OnAccept on_accept = nullptr)
      : respond_(std::move(respond)), on_accept_(std::move(on_accept)) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    listen(listener_, 16);
    socklen_t n = sizeof a;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &n);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~ScriptedServer() {
    stop_ = true;
    thread_.join();
    for (auto& t : connections_) t.join();
    close(listener_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1/chat/completions"; }
  int accepted() const { return accepted_; }
  std::vector<std::string> requests() {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

 private:
  void Serve() {
    while (!stop_) {
      pollfd p{listener_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      const int fd = accept(listener_, nullptr, nullptr);
      if (fd < 0) continue;
      const int connection = accepted_++;
      connections_.emplace_back([this, fd, connection] {
        if (on_accept_) {
          on_accept_(fd);
          close(fd);
          return;
        }
        for (int request = 0; !stop_; ++request) {
          std::string text;
          if (!ReadRequest(fd, text)) break;
          {
            std::lock_guard<std::mutex> lock(mutex_);
            requests_.push_back(text);
          }
          if (!respond_(fd, text, connection, request)) break;
        }
        close(fd);
      });
    }
  }
  // One request: head, then Content-Length bytes of body. False at EOF or on stop.
  bool ReadRequest(int fd, std::string& text) {
    char buf[4096];
    for (;;) {
      const size_t head_end = text.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        const size_t cl = text.find("Content-Length: ");
        const size_t length = cl == std::string::npos ? 0 : std::stoul(text.substr(cl + 16));
        if (text.size() >= head_end + 4 + length) return true;
      }
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) {
        if (stop_) return false;
        continue;
      }
      const ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return false;
      text.append(buf, static_cast<size_t>(n));
    }
  }

  Respond respond_;
  OnAccept on_accept_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::mutex mutex_;
  std::vector<std::string> requests_;
  std::thread thread_;
  std::vector<std::thread> connections_;  // one per accepted connection, joined at the end
};

// Linux turns receive stamping on from a work queue shortly after the first socket asks for it:
// holds a stamped loopback pair and waits (up to 5 s) until a probe byte comes back stamped, so
// a test's own sockets get stamps from their first packet.
class KernelStampsOn {
 public:
  KernelStampsOn() {
    const int listener = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t n = sizeof a;
    bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a);
    listen(listener, 1);
    getsockname(listener, reinterpret_cast<sockaddr*>(&a), &n);
    in_ = socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    setsockopt(in_, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
    connect(in_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    out_ = accept(listener, nullptr, nullptr);
    close(listener);
    for (int i = 0; i < 500 && !stamped_; ++i) {
      send(out_, "x", 1, MSG_NOSIGNAL);
      char byte;
      alignas(cmsghdr) char control[64];
      iovec part{&byte, 1};
      msghdr m{};
      m.msg_iov = &part;
      m.msg_iovlen = 1;
      m.msg_control = control;
      m.msg_controllen = sizeof control;
      if (recvmsg(in_, &m, 0) == 1 && CMSG_FIRSTHDR(&m) != nullptr) stamped_ = true;
      if (!stamped_) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  ~KernelStampsOn() {
    close(in_);
    close(out_);
  }
  bool stamped() const { return stamped_; }

 private:
  int in_ = -1;
  int out_ = -1;
  bool stamped_ = false;
};

inline void Write(int fd, const std::string& s) { ASSERT_EQ(send(fd, s.data(), s.size(), MSG_NOSIGNAL), static_cast<ssize_t>(s.size())); }
inline void Pause() { std::this_thread::sleep_for(std::chrono::milliseconds(20)); }

// Drives one transport from a test-owned epoll loop, as a worker does.
class Loop {
 public:
  explicit Loop(const std::string& url, double timeout_s = 0, HttpClient client = HttpClient::kNative,
                TlsOptions tls = {})
      : epoll_(epoll_create1(EPOLL_CLOEXEC)) {
    TransportSettings s;
    s.url = url;
    s.tls = std::move(tls);
    s.headers = {"Content-Type: application/json", "Expect:"};
    s.request_timeout_s = timeout_s;
    transport_ = MakeTransport(client, s, epoll_, &wake_);
  }
  ~Loop() {
    transport_.reset();
    close(epoll_);
  }
  Transport& transport() { return *transport_; }

  // Runs the loop until a transfer finishes (its index), or -1 after `limit_ms` without one.
  int64_t RunUntilDone(int limit_ms = 5000) {
    if (!done_.empty()) {
      const size_t first = done_.front();
      done_.erase(done_.begin());
      return static_cast<int64_t>(first);
    }
    const int64_t end = MonotonicNowNs() + int64_t{limit_ms} * 1'000'000;
    while (MonotonicNowNs() < end) {
      epoll_event events[16];
      int wait_ms = 10;
      const int64_t due = transport_->TimerDueNs();
      if (due >= 0) wait_ms = static_cast<int>(std::clamp<int64_t>((due - MonotonicNowNs()) / 1'000'000 + 1, 0, 10));
      const int n = epoll_wait(epoll_, events, 16, wait_ms);
      ++wake_;
      for (int i = 0; i < n; ++i) transport_->OnEvent(events[i]);
      if (due >= 0 && MonotonicNowNs() >= due) transport_->OnTimer();
      transport_->TakeFinished(done_);
      if (!done_.empty()) {
        const size_t first = done_.front();
        done_.erase(done_.begin());
        return static_cast<int64_t>(first);
      }
    }
    return -1;
  }

  // Sends `body` as transfer 0 with request id `id` and runs to its end.
  RawRecord Post(const std::string& body = "{}", const std::string& id = "t-1", int limit_ms = 5000) {
    RawRecord r;
    r.request_id = id;
    transport_->Start(0, r, body);
    const int64_t done = RunUntilDone(limit_ms);
    EXPECT_EQ(done, 0) << "the request did not end within " << limit_ms << " ms";
    if (done != 0) transport_->Abort(0);
    return r;
  }

 private:
  int epoll_;
  uint32_t wake_ = 0;
  std::unique_ptr<Transport> transport_;
  std::vector<size_t> done_;  // finished, not yet returned
};

}  // namespace bench
