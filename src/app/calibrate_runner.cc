#include "app/calibrate_runner.h"

#include <time.h>

#include <string>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "util/clock.h"
#include "util/cores.h"
#include "load/load_engine.h"
#include "sim/simulator.h"

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

}  // namespace

double SafeRequestRate(double cpu_seconds, uint64_t requests, double busy_fraction) {
  if (requests == 0 || cpu_seconds <= 0) return 0;
  return busy_fraction / (cpu_seconds / static_cast<double>(requests));
}

bool Calibrate(const CalibrateConfig& config, const std::atomic<bool>& stop, Calibration& out, std::string& error) {
  SimulatorOptions sim;
  sim.port = 0;
  sim.ttft_ms = 0;
  sim.itl_ms = 0;
  sim.default_max_tokens = config.output_tokens;
  Simulator simulator(sim);
  uint16_t port = 0;
  try {
    port = simulator.Start();
  } catch (const std::exception& e) {
    error = std::string("simulator: ") + e.what();
    return false;
  }
  LoadOptions load;
  load.url = fmt::format("http://127.0.0.1:{}/v1/chat/completions", port);
  load.concurrency = config.concurrency;
  load.worker_threads = config.worker_threads;
  load.streaming = true;
  load.warmup_request_count = config.concurrency;  // opens the connections before measuring
  load.duration_s = config.duration_s;
  const nlohmann::json body = {{"model", sim.model},
                               {"messages", {{{"role", "user"}, {"content", "calibrate"}}}},
                               {"max_tokens", config.output_tokens},
                               {"ignore_eos", true},
                               {"stream", true}};
  const std::vector<std::string> bodies = {body.dump()};
  CountingSink sink;
  const EpochAnchor anchor;
  const LoadResult result = RunLoad(load, bodies, stop, anchor, sink);
  simulator.Stop();
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
  spdlog::info("calibrating for {} s: {}-token streams at concurrency {} from the in-process simulator",
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
      "bench calibrate: client ceiling on this host ({} cores; client and in-process simulator share them)\n"
      "  load: {}-token streams, zero-latency simulator, concurrency {}, {} worker thread(s), {:.1f} s\n"
      "  requests/s                           {:.0f}\n"
      "  SSE events/s                         {:.0f}\n"
      "  failed requests                      {}\n"
      "  client CPU s per 1,000 requests      {:.4f}  (event loops, spilling included)\n"
      "  busiest event loop CPU               {:.1f} %\n"
      "  event-loop pass p50 / p99 / max      {} / {} / {} ms\n"
      "  timer oversleep p50 / p99 / max      {} / {} / {} ms  (1 ms sleeps, idle)\n",
      cores, config.output_tokens, config.concurrency, config.worker_threads, seconds,
      static_cast<double>(c.requests) / seconds, static_cast<double>(c.events) / seconds, c.failed, per_1000,
      c.loops.busiest_cpu_percent, Ms(c.loops.pass_p50_ns), Ms(c.loops.pass_p99_ns), Ms(c.loops.pass_max_ns),
      Ms(c.oversleep.Quantile(0.5)), Ms(c.oversleep.Quantile(0.99)), Ms(static_cast<double>(c.oversleep.max())));
  out << fmt::format(
      "Safe load from this host: up to ~{:.0f} requests/s of {}-token streams per worker thread (its event loop "
      "then stays below half a core); open-loop send times are accurate to about {} ms (timer p99) plus the "
      "loop pass.\n",
      safe, config.output_tokens, Ms(c.oversleep.Quantile(0.99)));
  if (c.loops.busiest_cpu_percent < 90) {
    out << "The event loop was not saturated: the in-process simulator (or the machine) limited requests/s; "
           "the client alone can go further (the per-thread figure above is what its CPU cost allows).\n";
  }
  if (stop.load()) return kExitInterrupted;
  return c.failed > 0 ? kExitNoSuccess : kExitOk;
}

}  // namespace bench
