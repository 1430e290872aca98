#pragma once
// The load engine: a few worker threads, each running one libcurl multi event loop with many
// streaming transfers in flight. Workers only timestamp and append bytes; records are turned
// into profile-export records after the threads are joined.

#include <atomic>
#include <string>
#include <vector>

#include "bench/clock.h"
#include "bench/record.h"

namespace bench {

struct LoadOptions {
  std::string url;                   // full request URL, e.g. http://127.0.0.1:8000/v1/chat/completions
  std::vector<std::string> headers;  // "Name: value", sent with every request
  int concurrency = 1;               // closed loop: exactly this many requests in flight
  int warmup_request_count = 0;      // run first at the same load, then discarded by phase
  int request_count = 10;            // measured requests
  int worker_threads = 0;            // 0 = automatic (fitted to cores and concurrency)
  double request_timeout_s = 0;      // 0 = no per-request timeout
  bool verbose = false;
};

/// What one run measured: the measured phase's requests (warm-up excluded by phase).
struct LoadResult {
  std::vector<RequestRecord> requests;  // sorted by send time
  int warmup_completed = 0;
  int worker_threads = 0;
  bool interrupted = false;
};

/// Number of worker threads used for `options` (automatic when worker_threads == 0).
int ResolveWorkerThreads(const LoadOptions& options);

/// Runs warm-up then the measured phase in closed loop over `bodies` (request i uses
/// bodies[i % size], restarting at 0 for the measured phase as perf_analyzer does). Returns
/// early, with what was measured so far, once `stop` becomes true; in-flight requests are
/// then recorded as cancelled.
LoadResult RunClosedLoop(const LoadOptions& options, const std::vector<std::string>& bodies,
                         const std::atomic<bool>& stop, const EpochAnchor& anchor);

}  // namespace bench
