#include "sim/simulator.h"

// Beast stays inside this file: it is the only translation unit that pays its compile time.
#include <atomic>
#include <utility>  // Boost 1.74's asio/awaitable.hpp uses std::exchange without including it
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <spdlog/spdlog.h>
#include <stdexcept>
#include <thread>
#include <vector>

#include "sim/server_stats.h"
#include "util/clock.h"
#include "sim/nim_metadata.h"
#include "sim/openai.h"
#include "sim/timing.h"
#include "sim/event_log.h"

namespace bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using SteadyClock = std::chrono::steady_clock;

// Prompts of long-context benchmarks reach megabytes; anything larger is refused with 413.
constexpr uint64_t kMaxBodyBytes = 64ull << 20;
// Bytes a client may pipeline while a response is generated before we stop reading ahead.
constexpr size_t kMaxReadAhead = 1 << 20;

// State every session reads; owned by Simulator::Impl and outlives all sessions.
struct Shared {
  explicit Shared(SimulatorOptions opts)
      : options(std::move(opts)), model(options) {}
  SimulatorOptions options;
  SimLatencyModel model;
  std::atomic<int> decoding{0};            // requests between their first and last token
  std::atomic<uint64_t> request_counter{0};  // only for response ids, never for the RNG
  SimServerStats stats;                      // GET /metrics (vLLM's names)
};

int64_t UnixNow() {
  // Wall clock only as the OpenAI `created` label.
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Hex16(uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) out[i] = kDigits[v & 0xf];
  return out;
}

// One HTTP/1.1 chunk frame around `data`.
void AppendChunk(std::string& out, std::string_view data) {
  char size[20];
  const int n = std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  out.append(size, n);
  out.append(data);
  out.append("\r\n");
}

// Keeps a request path printable in a JSON error message whatever bytes the client sent.
std::string Printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s.substr(0, 200)) out += (c >= 0x20 && c < 0x7f) ? char(c) : '?';
  return out;
}

// One accepted connection: reads requests one after another (keep-alive) and answers each,
// driving generation with one steady_timer, so a thread holds thousands of streams.
class Session : public std::enable_shared_from_this<Session> {
 public:
  // `log`: this io thread's shard of the send log, or null when there is no log.
  Session(tcp::socket socket, Shared& shared, SimEventLog::Shard* log)
      : socket_(std::move(socket)), timer_(socket_.get_executor()), shared_(shared), log_(log) {}
  ~Session() {
    EndDecoding();
    CloseRecord();  // a stream cut short by Stop() is still logged, with the events it got
  }

  void Start() { ReadRequest(); }

 private:
  // Per-request generation state; lives from a parsed request to its last byte.
  struct Generation {
    SimRequest request;
    SimResponseFormatter formatter;
    SimRng text_rng;
    SimRng time_rng;
    SimOutputPlan plan;
    int emitted = 0;
    SteadyClock::time_point deadline;
    std::string text;  // non-streaming answers accumulate here
    bool decoding = false;
    SimFault fault;
    int content_chunks = 0;  // content events written so far
    int reasoning_left = 0;  // kReasoning: reasoning events still to send before content
    SteadyClock::time_point received{};     // the complete request, origin of /metrics' times
    SteadyClock::time_point first_token{};  // when the first content chunk was due
  };

  void ReadRequest() {
    parser_.emplace();
    parser_->body_limit(kMaxBodyBytes);
    http::async_read_header(socket_, buffer_, *parser_,
                            [self = shared_from_this()](error_code ec, size_t) {
                              self->OnHeader(ec);
                            });
  }

  void OnHeader(error_code ec) {
    if (ec) return OnReadError(ec);
    // curl waits up to a second for "100 Continue" before sending a large body.
    const auto expect = parser_->get()[http::field::expect];
    if (beast::iequals(expect, "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      asio::async_write(socket_, asio::buffer(kContinue.data(), kContinue.size()),
                        [self = shared_from_this()](error_code wec, size_t) {
                          if (wec) return self->Close();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(socket_, buffer_, *parser_,
                     [self = shared_from_this()](error_code ec, size_t) {
                       if (ec) return self->OnReadError(ec);
                       self->received_ = self->due_ = SteadyClock::now();
                       self->OpenRecord();
                       self->Handle();
                     });
  }

  // Send log: one record per fully received request, closed when its response is done.
  void OpenRecord() {
    if (log_ == nullptr) return;
    record_open_ = true;
    record_.received_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(received_.time_since_epoch()).count();
    const auto& req = parser_->get();
    const auto id = req.find("X-Request-Id");
    record_.request_id.assign(id == req.end() ? std::string_view()
                                              : std::string_view(id->value().data(), id->value().size()));
    // Both keep their capacity across the requests of a connection.
    record_.event_ns.clear();
    record_.start_ns.clear();
    record_.due_ns.clear();
  }

  // Called from the completion handler of a write that carried `events` events. That is the
  // first moment asio tells us the kernel accepted every byte of it; at initiation the bytes
  // may still wait for socket buffer space. But asio usually sends during initiation and only
  // queues the handler behind the handlers already runnable, so this stamp trails the real
  // send by the loop's backlog (other streams' ticks due at the same time). The initiation
  // time `start_ns` is therefore logged too: the send happened between the two
  // (docs/simulator.md "Send log").
  // `due_ns`: when the schedule wanted these events out, so lateness can be told apart from
  // jitter (--jitter moves the schedule, not the truth).
  void StampEvents(int events, int64_t start_ns, int64_t due_ns) {
    if (!record_open_ || events <= 0) return;
    const auto n = static_cast<size_t>(events);
    record_.event_ns.insert(record_.event_ns.end(), n, MonotonicNowNs());
    record_.start_ns.insert(record_.start_ns.end(), n, start_ns);
    record_.due_ns.insert(record_.due_ns.end(), n, due_ns);
  }

  static int64_t Ns(SteadyClock::time_point t) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  }

  int64_t WriteStartNs() const { return record_open_ ? MonotonicNowNs() : 0; }

  void CloseRecord() {
    if (!record_open_) return;
    record_open_ = false;
    log_->Append(record_);
  }

  void OnReadError(error_code ec) {
    if (ec == http::error::end_of_stream || ec == asio::error::eof ||
        ec == asio::error::connection_reset || ec == asio::error::operation_aborted || closed_) {
      return Close();
    }
    keep_alive_ = false;
    if (ec == http::error::body_limit) {
      return SendJson(http::status::payload_too_large,
                      SimErrorBody(413, "RequestEntityTooLarge", "request body too large"));
    }
    SendJson(http::status::bad_request,
             SimErrorBody(400, "BadRequestError", "malformed HTTP request: " + ec.message()));
  }

  void Handle() {
    const auto& req = parser_->get();
    keep_alive_ = req.keep_alive();
    std::string_view path(req.target().data(), req.target().size());
    path = path.substr(0, path.find('?'));
    const http::verb method = req.method();

    const auto only = [&](http::verb allowed) {
      if (method == allowed) return true;
      SendJson(http::status::method_not_allowed,
               SimErrorBody(405, "MethodNotAllowed",
                            "method " + std::string(req.method_string()) + " not allowed on " +
                                std::string(path)),
               std::string(http::to_string(allowed)));
      return false;
    };

    if (path == "/health" || path == "/v1/health/ready") {
      if (only(http::verb::get)) SendJson(http::status::ok, "{}");
    } else if (path == "/metrics") {
      if (only(http::verb::get)) {
        SendJson(http::status::ok,
                 shared_.stats.Render(shared_.options.model, shared_.decoding.load(std::memory_order_relaxed)), {}, {},
                 "text/plain; version=0.0.4; charset=utf-8");
      }
    } else if (path == "/v1/models") {
      if (only(http::verb::get)) {
        SendJson(http::status::ok, SimModelsBody(shared_.options.model, UnixNow()));
      }
    } else if (path == "/v1/metadata") {
      if (only(http::verb::get)) SendJson(http::status::ok, SimNimMetadataBody(shared_.options.profile_name));
    } else if (path == "/v1/version") {
      if (only(http::verb::get)) SendJson(http::status::ok, SimNimVersionBody());
    } else if (path == "/v1/chat/completions" || path == "/v1/completions") {
      if (!only(http::verb::post)) return;
      const SimEndpoint endpoint =
          path == "/v1/completions" ? SimEndpoint::kCompletions : SimEndpoint::kChat;
      // A fault forced by header wins over one forced by the body field "bench_fault".
      std::optional<SimFault> header_fault;
      if (const auto h = req.find("X-Bench-Fault"); h != req.end()) {
        SimFaultParse f = ParseSimFault(std::string_view(h->value().data(), h->value().size()));
        if (!f.fault) {
          return SendJson(http::status::bad_request,
                          SimErrorBody(400, "BadRequestError", "X-Bench-Fault: " + f.error));
        }
        header_fault = f.fault;
      }
      SimParseResult parsed =
          ParseSimRequest(endpoint, req.body(), shared_.options);
      parser_.reset();  // `req` dies here; a stream should not hold its prompt for minutes
      if (!parsed.request) {
        return SendJson(http::status::bad_request,
                        SimErrorBody(400, "BadRequestError", parsed.error));
      }
      BeginGeneration(std::move(*parsed.request), header_fault);
    } else {
      SendJson(http::status::not_found,
               SimErrorBody(404, "NotFoundError", "no route for " + Printable(path)));
    }
  }

  void SendJson(http::status status, std::string body, std::string allow = {},
                std::string retry_after = {}, const char* content_type = "application/json") {
    response_.emplace(status, 11);
    response_->set(http::field::server, "bench-simulator");
    response_->set(http::field::content_type, content_type);
    if (!allow.empty()) response_->set(http::field::allow, allow);
    if (!retry_after.empty()) response_->set(http::field::retry_after, retry_after);
    response_->keep_alive(keep_alive_);
    response_->body() = std::move(body);
    response_->prepare_payload();
    http::async_write(socket_, *response_, [self = shared_from_this(), start = WriteStartNs(),
                                            due = Ns(due_)](error_code ec, size_t) {
      self->response_.reset();
      if (ec) return self->Close();
      self->StampEvents(1, start, due);  // a JSON answer counts as one event
      self->AfterResponse();
    });
  }

  // The next request on a keep-alive connection, once any disconnect watch has stood down.
  void AfterResponse() {
    CloseRecord();
    gen_.reset();
    if (!keep_alive_) {
      error_code ignored;
      socket_.shutdown(tcp::socket::shutdown_send, ignored);
      return Close();
    }
    if (watching_) {
      resume_read_ = true;
      error_code ignored;
      socket_.cancel(ignored);  // OnWatch then starts the next read
      return;
    }
    ReadRequest();
  }

  void BeginGeneration(SimRequest request, const std::optional<SimFault>& header_fault) {
    // The schedule starts when the request was complete, not after parsing its JSON, so TTFT is
    // "from a complete request" as documented and the send log's received_ns is its origin.
    const SteadyClock::time_point t0 = received_;
    const uint64_t seed = request.seed;
    const uint64_t n = shared_.request_counter.fetch_add(1, std::memory_order_relaxed);
    // The fault draw mixes in the arrival number so that equal bodies do not all share one
    // fate; with one request in flight at a time a run is reproducible from --seed.
    SimRng fault_rng(MixSeed(MixSeed(seed, 4), n));
    const SimFault fault = ChooseSimFault(shared_.options.faults,
                                          header_fault ? header_fault : request.fault, fault_rng);
    switch (fault.kind) {
      case SimFaultKind::kHttp429:
        return SendJson(http::status::too_many_requests,
                        SimErrorBody(429, "RateLimitError", "simulated rate limit (bench fault http_429)"),
                        {}, "1");
      case SimFaultKind::kHttp500:
        return SendJson(http::status::internal_server_error,
                        SimErrorBody(500, "InternalServerError", "simulated failure (bench fault http_500)"));
      case SimFaultKind::kHttp503:
        return SendJson(http::status::service_unavailable,
                        SimErrorBody(503, "ServiceUnavailableError",
                                     "simulated overload (bench fault http_503)"),
                        {}, "1");
      case SimFaultKind::kRefuse:
        return Close();  // FIN with nothing sent: the client sees an empty reply
      case SimFaultKind::kResetBeforeHeaders: {
        error_code ignored;
        socket_.set_option(asio::socket_base::linger(true, 0), ignored);  // close() sends RST
        return Close();
      }
      case SimFaultKind::kNonStreamingAnswer:
        request.stream = false;
        break;
      default:
        break;
    }
    std::string id = (request.endpoint == SimEndpoint::kChat ? "chatcmpl-" : "cmpl-") +
                     Hex16(MixSeed(seed, n)) + Hex16(n);
    SimResponseFormatter formatter(request, std::move(id), UnixNow());
    // Separate streams for text, timing and EOS so that changing one knob (jitter,
    // eos_probability) does not change the words of an answer.
    SimRng eos_rng(MixSeed(seed, 3));
    const SimOutputPlan plan = PlanOutput(request, shared_.options.eos_probability, eos_rng);
    if (record_open_) {
      record_.event_ns.reserve(static_cast<size_t>(plan.tokens) + 8);
      record_.start_ns.reserve(static_cast<size_t>(plan.tokens) + 8);
    }
    gen_.emplace(Generation{std::move(request), std::move(formatter), SimRng(MixSeed(seed, 1)),
                            SimRng(MixSeed(seed, 2)), plan, 0, t0, {}, false});
    gen_->fault = fault;
    gen_->received = t0;
    gen_->deadline = t0 + shared_.model.Ttft(gen_->request.input_tokens, gen_->time_rng);
    // slow_headers and stall both push the first content chunk back by T; they differ in
    // whether the headers leave before (stall) or after (slow_headers) the silence.
    const bool delay_fault =
        fault.kind == SimFaultKind::kStall || fault.kind == SimFaultKind::kSlowHeaders;
    const auto delay = std::chrono::duration_cast<SteadyClock::duration>(
        std::chrono::duration<double>(delay_fault ? fault.arg : 0.0));
    gen_->deadline += delay;
    if (fault.kind == SimFaultKind::kReasoning && gen_->request.endpoint == SimEndpoint::kChat) {
      gen_->reasoning_left = static_cast<int>(fault.arg);
    }
    WatchForDisconnect();
    if (!gen_->request.stream) return ArmTimer();

    out_ =
        "HTTP/1.1 200 OK\r\n"
        "Server: bench-simulator\r\n"
        "Content-Type: text/event-stream\r\n"
        "Cache-Control: no-cache\r\n"
        "Transfer-Encoding: chunked\r\n";
    out_ += keep_alive_ ? "\r\n" : "Connection: close\r\n\r\n";
    // Like vLLM, the role-only chunk leaves with the headers, before the prefill is done.
    if (gen_->request.endpoint == SimEndpoint::kChat) Emit(gen_->formatter.RoleEvent());
    if (fault.kind == SimFaultKind::kDisconnectAfter && fault.arg < 1) {
      return WriteOut(/*last=*/false, /*close=*/true);
    }
    if (fault.kind == SimFaultKind::kSlowHeaders) {
      timer_.expires_after(delay);
      timer_.async_wait([self = shared_from_this()](error_code ec) {
        if (ec || self->closed_) return;
        self->WriteOut(/*last=*/false);
      });
      return;
    }
    WriteOut(/*last=*/false);
  }

  // Appends one SSE event as an HTTP chunk, shaped by the stream-format faults.
  void Emit(std::string event) {
    switch (gen_->fault.kind) {
      case SimFaultKind::kSseNoBlankLine:
        event = WithoutBlankLine(event);
        break;
      case SimFaultKind::kSseJunkLines:
        event = WithJunkLine(event);
        break;
      case SimFaultKind::kSseComments:
        event = CommentEvent() + ": comment line inside an event\n" + event;
        break;
      default:
        break;
    }
    AppendEvent(event);
  }

  void AppendEvent(std::string_view event) {
    AppendChunk(out_, event);
    ++out_events_;
  }

  // The first content event, with the faults that corrupt or inflate one chunk.
  std::string FirstContentEvent(std::string event) const {
    switch (gen_->fault.kind) {
      case SimFaultKind::kInvalidJsonChunk:
        return WithTruncatedJson(event);
      case SimFaultKind::kInvalidUtf8:
        return WithInvalidUtf8(event);
      case SimFaultKind::kBigChunk:
        return WithPadding(event, static_cast<size_t>(gen_->fault.arg));
      default:
        return event;
    }
  }

  void ArmTimer() {
    timer_.expires_at(gen_->deadline);
    timer_.async_wait([self = shared_from_this()](error_code ec) { self->OnTick(ec); });
  }

  void OnTick(error_code ec) {
    if (ec || closed_ || !gen_) return;
    Generation& g = *gen_;
    due_ = g.deadline;
    if (!g.decoding) {
      g.decoding = true;
      shared_.decoding.fetch_add(1, std::memory_order_relaxed);
    }
    if (g.reasoning_left > 0 && g.request.stream) {
      // Reasoning words come from their own stream so the answer's text is unchanged.
      --g.reasoning_left;
      SimRng reasoning_rng(MixSeed(g.request.seed, 5 + static_cast<uint64_t>(g.reasoning_left)));
      out_.clear();
      Emit(g.formatter.ReasoningEvent(GenerateWords(1, reasoning_rng, /*at_start=*/false)));
      g.deadline += shared_.model.ChunkDelay(
          1, shared_.decoding.load(std::memory_order_relaxed), g.time_rng);
      return WriteOut(/*last=*/false);
    }
    const int per_chunk = std::max(shared_.options.tokens_per_chunk, 1);
    const int n = std::min(per_chunk, g.plan.tokens - g.emitted);
    if (g.emitted == 0) g.first_token = due_;
    const std::string words = GenerateWords(n, g.text_rng, /*at_start=*/g.emitted == 0);
    g.emitted += n;
    const bool last = g.emitted >= g.plan.tokens;
    if (!last) {
      const int next = std::min(per_chunk, g.plan.tokens - g.emitted);
      g.deadline += shared_.model.ChunkDelay(
          next, shared_.decoding.load(std::memory_order_relaxed), g.time_rng);
    }
    if (last) {
      EndDecoding();
      const auto seconds = [&g](SteadyClock::time_point t) {
        return std::chrono::duration<double>(t - g.received).count();
      };
      shared_.stats.Finished(static_cast<int64_t>(g.request.input_tokens), g.emitted, seconds(g.first_token),
                             seconds(due_));
    }

    if (!g.request.stream) {
      g.text += words;
      if (!last) return ArmTimer();
      const int prompt = static_cast<int>(g.request.input_tokens);
      return SendJson(http::status::ok,
                      g.formatter.FullResponse(g.text, g.plan.finish_reason, prompt, g.emitted));
    }

    out_.clear();
    const SimFaultKind fault = g.fault.kind;
    const int prompt = static_cast<int>(g.request.input_tokens);
    if (n > 0) {
      std::string event = g.formatter.ContentEvent(words);
      Emit(g.content_chunks == 0 ? FirstContentEvent(std::move(event)) : std::move(event));
      ++g.content_chunks;
      if (fault == SimFaultKind::kUsageOnlyChunks) Emit(g.formatter.UsageEvent(prompt, g.emitted));
    }
    if (fault == SimFaultKind::kDisconnectAfter && g.content_chunks >= g.fault.arg) {
      // Mid-stream hang-up: no finish event, no [DONE], no terminating HTTP chunk.
      EndDecoding();
      return WriteOut(/*last=*/false, /*close=*/true);
    }
    if (fault == SimFaultKind::kSseErrorEvent && g.content_chunks >= 1 && !last) {
      // vLLM reports a failure inside a started stream, then ends it as usual.
      EndDecoding();
      AppendEvent(ErrorEvent());
      AppendEvent(SimResponseFormatter::DoneEvent());
      out_ += "0\r\n\r\n";
      return WriteOut(/*last=*/true);
    }
    if (last) {
      if (fault == SimFaultKind::kSseErrorEvent) AppendEvent(ErrorEvent());
      Emit(g.formatter.FinishEvent(g.plan.finish_reason));
      if (g.request.include_usage) Emit(g.formatter.UsageEvent(prompt, g.emitted));
      if (fault != SimFaultKind::kNoDone) Emit(SimResponseFormatter::DoneEvent());
      out_ += "0\r\n\r\n";
    }
    WriteOut(last);
  }

  // `close`: hang up once the bytes are out (the disconnect_after fault).
  void WriteOut(bool last, bool close = false) {
    const int events = std::exchange(out_events_, 0);
    asio::async_write(socket_, asio::buffer(out_),
                      [self = shared_from_this(), last, close, events, start = WriteStartNs(),
                       due = Ns(due_)](error_code ec, size_t) {
                        if (!ec) self->StampEvents(events, start, due);
                        if (ec || close) return self->Close();
                        if (last) return self->AfterResponse();
                        self->ArmTimer();
                      });
  }

  // A read kept pending while a request is generated notices a client that hangs up, so its
  // timer and decoding slot are freed at once rather than at the next write.
  void WatchForDisconnect() {
    if (watching_ || buffer_.size() >= kMaxReadAhead) return;
    watching_ = true;
    socket_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](error_code ec, size_t n) {
                              self->OnWatch(ec, n);
                            });
  }

  void OnWatch(error_code ec, size_t n) {
    watching_ = false;
    buffer_.commit(n);  // bytes of a pipelined next request stay for the parser
    if (closed_) return;
    if (resume_read_) {
      resume_read_ = false;
      return ReadRequest();
    }
    if (ec) return Close();  // the client went away mid-request
    WatchForDisconnect();
  }

  void EndDecoding() {
    if (gen_ && gen_->decoding) {
      gen_->decoding = false;
      shared_.decoding.fetch_sub(1, std::memory_order_relaxed);
    }
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    EndDecoding();
    CloseRecord();
    error_code ignored;
    timer_.cancel();
    socket_.close(ignored);
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  Shared& shared_;
  SimEventLog::Shard* log_;  // null = no send log
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> response_;
  std::optional<Generation> gen_;
  std::string out_;  // bytes of the stream write in flight
  int out_events_ = 0;  // SSE events in out_, stamped when its write completes
  SteadyClock::time_point received_;  // when the current request was fully read
  SteadyClock::time_point due_;       // when the schedule wanted the bytes of the next write out
  SimEventRecord record_;
  bool record_open_ = false;
  bool keep_alive_ = true;
  bool watching_ = false;
  bool resume_read_ = false;
  bool closed_ = false;
};

}  // namespace

struct Simulator::Impl {
  explicit Impl(SimulatorOptions options) : shared(std::move(options)) {}

  void Accept() {
    const size_t index = next_context++ % contexts.size();
    asio::io_context& target = *contexts[index];
    acceptor->async_accept(target, [this, index](error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted) return;
      if (ec) {
        // Out of descriptors and the like: back off instead of spinning on accept.
        spdlog::warn("simulator: accept failed: {}", ec.message());
        retry_timer->expires_after(std::chrono::milliseconds(50));
        retry_timer->async_wait([this](error_code tec) {
          if (!tec) Accept();
        });
        return;
      }
      error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);  // small SSE events must not wait
      const auto executor = socket.get_executor();
      // Thread `index` runs `target`, so the session may use that thread's log shard unlocked.
      SimEventLog::Shard* log = event_log ? &event_log->shard(static_cast<int>(index)) : nullptr;
      auto session = std::make_shared<Session>(std::move(socket), shared, log);
      // Start on the session's own loop so each connection is touched by one thread only.
      asio::post(executor, [session] { session->Start(); });
      Accept();
    });
  }

  Shared shared;  // declared first: destroyed after the contexts that own the sessions
  std::unique_ptr<SimEventLog> event_log;  // likewise: sessions log when they are destroyed
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<asio::steady_timer> retry_timer;
  std::vector<std::thread> threads;
  size_t next_context = 0;
  uint16_t port = 0;

  std::mutex mu;
  std::condition_variable stopped_cv;
  bool started = false;
  bool stopped = false;   // Stop() has begun (makes it idempotent)
  bool finished = false;  // threads joined and connections closed (what Wait() waits for)
};

Simulator::Simulator(SimulatorOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

Simulator::~Simulator() { Stop(); }

uint16_t Simulator::Start() {
  Impl& im = *impl_;
  {
    std::lock_guard lock(im.mu);
    if (im.started) return im.port;
    if (im.stopped) throw std::runtime_error("simulator already stopped");
    im.started = true;
  }
  const SimulatorOptions& o = im.shared.options;
  const std::string where = o.host + ":" + std::to_string(o.port);
  const int n_threads = std::max(o.threads, 1);
  if (!o.event_log_path.empty()) {
    try {
      im.event_log = std::make_unique<SimEventLog>(o.event_log_path, n_threads);
    } catch (const std::exception&) {
      {
        std::lock_guard lock(im.mu);
        im.stopped = true;
        im.finished = true;
      }
      im.stopped_cv.notify_all();
      throw;
    }
  }
  for (int i = 0; i < n_threads; ++i) {
    // Concurrency hint 1: each context is run by exactly one thread, so Asio can skip locking.
    im.contexts.push_back(std::make_unique<asio::io_context>(1));
    im.guards.push_back(asio::make_work_guard(*im.contexts.back()));
  }
  asio::io_context& first = *im.contexts.front();

  error_code ec;
  tcp::endpoint endpoint;
  {
    tcp::resolver resolver(first);
    auto results = resolver.resolve(o.host, std::to_string(o.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (!ec && results.empty()) ec = asio::error::host_not_found;
    if (!ec) endpoint = results.begin()->endpoint();
  }
  auto acceptor = std::make_unique<tcp::acceptor>(first);
  if (!ec) acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    acceptor.reset();
    im.guards.clear();
    im.contexts.clear();
    im.event_log.reset();
    {
      std::lock_guard lock(im.mu);
      im.stopped = true;
      im.finished = true;
    }
    im.stopped_cv.notify_all();
    throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
  }
  im.port = acceptor->local_endpoint().port();
  im.acceptor = std::move(acceptor);
  im.retry_timer = std::make_unique<asio::steady_timer>(first);
  im.Accept();

  for (auto& context : im.contexts) {
    im.threads.emplace_back([ctx = context.get()] {
      // A handler that throws is a bug; log it and keep serving the other connections.
      for (;;) {
        try {
          ctx->run();
          return;
        } catch (const std::exception& e) {
          spdlog::error("simulator: unexpected exception: {}", e.what());
        }
      }
    });
  }
  return im.port;
}

void Simulator::Stop() {
  Impl& im = *impl_;
  {
    std::lock_guard lock(im.mu);
    if (im.stopped) return;
    im.stopped = true;
    if (!im.started) im.finished = true;
  }
  // Stopping the loops abandons every pending read, write and timer at once; destroying the
  // contexts then destroys those handlers, which own the sessions and so close their sockets.
  for (auto& context : im.contexts) context->stop();
  for (auto& thread : im.threads) thread.join();
  im.threads.clear();
  im.retry_timer.reset();
  im.acceptor.reset();
  im.guards.clear();
  im.contexts.clear();
  // Last: the sessions destroyed with the contexts have just logged their records.
  if (im.event_log) {
    if (std::string error = im.event_log->Close(); !error.empty()) spdlog::error("simulator: {}", error);
  }
  {
    std::lock_guard lock(im.mu);
    im.finished = true;
  }
  im.stopped_cv.notify_all();
}

void Simulator::Wait() {
  Impl& im = *impl_;
  std::unique_lock lock(im.mu);
  im.stopped_cv.wait(lock, [&] { return im.finished; });
}

}  // namespace bench
