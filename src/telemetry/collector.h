#pragma once
// The scraping side of telemetry: each --server-metrics-url is checked once before the load
// (an unreachable one gives one warning and is dropped, as GenAI-Perf does), then one thread
// per URL GETs it (5 s timeout), parses it and waits GenAI-Perf's 0.33 s, from right before
// the load until Stop(), which takes one last scrape right after it.

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "telemetry/gpu_telemetry.h"
#include "telemetry/server_metrics.h"
#include "util/clock.h"
#include "util/http_options.h"

namespace bench {

struct CollectorOptions {
  std::vector<std::string> urls;
  TlsOptions tls;
  bool quiet_unreachable = false;  // the default URL: no DCGM exporter is the common case, not a warning
  double interval_s = 0.33;  // GenAI-Perf's pause after each scrape
  double timeout_s = 5;      // per GET, as GenAI-Perf's requests.get(timeout=5)
  size_t max_page_bytes = 32u << 20;  // a bigger page is refused (one warning), not parsed
};

/// One GET of a metrics page: the body when the answer was 200 and not HTML, else a reason.
struct PageFetch {
  std::string body;
  std::string error;  // "" = ok
};

/// GETs `url` with one reused libcurl handle (keep-alive between scrapes).
class PageFetcher {
 public:
  PageFetcher(std::string url, const CollectorOptions& options);
  ~PageFetcher();
  PageFetcher(const PageFetcher&) = delete;
  PageFetcher& operator=(const PageFetcher&) = delete;
  PageFetch Fetch();

 private:
  std::string url_;
  size_t max_bytes_;
  void* curl_;
};

/// What one URL gave over the run.
struct UrlTelemetry {
  std::string url;
  size_t scrapes = 0;         // pages parsed
  size_t failed_scrapes = 0;  // GETs that failed
  size_t bad_lines = 0;       // malformed lines over all pages
  GpuSamples gpu;
  ServerMetricsSeries server;
};

/// The collector threads of a run.
class TelemetryCollector {
 public:
  /// Checks every URL (one GET each) and keeps the reachable ones; `anchor` stamps the scrapes
  /// in epoch ns, the clock of the records.
  TelemetryCollector(CollectorOptions options, const EpochAnchor& anchor);
  ~TelemetryCollector();
  /// Starts one thread per reachable URL.
  void Start();
  /// Takes a last scrape on each URL and joins the threads.
  void Stop();
  /// The URLs' results (after Stop).
  const std::vector<std::unique_ptr<UrlTelemetry>>& results() const { return results_; }

 private:
  void Run(size_t i);

  CollectorOptions options_;
  const EpochAnchor& anchor_;
  std::vector<std::unique_ptr<UrlTelemetry>> results_;
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
};

}  // namespace bench
