#include "transport/http1_transport.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <deque>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include <spdlog/spdlog.h>

#include "util/clock.h"
#include "transport/http1_response.h"

namespace bench {
namespace {

// One recv takes at most this much: a 100-token stream's whole body fits, so a burst costs one call.
constexpr size_t kReadBuffer = 64 * 1024;

bool SameName(std::string_view header, std::string_view name) {
  const size_t colon = header.find(':');
  const std::string_view n = header.substr(0, colon);
  return n.size() == name.size() && std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         });
}

struct Connection {
  int fd = -1;
  size_t address = 0;  // index into the resolved addresses
  bool connecting = false;
  int connect_error = 0;   // connect() failed at once (loopback refuses synchronously)
  bool reused = false;     // has carried a response before: the server may have closed it since
  bool peer_closed = false;  // the peer's FIN (or an error) was reported: never send on it again
  int64_t transfer = -1;   // -1 = idle (or closed)
  size_t sent = 0;         // bytes of the request (head, then body) written so far
  Http1ResponseParser parser;
};

struct Transfer {
  RawRecord* record = nullptr;  // null = not in flight
  Connection* connection = nullptr;
  std::string head;
  std::string_view body;
  bool retried = false;
  uint64_t generation = 0;  // bumped when the transfer ends: older timeout entries are stale
};

struct Timeout {
  int64_t due_ns;
  size_t transfer;
  uint64_t generation;
};

class Http1Transport : public Transport {
 public:
  Http1Transport(const TransportSettings& settings, int epoll_fd, const uint32_t* wake)
      : settings_(settings), epoll_(epoll_fd), wake_(wake), buffer_(kReadBuffer) {
    std::string error;
    if (!ParseHttpTarget(settings.url, target_, error)) throw std::runtime_error(error);
    prefix_ = RequestHeadPrefix(target_, settings.headers);
    timeout_ns_ = settings.request_timeout_s > 0 ? std::llround(settings.request_timeout_s * 1e9) : 0;
    // Resolved once, before the load: a lookup per connection would stall the loop.
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const int rc = getaddrinfo(target_.host.c_str(), target_.port.c_str(), &hints, &found);
    if (rc != 0) {
      resolve_error_ = fmt::format("Could not resolve host: {} ({})", target_.host, gai_strerror(rc));
      return;
    }
    for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
      sockaddr_storage s{};
      std::memcpy(&s, a->ai_addr, a->ai_addrlen);
      addresses_.push_back({s, a->ai_addrlen, a->ai_family});
    }
    freeaddrinfo(found);
  }

  ~Http1Transport() override {
    for (auto& c : connections_) {
      if (c->fd >= 0) close(c->fd);
    }
  }
  Http1Transport(const Http1Transport&) = delete;
  Http1Transport& operator=(const Http1Transport&) = delete;

  void Start(size_t index, RawRecord& record, std::string_view body) override {
    if (transfers_.size() <= index) transfers_.resize(index + 1);
    Transfer& t = transfers_[index];
    t.record = &record;
    t.body = body;
    t.retried = false;
    t.head = prefix_;
    if (settings_.send_request_id) t.head.append("X-Request-Id: ").append(record.request_id).append("\r\n");
    t.head.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n\r\n");
    if (!resolve_error_.empty()) {
      Fail(index, ErrorKind::kConnect, resolve_error_);
      return;
    }
    if (timeout_ns_ > 0) {
      // One timeout for all, so deadlines arrive in start order: a queue, not a heap. Entries
      // of finished transfers leave from the front as they come up.
      while (!timeouts_.empty() && Stale(timeouts_.front())) timeouts_.pop_front();
      timeouts_.push_back({MonotonicNowNs() + timeout_ns_, index, t.generation});
    }
    Attach(index, /*fresh=*/false);
  }

  void Abort(size_t index) override {
    Transfer& t = transfers_[index];
    if (t.record == nullptr) return;
    if (t.connection != nullptr) CloseConnection(*t.connection);
    End(t);
  }

  void OnEvent(const epoll_event& event) override {
    Connection& c = *static_cast<Connection*>(event.data.ptr);
    if (c.fd < 0) return;
    const uint32_t e = event.events;
    // Edge-triggered: this is the only time the close is reported, so it is remembered.
    if ((e & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) c.peer_closed = true;
    if (c.transfer < 0) {
      // Idle: the server closed the kept-alive connection (or sent bytes nobody asked for).
      if ((e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) {
        if (c.peer_closed) NoteServerClose();
        CloseConnection(c);
      }
      return;
    }
    if (c.connecting) {
      if ((e & (EPOLLOUT | EPOLLERR | EPOLLHUP)) == 0) return;
      int error = 0;
      socklen_t length = sizeof error;
      getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &length);
      if (error != 0) {
        ConnectFailed(c, error);
        return;
      }
      c.connecting = false;
      // A response cannot have started before the request, but the server may already have
      // closed: that edge came with this one and will not come again.
      if (Send(c) && c.peer_closed) Receive(c, true);
      return;
    }
    const Transfer& t = transfers_[static_cast<size_t>(c.transfer)];
    if ((e & EPOLLOUT) != 0 && c.sent < t.head.size() + t.body.size()) {
      if (!Send(c)) return;
    }
    if ((e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) Receive(c, c.peer_closed);
  }

  int64_t TimerDueNs() const override { return timeouts_.empty() ? -1 : timeouts_.front().due_ns; }

  void OnTimer() override {
    const int64_t now = MonotonicNowNs();
    while (!timeouts_.empty() && timeouts_.front().due_ns <= now) {
      const Timeout due = timeouts_.front();
      timeouts_.pop_front();
      if (Stale(due)) continue;
      const RawRecord& r = *transfers_[due.transfer].record;
      Fail(due.transfer, ErrorKind::kTimeout,
           fmt::format("Operation timed out after {} milliseconds with {} bytes received", timeout_ns_ / 1'000'000,
                       r.bytes.size()));
    }
    while (!timeouts_.empty() && Stale(timeouts_.front())) timeouts_.pop_front();
  }

  void TakeFinished(std::vector<size_t>& done) override {
    done.insert(done.end(), finished_.begin(), finished_.end());
    finished_.clear();
    // Closed connections are recycled only between loop passes: an epoll batch may still name one.
    spare_.insert(spare_.end(), closed_.begin(), closed_.end());
    closed_.clear();
  }

 private:
  struct Address {
    sockaddr_storage storage;
    socklen_t length;
    int family;
  };

  bool Stale(const Timeout& t) const {
    const Transfer& transfer = transfers_[t.transfer];
    return transfer.record == nullptr || transfer.generation != t.generation;
  }

  // Gives transfer `index` a connection (an idle kept-alive one unless `fresh`) and sends once
  // it is connected.
  void Attach(size_t index, bool fresh) {
    Connection* c = nullptr;
    if (!fresh && !reuse_.stopped() && !idle_.empty()) {
      c = idle_.back();
      idle_.pop_back();
    } else {
      c = Open(preferred_address_);
      if (c == nullptr) {
        Fail(index, ErrorKind::kConnect, socket_failure_);
        return;
      }
    }
    c->transfer = static_cast<int64_t>(index);
    c->sent = 0;
    c->parser.Reset();
    transfers_[index].connection = c;
    if (c->connect_error != 0) {
      ConnectFailed(*c, c->connect_error);
    } else if (!c->connecting) {
      Send(*c);
    }
  }

  // A new non-blocking connection to address `a`; it watches for everything, edge-triggered,
  // so it is never re-armed. Null when the socket cannot even be created (socket_failure_ says why).
  Connection* Open(size_t a) {
    Connection* c = nullptr;
    if (!spare_.empty()) {
      c = spare_.back();
      spare_.pop_back();
    } else {
      connections_.push_back(std::make_unique<Connection>());
      c = connections_.back().get();
    }
    *c = Connection{};
    c->address = a;
    const Address& address = addresses_[a];
    c->fd = socket(address.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) {
      const int error = errno;
      closed_.push_back(c);
      socket_failure_ = fmt::format("cannot create a socket: {}", std::strerror(error));
      return nullptr;
    }
    const int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    ev.data.ptr = c;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, c->fd, &ev);
    if (connect(c->fd, reinterpret_cast<const sockaddr*>(&address.storage), address.length) != 0) {
      // Refused at once (loopback does that) is handled like a late failure, once attached.
      if (errno != EINPROGRESS) c->connect_error = errno;
      c->connecting = true;
    }
    return c;
  }

  // The connect of `c` failed with `error`: the next address, or the transfer fails.
  void ConnectFailed(Connection& c, int error) {
    const size_t index = static_cast<size_t>(c.transfer);
    const size_t next = c.address + 1;
    CloseConnection(c);
    if (next < addresses_.size()) {
      Connection* again = Open(next);
      if (again == nullptr) {
        Fail(index, ErrorKind::kConnect, socket_failure_);
        return;
      }
      again->transfer = static_cast<int64_t>(index);
      transfers_[index].connection = again;
      if (again->connect_error != 0) ConnectFailed(*again, again->connect_error);
      return;
    }
    Fail(index, ErrorKind::kConnect,
         fmt::format("Failed to connect to {} port {}: {}", target_.host, target_.port, std::strerror(error)));
  }

  // Writes what is left of the request; false when the transfer ended (failed or retried).
  bool Send(Connection& c) {
    const size_t index = static_cast<size_t>(c.transfer);
    Transfer& t = transfers_[index];
    if (c.sent == 0) {
      t.record->send_mono_ns = MonotonicNowNs();
      preferred_address_ = c.address;
    }
    const size_t total = t.head.size() + t.body.size();
    while (c.sent < total) {
      iovec parts[2];
      int n = 0;
      if (c.sent < t.head.size()) {
        parts[n++] = {const_cast<char*>(t.head.data()) + c.sent, t.head.size() - c.sent};
        parts[n++] = {const_cast<char*>(t.body.data()), t.body.size()};
      } else {
        const size_t at = c.sent - t.head.size();
        parts[n++] = {const_cast<char*>(t.body.data()) + at, t.body.size() - at};
      }
      msghdr message{};
      message.msg_iov = parts;
      message.msg_iovlen = static_cast<size_t>(n);
      const ssize_t written = sendmsg(c.fd, &message, MSG_NOSIGNAL);
      if (written >= 0) {
        c.sent += static_cast<size_t>(written);
        continue;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return true;  // EPOLLOUT will say when
      Lost(c, errno);
      return false;
    }
    return true;
  }

  // Reads what the socket holds. `closing`: the peer has closed (or the socket failed), so the
  // reads go on to the end of the stream: that edge will not come again.
  void Receive(Connection& c, bool closing) {
    const size_t index = static_cast<size_t>(c.transfer);
    Transfer& t = transfers_[index];
    RawRecord& r = *t.record;
    for (;;) {
      const ssize_t n = recv(c.fd, buffer_.data(), buffer_.size(), 0);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) Lost(c, errno);
        return;
      }
      if (n == 0) {
        if (c.parser.FeedEof()) {
          Complete(c);
        } else {
          Lost(c, 0);
        }
        return;
      }
      const int64_t now = MonotonicNowNs();
      const size_t before = r.bytes.size();
      const bool ok = c.parser.Feed(std::string_view(buffer_.data(), static_cast<size_t>(n)), r.bytes);
      if (r.bytes.size() > before) {
        r.read_mono_ns.push_back(now);
        r.read_wake.push_back(*wake_);
        r.read_end.push_back(static_cast<uint32_t>(std::min(r.bytes.size(), kMaxResponseBytes)));
      }
      r.http_status = c.parser.status();
      if (!ok) {
        Fail(index, ErrorKind::kOther, c.parser.error());
        return;
      }
      if (r.bytes.size() > kMaxResponseBytes) {
        r.bytes.resize(kMaxResponseBytes);
        r.too_large = true;
        Fail(index, ErrorKind::kOther, "response too large");
        return;
      }
      if (c.parser.done()) {
        Complete(c);
        return;
      }
      // A short read emptied the socket; with edge-triggered epoll, new bytes wake us again.
      if (!closing && static_cast<size_t>(n) < buffer_.size()) return;
    }
  }

  // The connection broke (`error` = errno, 0 for a close) before the response was complete.
  void Lost(Connection& c, int error) {
    const size_t index = static_cast<size_t>(c.transfer);
    Transfer& t = transfers_[index];
    if (c.reused && !c.parser.started() && !t.retried) {
      // The server closed the kept-alive connection as we reused it: once more on a fresh one,
      // as libcurl does.
      t.retried = true;
      NoteServerClose();
      CloseConnection(c);
      Attach(index, /*fresh=*/true);
      return;
    }
    std::string message;
    if (!c.parser.started()) {
      message = error == 0 ? "Empty reply from server" : fmt::format("Connection lost before the response: {}", std::strerror(error));
    } else {
      message = fmt::format("Connection {} after {} body bytes, before the response ended",
                            error == 0 ? "closed" : std::strerror(error), t.record->bytes.size());
    }
    Fail(index, ErrorKind::kReset, message);
  }

  void Complete(Connection& c) {
    const size_t index = static_cast<size_t>(c.transfer);
    const Transfer& t = transfers_[index];
    // A server may answer before it has read the whole request (an early 4xx): the rest of the
    // body would then be read as the next request, so such a connection is not reused.
    if (c.reused && c.parser.started()) reuse_.Worked();
    if (c.peer_closed && c.parser.keep_alive()) NoteServerClose();  // it said keep-alive, then closed
    if (c.parser.keep_alive() && c.sent == t.head.size() + t.body.size() && !c.peer_closed && !reuse_.stopped()) {
      c.transfer = -1;
      c.reused = true;
      idle_.push_back(&c);
    } else {
      CloseConnection(c);
    }
    End(transfers_[index]);
    finished_.push_back(index);
  }

  void Fail(size_t index, ErrorKind kind, std::string message) {
    Transfer& t = transfers_[index];
    t.record->transport_error = kind;
    t.record->transport_message = std::move(message);
    if (t.connection != nullptr) CloseConnection(*t.connection);
    End(t);
    finished_.push_back(index);
  }

  // The server closed a kept-alive connection by itself (after a response, while idle, or as
  // it was reused); after a few in a row, connections are no longer reused.
  void NoteServerClose() {
    if (!reuse_.ServerClosed()) return;
    for (Connection* idle : std::vector<Connection*>(idle_)) CloseConnection(*idle);
    spdlog::info("the server at {} closed {} kept-alive connections in a row right after their response: "
                 "bench opens a new connection for each request from now on",
                 target_.authority, ConnectionReuse::kClosesBeforeNoReuse);
  }

  static void End(Transfer& t) {
    t.record = nullptr;
    t.connection = nullptr;
    ++t.generation;
  }

  void CloseConnection(Connection& c) {
    if (c.fd < 0) return;
    epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
    close(c.fd);
    c.fd = -1;
    if (c.transfer < 0) {
      const auto it = std::find(idle_.begin(), idle_.end(), &c);
      if (it != idle_.end()) idle_.erase(it);
    } else {
      transfers_[static_cast<size_t>(c.transfer)].connection = nullptr;
    }
    c.transfer = -1;
    closed_.push_back(&c);
  }

  TransportSettings settings_;
  int epoll_;
  const uint32_t* wake_;
  HttpTarget target_;
  std::string prefix_;
  int64_t timeout_ns_ = 0;
  std::string resolve_error_;
  std::vector<Address> addresses_;
  size_t preferred_address_ = 0;  // the last address a connection was made to
  ConnectionReuse reuse_;
  std::string socket_failure_;
  std::vector<char> buffer_;
  std::vector<Transfer> transfers_;
  std::vector<std::unique_ptr<Connection>> connections_;  // owns every connection object
  std::vector<Connection*> idle_;    // kept alive, most recently used last
  std::vector<Connection*> closed_;  // closed in this loop pass
  std::vector<Connection*> spare_;   // closed and reusable
  std::vector<size_t> finished_;
  std::deque<Timeout> timeouts_;
};

}  // namespace

bool ParseHttpTarget(const std::string& url, HttpTarget& target, std::string& error) {
  std::string lower = url.substr(0, 7);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  if (lower != "http://") {
    error = "not an http:// URL: " + url;
    return false;
  }
  const size_t end = url.find_first_of("/?#", 7);
  target.authority = url.substr(7, end == std::string::npos ? std::string::npos : end - 7);
  target.path = end == std::string::npos ? "/" : url.substr(end);
  if (!target.path.empty() && target.path[0] != '/') target.path.insert(0, "/");
  target.path = target.path.substr(0, target.path.find('#'));
  const std::string& a = target.authority;
  if (a.empty() || a.find('@') != std::string::npos) {
    error = "no host (or credentials) in " + url;
    return false;
  }
  size_t port_at = std::string::npos;
  if (a[0] == '[') {
    const size_t close = a.find(']');
    if (close == std::string::npos) {
      error = "unterminated IPv6 address in " + url;
      return false;
    }
    target.host = a.substr(1, close - 1);
    if (close + 1 < a.size() && a[close + 1] == ':') port_at = close + 2;
  } else {
    const size_t colon = a.find(':');
    target.host = a.substr(0, colon);
    if (colon != std::string::npos) port_at = colon + 1;
  }
  target.port = port_at == std::string::npos ? "80" : a.substr(port_at);
  if (target.port.empty() || target.port.size() > 5 ||
      !std::all_of(target.port.begin(), target.port.end(), [](unsigned char ch) { return std::isdigit(ch); })) {
    error = "bad port in " + url;
    return false;
  }
  return true;
}

std::string RequestHeadPrefix(const HttpTarget& target, const std::vector<std::string>& headers) {
  const auto user_sets = [&](std::string_view name) {
    return std::any_of(headers.begin(), headers.end(), [&](const std::string& h) { return SameName(h, name); });
  };
  std::string head = "POST " + target.path + " HTTP/1.1\r\n";
  if (!user_sets("Host")) head += "Host: " + target.authority + "\r\n";
  if (!user_sets("Accept")) head += "Accept: */*\r\n";
  for (const std::string& h : headers) {
    const size_t colon = h.find(':');
    if (colon == std::string::npos) continue;
    if (SameName(h, "Content-Length") || SameName(h, "Transfer-Encoding")) continue;
    const size_t value = h.find_first_not_of(" \t", colon + 1);
    if (value == std::string::npos) continue;  // "Name:" suppresses Name
    head.append(h).append("\r\n");
  }
  return head;
}

std::unique_ptr<Transport> MakeHttp1Transport(const TransportSettings& settings, int epoll_fd, const uint32_t* wake) {
  return std::make_unique<Http1Transport>(settings, epoll_fd, wake);
}

}  // namespace bench
