#include "report/json_exporter.h"

#include "util/python_json.h"

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
  // GenAI-Perf keeps only the telemetry metrics that hold data for some GPU.
  if (context.telemetry_stats.is_object()) {
    nlohmann::ordered_json telemetry = nlohmann::ordered_json::object();
    for (auto it = context.telemetry_stats.begin(); it != context.telemetry_stats.end(); ++it) {
      if (!it.value().is_object()) continue;
      bool has_data = false;
      for (auto gpu = it.value().begin(); gpu != it.value().end(); ++gpu) {
        if (gpu.key() != "unit" && !gpu.value().empty()) has_data = true;
      }
      if (has_data) telemetry[it.key()] = it.value();
    }
    if (!telemetry.empty()) doc["telemetry_stats"] = std::move(telemetry);
  }
  doc["input_config"] = context.input_config;
  // GenAI-Perf adds the per-session statistics after merging the config (json_exporter.py).
  if (!context.sessions.empty()) {
    nlohmann::ordered_json sessions = nlohmann::ordered_json::object();
    for (const auto& [id, session] : context.sessions) sessions[id] = StatsToJson(session);
    doc["sessions"] = std::move(sessions);
  }
  return doc;
}

void JsonExporter::Export(const StatsReport& report, const ExportContext& context,
                          std::ostream& out) const {
  // json.dump writes no trailing newline.
  out << PythonJsonDumps(BuildGenAiPerfJson(report, context), 2);
}

}  // namespace bench
