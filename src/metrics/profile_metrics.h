#pragma once
// Profile export -> metric lists, exactly as GenAI-Perf's profile data parsers compute them
// (reference §2.1, §2.2, §2.5, §2.7), plus bench's error summary.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "metrics/goodput.h"
#include "metrics/metrics.h"
#include "metrics/reasoning_metrics.h"
#include "record/record.h"
#include "record/response_parser.h"
#include "tokenizer/tokenizer.h"

namespace bench {

/// How to compute metrics for one experiment.
struct MetricsOptions {
  std::vector<GoodputConstraint> goodput;  // empty = no request_goodput
  std::string endpoint_type;  // a ResponseFormatFromName name; empty = infer from the export
  bool use_server_token_count = false;  // OSL and ISL from the server's usage (bench addition)
};

/// Metrics of one experiment.
struct ExperimentMetrics {
  ResponseFormat format = ResponseFormat::kOpenAiChat;
  MetricLists lists;                            // times in ns
  std::map<std::string, MetricLists> sessions;  // multi-turn, keyed by session_id
  ErrorSummary errors;                          // requests that carry an `error`
  size_t failed_responses = 0;  // SSE error events and response bodies that did not parse
  double benchmark_duration_s = 0;  // -inf when no request kept a response (as GenAI-Perf)
  // Open-loop runs (bench addition), ns, one value per request with an intended send time:
  // how late it left, and TTFT / latency measured from the intended time (which include that
  // lateness: coordinated omission corrected, as wrk2 does). Empty in closed loop.
  std::vector<double> schedule_lag;
  std::vector<double> time_to_first_token_from_intended;
  std::vector<double> request_latency_from_intended;
  ReasoningMetrics reasoning;  // reasoning rows, server token counts, the chunk check (bench)
  std::string error;  // non-empty when nothing could be computed (unknown format, no tokenizer)
};

/// One request as the metrics stage saw it, for consumers that need more than the metric
/// lists (the plots): the export is then parsed and pre-processed once, not twice.
struct ObservedRequest {
  const RequestRecord& record;
  // The kept responses of a successful request of an LLM format; null for a failed request
  // (bench's typed error) and for formats without tokens.
  const ProcessedResponses* kept = nullptr;
};

/// Receives every request MetricsAccumulator::Add is given, in the same order.
class RequestObserver {
 public:
  virtual ~RequestObserver() = default;
  /// May throw (tokenizer, allocation); the accumulator lets it through like its own errors.
  virtual void Observe(const ObservedRequest& request) = 0;
};

/// Computes an experiment's metrics one request at a time, so a run of any length needs only
/// the per-request values in memory. Requests are taken in export order (statistics such as
/// the mean depend on it at the last bit, as numpy's do).
class MetricsAccumulator {
 public:
  /// `tokenizer` may be null for formats that need none (NeedsTokenizer).
  MetricsAccumulator(ResponseFormat format, const Tokenizer* tokenizer, const MetricsOptions& options);
  ~MetricsAccumulator();
  MetricsAccumulator(const MetricsAccumulator&) = delete;
  MetricsAccumulator& operator=(const MetricsAccumulator&) = delete;

  /// `observer` (may be null, must outlive the accumulator) sees each request after it is added.
  void SetObserver(RequestObserver* observer);
  /// May throw (tokenizer, allocation).
  void Add(const RequestRecord& request);
  /// Call once, after the last Add.
  ExperimentMetrics Finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Computes the metrics of `experiment` (one of `profile.experiments`). `tokenizer` may be null
/// for formats that need none (NeedsTokenizer); `observer` (may be null) sees each request.
/// Never throws.
ExperimentMetrics ComputeExperimentMetrics(const ProfileExport& profile,
                                           const Experiment& experiment,
                                           const Tokenizer* tokenizer,
                                           const MetricsOptions& options,
                                           RequestObserver* observer = nullptr);

/// The format ComputeExperimentMetrics uses for `profile`: the override when set, else
/// inferred from service_kind, endpoint and the first request.
FormatInference ResolveResponseFormat(const ProfileExport& profile,
                                      const std::string& endpoint_type);

/// Whether the run asked for streaming: "stream": true in the first request's body (an OpenAI
/// payload string or a Triton input map); Triton gRPC exports always stream.
bool InferStreaming(const ProfileExport& profile);

}  // namespace bench
