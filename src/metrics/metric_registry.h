#pragma once
// Every metric bench reports, in one table: its key, its name on screen, its units, whether it
// needs streaming, which GenAI-Perf metrics classes show it, which direction is better, and
// whether --goodput and --fail-if accept it. The table, CSV and JSON rows (report/), goodput,
// gates, compare and the plots read it instead of spelling metric names themselves. Order: the
// console's row order within each class (GenAI-Perf's LLMMetrics / ImageRetrievalMetrics), then
// the system metrics, then bench's own figures.

#include <span>
#include <string>
#include <string_view>

#include "record/response_parser.h"

namespace bench {

enum class Better { kLower, kHigher, kNeither };

/// A metric's values: one per request (statistics avg, min, max, std, p1..p99), or one per run.
enum class MetricScope { kRequest, kRun };

/// Which GenAI-Perf metrics classes list a metric (MetricFamily as bits).
enum FamilyBits : unsigned {
  kBaseClass = 1u << 0,
  kLlmClass = 1u << 1,
  kImageRetrievalClass = 1u << 2,
  kEveryClass = kBaseClass | kLlmClass | kImageRetrievalClass,
};

struct MetricInfo {
  std::string_view key;      // JSON key, e.g. "time_to_first_token"
  std::string_view display;  // on screen, e.g. "Time To First Token"
  std::string_view unit;     // the JSON's "unit" (times in ms; the lists hold ns)
  std::string_view row_unit; // the console's and CSV's unit where GenAI-Perf prints another one
  MetricScope scope;
  bool time;            // nanoseconds in the metric lists, milliseconds in every file
  bool streaming_only;  // GenAI-Perf drops the row without --streaming (except for embeddings)
  unsigned classes;     // FamilyBits of the classes whose table has the row; 0 = none (bench's own)
  Better better;
  bool goodput;  // accepted as a --goodput constraint (for the classes above)
  bool bench_only;  // reported in <stem>_bench.json and below the table, not in GenAI-Perf's files
};

/// The whole table, in the order described above.
std::span<const MetricInfo> Metrics();

/// The row for `key`, or null.
const MetricInfo* FindMetric(std::string_view key);

/// Whether `family`'s class lists `metric`.
bool InClass(const MetricInfo& metric, MetricFamily family);

/// "Schedule Lag p99 (ms)": a bench figure's row label for one statistic.
std::string StatLabel(const MetricInfo& metric, std::string_view stat);

}  // namespace bench
