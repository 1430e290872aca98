#pragma once
// `bench analyze` sweeps (reference §5.2): the swept parameter, the values that --sweep-list
// and --sweep-range give as GenAI-Perf's documentation describes them, and how a value is
// written in directory names and tables.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

/// The parameters `--sweep-type` accepts (GenAI-Perf's names).
enum class SweepType { kConcurrency, kRequestRate, kInputSequenceLength, kNumDatasetEntries, kBatchSize };

/// "concurrency", "request_rate", "input_sequence_length", "num_dataset_entries", "batch_size".
std::string SweepTypeName(SweepType type);
/// The inverse of SweepTypeName; nullopt for anything else.
std::optional<SweepType> ParseSweepType(std::string_view name);
/// The profile flag the sweep sets for each point, e.g. "--concurrency".
std::string SweepTypeFlag(SweepType type);

/// Which values a sweep visits, in order.
struct SweepPlan {
  SweepType type = SweepType::kConcurrency;
  std::vector<double> values;
};

/// One point of a sweep as it names its artifact directory: {"concurrency", "4"}.
struct SweepPoint {
  std::string parameter;
  std::string value;
};

struct SweepPlanResult {
  SweepPlan plan;
  std::string error;  // one line naming the flag; empty on success
};

/// The plan for `--sweep-type TYPE` with `--sweep-list` or `--sweep-range` as typed (nullopt =
/// not typed; both typed is an error). A list is taken as given; `min:max:step` is linear for
/// every type; `min:max` is the powers of two within [min, max], except num_dataset_entries,
/// which takes every integer. Nothing typed: the type's default range (concurrency 1:1024,
/// request_rate 16:8192, input_sequence_length 100:1000, num_dataset_entries 100:1000,
/// batch_size 1:128). Values are positive; whole numbers except for request_rate.
SweepPlanResult ParseSweepPlan(std::string_view type, const std::optional<std::string>& list,
                               const std::optional<std::string>& range);

/// A value as GenAI-Perf's analyze names it: whole numbers without a decimal point ("16"),
/// others as Python's repr ("2.5").
std::string FormatSweepValue(double value);

}  // namespace bench
