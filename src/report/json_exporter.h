#pragma once
// profile_export_genai_perf.json as GenAI-Perf writes it with json.dump(indent=2)
// (reference §4.4): GenAI-Perf's keys only; bench's additions go to <stem>_bench.json
// (bench_json_exporter.h).

#include <ostream>

#include <nlohmann/json.hpp>

#include "report/exporter.h"

namespace bench {

/// Writes one object per metric ("unit" first, then the statistics in order), then
/// "telemetry_stats" (only metrics with data), "input_config", then "sessions" (multi-turn
/// runs), in GenAI-Perf's order. Nothing else: bench's additions have a file of their own.
class JsonExporter : public Exporter {
 public:
  void Export(const StatsReport& report, const ExportContext& context,
              std::ostream& out) const override;
};

/// The document JsonExporter writes, before serialization.
nlohmann::ordered_json BuildGenAiPerfJson(const StatsReport& report, const ExportContext& context);

/// {"metric": {"unit": ..., "avg": ..., ...}, ...} for one report, in report order.
nlohmann::ordered_json StatsToJson(const StatsReport& report);

}  // namespace bench
