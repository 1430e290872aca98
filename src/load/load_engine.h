#pragma once
// The load engine: a few worker threads, each running one epoll event loop with many streaming
// transfers in flight (through a Transport: the native HTTP/1.1 client, or libcurl). Workers only timestamp and append bytes, and copy each finished
// request into their own spill file, so a run of any length holds only its in-flight requests
// in memory. After the load they are converted into profile-export records, one at a
// time, for a sink.

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "util/clock.h"
#include "util/http_options.h"
#include "load/loop_stats.h"
#include "load/measurement_windows.h"
#include "load/progress.h"
#include "record/record.h"
#include "load/schedule.h"
#include "record/session_workload.h"
#include "transport/transport.h"

namespace bench {

struct LoadOptions {
  std::string url;                   // full request URL, e.g. http://127.0.0.1:8000/v1/chat/completions
  std::vector<std::string> headers;  // "Name: value", sent with every request (API key included)
  TlsOptions tls;                    // certificate verification for https:// URLs
  HttpClient http_client = HttpClient::kAuto;  // --http-client (ResolveHttpClient decides kAuto)
  // kGrpc (--endpoint-type kserve): the Triton backend the bodies are shaped for; the records
  // then take Triton's export shape (input tensors, {"text_output": ...} outputs).
  std::string kserve_backend = "tensorrtllm";
  int concurrency = 1;               // closed loop: exactly this many requests in flight;
                                     // open loop: at most this many (0 = no cap)
  std::optional<double> request_rate;  // open loop when set: requests/s on a fixed schedule
  ArrivalDistribution distribution = ArrivalDistribution::kConstant;
  double burstiness = 1.0;           // Poisson: gamma gaps of this shape (1 = exponential)
  uint64_t schedule_seed = 0;
  int warmup_request_count = 0;      // run first at the same load, then discarded by phase
  int request_count = 10;            // measured requests (ignored with duration_s or fixed_schedule_ms)
  /// Trace replay when non-empty: the send time of bodies[i] in ms from the start (one per body,
  /// non-decreasing); the first `warmup_request_count` entries are the warm-up.
  std::vector<int64_t> fixed_schedule_ms;
  double schedule_speedup = 1.0;     // fixed schedule: times are divided by this
  std::optional<double> duration_s;  // measured phase sends until this deadline, not a count
  bool drain_cancel = false;         // at the deadline: cancel in-flight requests (else they finish)
  int worker_threads = 0;            // 0 = automatic
  // Numeric local addresses connections are spread over (--local-address, or 127.0.0.x picked
  // by load/connection_budget for a loopback target); empty = the kernel picks.
  std::vector<std::string> source_addresses;
  double interrupt_grace_s = 2.0;    // after `stop`: in-flight requests may finish this long (fitted to cores and concurrency)
  double request_timeout_s = 0;      // 0 = no per-request timeout
  double stall_warning_s = 10;       // warn when no in-flight request got a byte for this long (stall_watch.h)
  bool streaming = false;            // 2xx bodies are checked as SSE streams, else as JSON
  bool stream_ends_with_done = true;  // false: no warning for streams without `data: [DONE]`
  bool verbose = false;
  // Every request carries "X-Request-Id: <prefix><n>" (n counts from 0 over the run, warm-up
  // included) unless `headers` already sets X-Request-Id, whose value is then recorded.
  std::string request_id_prefix = "bench-";
  std::string spill_dir;             // where finished requests wait until the end ("" = temp dir)
  LoadProgress* progress = nullptr;  // live counters for the progress line; null = not counted
  /// Time windows (--measurement-interval) when set: the measured phase sends (no count, no
  /// deadline) while RunLoad's thread closes each window from the live counters, until the
  /// controller is done; requests still in flight then are cancelled and not recorded.
  WindowController* windows = nullptr;
  /// Multi-turn sessions when set (`bodies` is then unused): `concurrency` sessions in flight,
  /// each turn sent once the previous one's reply is in plus its delay. Warm-up runs the
  /// first whole sessions until they hold `warmup_request_count` turns; the measured phase
  /// runs every session once (`request_count` is ignored). Must outlive RunLoad.
  const SessionWorkload* sessions = nullptr;
};

/// Receives each measured request (warm-up excluded by phase) after the load is over (so its
/// work never disturbs the measurement): worker by worker, in completion order within each.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void Add(RequestRecord&& record) = 0;
};

/// What one run measured besides the records.
struct LoadResult {
  size_t recorded = 0;  // records handed to the sink
  int warmup_completed = 0;
  int worker_threads = 0;
  HttpClient http_client = HttpClient::kAuto;  // the client that served the run
  bool interrupted = false;
  int streams_without_done = 0;  // successful streams that ended without `data: [DONE]`
  LoopSummary loops;             // the workers' own load over the measured phase
  // SSE events of successful streams, and those whose gap to the previous event of their
  // stream was not measured (same read, or reads delivered by the same loop wake-up).
  uint64_t events = 0;
  uint64_t events_sharing_timestamp = 0;
  // Network reads of measured requests, and those timed by the kernel's receive stamp rather
  // than the loop's clock (transport/rx_timestamp; libcurl's never are).
  uint64_t reads = 0;
  uint64_t kernel_stamped_reads = 0;
  // Time windows: requests in flight when the last window closed, cancelled and not recorded.
  size_t dropped_in_flight = 0;
};

/// Number of worker threads used for `options` (automatic when worker_threads == 0).
int ResolveWorkerThreads(const LoadOptions& options);

/// Runs warm-up then the measured phase over `bodies` (request i uses bodies[i % size],
/// restarting at 0 for the measured phase as perf_analyzer does): closed loop, or open loop on
/// the arrival schedule when `request_rate` is set (each record then carries its intended send
/// time; a request that waits for a free slot under the concurrency cap is sent late, never
/// dropped). With `fixed_schedule_ms`, each body is sent once at its own time (open loop too).
/// With `duration_s`, the measured phase issues requests until the deadline, then lets in-flight
/// ones finish or (drain_cancel) cancels them; a request that completes after the deadline is
/// then recorded as cancelled too. Once `stop` becomes true nothing new is sent; requests in
/// flight may finish during `interrupt_grace_s`, then the rest are recorded as cancelled and
/// RunLoad returns what was measured. With `windows`, an interrupt ends the measurement at once:
/// the windows closed so far are kept, and every request in flight is dropped. With
/// `options.sessions` the load is multi-turn sessions instead (LoadOptions::sessions): a failed
/// turn ends its session (waiting sessions end at an interrupt too), and each record's
/// request_inputs hold the body actually sent plus the workload's RecordInputs. Every measured
/// request reaches `sink` before RunLoad returns. Throws std::runtime_error when the spill file
/// cannot be created in `spill_dir`.
LoadResult RunLoad(const LoadOptions& options, const std::vector<std::string>& bodies,
                   const std::atomic<bool>& stop, const EpochAnchor& anchor, RecordSink& sink);

}  // namespace bench
