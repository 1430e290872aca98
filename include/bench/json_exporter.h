#pragma once
// profile_export_genai_perf.json as GenAI-Perf writes it with json.dump(indent=2)
// (reference §4.4), plus bench's additions under one trailing key.

#include <ostream>

#include <nlohmann/json.hpp>

#include "bench/exporter.h"

namespace bench {

/// Writes one object per metric ("unit" first, then the statistics in order), then optional
/// "telemetry_stats" and "sessions", then "input_config"; bench additions ("errors" and
/// ExportContext::extra) go under a final "bench" key, only when there is something to say,
/// so a clean run's file is byte-identical to GenAI-Perf's.
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
