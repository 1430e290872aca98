#pragma once
// Profile export -> metric lists, exactly as GenAI-Perf's profile data parsers compute them
// (reference §2.1, §2.2, §2.5, §2.7), plus bench's error summary.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bench/goodput.h"
#include "bench/metrics.h"
#include "bench/record.h"
#include "bench/response_parser.h"
#include "bench/tokenizer.h"

namespace bench {

/// How to compute metrics for one experiment.
struct MetricsOptions {
  std::vector<GoodputConstraint> goodput;  // empty = no request_goodput
  std::string endpoint_type;  // a ResponseFormatFromName name; empty = infer from the export
};

/// Metrics of one experiment.
struct ExperimentMetrics {
  ResponseFormat format = ResponseFormat::kOpenAiChat;
  MetricLists lists;                            // times in ns
  std::map<std::string, MetricLists> sessions;  // multi-turn, keyed by session_id
  ErrorSummary errors;                          // requests that carry an `error`
  size_t failed_responses = 0;  // SSE error events and response bodies that did not parse
  double benchmark_duration_s = 0;  // -inf when no request kept a response (as GenAI-Perf)
  std::string error;  // non-empty when nothing could be computed (unknown format, no tokenizer)
};

/// Computes the metrics of `experiment` (one of `profile.experiments`). `tokenizer` may be null
/// for formats that need none (NeedsTokenizer). Never throws.
ExperimentMetrics ComputeExperimentMetrics(const ProfileExport& profile,
                                           const Experiment& experiment,
                                           const Tokenizer* tokenizer,
                                           const MetricsOptions& options);

/// The format ComputeExperimentMetrics uses for `profile`: the override when set, else
/// inferred from service_kind, endpoint and the first request.
FormatInference ResolveResponseFormat(const ProfileExport& profile,
                                      const std::string& endpoint_type);

}  // namespace bench
