#pragma once
// The load engine's seam to HTTP. A worker's event loop owns one Transport: it starts POSTs,
// hands the transport the epoll events of the descriptors the transport registered, and
// collects finished transfers. The transport writes what the hot path records (send time, the
// body bytes and time of each network read, status, outcome) into the request's RawRecord.
// Two implementations: the native HTTP/1.1 client (http:// and https://, the fast path) and
// libcurl (proxies, URL credentials).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/http_options.h"
#include "record/record.h"

struct epoll_event;

namespace bench {

/// What the hot path records for one request: raw monotonic timestamps and the body bytes of
/// each network read, back to back in one buffer.
struct RawRecord {
  size_t entry = 0;
  int64_t intended_mono_ns = 0;  // open loop: the scheduled send time; 0 in closed loop
  int64_t handoff_mono_ns = 0;   // handed to the transport (perf_analyzer's send timestamp)
  int64_t send_mono_ns = 0;      // the request is about to be written on its connection
  std::vector<int64_t> read_mono_ns;
  std::vector<uint32_t> read_end;   // end offset of each read in `bytes`
  std::vector<uint32_t> read_wake;  // the loop wake-up that delivered each read
  // Reads whose time is the kernel's receive stamp (transport/rx_timestamp); the others carry
  // the loop's clock at the read (libcurl's always do).
  uint32_t kernel_stamped_reads = 0;
  std::string bytes;
  // A long body nobody reads during the load (not a session's turn) is compressed as it
  // arrives (transport/packed_body): `packed` holds blocks of its first `packed_bytes` bytes,
  // `bytes` only the rest; UnpackBody makes `bytes` whole again.
  bool packable = false;
  bool count_events = false;  // count packed_events (for the live progress line)
  std::string packed;
  size_t packed_bytes = 0;
  size_t packed_events = 0;
  bool packed_mid_line = false;  // the packed bytes end inside a line
  long http_status = 0;
  ErrorKind transport_error = ErrorKind::kNone;  // the transfer itself failed (connect, reset, ...)
  std::string transport_message;
  bool cancelled = false;
  bool past_deadline = false;  // cancelled by --drain cancel at the --benchmark-duration deadline
  bool too_large = false;
  bool dropped = false;  // in flight when the last time window closed: never recorded
  std::string request_id;
  // Sessions: which turn this is, and the body sent (built from the history; -1 = not a session).
  int64_t session = -1;
  int64_t turn = 0;
  std::string body;

  /// The body's length so far, packed or not.
  size_t BodySize() const { return packed_bytes + bytes.size(); }
  /// The bytes of the i-th network read (of a body not packed, or unpacked again).
  std::string_view Read(size_t i) const {
    const uint32_t begin = i == 0 ? 0 : read_end[i - 1];
    return std::string_view(bytes).substr(begin, read_end[i] - begin);
  }
  /// Appends one network read's body bytes, stamped `now` and with the loop's wake-up count.
  void AddRead(std::string_view data, int64_t now, uint32_t wake) {
    bytes.append(data);
    read_mono_ns.push_back(now);
    read_wake.push_back(wake);
    read_end.push_back(static_cast<uint32_t>(bytes.size()));
  }
  /// The transfer completed with a 2xx status.
  bool Succeeded() const {
    return !cancelled && !too_large && transport_error == ErrorKind::kNone && http_status >= 200 && http_status < 300;
  }
  /// Empty again; the buffers keep their capacity for the next request.
  void Clear();
};

/// A response larger than this is cut off and failed: a misbehaving server must not grow the
/// client's memory without bound (read offsets are also 32-bit).
constexpr size_t kMaxResponseBytes = 256u << 20;

/// kGrpc: Triton's KServe v2 gRPC protocol (--endpoint-type kserve), never chosen by kAuto.
enum class HttpClient { kAuto, kNative, kCurl, kGrpc };

/// Both clients' rule for servers that close kept-alive connections by themselves (llama.cpp's
/// cpp-httplib does after every streamed response while announcing Keep-Alive): after a few such
/// closes in a row, connections are no longer reused, since a reused one that turns out closed
/// costs the next request a failed send and a reconnect inside its measured latency.
class ConnectionReuse {
 public:
  /// A reused connection carried a response: the server does keep connections alive.
  void Worked() { closes_in_a_row_ = 0; }
  /// The server closed a connection by itself; true exactly when this close stops reuse.
  bool ServerClosed() {
    if (stopped_ || ++closes_in_a_row_ < kClosesBeforeNoReuse) return false;
    stopped_ = true;
    return true;
  }
  bool stopped() const { return stopped_; }
  static constexpr int kClosesBeforeNoReuse = 3;

 private:
  int closes_in_a_row_ = 0;  // since a reused connection last worked
  bool stopped_ = false;
};

/// What every request of a run shares.
struct TransportSettings {
  // kGrpc: bodies are KServe input-tensor objects shaped for this backend ("tensorrtllm" or
  // "vllm"), sent with ModelStreamInfer when `streaming`, else ModelInfer.
  std::string kserve_backend = "tensorrtllm";
  bool streaming = false;
  std::string url;                   // http(s)://host[:port]/path
  std::vector<std::string> headers;  // "Name: value" lines sent with every request ("Name:" = do not send Name)
  bool send_request_id = true;       // add "X-Request-Id: <record.request_id>" to each request
  TlsOptions tls;
  double request_timeout_s = 0;  // 0 = none
  // Numeric local addresses new connections are spread over, round-robin (transport/
  // source_address); empty = the kernel picks. Native HTTP/1.1 client only.
  std::vector<std::string> source_addresses;
};

class Transport {
 public:
  virtual ~Transport() = default;
  /// Starts POSTing `body` (alive until the transfer finishes or is aborted) as transfer
  /// `transfer` (a small index, reused after it finishes), recording into `record`.
  virtual void Start(size_t transfer, RawRecord& record, std::string_view body) = 0;
  /// Ends an unfinished transfer now (its connection is closed); it is not reported finished.
  virtual void Abort(size_t transfer) = 0;
  /// Serves one ready descriptor the transport registered in the loop's epoll set.
  virtual void OnEvent(const epoll_event& event) = 0;
  /// Monotonic ns at which OnTimer must run (timeouts, libcurl's timers); -1 = never.
  virtual int64_t TimerDueNs() const = 0;
  virtual void OnTimer() = 0;
  /// Appends the transfers finished since the last call (their records are complete).
  virtual void TakeFinished(std::vector<size_t>& done) = 0;
};

/// The client `requested` resolves to for `url`: kAuto takes the native client for http:// and
/// https:// URLs without credentials when no proxy variable of `getenv` applies to the host,
/// libcurl otherwise. kNative on a URL it cannot serve is an error (a message in `error`).
HttpClient ResolveHttpClient(HttpClient requested, const std::string& url,
                             const std::function<const char*(const char*)>& getenv, std::string* error);

/// A transport for one event loop: its descriptors go into `epoll_fd`, and every read is
/// stamped with `*wake` (the loop's wake-up counter). Throws std::runtime_error when it
/// cannot be set up.
std::unique_ptr<Transport> MakeTransport(HttpClient client, const TransportSettings& settings, int epoll_fd,
                                         const uint32_t* wake);

}  // namespace bench
