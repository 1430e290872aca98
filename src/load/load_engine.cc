#include "load/load_engine.h"


#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <stdexcept>
#include <thread>
#include <utility>

#include <spdlog/spdlog.h>

#include "util/cores.h"
#include "load/connection_budget.h"
#include "load/raw_spill.h"
#include "load/record_conversion.h"
#include "load/worker.h"

namespace bench {
namespace {

WindowSnapshot SnapshotOf(const LoadProgress& progress, int64_t now) {
  return {now, progress.ok_done.load(std::memory_order_relaxed),
          progress.ok_latency_ns.load(std::memory_order_relaxed)};
}

// Time windows, on RunLoad's thread while the workers send: sleeps to each window's end,
// closes it from the live counters, and sets `over` when the controller is done or on an
// interrupt (the open window is then abandoned: only closed windows count).
void MeasureWindows(WindowController& windows, LoadProgress& progress, int64_t start, const std::atomic<bool>& stop,
                    std::atomic<bool>& over) {
  const int64_t length = windows.WindowLengthNs();
  const int judged = windows.settings().stability_windows;
  windows.Start(SnapshotOf(progress, start));
  progress.window.store(1, std::memory_order_relaxed);
  progress.expected_ns.store(std::max(1, judged) * length, std::memory_order_relaxed);
  while (!windows.done() && !stop.load()) {
    const int64_t end = windows.NextEndNs();
    for (int64_t now = MonotonicNowNs(); now < end && !stop.load(); now = MonotonicNowNs()) {
      std::this_thread::sleep_for(std::chrono::nanoseconds(std::min(end - now, kLoadMaxWaitNs)));
    }
    if (stop.load()) break;
    windows.Close(SnapshotOf(progress, MonotonicNowNs()));
    const int closed = static_cast<int>(windows.windows().size());
    progress.window.store(closed + 1, std::memory_order_relaxed);
    progress.expected_ns.store(std::max(judged, closed + 1) * length, std::memory_order_relaxed);
  }
  over.store(true);
}

// One run's phases over the workers: how each load mode's requests are planned and split among
// the workers, the progress line's phase, and the time windows measured on this thread.
class PhaseRunner {
 public:
  PhaseRunner(LoadOptions& options, const std::vector<std::string>& bodies, const std::atomic<bool>& stop,
              std::vector<std::unique_ptr<LoadWorker>>& workers, std::atomic<bool>& windows_over)
      : options_(options), bodies_(bodies), stop_(stop), workers_(workers), windows_over_(windows_over),
        threads_(static_cast<int>(workers.size())) {}

  // The warm-up (`count` requests) or the measured phase, in the run's load mode.
  void Run(int count, bool warmup) {
    if (options_.sessions != nullptr) {
      const int64_t sessions =
          warmup ? SessionsHolding(count) : static_cast<int64_t>(options_.sessions->SessionCount());
      if (options_.progress != nullptr) {
        options_.progress->BeginPhase(warmup ? LoadPhase::kWarmup : LoadPhase::kMeasuring, SessionTurns(sessions));
      }
      RunSessions(sessions,
                  warmup ? static_cast<int>(std::min<int64_t>(options_.concurrency, sessions)) : options_.concurrency,
                  warmup);
      return;
    }
    if (options_.progress != nullptr) BeginProgress(count, warmup);
    if (fixed_) {
      RunFixed(warmup);
    } else if (options_.request_rate) {
      RunRate(count, warmup);
    } else if (!warmup && (options_.duration_s || options_.windows)) {
      RunClosed(std::numeric_limits<int64_t>::max() / 2, options_.concurrency, warmup);
    } else {
      RunClosed(count, warmup ? std::min(options_.concurrency, count) : options_.concurrency, warmup);
    }
  }

 private:
  void BeginProgress(int count, bool warmup) {
    // A timed measured phase has no request total: the progress line shows time instead.
    const bool timed = !warmup && !fixed_ && (options_.duration_s || options_.windows);
    const int64_t planned = fixed_  ? static_cast<int64_t>(bodies_.size()) - options_.warmup_request_count
                            : timed ? 0
                                    : count;
    const int64_t expected_ns = !timed                ? 0
                                : options_.duration_s ? std::llround(*options_.duration_s * 1e9)
                                                      : options_.windows->WindowLengthNs() *
                                                            options_.windows->settings().stability_windows;
    options_.progress->BeginPhase(warmup ? LoadPhase::kWarmup : LoadPhase::kMeasuring, warmup ? count : planned,
                                  expected_ns);
  }

  // The measured phase's deadline (monotonic ns), or 0 for none and for warm-up.
  int64_t DeadlineAfter(int64_t start, bool warmup) const {
    return !warmup && options_.duration_s ? start + std::llround(*options_.duration_s * 1e9) : 0;
  }

  // The measured phase's time windows run on this thread while the workers send.
  void Measure(int64_t start, bool warmup) {
    if (!warmup && options_.windows != nullptr) {
      MeasureWindows(*options_.windows, *options_.progress, start, stop_, windows_over_);
    }
  }

  void RunClosed(int64_t count, int concurrency, bool warmup) {
    ClosedPhase phase;
    phase.total = count;
    phase.remaining = count;
    const int64_t start = MonotonicNowNs();
    const int64_t deadline = DeadlineAfter(start, warmup);
    std::vector<std::thread> pool;
    const int active = std::min(threads_, concurrency);
    for (int i = 0; i < active; ++i) {
      // perf_analyzer's split: N / threads each, the remainder to the first threads.
      const int share = concurrency / active + (i < concurrency % active ? 1 : 0);
      pool.emplace_back([&, i, share] { workers_[i]->RunClosedPhase(share, phase, stop_, deadline, warmup); });
    }
    Measure(start, warmup);
    for (auto& t : pool) t.join();
  }

  // Open loop over `entries` (dataset indices) due at `offsets` from a common start.
  void RunOpen(const std::vector<size_t>& entries, const std::vector<int64_t>& offsets, bool warmup) {
    std::vector<OpenLoopPlan> plans(threads_);
    for (int i = 0; i < threads_; ++i) {
      const int cap = options_.concurrency;
      plans[i].max_in_flight = cap <= 0 ? 0 : std::max(1, cap / threads_ + (i < cap % threads_ ? 1 : 0));
    }
    // Every worker starts from the same instant, a little ahead so no request is born late.
    const int64_t start = MonotonicNowNs() + 1'000'000;
    const int64_t deadline = DeadlineAfter(start, warmup);
    for (size_t k = 0; k < entries.size(); ++k) {
      OpenLoopPlan& plan = plans[k % threads_];  // round-robin, as perf_analyzer's schedule
      plan.entries.push_back(entries[k]);
      plan.due_mono_ns.push_back(start + offsets[k]);
    }
    std::vector<std::thread> pool;
    for (int i = 0; i < threads_; ++i) {
      pool.emplace_back([&, i] { workers_[i]->RunOpenPhase(plans[i], stop_, deadline, warmup); });
    }
    Measure(start, warmup);
    for (auto& t : pool) t.join();
  }

  // Request rate: entry k % size at the k-th arrival offset.
  void RunRate(int count, bool warmup) {
    const uint64_t seed = options_.schedule_seed + (warmup ? 1 : 0);
    // Time windows: a schedule long enough for every window (their cap, with room for late
    // wake-ups); the workers stop sending when the last one closes.
    const std::optional<int64_t> horizon_ns =
        warmup                ? std::nullopt
        : options_.duration_s ? std::optional<int64_t>(std::llround(*options_.duration_s * 1e9))
        : options_.windows    ? std::optional<int64_t>(options_.windows->WindowLengthNs() *
                                                            options_.windows->settings().max_windows * 11 / 10 +
                                                        1'000'000'000)
                              : std::nullopt;
    const std::vector<int64_t> offsets =
        horizon_ns
            ? ArrivalOffsetsWithin(*horizon_ns, *options_.request_rate, options_.distribution, seed, options_.burstiness)
            : ArrivalOffsets(count, *options_.request_rate, options_.distribution, seed, options_.burstiness);
    std::vector<size_t> entries(offsets.size());
    for (size_t k = 0; k < entries.size(); ++k) entries[k] = k % bodies_.size();
    RunOpen(entries, offsets, warmup);
  }

  // Trace replay: warm-up = entries [0, W), measured = [W, size), each phase timed from its
  // own first timestamp.
  void RunFixed(bool warmup) {
    const size_t split = std::min(bodies_.size(), static_cast<size_t>(std::max(0, options_.warmup_request_count)));
    const size_t begin = warmup ? 0 : split;
    const size_t end = warmup ? split : bodies_.size();
    std::vector<size_t> entries;
    for (size_t e = begin; e < end; ++e) entries.push_back(e);
    const std::vector<int64_t> times(options_.fixed_schedule_ms.begin() + static_cast<std::ptrdiff_t>(begin),
                                     options_.fixed_schedule_ms.begin() + static_cast<std::ptrdiff_t>(end));
    RunOpen(entries, FixedScheduleOffsets(times, options_.schedule_speedup), warmup);
  }

  // Sessions: `count` sessions (from session 0, cycling), `concurrency` at a time.
  void RunSessions(int64_t count, int concurrency, bool warmup) {
    SessionPhase phase;
    phase.count = count;
    const int active = static_cast<int>(std::min<int64_t>({threads_, concurrency, count}));
    std::vector<std::thread> pool;
    for (int i = 0; i < active; ++i) {
      const int share = concurrency / active + (i < concurrency % active ? 1 : 0);
      pool.emplace_back(
          [&, i, share] { workers_[i]->RunSessionPhase(share, phase, *options_.sessions, stop_, warmup); });
    }
    for (auto& t : pool) t.join();
  }

  size_t TurnsOf(int64_t k) const {
    return options_.sessions->TurnCount(static_cast<size_t>(k) % options_.sessions->SessionCount());
  }

  // Turns of the first `count` sessions (cycling).
  int64_t SessionTurns(int64_t count) const {
    int64_t turns = 0;
    for (int64_t k = 0; k < count; ++k) turns += static_cast<int64_t>(TurnsOf(k));
    return turns;
  }

  // How many whole sessions hold `turns`.
  int64_t SessionsHolding(int64_t turns) const {
    int64_t count = 0;
    for (int64_t held = 0; held < turns; ++count) held += static_cast<int64_t>(TurnsOf(count));
    return count;
  }

  LoadOptions& options_;
  const std::vector<std::string>& bodies_;
  const std::atomic<bool>& stop_;
  std::vector<std::unique_ptr<LoadWorker>>& workers_;
  std::atomic<bool>& windows_over_;
  const int threads_;
  const bool fixed_ = !options_.fixed_schedule_ms.empty();
};

// What every worker's transport shares: the URL, headers, TLS, timeout; the request ids.
TransportSettings TransportSettingsOf(const LoadOptions& options, RequestIds& ids) {
  TransportSettings settings;
  settings.url = options.url;
  settings.headers = {"Content-Type: application/json", "Expect:"};  // no 100-continue round trip
  settings.tls = options.tls;
  settings.request_timeout_s = options.request_timeout_s;
  settings.kserve_backend = options.kserve_backend;
  settings.streaming = options.streaming;
  settings.source_addresses = options.source_addresses;
  ids.prefix = options.request_id_prefix;
  for (const auto& h : options.headers) {
    settings.headers.push_back(h);
    if (auto value = HeaderValue(h, "X-Request-Id")) ids.user_value = std::move(value);
  }
  settings.send_request_id = !ids.user_value;
  return settings;
}

// After the load: each request is checked and converted, worker by worker in completion order;
// a spill that lost requests or made the loops wait is reported.
void ReplaySpills(std::vector<std::unique_ptr<LoadWorker>>& workers, const LoadOptions& options,
                  const std::vector<std::string>& bodies, const EpochAnchor& anchor, RecordSink& sink,
                  LoadResult& result) {
  RawRecord raw;
  size_t written = 0;
  bool spill_failed = false;
  int spill_error = 0;
  uint64_t spill_waits = 0;
  int64_t spill_wait_ns = 0;
  for (auto& w : workers) {
    RawSpill& spill = w->spill();
    while (spill.Read(raw)) {
      sink.Add(ToRecord(std::move(raw), bodies, options.sessions, anchor, options.streaming, result,
                        options.http_client == HttpClient::kGrpc));
      ++result.recorded;
    }
    written += spill.written();
    spill_failed = spill_failed || spill.failed();
    if (spill_error == 0) spill_error = spill.file().error();
    spill_waits += spill.file().waits();
    spill_wait_ns += spill.file().wait_ns();
  }
  workers.clear();
  const std::string spill_dir = options.spill_dir.empty() ? "the temp directory" : options.spill_dir;
  if (spill_failed || result.recorded != written) {
    spdlog::error("the spill file under {} failed ({}): {} of {} measured requests are lost", spill_dir,
                  spill_error != 0 ? std::strerror(spill_error) : "disk full?", written - result.recorded, written);
  }
  if (spill_waits > 0) {
    // A waiting loop reads nothing, so the responses that arrived meanwhile got late timestamps.
    spdlog::warn("the spill file under {} could not keep up: the worker loops waited {} times for its writes to "
                 "disk ({:.1f} ms in all), so latencies may be inflated; put the artifact directory on a faster "
                 "disk, or leave the client a core it does not share with its load",
                 spill_dir, spill_waits, static_cast<double>(spill_wait_ns) / 1e6);
  }
}

}  // namespace

int ResolveWorkerThreads(const LoadOptions& options) {
  const int cores = UsableCores();
  const bool fixed = !options.fixed_schedule_ms.empty();
  const bool open_loop = options.request_rate || fixed;
  if (options.worker_threads > 0) {
    return open_loop ? options.worker_threads : std::min(options.worker_threads, std::max(1, options.concurrency));
  }
  // A trace's average rate (its bursts are what the client must keep up with, but one loop
  // sends thousands per second).
  double rate = options.request_rate.value_or(0);
  if (fixed) {
    const double span_s = static_cast<double>(options.fixed_schedule_ms.back() - options.fixed_schedule_ms.front()) /
                          1000.0 / options.schedule_speedup;
    rate = span_s > 0 ? static_cast<double>(options.fixed_schedule_ms.size()) / span_s : 0;
  }
  // One event loop comfortably drives hundreds of streams or thousands of sends per second;
  // add loops only for large loads.
  const int wanted = open_loop ? static_cast<int>(std::ceil(rate / 4000.0))
                               : static_cast<int>(std::ceil(options.concurrency / 256.0));
  return std::clamp(wanted, 1, cores);
}

LoadResult RunLoad(const LoadOptions& requested, const std::vector<std::string>& bodies,
                   const std::atomic<bool>& stop, const EpochAnchor& anchor, RecordSink& sink) {
  static const bool raised = (RaiseDescriptorLimit(), true);
  (void)raised;
  LoadResult result;
  if (requested.sessions != nullptr ? requested.sessions->SessionCount() == 0 : bodies.empty()) return result;
  // Time windows are judged on the live counters, so they are kept even without a progress line.
  LoadOptions options = requested;
  LoadProgress window_counters;
  if (options.windows != nullptr && options.progress == nullptr) options.progress = &window_counters;
  std::atomic<bool> windows_over{false};
  RequestIds ids;
  const TransportSettings settings = TransportSettingsOf(options, ids);
  std::string client_error;
  const HttpClient client = ResolveHttpClient(options.http_client, options.url,
                                                  [](const char* name) -> const char* { return std::getenv(name); }, &client_error);
  if (!client_error.empty()) throw std::runtime_error(client_error);
  result.http_client = client;

  const int threads = ResolveWorkerThreads(options);
  result.worker_threads = threads;
  std::vector<std::unique_ptr<LoadWorker>> workers;
  for (int i = 0; i < threads; ++i) {
    workers.push_back(
        std::make_unique<LoadWorker>(options, bodies, client, settings, ids, options.windows ? &windows_over : nullptr));
  }

  PhaseRunner phases(options, bodies, stop, workers, windows_over);
  if (options.warmup_request_count > 0) phases.Run(options.warmup_request_count, /*warmup=*/true);
  for (auto& w : workers) result.warmup_completed += w->warmup_completed();
  if (!stop.load()) phases.Run(options.request_count, /*warmup=*/false);
  result.interrupted = stop.load();

  std::vector<LoopMeter> meters;
  for (auto& w : workers) {
    meters.push_back(w->meter());
    result.dropped_in_flight += w->dropped();
  }
  ReplaySpills(workers, options, bodies, anchor, sink, result);
  result.loops = SummarizeLoops(meters);
  // Triton's and TGI's generate_stream and the Responses API end streams without it.
  if (result.streams_without_done > 0 && options.stream_ends_with_done) {
    // GenAI-Perf accepts such streams, so their metrics count; the server is still off-spec.
    spdlog::warn("{} of {} streams ended without 'data: [DONE]' (kept as successful; an OpenAI-compatible "
                 "server should end every stream with it)",
                 result.streams_without_done, result.recorded);
  }
  return result;
}

}  // namespace bench
