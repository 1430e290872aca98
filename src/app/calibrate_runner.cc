#include "app/calibrate_runner.h"

#include <sched.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "util/clock.h"
#include "util/cores.h"
#include "load/load_engine.h"
#include "sim/sse_responder.h"

namespace bench {
namespace {

// Counts requests and failures; keeps nothing (the engine counts the events).
class CountingSink : public RecordSink {
 public:
  void Add(RequestRecord&& record) override {
    ++requests;
    if (record.error) ++failed;
  }
  uint64_t requests = 0;
  uint64_t failed = 0;
};

// Open-loop schedules wait with timed sleeps: their oversleep is the floor of schedule lag.
DurationHistogram MeasureOversleep(int samples, const std::atomic<bool>& stop) {
  DurationHistogram h;
  constexpr int64_t kSleepNs = 1'000'000;
  for (int i = 0; i < samples && !stop.load(); ++i) {
    const int64_t before = MonotonicNowNs();
    const timespec ts{0, kSleepNs};
    clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, nullptr);
    h.Record(MonotonicNowNs() - before - kSleepNs);
  }
  return h;
}

std::string Ms(double ns) { return fmt::format("{:.3f}", ns / 1e6); }

double ProcessCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

// The highest CPU of this thread's affinity mask, or -1.
int LastUsableCore() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return -1;
  for (int cpu = CPU_SETSIZE - 1; cpu >= 0; --cpu) {
    if (CPU_ISSET(cpu, &set)) return cpu;
  }
  return -1;
}

// While alive, this thread (and the worker threads it starts, which inherit its mask) may not
// run on `cpu`: the responder's core stays the responder's.
class KeepOffCore {
 public:
  explicit KeepOffCore(int cpu) {
    CPU_ZERO(&saved_);
    if (cpu < 0 || sched_getaffinity(0, sizeof saved_, &saved_) != 0) return;
    cpu_set_t without = saved_;
    CPU_CLR(cpu, &without);
    active_ = CPU_COUNT(&without) > 0 && sched_setaffinity(0, sizeof without, &without) == 0;
  }
  ~KeepOffCore() {
    if (active_) sched_setaffinity(0, sizeof saved_, &saved_);
  }
  KeepOffCore(const KeepOffCore&) = delete;
  KeepOffCore& operator=(const KeepOffCore&) = delete;

 private:
  cpu_set_t saved_;
  bool active_ = false;
};

const char* BoundText(CalibrationBound bound) {
  switch (bound) {
    case CalibrationBound::kClientCpu:
      return "client CPU (its busiest event loop, or its threads together, used >= 90 % of its cores: this is the "
             "client's own ceiling)";
    case CalibrationBound::kResponder:
      return "responder (its thread used >= 90 % of a core while the client did not: the client can go further)";
    default:
      return "neither (client and responder both below 90 % of a core: other processes or the machine held them "
             "back; run on idle cores)";
  }
}

}  // namespace

double SafeRequestRate(double cpu_seconds, uint64_t requests, double busy_fraction) {
  if (requests == 0 || cpu_seconds <= 0) return 0;
  return busy_fraction / (cpu_seconds / static_cast<double>(requests));
}

CalibrationBound BoundOf(double client_busy_percent, double responder_busy_percent) {
  if (client_busy_percent >= 90) return CalibrationBound::kClientCpu;
  if (responder_busy_percent >= 90) return CalibrationBound::kResponder;
  return CalibrationBound::kNeither;
}

bool Calibrate(const CalibrateConfig& config, const std::atomic<bool>& stop, Calibration& out, std::string& error) {
  // The responder gets the last core when there are two or more, so that it and the client do
  // not take turns on one (the workers are sized from the cores left, see below).
  const int cores = UsableCores();
  SseResponder::Options options;
  options.content_chunks = config.output_tokens;
  options.cpu = cores >= 2 ? LastUsableCore() : -1;
  SseResponder responder(options);
  uint16_t port = 0;
  try {
    port = responder.Start();
  } catch (const std::exception& e) {
    error = e.what();
    return false;
  }
  LoadOptions load;
  load.url = fmt::format("http://127.0.0.1:{}/v1/chat/completions", port);
  load.concurrency = config.concurrency;
  load.worker_threads = config.worker_threads;
  load.streaming = true;
  load.warmup_request_count = config.concurrency;  // opens the connections before measuring
  load.duration_s = config.duration_s;
  const nlohmann::json body = {{"model", "calibrate"},
                               {"messages", {{{"role", "user"}, {"content", "calibrate"}}}},
                               {"max_tokens", config.output_tokens},
                               {"ignore_eos", true},
                               {"stream", true}};
  const std::vector<std::string> bodies = {body.dump()};
  CountingSink sink;
  const EpochAnchor anchor;
  LoadResult result;
  const double cpu0 = ProcessCpuSeconds();
  const int64_t wall0 = MonotonicNowNs();
  {
    const KeepOffCore keep_off(options.cpu);
    result = RunLoad(load, bodies, stop, anchor, sink);
  }
  const double wall = static_cast<double>(MonotonicNowNs() - wall0) / 1e9;
  responder.Stop();
  // Every thread but the responder's (loops and their spill writers) over the client's cores:
  // a loop below 90 % may still be bound when its spill writer takes the rest of its core.
  const int client_cores = options.cpu >= 0 ? cores - 1 : cores;
  const double client_cpu = ProcessCpuSeconds() - cpu0 - responder.cpu_seconds();
  out.process_busy_percent = wall > 0 ? 100.0 * client_cpu / (wall * client_cores) : 0;
  out.responder_cpu = options.cpu;
  out.responder_cpu_seconds = responder.cpu_seconds();
  out.responder_busy_percent =
      responder.wall_seconds() > 0 ? 100.0 * responder.cpu_seconds() / responder.wall_seconds() : 0;
  out.seconds = result.loops.wall_seconds;
  out.requests = sink.requests;
  out.failed = sink.failed;
  out.events = result.events;
  out.loops = result.loops;
  out.client_cpu_seconds = result.loops.cpu_seconds;
  out.oversleep = MeasureOversleep(300, stop);
  return true;
}

int RunCalibrate(const CalibrateConfig& config, const std::atomic<bool>& stop, std::ostream& out) {
  Calibration c;
  std::string error;
  spdlog::info("calibrating for {} s: {}-token streams at concurrency {} from an in-process pre-rendered SSE responder",
               config.duration_s, config.output_tokens, config.concurrency);
  if (!Calibrate(config, stop, c, error)) {
    spdlog::error("{}", error);
    return kExitNoSuccess;
  }
  const double seconds = c.seconds > 0 ? c.seconds : config.duration_s;
  const double per_1000 = c.requests > 0 ? 1000.0 * c.client_cpu_seconds / static_cast<double>(c.requests) : 0;
  const double safe = SafeRequestRate(c.loops.cpu_seconds, c.requests, 0.5);
  const int cores = UsableCores();
  out << fmt::format(
      "bench calibrate: client ceiling on this host ({} cores; {})\n"
      "  load: {}-token streams, pre-rendered SSE responder (one thread), concurrency {}, {} worker thread(s), "
      "{:.1f} s\n"
      "  requests/s                           {:.0f}\n"
      "  SSE events/s                         {:.0f}\n"
      "  failed requests                      {}\n"
      "  client CPU s per 1,000 requests      {:.4f}  (event loops, spilling included)\n"
      "  busiest event loop CPU               {:.1f} %\n"
      "  event-loop pass p50 / p99 / max      {} / {} / {} ms\n"
      "  client threads CPU (loops + spill)   {:.1f} % of its {} core(s)\n"
      "  responder thread CPU                 {:.1f} %\n"
      "  timer oversleep p50 / p99 / max      {} / {} / {} ms  (1 ms sleeps, idle)\n"
      "  bound                                {}\n",
      cores,
      c.responder_cpu >= 0 ? fmt::format("responder pinned to core {}, the client on the others", c.responder_cpu)
                           : std::string("client and responder share it"),
      config.output_tokens, config.concurrency, config.worker_threads, seconds,
      static_cast<double>(c.requests) / seconds, static_cast<double>(c.events) / seconds, c.failed, per_1000,
      c.loops.busiest_cpu_percent, Ms(c.loops.pass_p50_ns), Ms(c.loops.pass_p99_ns), Ms(c.loops.pass_max_ns),
      c.process_busy_percent, c.responder_cpu >= 0 ? cores - 1 : cores, c.responder_busy_percent,
      Ms(c.oversleep.Quantile(0.5)), Ms(c.oversleep.Quantile(0.99)), Ms(static_cast<double>(c.oversleep.max())),
      BoundText(BoundOf(std::max(c.loops.busiest_cpu_percent, c.process_busy_percent), c.responder_busy_percent)));
  out << fmt::format(
      "Safe load from this host: up to ~{:.0f} requests/s of {}-token streams per worker thread (its event loop "
      "then stays below half a core); open-loop send times are accurate to about {} ms (timer p99) plus the "
      "loop pass.\n",
      safe, config.output_tokens, Ms(c.oversleep.Quantile(0.99)));
  if (stop.load()) return kExitInterrupted;
  return c.failed > 0 ? kExitNoSuccess : kExitOk;
}

}  // namespace bench
