#include "sim/sse_responder.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

namespace bench {
namespace {

std::string RenderResponse(int content_chunks) {
  const auto chunk = [](std::string_view delta, std::string_view finish) {
    return fmt::format(
        "data: {{\"id\":\"chatcmpl-calibrate\",\"object\":\"chat.completion.chunk\",\"created\":1732780000,"
        "\"model\":\"calibrate\",\"choices\":[{{\"index\":0,\"delta\":{},\"finish_reason\":{}}}]}}\n\n",
        delta, finish);
  };
  std::string body;
  for (int i = 0; i < content_chunks; ++i) body += chunk(R"({"content":" tok"})", "null");
  body += chunk("{}", "\"stop\"");
  body += "data: [DONE]\n\n";
  return fmt::format(
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: {}\r\nConnection: keep-alive\r\n\r\n{}",
      body.size(), body);
}

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double WallSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// The length of the body announced in `head` (the request line and headers), 0 when none.
size_t ContentLength(std::string_view head) {
  static constexpr std::string_view kName = "content-length:";
  for (size_t at = head.find('\n'); at != std::string_view::npos; at = head.find('\n', at + 1)) {
    const std::string_view line = head.substr(at + 1, kName.size());
    if (line.size() < kName.size()) break;
    bool same = true;
    for (size_t i = 0; i < kName.size() && same; ++i) same = (line[i] | 0x20) == kName[i] || line[i] == kName[i];
    if (!same) continue;
    size_t n = 0;
    for (size_t i = at + 1 + kName.size(); i < head.size() && (head[i] == ' ' || (head[i] >= '0' && head[i] <= '9'));
         ++i) {
      if (head[i] != ' ') n = n * 10 + static_cast<size_t>(head[i] - '0');
    }
    return n;
  }
  return 0;
}

// One keep-alive connection: bytes of requests not yet answered, answers not yet written.
struct Connection {
  int fd;
  std::string in;
  uint64_t owed = 0;   // whole responses still to write
  size_t sent = 0;     // bytes of the current response written
};

}  // namespace

SseResponder::SseResponder(Options options) : options_(options), response_(RenderResponse(options.content_chunks)) {}

SseResponder::~SseResponder() { Stop(); }

uint16_t SseResponder::Start() {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw std::runtime_error(fmt::format("sse responder: socket: {}", std::strerror(errno)));
  const int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(listen_fd_, 4096) != 0 ||
      getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw std::runtime_error(fmt::format("sse responder: bind/listen: {}", std::strerror(errno)));
  }
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || wake_fd_ < 0) throw std::runtime_error(fmt::format("sse responder: {}", std::strerror(errno)));
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = nullptr;  // the listener
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev);
  ev.data.ptr = &wake_fd_;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
  thread_ = std::thread([this] { Loop(); });
  pthread_setname_np(thread_.native_handle(), "bench-responder");
  if (options_.cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(options_.cpu, &set);
    pthread_setaffinity_np(thread_.native_handle(), sizeof set, &set);  // best effort
  }
  return ntohs(addr.sin_port);
}

void SseResponder::Stop() {
  if (thread_.joinable()) {
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t w = write(wake_fd_, &one, sizeof one);
    thread_.join();
  }
  for (int* fd : {&listen_fd_, &epoll_fd_, &wake_fd_}) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
  }
}

// Kept whole: one epoll loop (accept, read, answer, write) reads best as one piece.
void SseResponder::Loop() {
  const double cpu0 = ThreadCpuSeconds();
  const double wall0 = WallSeconds();
  std::unordered_map<int, std::unique_ptr<Connection>> connections;
  const auto close_connection = [&](Connection* c) {
    close(c->fd);
    connections.erase(c->fd);
  };
  // Writes what is owed; false when the connection failed.
  const auto flush = [&](Connection* c) {
    while (c->owed > 0) {
      const ssize_t w = send(c->fd, response_.data() + c->sent, response_.size() - c->sent, MSG_NOSIGNAL);
      if (w < 0) return errno == EAGAIN || errno == EINTR;
      c->sent += static_cast<size_t>(w);
      if (c->sent == response_.size()) {
        c->sent = 0;
        --c->owed;
        responses_.fetch_add(1, std::memory_order_relaxed);
      }
    }
    return true;
  };
  char buf[64 * 1024];
  epoll_event events[256];
  for (bool running = true; running;) {
    const int n = epoll_wait(epoll_fd_, events, 256, -1);
    for (int i = 0; i < n; ++i) {
      void* tag = events[i].data.ptr;
      if (tag == &wake_fd_) {
        running = false;
      } else if (tag == nullptr) {
        for (int fd; (fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0;) {
          const int one = 1;
          setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          auto c = std::make_unique<Connection>();
          c->fd = fd;
          epoll_event ev{};
          ev.events = EPOLLIN | EPOLLOUT | EPOLLET | EPOLLRDHUP;
          ev.data.ptr = c.get();
          epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
          connections.emplace(fd, std::move(c));
        }
      } else {
        auto* c = static_cast<Connection*>(tag);
        bool ok = true;
        if (events[i].events & EPOLLIN) {
          for (;;) {
            const ssize_t r = recv(c->fd, buf, sizeof buf, 0);
            if (r > 0) {
              c->in.append(buf, static_cast<size_t>(r));
              continue;
            }
            ok = r < 0 && (errno == EAGAIN || errno == EINTR);  // 0: the client closed
            break;
          }
          // Every complete request (head and announced body) is owed one response.
          for (size_t head_end; ok && (head_end = c->in.find("\r\n\r\n")) != std::string::npos;) {
            const size_t whole = head_end + 4 + ContentLength(std::string_view(c->in).substr(0, head_end + 2));
            if (c->in.size() < whole) break;
            c->in.erase(0, whole);
            ++c->owed;
          }
        }
        if (ok) ok = flush(c) && !(events[i].events & (EPOLLERR | EPOLLHUP));
        if (!ok) close_connection(c);
      }
    }
  }
  for (auto& [fd, c] : connections) close(fd);
  cpu_seconds_ = ThreadCpuSeconds() - cpu0;
  wall_seconds_ = WallSeconds() - wall0;
}

}  // namespace bench
