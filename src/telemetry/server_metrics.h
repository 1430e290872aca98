#pragma once
// What an LLM server says about itself on its Prometheus page, recognised by metric name
// (vLLM `vllm:`, SGLang `sglang:`, TGI `tgi_`, llama.cpp `llamacpp:`, Triton `nv_`): gauges
// (running and waiting requests, KV-cache use) averaged over the measured phase, counters as
// their increase and rate over it (the DCGM exporter's energy counter among them),
// their increase and rate over it, histograms as the server's own percentiles over it (the
// difference of the bucket counts between the scrapes that bracket the phase).

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "telemetry/prometheus.h"

namespace bench {

enum class ServerMetricKind { kGauge, kCounter, kHistogram, kRatio };

/// One recognised server metric.
struct ServerMetricDef {
  const char* server;  // "vllm", "sglang", "tgi", "llamacpp", "triton", "dcgm"
  const char* key;     // bench's name, e.g. "time_to_first_token"
  ServerMetricKind kind;
  const char* series;       // sample name (histograms: the base before _bucket/_sum/_count)
  const char* denominator;  // kRatio: the counter divided by (series is the numerator)
  const char* unit;         // after `scale`
  double scale;             // server unit -> `unit` (seconds -> ms: 1000; ratio -> %: 100)
  const char* label = nullptr;  // only samples whose label `label` ...
  const char* label_value = nullptr;  // ... equals this
};

/// Every metric bench recognises, grouped by server.
const std::vector<ServerMetricDef>& ServerMetricDefs();

/// The scrapes of one URL, reduced to the recognised series: gauge values at every scrape, and
/// counter and bucket values at a bounded set of scrapes (thinned by halving once
/// kMaxSnapshots is reached, so a long run keeps memory bounded and the phase bracket gets
/// coarser instead).
class ServerMetricsSeries {
 public:
  static constexpr size_t kMaxSnapshots = 256;

  /// Adds one scrape taken at `time_ns` (any clock, the same as the phase's).
  void AddPage(const MetricsPage& page, int64_t time_ns);
  /// True when no recognised series was ever seen.
  bool empty() const { return servers_.empty(); }
  /// The servers recognised, in table order ("vllm", ...).
  std::vector<std::string> Servers() const;

  /// The summary over [start_ns, end_ns] (null when nothing was recognised): {"server",
  /// "scrapes", "span_s", "metrics": {key: {...}}}; see docs/metrics.md.
  nlohmann::ordered_json Summary(int64_t start_ns, int64_t end_ns) const;

 private:
  struct Snapshot {
    int64_t time_ns = 0;
    std::vector<double> values;  // parallel to keys_
  };
  size_t KeyIndex(const std::string& key);

  std::vector<std::string> keys_;  // "def|le" for buckets, "def|sum", "def|count", "def" otherwise
  std::vector<Snapshot> snapshots_;  // scrapes 0, stride_, 2*stride_, ...
  Snapshot last_;                    // the newest scrape, the phase's end bracket
  size_t stride_ = 1;
  size_t scrapes_ = 0;  // all scrapes
  std::vector<std::pair<int64_t, std::vector<double>>> gauges_;  // every scrape: one value per def (NaN: absent)
  std::vector<std::string> servers_;
};

/// Console rows (label, value) for a Summary(), e.g. ("Server Time To First Token (ms)
/// [vllm]", "avg 12.30, p50 11.00, p90 20.00, p99 31.00 (120 requests)").
std::vector<std::pair<std::string, std::string>> ServerMetricRows(const nlohmann::ordered_json& summary);

/// Prometheus' histogram_quantile over cumulative (upper bound, count) buckets sorted by bound,
/// the last one +Inf: linear inside the bucket holding rank q*total; the highest finite bound
/// when that bucket is +Inf; NaN without observations.
double HistogramQuantile(double q, const std::vector<std::pair<double, double>>& buckets);

}  // namespace bench
