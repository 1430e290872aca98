#pragma once
// `<stem>_bench.json`: what bench measures about a run that GenAI-Perf's files have no place
// for (failed requests, schedule lag, the client's own load, time windows, interruption, the
// tokenizer actually used, ...). It sits beside `<stem>_genai_perf.json`, which keeps
// GenAI-Perf's exact keys; docs/compatibility.md lists its keys.

#include <filesystem>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "report/exporter.h"

namespace bench {

/// The bench file's schema version (its first key); bumped when a key changes meaning.
inline constexpr int kBenchJsonSchemaVersion = 1;

/// {"json_schema_version": 1, "errors": {...} (only when requests failed), then
/// ExportContext::extra's keys in order}.
nlohmann::ordered_json BuildBenchJson(const ExportContext& context);

/// Writes BuildBenchJson with json.dumps(indent=2)'s layout.
class BenchJsonExporter : public Exporter {
 public:
  void Export(const StatsReport& report, const ExportContext& context, std::ostream& out) const override;
};

/// `<stem>_bench.json` beside a `<stem>_genai_perf.json` path.
std::filesystem::path BenchJsonBeside(const std::filesystem::path& genai_perf_json);

/// The `*_genai_perf.json` at `path` with its `*_bench.json` (when present) under a "bench"
/// key: the one document --fail-if gates, compare and analyze's summary read. Discarded
/// (is_discarded()) when the GenAI-Perf file cannot be read or parsed.
nlohmann::ordered_json ReadRunJson(const std::filesystem::path& genai_perf_json);

}  // namespace bench
