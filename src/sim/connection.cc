#include "sim/connection.h"

// Beast stays inside this file: it is the only translation unit that pays its compile time.
#include <atomic>
#include <utility>  // Boost 1.74's asio/awaitable.hpp uses std::exchange without including it
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>

#include "sim/embeddings.h"
#include "sim/openai.h"
#include "sim/timing.h"
#include "sim/event_log.h"
#include "sim/router.h"
#include "sim/send_recorder.h"
#include "sim/sse_writer.h"
#include "sim/stamped_stream.h"

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

// One accepted connection: reads requests one after another (keep-alive) and answers each,
// driving generation with one steady_timer, so a thread holds thousands of streams.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // `log`: this io thread's shard of the send log, or null when there is no log.
  Connection(tcp::socket socket, SimShared& shared, SimEventLog::Shard* log)
      : socket_(std::move(socket)), reader_(socket_), timer_(socket_.get_executor()), shared_(shared), sent_(log) {
    error_code ignored;
    socket_.non_blocking(true, ignored);  // reader_'s recvmsg after a readiness wait must not block
  }
  ~Connection() {
    EndDecoding();
    sent_.Close();  // a stream cut short by Stop() is still logged, with the events it got
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
    int reasoning_left = 0;  // reasoning tokens still to send before content
    int reasoning_per_chunk = 1;
    int reasoning_emitted = 0;
    std::string reasoning_text;  // non-streaming answers accumulate here
    SteadyClock::time_point received{};     // the complete request, origin of /metrics' times
    SteadyClock::time_point first_token{};  // when the first content chunk was due
  };

  void ReadRequest() {
    parser_.emplace();
    parser_->body_limit(kMaxBodyBytes);
    http::async_read_header(reader_, buffer_, *parser_,
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
    http::async_read(reader_, buffer_, *parser_,
                     [self = shared_from_this()](error_code ec, size_t) {
                       if (ec) return self->OnReadError(ec);
                       self->received_ = self->due_ = SteadyClock::now();
                       self->OpenRecord();
                       self->Handle();
                     });
  }

  // Send log: one record per fully received request, closed when its response is done.
  void OpenRecord() {
    const auto& req = parser_->get();
    const auto id = req.find("X-Request-Id");
    sent_.Open(Ns(received_), reader_.last_arrival_ns(), id == req.end() ? std::string_view()
                                              : std::string_view(id->value().data(), id->value().size()));
  }

  static int64_t Ns(SteadyClock::time_point t) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
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
    std::optional<std::string_view> fault_header;
    if (const auto h = req.find("X-Bench-Fault"); h != req.end()) {
      fault_header = std::string_view(h->value().data(), h->value().size());
    }
    SimRoute route = RouteSimRequest(std::string_view(req.method_string().data(), req.method_string().size()),
                                     std::string_view(req.target().data(), req.target().size()),
                                     fault_header, req.body(), shared_.options, UnixNow());
    parser_.reset();  // `req` dies here; a stream should not hold its prompt for minutes
    if (route.metrics_page) {
      route.reply->body = shared_.stats.Render(shared_.options.model, shared_.decoding.load(std::memory_order_relaxed));
    }
    if (route.reply && route.reply->delay.count() > 0) return SendLater(std::move(*route.reply));
    if (route.reply) return Send(std::move(*route.reply));
    BeginGeneration(std::move(*route.request), route.header_fault);
  }

  // A whole answer due `reply.delay` after the request was complete (sim/media_routes).
  void SendLater(SimReply reply) {
    delayed_ = std::move(reply);
    timer_.expires_at(received_ + delayed_->delay);
    timer_.async_wait([self = shared_from_this()](error_code ec) {
      if (ec || self->closed_) return self->Close();
      SimReply due = std::move(*self->delayed_);
      self->delayed_.reset();
      self->Send(std::move(due));
    });
  }

  void Send(SimReply reply) {
    SendJson(static_cast<http::status>(reply.status), std::move(reply.body), std::move(reply.allow),
             std::move(reply.retry_after), reply.content_type);
  }

  void SendJson(http::status status, std::string body, std::string allow = {},
                std::string retry_after = {}, const std::string& content_type = "application/json") {
    response_.emplace(status, 11);
    response_->set(http::field::server, "bench-simulator");
    response_->set(http::field::content_type, content_type);
    if (!allow.empty()) response_->set(http::field::allow, allow);
    if (!retry_after.empty()) response_->set(http::field::retry_after, retry_after);
    response_->keep_alive(keep_alive_);
    response_->body() = std::move(body);
    response_->prepare_payload();
    http::async_write(socket_, *response_, [self = shared_from_this(), start = sent_.WriteStartNs(),
                                            due = Ns(due_)](error_code ec, size_t) {
      self->response_.reset();
      if (ec) return self->Close();
      self->sent_.Stamp(1, start, due);  // a JSON answer counts as one event
      self->AfterResponse();
    });
  }

  // The next request on a keep-alive connection, once any disconnect watch has stood down.
  void AfterResponse() {
    sent_.Close();
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
    if (auto reply = SimFaultReply(fault.kind)) return Send(std::move(*reply));
    switch (fault.kind) {
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
    if (IsSimEncoder(request.endpoint)) return AnswerEncoder(std::move(request), fault, t0);
    std::string id = (request.endpoint == SimEndpoint::kChat ? "chatcmpl-" : "cmpl-") +
                     Hex16(MixSeed(seed, n)) + Hex16(n);
    SimResponseFormatter formatter(request, std::move(id), UnixNow());
    // Separate streams for text, timing and EOS so that changing one knob (jitter,
    // eos_probability) does not change the words of an answer.
    SimRng eos_rng(MixSeed(seed, 3));
    const SimOutputPlan plan = PlanOutput(request, shared_.options.eos_probability, eos_rng);
    sent_.Reserve(static_cast<size_t>(plan.tokens) + 8);
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
    if (gen_->request.endpoint == SimEndpoint::kChat && shared_.options.reasoning_tokens > 0) {
      gen_->reasoning_left = shared_.options.reasoning_tokens;
      gen_->reasoning_per_chunk = std::max(shared_.options.tokens_per_chunk, 1);
    }
    if (fault.kind == SimFaultKind::kReasoning && gen_->request.endpoint == SimEndpoint::kChat &&
        gen_->request.stream) {
      gen_->reasoning_left = static_cast<int>(fault.arg);  // N one-word events
      gen_->reasoning_per_chunk = 1;
    }
    WatchForDisconnect();
    if (!gen_->request.stream) return ArmTimer();
    StartStream(delay);
  }

  // Encoders (embeddings, ranking, rerank) answer with one JSON body once the prefill is
  // done: the chat model's TTFT (plus a stall/slow_headers fault's delay), nothing per token.
  void AnswerEncoder(SimRequest request, const SimFault& fault, SteadyClock::time_point t0) {
    SimRng time_rng(MixSeed(request.seed, 2));
    SteadyClock::time_point deadline = t0 + shared_.model.Ttft(request.input_tokens, time_rng);
    if (fault.kind == SimFaultKind::kStall || fault.kind == SimFaultKind::kSlowHeaders) {
      deadline += std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(fault.arg));
    }
    encoder_answer_ = std::move(request.encoder_answer);
    const auto prompt = static_cast<int64_t>(request.input_tokens);
    const double seconds = std::chrono::duration<double>(deadline - t0).count();
    WatchForDisconnect();
    timer_.expires_at(deadline);
    timer_.async_wait([self = shared_from_this(), deadline, prompt, seconds](error_code ec) {
      if (ec || self->closed_) return;
      self->due_ = deadline;
      self->shared_.stats.Finished(prompt, 0, seconds, seconds);
      self->SendJson(http::status::ok, std::move(self->encoder_answer_));
    });
  }

  // The response head leaves at once, or `delay` late under slow_headers.
  void StartStream(SteadyClock::duration delay) {
    const SimFault& fault = gen_->fault;
    out_.Head(keep_alive_);
    // Like vLLM, the role-only chunk leaves with the headers, before the prefill is done.
    // Other APIs open their own way (the Responses API's response.created, ...).
    for (std::string& event : gen_->formatter.OpeningEvents()) Emit(std::move(event));
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
  void Emit(std::string event) { out_.Emit(std::move(event), gen_->fault.kind); }

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
    const int per_chunk = std::max(shared_.options.tokens_per_chunk, 1);
    if (g.reasoning_left > 0) return EmitReasoning(g, per_chunk);
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
      shared_.stats.Finished(static_cast<int64_t>(g.request.input_tokens), g.emitted + g.reasoning_emitted,
                             seconds(g.first_token),
                             seconds(due_));
    }

    if (!g.request.stream) {
      g.text += words;
      if (!last) return ArmTimer();
      const int prompt = static_cast<int>(g.request.input_tokens);
      return SendJson(http::status::ok, g.formatter.FullResponse(g.text, g.plan.finish_reason, prompt,
                                                                 g.emitted + g.reasoning_emitted, g.reasoning_text));
    }

    out_.Clear();
    const SimFaultKind fault = g.fault.kind;
    const int prompt = static_cast<int>(g.request.input_tokens);
    const SimStreamEnd end{g.plan.finish_reason, prompt, g.emitted + g.reasoning_emitted};
    if (n > 0) {
      std::string event = last ? g.formatter.LastContentEvent(words, end) : g.formatter.ContentEvent(words);
      Emit(g.content_chunks == 0 ? FirstContentEvent(std::move(event), g.fault) : std::move(event));
      ++g.content_chunks;
      if (fault == SimFaultKind::kUsageOnlyChunks) Emit(g.formatter.UsageEvent(prompt, g.emitted + g.reasoning_emitted));
    }
    if (fault == SimFaultKind::kDisconnectAfter && g.content_chunks >= g.fault.arg) {
      // Mid-stream hang-up: no finish event, no [DONE], no terminating HTTP chunk.
      EndDecoding();
      return WriteOut(/*last=*/false, /*close=*/true);
    }
    if (fault == SimFaultKind::kSseErrorEvent && g.content_chunks >= 1 && !last) {
      // vLLM reports a failure inside a started stream, then ends it as usual.
      EndDecoding();
      out_.Append(ErrorEvent());
      out_.Append(SimResponseFormatter::DoneEvent());
      out_.End();
      return WriteOut(/*last=*/true);
    }
    if (last) {
      if (fault == SimFaultKind::kSseErrorEvent) out_.Append(ErrorEvent());
      for (std::string& event : g.formatter.ClosingEvents(end)) Emit(std::move(event));
      if (g.request.include_usage) Emit(g.formatter.UsageEvent(prompt, g.emitted + g.reasoning_emitted));
      if (fault != SimFaultKind::kNoDone && g.formatter.SendsDone()) Emit(SimResponseFormatter::DoneEvent());
      out_.End();
    }
    WriteOut(last);
  }

  // One reasoning chunk; its words come from their own stream so the answer's text is unchanged.
  void EmitReasoning(Generation& g, int per_chunk) {
    const int n = std::min(g.reasoning_per_chunk, g.reasoning_left);
    g.reasoning_left -= n;
    SimRng reasoning_rng(MixSeed(g.request.seed, 5 + static_cast<uint64_t>(g.reasoning_left)));
    const std::string words = GenerateWords(n, reasoning_rng, /*at_start=*/g.reasoning_emitted == 0);
    g.reasoning_emitted += n;
    const int next = g.reasoning_left > 0 ? std::min(g.reasoning_per_chunk, g.reasoning_left)
                                          : std::min(per_chunk, g.plan.tokens);
    g.deadline += shared_.model.ChunkDelay(std::max(next, 1), shared_.decoding.load(std::memory_order_relaxed),
                                           g.time_rng);
    if (!g.request.stream) {
      g.reasoning_text += words;
      return ArmTimer();
    }
    out_.Clear();
    Emit(g.formatter.ReasoningEvent(words));
    WriteOut(/*last=*/false);
  }

  // `close`: hang up once the bytes are out (the disconnect_after fault).
  void WriteOut(bool last, bool close = false) {
    const int events = out_.TakeEvents();
    asio::async_write(socket_, asio::buffer(out_.bytes()),
                      [self = shared_from_this(), last, close, events, start = sent_.WriteStartNs(),
                       due = Ns(due_)](error_code ec, size_t) {
                        if (!ec) self->sent_.Stamp(events, start, due);
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
    reader_.async_read_some(buffer_.prepare(4096),
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
    sent_.Close();
    error_code ignored;
    timer_.cancel();
    socket_.close(ignored);
  }

  tcp::socket socket_;
  StampedStream reader_;  // every read of socket_, so the send log knows when a request arrived
  asio::steady_timer timer_;
  std::optional<SimReply> delayed_;  // SendLater's answer while its timer runs
  SimShared& shared_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> response_;
  std::optional<Generation> gen_;
  std::string encoder_answer_;  // an encoder request's JSON answer, until its prefill time is up
  SimSseWriter out_;  // bytes of the stream write in flight, and their events to stamp
  SteadyClock::time_point received_;  // when the current request was fully read
  SteadyClock::time_point due_;       // when the schedule wanted the bytes of the next write out
  SimSendRecorder sent_;  // this connection's send-log records
  bool keep_alive_ = true;
  bool watching_ = false;
  bool resume_read_ = false;
  bool closed_ = false;
};

}  // namespace

void ServeSimConnection(tcp::socket socket, SimShared& shared, SimEventLog::Shard* log) {
  std::make_shared<Connection>(std::move(socket), shared, log)->Start();
}

}  // namespace bench
