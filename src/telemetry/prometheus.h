#pragma once
// The Prometheus text exposition format (0.0.4, plus the OpenMetrics spellings servers use):
// one parser for every /metrics page bench reads — DCGM exporter, vLLM, SGLang, TGI, llama.cpp,
// Triton. Untrusted input: a bad line is reported and skipped, never fatal (fuzzed).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

/// A family's `# TYPE` (untyped when none was given).
enum class MetricType { kUntyped, kCounter, kGauge, kHistogram, kSummary, kOther };

struct PromLabel {
  std::string name;
  std::string value;  // unescaped
};

/// One sample line: `name{labels} value [timestamp_ms]`.
struct PromSample {
  std::string name;
  std::vector<PromLabel> labels;  // in page order
  double value = 0;               // NaN and ±Inf allowed
  std::optional<int64_t> timestamp_ms;
  int family = -1;  // index into MetricsPage::families, -1 when no # TYPE/# HELP names it
};

/// A metric family announced by `# TYPE` and/or `# HELP`.
struct PromFamily {
  std::string name;
  MetricType type = MetricType::kUntyped;
  std::string help;  // unescaped
};

/// A line the parser skipped.
struct PromError {
  size_t line = 0;  // 1-based
  std::string message;
};

/// A parsed page.
struct MetricsPage {
  std::vector<PromFamily> families;
  std::vector<PromSample> samples;
  std::vector<PromError> errors;  // the first kMaxKeptErrors only
  size_t error_count = 0;         // all of them
  static constexpr size_t kMaxKeptErrors = 10;
};

/// Parses a whole page. Blank lines and comments are skipped; leading blanks are allowed (some
/// exporters indent); each malformed line adds a PromError and is otherwise ignored. A sample
/// belongs to the family of its name, or for histograms and summaries to the family its
/// `_bucket`/`_sum`/`_count` (counters: `_total`/`_created`) suffix strips to.
MetricsPage ParsePrometheusText(std::string_view text);

/// The value of label `name` of `sample`, or nullopt.
std::optional<std::string_view> LabelValue(const PromSample& sample, std::string_view name);

/// The family type of `sample` (untyped when it has none).
MetricType TypeOf(const MetricsPage& page, const PromSample& sample);

}  // namespace bench
