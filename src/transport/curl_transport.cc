#include "transport/curl_transport.h"

#include <curl/curl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "util/clock.h"

namespace bench {
namespace {

// One transfer slot with its reusable easy handle.
struct CurlTransfer {
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;    // this transfer's copy: the X-Request-Id line changes per request
  curl_slist* id_header = nullptr;  // that line's node, or null when the user sets the id
  const uint32_t* wake = nullptr;   // the loop's wake-up counter
  RawRecord* record = nullptr;      // while busy
  bool retried = false;             // sent again on a fresh connection (its POSTFIELDS stay set)
  char error_buffer[CURL_ERROR_SIZE] = {0};
};

// libcurl calls this once the connection is ready, right before it sends the request.
int OnPrereq(void* user, char*, char*, int, int) {
  static_cast<CurlTransfer*>(user)->record->send_mono_ns = MonotonicNowNs();
  return CURL_PREREQFUNC_OK;
}

size_t OnWrite(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<CurlTransfer*>(user);
  const int64_t now = MonotonicNowNs();
  const size_t n = size * count;
  RawRecord& r = *t->record;
  if (r.bytes.size() + n > kMaxResponseBytes) {
    r.too_large = true;
    return 0;  // libcurl aborts the transfer with CURLE_WRITE_ERROR
  }
  r.AddRead(std::string_view(data, n), now, *t->wake);
  return n;
}

class CurlTransport : public Transport {
 public:
  CurlTransport(const TransportSettings& settings, int epoll_fd, const uint32_t* wake)
      : settings_(settings), epoll_(epoll_fd), wake_(wake), multi_(curl_multi_init()) {
    if (multi_ == nullptr) throw std::runtime_error("curl_multi_init failed");
    // Event-driven: libcurl tells us which sockets to watch and when its timer fires, and each
    // wake-up touches only the transfers whose sockets are ready (curl_multi_perform walks
    // every transfer on every call, which dominates at hundreds of streams).
    curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &CurlTransport::OnSocket);
    curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &CurlTransport::OnTimerSet);
    curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
  }
  ~CurlTransport() override {
    closing_all_ = true;
    for (auto& t : transfers_) {
      if (t->record != nullptr) curl_multi_remove_handle(multi_, t->easy);
      curl_easy_cleanup(t->easy);
      curl_slist_free_all(t->headers);
    }
    curl_multi_cleanup(multi_);  // may still call OnSocket: the epoll fd is closed after us
  }
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  void Start(size_t transfer, RawRecord& record, std::string_view body) override {
    while (transfers_.size() <= transfer) transfers_.push_back(MakeTransfer());
    CurlTransfer& t = *transfers_[transfer];
    if (t.id_header != nullptr) {
      // The handle is idle, so its header list may change: libcurl reads it when the
      // transfer starts.
      const std::string line = "X-Request-Id: " + record.request_id;
      std::free(t.id_header->data);
      t.id_header->data = strdup(line.c_str());
    }
    t.record = &record;
    t.retried = false;
    curl_easy_setopt(t.easy, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(t.easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    Add(t, /*fresh=*/false);
  }

  void Abort(size_t transfer) override {
    CurlTransfer& t = *transfers_[transfer];
    if (t.record == nullptr) return;
    curl_multi_remove_handle(multi_, t.easy);
    t.record = nullptr;
  }

  void OnEvent(const epoll_event& event) override {
    const uint32_t e = event.events;
    const int mask = ((e & EPOLLIN) != 0 ? CURL_CSELECT_IN : 0) | ((e & EPOLLOUT) != 0 ? CURL_CSELECT_OUT : 0) |
                     ((e & (EPOLLERR | EPOLLHUP)) != 0 ? CURL_CSELECT_ERR : 0);
    int running = 0;
    curl_multi_socket_action(multi_, event.data.fd, mask, &running);
  }

  int64_t TimerDueNs() const override { return timer_due_ns_; }

  void OnTimer() override {
    timer_due_ns_ = -1;  // before the call: it may set the next timer
    int running = 0;
    curl_multi_socket_action(multi_, CURL_SOCKET_TIMEOUT, 0, &running);
  }

  void TakeFinished(std::vector<size_t>& done) override {
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;
      size_t index = 0;
      char* p = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &p);
      index = static_cast<size_t>(reinterpret_cast<uintptr_t>(p));
      CurlTransfer& t = *transfers_[index];
      RawRecord& r = *t.record;
      const CURLcode code = msg->data.result;
      long connects = 0;
      curl_easy_getinfo(t.easy, CURLINFO_NUM_CONNECTS, &connects);
      if (code == CURLE_OK && connects == 0) reuse_.Worked();
      curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &r.http_status);
      if (connects == 0 && !t.retried && r.bytes.empty() && r.http_status == 0 &&
          KindOfCurlError(code) == ErrorKind::kReset) {
        // A kept-alive connection the server had closed (libcurl gives up after retrying on
        // others like it): once more on a connection of its own.
        curl_multi_remove_handle(multi_, t.easy);  // invalidates msg
        t.retried = true;
        NoteServerClose();
        Add(t, /*fresh=*/true);
        continue;
      }
      if (code != CURLE_OK) {
        r.transport_error = r.too_large ? ErrorKind::kOther : KindOfCurlError(code);
        r.transport_message = t.error_buffer[0] != '\0' ? t.error_buffer : curl_easy_strerror(code);
      }
      curl_multi_remove_handle(multi_, t.easy);  // invalidates msg: nothing of it is read after
      t.record = nullptr;
      done.push_back(index);
    }
  }

 private:
  // Hands `t` to the multi handle; `fresh`: on a new connection.
  void Add(CurlTransfer& t, bool fresh) {
    t.error_buffer[0] = '\0';
    curl_easy_setopt(t.easy, CURLOPT_FRESH_CONNECT, fresh || reuse_.stopped() ? 1L : 0L);
    curl_easy_setopt(t.easy, CURLOPT_FORBID_REUSE, reuse_.stopped() ? 1L : 0L);
    curl_multi_add_handle(multi_, t.easy);
  }

  // The server closed a connection by itself (seen when libcurl closes it, or when a reused
  // one died); after a few in a row, connections are no longer reused.
  void NoteServerClose() {
    if (!reuse_.ServerClosed()) return;
    spdlog::info("the server closed {} kept-alive connections in a row by itself: bench opens a new connection "
                 "for each request from now on",
                 ConnectionReuse::kClosesBeforeNoReuse);
  }

  // libcurl closes a socket: if the peer had already closed it (a pending end of stream), the
  // server dropped the connection rather than libcurl.
  static int OnCloseSocket(void* user, curl_socket_t socket) {
    auto* self = static_cast<CurlTransport*>(user);
    char byte = 0;
    if (!self->closing_all_ && recv(socket, &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0) self->NoteServerClose();
    return close(socket);
  }

  std::unique_ptr<CurlTransfer> MakeTransfer() {
    auto t = std::make_unique<CurlTransfer>();
    CURL* e = curl_easy_init();
    if (e == nullptr) throw std::runtime_error("curl_easy_init failed");
    curl_easy_setopt(e, CURLOPT_URL, settings_.url.c_str());
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    for (const std::string& h : settings_.headers) t->headers = curl_slist_append(t->headers, h.c_str());
    if (settings_.send_request_id) {
      t->headers = curl_slist_append(t->headers, "X-Request-Id: -");
      for (t->id_header = t->headers; t->id_header->next != nullptr;) t->id_header = t->id_header->next;
    }
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &OnWrite);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
    // The index, not a pointer: transfers_ may grow while handles are in flight.
    curl_easy_setopt(e, CURLOPT_PRIVATE, reinterpret_cast<char*>(static_cast<uintptr_t>(transfers_.size())));
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error_buffer);
    t->wake = wake_;
    curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, &OnPrereq);
    curl_easy_setopt(e, CURLOPT_PREREQDATA, t.get());
    curl_easy_setopt(e, CURLOPT_CLOSESOCKETFUNCTION, &CurlTransport::OnCloseSocket);
    curl_easy_setopt(e, CURLOPT_CLOSESOCKETDATA, this);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM-based DNS timeouts
    curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
    ApplyTlsOptions(e, settings_.tls);
    if (settings_.request_timeout_s > 0) {
      curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.request_timeout_s * 1000));
    }
    t->easy = e;
    return t;
  }

  static int OnSocket(CURL*, curl_socket_t socket, int what, void* user, void* watched) {
    auto* self = static_cast<CurlTransport*>(user);
    if (what == CURL_POLL_REMOVE) {
      epoll_ctl(self->epoll_, EPOLL_CTL_DEL, socket, nullptr);  // may already be closed
      return 0;
    }
    epoll_event ev{};
    ev.events = ((what & CURL_POLL_IN) != 0 ? EPOLLIN : 0u) | ((what & CURL_POLL_OUT) != 0 ? EPOLLOUT : 0u);
    ev.data.fd = socket;
    if (watched == nullptr) {
      epoll_ctl(self->epoll_, EPOLL_CTL_ADD, socket, &ev);
      curl_multi_assign(self->multi_, socket, self);  // any non-null marker: "already watched"
    } else {
      epoll_ctl(self->epoll_, EPOLL_CTL_MOD, socket, &ev);
    }
    return 0;
  }

  static int OnTimerSet(CURLM*, long timeout_ms, void* user) {
    auto* self = static_cast<CurlTransport*>(user);
    self->timer_due_ns_ = timeout_ms < 0 ? -1 : MonotonicNowNs() + static_cast<int64_t>(timeout_ms) * 1'000'000;
    return 0;
  }

  TransportSettings settings_;
  int epoll_;
  const uint32_t* wake_;
  CURLM* multi_;
  ConnectionReuse reuse_;
  bool closing_all_ = false;  // the destructor: closes are ours
  int64_t timer_due_ns_ = -1;  // when libcurl wants CURL_SOCKET_TIMEOUT (monotonic ns); -1 = never
  std::vector<std::unique_ptr<CurlTransfer>> transfers_;
};

}  // namespace

ErrorKind KindOfCurlError(int curl_code) {
  switch (static_cast<CURLcode>(curl_code)) {
    case CURLE_OK:
      return ErrorKind::kNone;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return ErrorKind::kConnect;
    case CURLE_OPERATION_TIMEDOUT:
      return ErrorKind::kTimeout;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return ErrorKind::kReset;
    default:
      return IsTlsFailure(curl_code) ? ErrorKind::kTls : ErrorKind::kOther;
  }
}

std::unique_ptr<Transport> MakeCurlTransport(const TransportSettings& settings, int epoll_fd, const uint32_t* wake) {
  // Before the first handle, on the thread that sets up the workers (not thread-safe).
  static const CURLcode init = curl_global_init(CURL_GLOBAL_DEFAULT);
  (void)init;
  return std::make_unique<CurlTransport>(settings, epoll_fd, wake);
}

}  // namespace bench
