#include "sim/kserve_server.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <grpcpp/grpcpp.h>

#include "kserve/infer_response.h"
#include "kserve/kserve.grpc.pb.h"
#include "sim/kserve_request.h"
#include "sim/timing.h"

namespace bench {
namespace {

using Clock = std::chrono::steady_clock;
using inference::ModelInferRequest;
using inference::ModelInferResponse;
using inference::ModelStreamInferResponse;

// One thread runs every generation step at its due time. Once stopped, every task left (and
// any scheduled later) runs at once with `run` false, so its call is released.
class Scheduler {
 public:
  using Task = std::function<void(bool run)>;

  void At(Clock::time_point due, Task task) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!stopping_) {
        tasks_.emplace(due, std::move(task));
        wake_.notify_one();
        return;
      }
    }
    task(false);
  }

  void Run() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      if (stopping_) break;
      if (tasks_.empty()) {
        wake_.wait(lock);
        continue;
      }
      const auto due = tasks_.begin()->first;
      if (Clock::now() < due) {
        wake_.wait_until(lock, due);
        continue;
      }
      Task task = std::move(tasks_.begin()->second);
      tasks_.erase(tasks_.begin());
      lock.unlock();
      task(true);
      lock.lock();
    }
    std::multimap<Clock::time_point, Task> left;
    left.swap(tasks_);
    lock.unlock();
    for (auto& [due, task] : left) task(false);
  }

  void Stop() {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    wake_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable wake_;
  std::multimap<Clock::time_point, Task> tasks_;
  bool stopping_ = false;
};

struct Shared {
  explicit Shared(const SimulatorOptions& o) : options(o), model(o) {}
  SimulatorOptions options;
  SimLatencyModel model;
  std::atomic<int> decoding{0};
  Scheduler scheduler;
};

// One request being generated: its words and delays, as the HTTP simulator makes them.
struct Generation {
  Generation(Shared& s, SimRequest r, std::string request_id)
      : shared(s), request(std::move(r)), id(std::move(request_id)), text_rng(MixSeed(request.seed, 1)),
        time_rng(MixSeed(request.seed, 2)) {
    SimRng eos_rng(MixSeed(request.seed, 3));
    plan = PlanOutput(request, shared.options.eos_probability, eos_rng);
    deadline = Clock::now() + shared.model.Ttft(request.input_tokens, time_rng);
  }
  ~Generation() {
    if (decoding) shared.decoding.fetch_sub(1, std::memory_order_relaxed);
  }

  // The words of the next chunk; true when it is the last (then `deadline` is not advanced).
  bool Next(std::string& words) {
    if (!decoding) {
      decoding = true;
      shared.decoding.fetch_add(1, std::memory_order_relaxed);
    }
    const int per_chunk = std::max(shared.options.tokens_per_chunk, 1);
    const int n = std::min(per_chunk, plan.tokens - emitted);
    words = GenerateWords(n, text_rng, /*at_start=*/emitted == 0);
    emitted += n;
    if (emitted >= plan.tokens) return true;
    const int next = std::min(per_chunk, plan.tokens - emitted);
    deadline += shared.model.ChunkDelay(next, shared.decoding.load(std::memory_order_relaxed), time_rng);
    return false;
  }

  Shared& shared;
  SimRequest request;
  std::string id;
  SimRng text_rng;
  SimRng time_rng;
  SimOutputPlan plan;
  int emitted = 0;
  bool decoding = false;
  std::string whole;  // not streamed: the text so far
  Clock::time_point deadline;
};

// ModelStreamInfer: any number of requests on one stream, responses written one at a time in
// the order they are made; the stream ends once the client is done writing and every request
// has its final response out (or at once when cancelled).
class StreamReactor final : public grpc::ServerBidiReactor<ModelInferRequest, ModelStreamInferResponse> {
 public:
  explicit StreamReactor(Shared& shared) : shared_(shared) { StartRead(&request_); }

  void OnReadDone(bool ok) override {
    if (!ok) {
      std::unique_lock<std::mutex> lock(mu_);
      reads_done_ = true;
      return FinishIfOver(lock);
    }
    SimParseResult parsed = ParseKserveRequest(request_, shared_.options);
    if (!parsed.request) {
      ModelStreamInferResponse error;
      error.set_error_message(parsed.error);
      error.mutable_infer_response()->set_id(request_.id());
      Enqueue(std::move(error));
    } else {
      auto* g = new Generation(shared_, std::move(*parsed.request), request_.id());
      {
        std::lock_guard<std::mutex> lock(mu_);
        ++active_;
        ++tasks_;
      }
      Schedule(g);
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (finished_) return;  // cancelled meanwhile: no more reads after Finish
    }
    StartRead(&request_);
  }

  void OnWriteDone(bool ok) override {
    std::unique_lock<std::mutex> lock(mu_);
    queue_.pop_front();
    if (!ok) {
      cancelled_ = true;
      queue_.clear();
    }
    writing_ = !queue_.empty();
    if (writing_) {
      lock.unlock();
      StartWrite(&queue_.front());
      return;
    }
    FinishIfOver(lock);
  }

  void OnCancel() override {
    std::unique_lock<std::mutex> lock(mu_);
    cancelled_ = true;
    FinishIfOver(lock);
  }

  void OnDone() override {
    std::unique_lock<std::mutex> lock(mu_);
    done_ = true;
    if (tasks_ > 0) return;  // the last step deletes the reactor
    lock.unlock();
    delete this;
  }

 private:
  // The next step of `g` at its deadline; the caller counted it in tasks_ and holds no lock
  // (a stopping scheduler runs the step at once, and the step locks mu_).
  void Schedule(Generation* g) {
    shared_.scheduler.At(g->deadline, [this, g](bool run) { Step(g, run); });
  }

  void Step(Generation* g, bool run) {
    bool last = true;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!run || cancelled_ || finished_) last = false;
    }
    if (!run || !last) {
      End(g);
      return Release();
    }
    std::string words;
    last = g->Next(words);
    const bool stream = g->request.stream;
    if (!stream) g->whole += words;
    if (stream || last) {
      ModelStreamInferResponse response;
      MakeTextResponse(g->request.model, g->id, stream ? words : g->whole, last, *response.mutable_infer_response());
      Enqueue(std::move(response));
    }
    if (last) {
      End(g);
    } else {
      {
        std::lock_guard<std::mutex> lock(mu_);
        ++tasks_;
      }
      Schedule(g);
    }
    Release();
  }

  // A request is over (answered or dropped).
  void End(Generation* g) {
    delete g;
    std::unique_lock<std::mutex> lock(mu_);
    --active_;
    FinishIfOver(lock);
  }

  // A step is over: the reactor goes once gRPC is done with it and no step points at it.
  void Release() {
    std::unique_lock<std::mutex> lock(mu_);
    if (--tasks_ > 0 || !done_) return;
    lock.unlock();
    delete this;
  }

  void Enqueue(ModelStreamInferResponse&& response) {
    std::unique_lock<std::mutex> lock(mu_);
    if (cancelled_ || finished_) return;
    queue_.push_back(std::move(response));
    if (writing_) return;
    writing_ = true;
    lock.unlock();
    StartWrite(&queue_.front());  // deque: the front stays put while others are appended
  }

  // With mu_ held (released when it finishes): ends the stream once nothing is left to do.
  void FinishIfOver(std::unique_lock<std::mutex>& lock) {
    if (finished_ || writing_) return;
    if (!cancelled_ && !(reads_done_ && active_ == 0 && queue_.empty())) return;
    finished_ = true;
    const bool cancelled = cancelled_;
    lock.unlock();
    Finish(cancelled ? grpc::Status::CANCELLED : grpc::Status::OK);
  }

  Shared& shared_;
  ModelInferRequest request_;
  std::mutex mu_;
  std::deque<ModelStreamInferResponse> queue_;
  bool writing_ = false;
  bool reads_done_ = false;
  bool cancelled_ = false;
  bool finished_ = false;
  bool done_ = false;
  int active_ = 0;  // requests still generating
  int tasks_ = 0;   // scheduled steps that point at this reactor
};

class Service final : public inference::GRPCInferenceService::CallbackService {
 public:
  explicit Service(Shared& shared) : shared_(shared) {}

  grpc::ServerUnaryReactor* ServerLive(grpc::CallbackServerContext* context, const inference::ServerLiveRequest*,
                                       inference::ServerLiveResponse* response) override {
    response->set_live(true);
    return Done(context);
  }
  grpc::ServerUnaryReactor* ServerReady(grpc::CallbackServerContext* context, const inference::ServerReadyRequest*,
                                        inference::ServerReadyResponse* response) override {
    response->set_ready(true);
    return Done(context);
  }
  grpc::ServerUnaryReactor* ModelReady(grpc::CallbackServerContext* context, const inference::ModelReadyRequest* request,
                                       inference::ModelReadyResponse* response) override {
    response->set_ready(!request->name().empty());  // any model is served, as over HTTP
    return Done(context);
  }

  grpc::ServerUnaryReactor* ModelInfer(grpc::CallbackServerContext* context, const ModelInferRequest* request,
                                       ModelInferResponse* response) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    SimParseResult parsed = ParseKserveRequest(*request, shared_.options);
    if (!parsed.request) {
      reactor->Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, parsed.error));
      return reactor;
    }
    parsed.request->stream = false;  // one response: the whole text
    auto* g = new Generation(shared_, std::move(*parsed.request), request->id());
    Unary(g, reactor, response);
    return reactor;
  }

  grpc::ServerBidiReactor<ModelInferRequest, ModelStreamInferResponse>* ModelStreamInfer(
      grpc::CallbackServerContext*) override {
    return new StreamReactor(shared_);
  }

 private:
  static grpc::ServerUnaryReactor* Done(grpc::CallbackServerContext* context) {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  void Unary(Generation* g, grpc::ServerUnaryReactor* reactor, ModelInferResponse* response) {
    shared_.scheduler.At(g->deadline, [this, g, reactor, response](bool run) {
      if (!run) {
        delete g;
        return reactor->Finish(grpc::Status::CANCELLED);
      }
      std::string words;
      const bool last = g->Next(words);
      g->whole += words;
      if (!last) return Unary(g, reactor, response);
      MakeTextResponse(g->request.model, g->id, g->whole, std::nullopt, *response);
      delete g;
      reactor->Finish(grpc::Status::OK);
    });
  }

  Shared& shared_;
};

// The server of bench-grpc.so, behind sim/kserve_server.h's KserveServer.
class GrpcKserveServer final : public KserveServer {
 public:
  explicit GrpcKserveServer(const SimulatorOptions& options) : shared_(options), service_(shared_) {}
  ~GrpcKserveServer() override { Stop(); }

  uint16_t Start() override {
    const SimulatorOptions& o = shared_.options;
    const std::string address = fmt::format("{}:{}", o.host, o.port);
    int port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    if (!server_ || port == 0) {
      server_.reset();
      throw std::runtime_error("cannot serve gRPC on " + address + " (port in use or address not local?)");
    }
    scheduler_thread_ = std::thread([this] { shared_.scheduler.Run(); });
    return static_cast<uint16_t>(port);
  }

  void Stop() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopped_) return;
      stopped_ = true;
    }
    // The scheduler first: steps still due release their calls at once, so the server's shutdown
    // does not wait for answers that would take their full time.
    shared_.scheduler.Stop();
    if (server_) server_->Shutdown(std::chrono::system_clock::now());
    if (scheduler_thread_.joinable()) scheduler_thread_.join();
    if (server_) server_->Wait();
    stopped_cv_.notify_all();
  }

  void Wait() override {
    std::unique_lock<std::mutex> lock(mu_);
    stopped_cv_.wait(lock, [this] { return stopped_; });
  }

 private:
  Shared shared_;
  Service service_;
  std::unique_ptr<grpc::Server> server_;
  std::thread scheduler_thread_;
  std::mutex mu_;
  std::condition_variable stopped_cv_;
  bool stopped_ = false;
};

}  // namespace

}  // namespace bench

extern "C" bench::KserveServer* bench_grpc_new_kserve_server(const bench::SimulatorOptions& options) {
  return new bench::GrpcKserveServer(options);
}
