#include "bench/json_exporter.h"

#include "bench/python_json.h"

namespace bench {

nlohmann::ordered_json StatsToJson(const StatsReport& report) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const MetricStatistics& metric : report.metrics) {
    // An invalid metric still carries whatever statistics it has: bench never produces one
    // from real data, it only exists so exporter tests can mimic GenAI-Perf's malformed dicts.
    nlohmann::ordered_json entry = nlohmann::ordered_json::object();
    entry["unit"] = metric.unit;
    for (const auto& [stat, value] : metric.stats) entry[stat] = value;
    out[metric.name] = std::move(entry);
  }
  return out;
}

nlohmann::ordered_json BuildGenAiPerfJson(const StatsReport& report,
                                          const ExportContext& context) {
  nlohmann::ordered_json doc = StatsToJson(report);
  if (!context.telemetry_stats.is_null()) doc["telemetry_stats"] = context.telemetry_stats;
  if (!context.sessions.empty()) {
    nlohmann::ordered_json sessions = nlohmann::ordered_json::object();
    for (const auto& [id, session] : context.sessions) sessions[id] = StatsToJson(session);
    doc["sessions"] = std::move(sessions);
  }
  doc["input_config"] = context.input_config;

  // Bench additions come last, under one key, so readers written for GenAI-Perf's layout
  // (which iterate metrics until "input_config") are unaffected.
  nlohmann::ordered_json bench = nlohmann::ordered_json::object();
  const ErrorSummary& errors = context.errors;
  if (errors.failed_requests > 0) {
    nlohmann::ordered_json by_kind = nlohmann::ordered_json::object();
    for (const auto& [kind, count] : errors.counts_by_kind) by_kind[kind] = count;
    bench["errors"] = {{"total_requests", errors.total_requests},
                       {"failed_requests", errors.failed_requests},
                       {"by_kind", std::move(by_kind)},
                       {"first_messages", errors.first_messages}};
  }
  if (context.extra.is_object()) {
    for (auto it = context.extra.begin(); it != context.extra.end(); ++it) {
      bench[it.key()] = it.value();
    }
  } else if (!context.extra.is_null()) {
    bench["extra"] = context.extra;
  }
  if (!bench.empty()) doc["bench"] = std::move(bench);
  return doc;
}

void JsonExporter::Export(const StatsReport& report, const ExportContext& context,
                          std::ostream& out) const {
  // json.dump writes no trailing newline.
  out << PythonJsonDumps(BuildGenAiPerfJson(report, context), 2);
}

}  // namespace bench
