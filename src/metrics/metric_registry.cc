#include "metrics/metric_registry.h"

#include <algorithm>

namespace bench {
namespace {

using enum Better;
using enum MetricScope;

constexpr unsigned kLlm = kLlmClass;
constexpr unsigned kImage = kImageRetrievalClass;

// Units: the JSON's (GenAI-Perf's MetricStatistics units), then the console's where it differs
// (its Metrics classes name some rows' units on their own).
constexpr MetricInfo kMetrics[] = {
    // key, display, unit, row unit, scope, time, streaming only, classes, better, goodput, bench only
    {"time_to_first_token", "Time To First Token", "ms", "ms", kRequest, true, true, kLlm, kLower, true, false},
    {"time_to_second_token", "Time To Second Token", "ms", "ms", kRequest, true, true, kLlm, kLower, true, false},
    {"request_latency", "Request Latency", "ms", "ms", kRequest, true, false, kEveryClass, kLower, true, false},
    {"inter_token_latency", "Inter Token Latency", "ms", "ms", kRequest, true, true, kLlm, kLower, true, false},
    {"output_token_throughput_per_user", "Output Token Throughput Per User", "tokens/sec/user", "tokens/sec/user",
     kRequest, false, true, kLlm, kHigher, true, false},
    {"output_sequence_length", "Output Sequence Length", "tokens", "tokens", kRequest, false, false, kLlm, kNeither,
     false, false},
    {"input_sequence_length", "Input Sequence Length", "tokens", "tokens", kRequest, false, false, kLlm, kNeither,
     false, false},
    {"image_throughput", "Image Throughput", "pages/sec", "images/sec", kRequest, false, false, kImage, kHigher, true,
     false},
    {"image_latency", "Image Latency", "ms", "ms/image", kRequest, true, false, kImage, kLower, true, false},
    // System metrics: one value per run, under the per-request rows.
    {"output_token_throughput", "Output Token Throughput", "tokens/sec", "tokens/sec", kRun, false, false, kLlm,
     kHigher, false, false},
    {"request_throughput", "Request Throughput", "requests/sec", "per sec", kRun, false, false, kEveryClass, kHigher,
     false, false},
    {"request_goodput", "Request Goodput", "requests/sec", "per sec", kRun, false, false, kEveryClass, kHigher, false,
     false},
    {"request_count", "Request Count", "count", "count", kRun, false, false, kEveryClass, kNeither, false, false},
    // bench's own figures (<stem>_bench.json, rows below the table).
    {"error_rate", "Error Rate", "%", "%", kRun, false, false, 0, kLower, false, true},
    {"schedule_lag", "Schedule Lag", "ms", "ms", kRequest, true, false, 0, kLower, false, true},
    {"time_to_first_token_from_intended", "Time To First Token From Intended", "ms", "ms", kRequest, true, true, 0,
     kLower, false, true},
    {"request_latency_from_intended", "Request Latency From Intended", "ms", "ms", kRequest, true, false, 0, kLower,
     false, true},
    {"client_busiest_loop_cpu", "Client Busiest Loop CPU", "%", "%", kRun, false, false, 0, kLower, false, true},
    {"client_loop_pass", "Client Loop Pass", "ms", "ms", kRequest, true, false, 0, kLower, false, true},
    {"events_sharing_timestamp", "Events Sharing A Timestamp", "%", "%", kRun, false, true, 0, kLower, false, true},
    // Reasoning models, server token counts and the chunk check (metrics/reasoning_metrics).
    {"time_to_first_reasoning_token", "Time To First Reasoning Token", "ms", "ms", kRequest, true, true, 0, kLower,
     false, true},
    {"time_to_first_answer_token", "Time To First Answer Token", "ms", "ms", kRequest, true, true, 0, kLower, false,
     true},
    {"inter_token_latency_with_reasoning", "Inter Token Latency With Reasoning", "ms", "ms", kRequest, true, true, 0,
     kLower, false, true},
    {"reasoning_token_count", "Reasoning Token Count", "tokens", "tokens", kRequest, false, false, 0, kNeither, false,
     true},
    {"answer_token_count", "Answer Token Count", "tokens", "tokens", kRequest, false, false, 0, kNeither, false, true},
    {"server_output_sequence_length", "Server Output Sequence Length", "tokens", "tokens", kRequest, false, false, 0,
     kNeither, false, true},
    {"tokenizer_output_sequence_length", "Tokenizer Output Sequence Length", "tokens", "tokens", kRequest, false, false,
     0, kNeither, false, true},
    {"output_sequence_length_difference", "Output Sequence Length Difference", "%", "%", kRun, false, false, 0,
     kNeither, false, true},
    {"server_input_sequence_length", "Server Input Sequence Length", "tokens", "tokens", kRequest, false, false, 0,
     kNeither, false, true},
    {"tokenizer_input_sequence_length", "Tokenizer Input Sequence Length", "tokens", "tokens", kRequest, false, false,
     0, kNeither, false, true},
    {"input_sequence_length_difference", "Input Sequence Length Difference", "%", "%", kRun, false, false, 0, kNeither,
     false, true},
    {"tokens_per_chunk", "Tokens Per Chunk", "tokens", "tokens", kRun, false, true, 0, kNeither, false, true},
};

unsigned BitOf(MetricFamily family) {
  switch (family) {
    case MetricFamily::kBase: return kBaseClass;
    case MetricFamily::kLlm: return kLlmClass;
    case MetricFamily::kImageRetrieval: return kImageRetrievalClass;
  }
  return 0;
}

}  // namespace

std::span<const MetricInfo> Metrics() { return kMetrics; }

const MetricInfo* FindMetric(std::string_view key) {
  const auto it = std::find_if(std::begin(kMetrics), std::end(kMetrics), [&](const MetricInfo& m) { return m.key == key; });
  return it == std::end(kMetrics) ? nullptr : &*it;
}

bool InClass(const MetricInfo& metric, MetricFamily family) { return (metric.classes & BitOf(family)) != 0; }

std::string StatLabel(const MetricInfo& metric, std::string_view stat) {
  std::string label(metric.display);
  if (!stat.empty()) {
    label += ' ';
    // "p99" stays as written; "max" reads as a word.
    if (stat == "max") {
      label += "Max";
    } else {
      label += stat;
    }
  }
  return label + " (" + std::string(metric.row_unit) + ")";
}

}  // namespace bench
