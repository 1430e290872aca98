#include "transport/grpc_transport.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "kserve/infer_request.h"
#include "kserve/infer_response.h"
#include "kserve/kserve.grpc.pb.h"
#include "util/clock.h"

namespace bench {
namespace {

using inference::GRPCInferenceService;
using inference::ModelInferRequest;
using inference::ModelInferResponse;
using inference::ModelStreamInferResponse;

// What the completion-queue thread tells the worker about one call.
struct CallEvent {
  size_t transfer = 0;
  uint64_t call_id = 0;
  bool done = false;  // the call is over (else: one response)
  int64_t ns = 0;     // monotonic arrival time of the response
  std::string text;
  ErrorKind error = ErrorKind::kNone;
  std::string message;
};

// gRPC's status -> bench's error kinds: no connection is kConnect, a passed deadline kTimeout.
ErrorKind ErrorKindOf(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE: return ErrorKind::kConnect;
    case grpc::StatusCode::DEADLINE_EXCEEDED: return ErrorKind::kTimeout;
    case grpc::StatusCode::CANCELLED: return ErrorKind::kCancelled;
    default: return ErrorKind::kServerError;
  }
}

std::string StatusMessage(const grpc::Status& status) {
  return "gRPC status " + std::to_string(static_cast<int>(status.error_code())) + ": " + status.error_message();
}

// The -H headers as gRPC metadata (lower-case keys); HTTP's own framing headers stay out.
std::vector<std::pair<std::string, std::string>> MetadataOf(const std::vector<std::string>& headers) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& h : headers) {
    const auto colon = h.find(':');
    if (colon == std::string::npos) continue;
    std::string name = h.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    size_t at = colon + 1;
    while (at < h.size() && h[at] == ' ') ++at;
    const std::string value = h.substr(at);
    if (value.empty() || name == "content-type" || name == "expect" || name == "host" || name == "accept" ||
        name == "content-length" || name == "x-request-id") {
      continue;
    }
    out.emplace_back(std::move(name), value);
  }
  return out;
}

class GrpcTransport;

// One transfer's call. Its completion-queue tags are the addresses of its `Op`s; it stays
// alive while an operation is pending (`self`) and while the worker holds it.
struct Call {
  enum class OpKind { kStart, kWrite, kWritesDone, kRead, kFinish };
  struct Op {
    Call* call;
    OpKind kind;
  };
  Op start{this, OpKind::kStart}, write{this, OpKind::kWrite}, writes_done{this, OpKind::kWritesDone},
      read{this, OpKind::kRead}, finish{this, OpKind::kFinish};
  size_t transfer = 0;
  uint64_t id = 0;
  bool streaming = false;
  grpc::ClientContext context;
  ModelInferRequest request;
  ModelStreamInferResponse stream_response;
  ModelInferResponse response;
  grpc::Status status;
  std::unique_ptr<grpc::ClientAsyncReaderWriter<ModelInferRequest, ModelStreamInferResponse>> stream;
  std::unique_ptr<grpc::ClientAsyncResponseReader<ModelInferResponse>> unary;
  std::atomic<int> pending{0};
  bool reported_done = false;  // completion-queue thread only
  std::string stream_error;    // the first error_message of the stream
  std::shared_ptr<Call> self;
};

class GrpcTransport final : public Transport {
 public:
  GrpcTransport(const TransportSettings& settings, int epoll_fd, const uint32_t* wake)
      : settings_(settings), epoll_(epoll_fd), wake_(wake), metadata_(MetadataOf(settings.headers)) {
    std::string error;
    const std::string target = GrpcTargetOf(settings.url, error);
    if (target.empty()) throw std::runtime_error(error);
    backend_ = KserveBackendFromName(settings.kserve_backend).value_or(KserveBackend::kTensorRtLlm);
    // A channel of its own per worker (no shared subchannel pool): each loop gets its own
    // HTTP/2 connection, as each HTTP worker has its own sockets.
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetMaxReceiveMessageSize(static_cast<int>(kMaxResponseBytes));
    channel_ = grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
    stub_ = GRPCInferenceService::NewStub(channel_);
    event_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (event_fd_ < 0) throw std::runtime_error(std::string("eventfd: ") + std::strerror(errno));
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = this;
    if (epoll_ctl(epoll_, EPOLL_CTL_ADD, event_fd_, &ev) != 0) {
      close(event_fd_);
      throw std::runtime_error(std::string("epoll_ctl: ") + std::strerror(errno));
    }
    thread_ = std::thread([this] { Serve(); });
  }

  ~GrpcTransport() override {
    for (auto& call : calls_) {
      if (call) call->context.TryCancel();
    }
    {
      // Cancelled calls still complete their operations; the queue shuts down once none is left.
      std::unique_lock<std::mutex> lock(mu_);
      drained_.wait(lock, [this] { return live_ == 0; });
    }
    cq_.Shutdown();
    thread_.join();
    epoll_ctl(epoll_, EPOLL_CTL_DEL, event_fd_, nullptr);
    close(event_fd_);
  }

  void Start(size_t transfer, RawRecord& record, std::string_view body) override {
    if (transfer >= calls_.size()) {
      calls_.resize(transfer + 1);
      records_.resize(transfer + 1, nullptr);
      call_ids_.resize(transfer + 1, 0);
    }
    auto call = std::make_shared<Call>();
    call->transfer = transfer;
    call->id = ++next_call_id_;
    call->streaming = settings_.streaming;
    records_[transfer] = &record;
    call_ids_[transfer] = call->id;
    const std::string error = BuildInferRequest(body, backend_, settings_.streaming, record.request_id, call->request);
    if (!error.empty()) {
      record.transport_error = ErrorKind::kOther;
      record.transport_message = "kserve request: " + error;
      finished_.push_back(transfer);
      records_[transfer] = nullptr;
      return;
    }
    for (const auto& [name, value] : metadata_) call->context.AddMetadata(name, value);
    if (settings_.request_timeout_s > 0) {
      call->context.set_deadline(std::chrono::system_clock::now() +
                                 std::chrono::microseconds(static_cast<int64_t>(settings_.request_timeout_s * 1e6)));
    }
    calls_[transfer] = call;
    call->self = call;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++live_;
    }
    record.send_mono_ns = MonotonicNowNs();
    if (call->streaming) {
      call->stream = stub_->PrepareAsyncModelStreamInfer(&call->context, &cq_);
      call->pending = 1;
      call->stream->StartCall(&call->start);
    } else {
      call->unary = stub_->PrepareAsyncModelInfer(&call->context, call->request, &cq_);
      call->pending = 1;
      call->unary->StartCall();
      call->unary->Finish(&call->response, &call->status, &call->finish);
    }
  }

  void Abort(size_t transfer) override {
    if (transfer >= calls_.size()) return;
    if (calls_[transfer]) calls_[transfer]->context.TryCancel();
    calls_[transfer].reset();
    records_[transfer] = nullptr;
    call_ids_[transfer] = 0;
  }

  void OnEvent(const epoll_event&) override {
    uint64_t count = 0;
    while (read(event_fd_, &count, sizeof(count)) > 0) {
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      taken_.swap(events_);
    }
    for (CallEvent& e : taken_) Apply(e);
    taken_.clear();
  }

  int64_t TimerDueNs() const override { return -1; }  // deadlines are the calls' own
  void OnTimer() override {}

  void TakeFinished(std::vector<size_t>& done) override {
    done.insert(done.end(), finished_.begin(), finished_.end());
    finished_.clear();
  }

 private:
  // Worker thread: one response or the end of a call goes into its record.
  void Apply(CallEvent& e) {
    if (e.transfer >= records_.size() || call_ids_[e.transfer] != e.call_id || records_[e.transfer] == nullptr) {
      return;  // aborted meanwhile
    }
    RawRecord& r = *records_[e.transfer];
    if (!e.done) {
      if (r.bytes.size() + e.text.size() > kMaxResponseBytes) {
        r.too_large = true;
      } else {
        r.AddRead(e.text, e.ns, *wake_);
      }
      return;
    }
    if (e.error == ErrorKind::kNone) {
      r.http_status = 200;
    } else {
      r.transport_error = e.error;
      r.transport_message = std::move(e.message);
    }
    finished_.push_back(e.transfer);
    records_[e.transfer] = nullptr;
    calls_[e.transfer].reset();
  }

  void Post(CallEvent&& e) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      events_.push_back(std::move(e));
    }
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = write(event_fd_, &one, sizeof(one));
  }

  void PostDone(Call& call, ErrorKind error, std::string message) {
    if (call.reported_done) return;
    call.reported_done = true;
    CallEvent e;
    e.transfer = call.transfer;
    e.call_id = call.id;
    e.done = true;
    e.error = error;
    e.message = std::move(message);
    Post(std::move(e));
  }

  void PostResponse(Call& call, const ModelInferResponse& response, int64_t now) {
    std::optional<std::string> text = TextOutput(response);
    if (!text) {
      PostDone(call, ErrorKind::kInvalidJson, "response without a readable BYTES output 'text_output'");
      return;
    }
    CallEvent e;
    e.transfer = call.transfer;
    e.call_id = call.id;
    e.ns = now;
    e.text = std::move(*text);
    Post(std::move(e));
  }

  // Completion-queue thread: every finished operation, until the queue shuts down.
  void Serve() {
    void* tag = nullptr;
    bool ok = false;
    while (cq_.Next(&tag, &ok)) {
      const int64_t now = MonotonicNowNs();  // first: the arrival time of a response
      auto* op = static_cast<Call::Op*>(tag);
      Call& call = *op->call;
      if (call.streaming) {
        OnStreamOp(call, op->kind, ok, now);
      } else {
        OnUnaryFinish(call, now);
      }
      if (--call.pending == 0) {
        std::shared_ptr<Call> keep = std::move(call.self);  // the call may end here
        std::lock_guard<std::mutex> lock(mu_);
        if (--live_ == 0) drained_.notify_all();
      }
    }
  }

  void OnUnaryFinish(Call& call, int64_t now) {
    if (!call.status.ok()) {
      PostDone(call, ErrorKindOf(call.status), StatusMessage(call.status));
      return;
    }
    PostResponse(call, call.response, now);
    PostDone(call, ErrorKind::kNone, "");
  }

  // A stream's state machine: start, write the one request, half-close and read to the end.
  void OnStreamOp(Call& call, Call::OpKind kind, bool ok, int64_t now) {
    switch (kind) {
      case Call::OpKind::kStart:
        if (!ok) return Finish(call);
        ++call.pending;
        call.stream->Write(call.request, &call.write);
        return;
      case Call::OpKind::kWrite:
        if (!ok) return Finish(call);
        // One request per stream: done writing, now read until the server's final response.
        call.pending += 2;
        call.stream->WritesDone(&call.writes_done);
        call.stream->Read(&call.stream_response, &call.read);
        return;
      case Call::OpKind::kWritesDone:
        return;
      case Call::OpKind::kRead: {
        if (!ok) return Finish(call);
        if (!call.stream_response.error_message().empty()) {
          if (call.stream_error.empty()) call.stream_error = call.stream_response.error_message();
          PostDone(call, ErrorKind::kServerError, "Triton: " + call.stream_error);
        } else if (!call.reported_done) {
          const ModelInferResponse& response = call.stream_response.infer_response();
          PostResponse(call, response, now);
          if (IsFinalResponse(response)) PostDone(call, ErrorKind::kNone, "");
        }
        ++call.pending;
        call.stream->Read(&call.stream_response, &call.read);
        return;
      }
      case Call::OpKind::kFinish:
        if (!call.status.ok()) {
          PostDone(call, ErrorKindOf(call.status), StatusMessage(call.status));
        } else {
          // A stream that ended without the final flag (a server that does not send it) ends here.
          PostDone(call, ErrorKind::kNone, "");
        }
        return;
    }
  }

  void Finish(Call& call) {
    ++call.pending;
    call.stream->Finish(&call.status, &call.finish);
  }

  TransportSettings settings_;
  int epoll_;
  const uint32_t* wake_;
  std::vector<std::pair<std::string, std::string>> metadata_;
  KserveBackend backend_ = KserveBackend::kTensorRtLlm;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<GRPCInferenceService::Stub> stub_;
  grpc::CompletionQueue cq_;
  int event_fd_ = -1;
  std::thread thread_;
  // Worker thread only.
  std::vector<std::shared_ptr<Call>> calls_;
  std::vector<RawRecord*> records_;
  std::vector<uint64_t> call_ids_;
  uint64_t next_call_id_ = 0;
  std::vector<size_t> finished_;
  std::vector<CallEvent> taken_;
  // Shared with the completion-queue thread.
  std::mutex mu_;
  std::condition_variable drained_;
  std::vector<CallEvent> events_;
  int live_ = 0;  // calls with operations pending
};

}  // namespace

std::string GrpcTargetOf(const std::string& url, std::string& error) {
  std::string rest = url;
  if (rest.rfind("https://", 0) == 0) {
    error = "--url " + url + ": --endpoint-type kserve speaks plain gRPC (host:port); TLS is not supported yet";
    return "";
  }
  for (const char* scheme : {"http://", "grpc://"}) {
    if (rest.rfind(scheme, 0) == 0) rest = rest.substr(std::strlen(scheme));
  }
  rest = rest.substr(0, rest.find('/'));
  if (rest.empty() || rest.front() == ':') {
    error = "--url " + url + ": expected host:port for --endpoint-type kserve";
    return "";
  }
  return rest;
}

std::unique_ptr<Transport> MakeGrpcTransport(const TransportSettings& settings, int epoll_fd, const uint32_t* wake) {
  return std::make_unique<GrpcTransport>(settings, epoll_fd, wake);
}

}  // namespace bench
