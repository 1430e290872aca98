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
#include <string>
#include <vector>

#include <fmt/format.h>

#include <spdlog/spdlog.h>

#include "util/clock.h"
#include "transport/http1_response.h"
#include "transport/packed_body.h"
#include "transport/rx_timestamp.h"
#include "transport/source_address.h"
#include "transport/tls_stream.h"

namespace bench {
namespace {

// One recv takes at most this much: a 100-token stream's whole body fits, so a burst costs one call.
constexpr size_t kReadBuffer = 64 * 1024;
// A TLS read that failed the transfer itself (ErrorKind::kTls): nothing more to do on it.
constexpr ssize_t kTlsFailed = -2;

struct Connection {
  int fd = -1;
  size_t address = 0;  // index into the resolved addresses
  bool connecting = false;
  int connect_error = 0;   // connect() failed at once (loopback refuses synchronously)
  bool reused = false;     // has carried a response before: the server may have closed it since
  bool peer_closed = false;  // the peer's FIN (or an error) was reported: never send on it again
  bool handshaking = false;  // https: connected, TLS handshake not finished
  const sockaddr_storage* source = nullptr;  // the bound local address; null = the kernel's choice
  std::unique_ptr<TlsStream> tls;  // https only
  std::string out;           // https: the request as one buffer (SSL_write takes no iovec)
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
    if (target_.tls) tls_ = std::make_unique<TlsClient>(settings.tls, target_.host);
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
    if (!sources_.Assign(settings.source_addresses, error)) throw std::runtime_error(error);
    // Source addresses of one family (127.0.0.x): "localhost" is tried over that family first.
    std::stable_partition(addresses_.begin(), addresses_.end(),
                          [&](const Address& a) { return sources_.Count(a.family) > 0; });
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
      if (c.handshaking) {
        Handshake(c);
        return;
      }
      // A response cannot have started before the request, but the server may already have
      // closed: that edge came with this one and will not come again.
      if (Send(c) && c.peer_closed) Receive(c, true);
      return;
    }
    if (c.handshaking) {
      Handshake(c);
      return;
    }
    const Transfer& t = transfers_[static_cast<size_t>(c.transfer)];
    if ((e & EPOLLOUT) != 0 && c.sent < t.head.size() + t.body.size()) {
      if (!Send(c)) return;
    }
    // TLS may need to read while writing and the reverse (and holds decrypted bytes of its
    // own), so any edge retries the read; SSL_read answers "want more" at the cost of a recvmsg.
    if (c.tls != nullptr && c.sent == t.head.size() + t.body.size()) {
      Receive(c, c.peer_closed);
    } else if ((e & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) {
      Receive(c, c.peer_closed);
    }
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
                       r.BodySize()));
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
    Proceed(*c);
  }

  // The next step of a newly attached connection: its failed connect, its handshake or its send.
  void Proceed(Connection& c) {
    if (c.connect_error != 0) {
      ConnectFailed(c, c.connect_error);
    } else if (c.handshaking && !c.connecting) {
      Handshake(c);
    } else if (!c.connecting) {
      Send(c);
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
    // Before connect, so even the first response byte carries its arrival time.
    EnableRxTimestamps(c->fd);
    c->source = sources_.Next(address.family);  // loopback spreading / --local-address
    if (c->source != nullptr) c->connect_error = BindSourceAddress(c->fd, *c->source);
    if (tls_ != nullptr) {
      c->tls = std::make_unique<TlsStream>(*tls_, c->fd);
      c->handshaking = true;
    }
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    ev.data.ptr = c;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, c->fd, &ev);
    // A failed bind, or a connect refused at once (loopback does that): a late failure, once attached.
    if (c->connect_error != 0 || connect(c->fd, reinterpret_cast<const sockaddr*>(&address.storage), address.length) != 0) {
      if (c->connect_error == 0 && errno != EINPROGRESS) c->connect_error = errno;
      c->connecting = true;
    }
    return c;
  }

  // The connect of `c` failed with `error`: the next address, or the transfer fails.
  void ConnectFailed(Connection& c, int error) {
    const size_t index = static_cast<size_t>(c.transfer);
    const size_t next = c.address + 1;
    const sockaddr_storage* source = c.source;
    CloseConnection(c);
    if (next < addresses_.size()) {
      Connection* again = Open(next);
      if (again == nullptr) {
        Fail(index, ErrorKind::kConnect, socket_failure_);
        return;
      }
      again->transfer = static_cast<int64_t>(index);
      transfers_[index].connection = again;
      Proceed(*again);
      return;
    }
    Fail(index, ErrorKind::kConnect, fmt::format("Failed to connect to {} port {}: {}{}", target_.host, target_.port,
                                                 std::strerror(error), NoLocalPortHint(error, source)));
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
    if (c.tls != nullptr) return SendTls(c, t);
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

  // https: advances the TLS handshake of `c` (part of connecting); once done, the request goes out.
  void Handshake(Connection& c) {
    const size_t index = static_cast<size_t>(c.transfer);
    switch (c.tls->Handshake()) {
      case TlsStream::Io::kDone:
        c.handshaking = false;
        if (Send(c) && c.peer_closed) Receive(c, true);
        return;
      case TlsStream::Io::kWantRead:
      case TlsStream::Io::kWantWrite:
        return;  // the next edge continues it
      case TlsStream::Io::kClosed:
        Fail(index, ErrorKind::kTls,
             fmt::format("TLS handshake with {}: the server closed the connection", target_.authority));
        return;
      case TlsStream::Io::kError:
        Fail(index, ErrorKind::kTls, c.tls->error());
        return;
    }
  }

  // https: writes what is left of the request through TLS (one buffer: SSL_write takes no iovec).
  bool SendTls(Connection& c, const Transfer& t) {
    if (c.sent == 0) c.out.assign(t.head).append(t.body);
    while (c.sent < c.out.size()) {
      size_t written = 0;
      switch (c.tls->Write(c.out.data() + c.sent, c.out.size() - c.sent, &written)) {
        case TlsStream::Io::kDone:
          c.sent += written;
          break;
        case TlsStream::Io::kWantRead:
        case TlsStream::Io::kWantWrite:
          return true;  // an edge will say when
        case TlsStream::Io::kClosed:
          Lost(c, EPIPE);
          return false;
        case TlsStream::Io::kError:
          if (c.tls->sys_errno() != 0) {
            Lost(c, c.tls->sys_errno());
          } else {
            Fail(static_cast<size_t>(c.transfer), ErrorKind::kTls, c.tls->error());
          }
          return false;
      }
    }
    return true;
  }

  // https: one SSL_read with recv's results (-1 and EAGAIN: wait for an edge), its time the
  // kernel stamp of the latest socket read under it; kTlsFailed once it failed the transfer.
  ssize_t ReadTls(Connection& c, int64_t& kernel_ns) {
    size_t got = 0;
    const TlsStream::Io io = c.tls->Read(buffer_.data(), buffer_.size(), &got);
    kernel_ns = c.tls->kernel_realtime_ns();
    switch (io) {
      case TlsStream::Io::kDone:
        return static_cast<ssize_t>(got);
      case TlsStream::Io::kClosed:
        return 0;
      case TlsStream::Io::kWantRead:
      case TlsStream::Io::kWantWrite:
        errno = EAGAIN;
        return -1;
      case TlsStream::Io::kError:
        break;
    }
    if (c.tls->sys_errno() != 0) {
      errno = c.tls->sys_errno();
      return -1;
    }
    Fail(static_cast<size_t>(c.transfer), ErrorKind::kTls, c.tls->error());
    return kTlsFailed;
  }

  // Reads what the socket holds. `closing`: the peer has closed (or the socket failed), so the
  // reads go on to the end of the stream: that edge will not come again.
  void Receive(Connection& c, bool closing) {
    const size_t index = static_cast<size_t>(c.transfer);
    Transfer& t = transfers_[index];
    RawRecord& r = *t.record;
    for (;;) {
      int64_t kernel_ns = 0;
      const ssize_t n = c.tls != nullptr ? ReadTls(c, kernel_ns) : RecvStamped(c.fd, buffer_.data(), buffer_.size(), &kernel_ns);
      if (n == kTlsFailed) return;
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
      const ReadTime at = ReadTimeOf(kernel_ns, r.read_mono_ns.empty() ? r.send_mono_ns : r.read_mono_ns.back());
      const size_t before = r.BodySize();
      const std::string_view read(buffer_.data(), static_cast<size_t>(n));
      std::string& target = ReadTarget(r, read.size(), staging_);
      const bool ok = c.parser.Feed(read, target);
      SettleRead(r, target);
      if (r.BodySize() > before) {
        r.read_mono_ns.push_back(at.mono_ns);
        r.kernel_stamped_reads += at.kernel_stamped ? 1 : 0;
        r.read_wake.push_back(*wake_);
        r.read_end.push_back(static_cast<uint32_t>(std::min(r.BodySize(), kMaxResponseBytes)));
      }
      r.http_status = c.parser.status();
      if (!ok) {
        Fail(index, ErrorKind::kOther, c.parser.error());
        return;
      }
      if (r.BodySize() > kMaxResponseBytes) {
        CutTooLarge(r);
        Fail(index, ErrorKind::kOther, "response too large");
        return;
      }
      if (c.parser.done()) {
        Complete(c);
        return;
      }
      // A short read emptied the socket; with edge-triggered epoll, new bytes wake us again.
      // (Not so under TLS: SSL_read returns a record at a time, and keeps what it read ahead.)
      if (!closing && c.tls == nullptr && static_cast<size_t>(n) < buffer_.size()) return;
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
                            error == 0 ? "closed" : std::strerror(error), t.record->BodySize());
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
    c.tls.reset();
    c.handshaking = false;
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
  RxTimestampSwitch stamps_on_;  // the kernel's receive stamps stay on for the whole run
  std::unique_ptr<TlsClient> tls_;  // https only; outlives every connection's TlsStream
  int epoll_;
  const uint32_t* wake_;
  HttpTarget target_;
  std::string prefix_;
  int64_t timeout_ns_ = 0;
  std::string resolve_error_;
  std::vector<Address> addresses_;
  size_t preferred_address_ = 0;  // the last address a connection was made to
  SourceAddressPicker sources_;    // local addresses new connections are bound to (loopback spreading)
  ConnectionReuse reuse_;
  std::string socket_failure_;
  std::vector<char> buffer_;
  std::string staging_;  // a long read's body bytes on their way into a packed record
  std::vector<Transfer> transfers_;
  std::vector<std::unique_ptr<Connection>> connections_;  // owns every connection object
  std::vector<Connection*> idle_;    // kept alive, most recently used last
  std::vector<Connection*> closed_;  // closed in this loop pass
  std::vector<Connection*> spare_;   // closed and reusable
  std::vector<size_t> finished_;
  std::deque<Timeout> timeouts_;
};

}  // namespace

std::unique_ptr<Transport> MakeHttp1Transport(const TransportSettings& settings, int epoll_fd, const uint32_t* wake) {
  return std::make_unique<Http1Transport>(settings, epoll_fd, wake);
}

}  // namespace bench
