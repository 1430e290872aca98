#include "report/telemetry_export.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "report/csv_exporter.h"
#include "report/exporter.h"
#include "util/rich_table.h"
#include "util/statistics.h"

namespace bench {
namespace {

using ojson = nlohmann::ordered_json;

constexpr std::array<const char*, 12> kCsvStats = {"avg", "min", "max", "p99", "p95", "p90",
                                                   "p75", "p50", "p25", "p10", "p5",  "p1"};
constexpr std::array<const char*, 6> kConsoleStats = {"avg", "min", "max", "p99", "p90", "p75"};

bool IsConstant(const std::string& name) { return name == "gpu_power_limit" || name == "total_gpu_memory"; }

// A metric "has data" when some GPU entry is a non-empty object (Python: any(gpu_data ...)).
bool HasData(const ojson& metric) {
  if (!metric.is_object()) return false;
  for (auto it = metric.begin(); it != metric.end(); ++it) {
    if (it.key() != "unit" && !it.value().empty()) return true;
  }
  return false;
}

bool AnyData(const ojson& stats) {
  if (!stats.is_object()) return false;
  for (const auto& [name, metric] : stats.items()) {
    if (HasData(metric)) return true;
  }
  return false;
}

std::string Unit(const ojson& metric) {
  const auto it = metric.find("unit");
  return it != metric.end() && it->is_string() ? it->get<std::string>() : "";
}

double AsDouble(const ojson& v) { return v.is_number() ? v.get<double>() : 0.0; }

// Python prints a float with {:,.2f} but an int (a number read back from JSON) as itself.
std::string ConsoleValue(const std::string& metric, const ojson& v) {
  if (v.is_number_integer()) return v.dump();
  if (!v.is_number_float()) return v.is_string() ? v.get<std::string>() : "N/A";
  if (metric == "gpu_utilization") return fmt::format("{}", static_cast<long long>(RoundHalfEven(v.get<double>())));
  return FormatStatValue(v.get<double>());
}

}  // namespace

std::string TelemetryMetricLabel(const std::string& name) {
  std::string out;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('_', start);
    if (end == std::string::npos) end = name.size();
    std::string word = name.substr(start, end - start);
    if (!word.empty()) {
      std::string lower = word;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      if (lower == "gpu") {
        std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return std::toupper(c); });
      } else {
        word = lower;
        word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
      }
      if (!out.empty()) out.push_back(' ');
      out += word;
    }
    start = end + 1;
  }
  return out;
}

void WriteTelemetryCsv(const ojson& stats, std::ostream& out) {
  if (!AnyData(stats)) return;
  std::vector<std::string> header{"Metric", "GPU"};
  header.insert(header.end(), kCsvStats.begin(), kCsvStats.end());
  out << CsvRow({}) << CsvRow(header);
  for (const auto& [name, metric] : stats.items()) {
    if (IsConstant(name) || !metric.is_object()) continue;
    const std::string label = TelemetryMetricLabel(name) + " (" + Unit(metric) + ")";
    for (auto it = metric.begin(); it != metric.end(); ++it) {
      if (it.key() == "unit") continue;
      std::vector<std::string> row{label, it.key()};
      for (const char* stat : kCsvStats) {
        const auto v = it.value().find(stat);
        row.push_back(FormatStatValue(v != it.value().end() ? AsDouble(*v) : 0.0));
      }
      out << CsvRow(row);
    }
  }
  out << CsvRow({}) << CsvRow({"Metric", "GPU", "Value"});
  for (const auto& [name, metric] : stats.items()) {
    if (!IsConstant(name) || !metric.is_object()) continue;
    const std::string label = TelemetryMetricLabel(name) + " (" + Unit(metric) + ")";
    for (auto it = metric.begin(); it != metric.end(); ++it) {
      if (it.key() == "unit") continue;
      const auto avg = it.value().find("avg");
      // {:.2f}, without the thousands separator of the other tables.
      out << CsvRow({label, it.key(), fmt::format("{:.2f}", avg != it.value().end() ? AsDouble(*avg) : 0.0)});
    }
  }
}

std::string RenderTelemetryTables(const ojson& stats, int width) {
  if (!stats.is_object()) return "";
  static const std::vector<std::pair<const char*, std::vector<const char*>>> kGroups = {
      {"Power", {"gpu_power_usage", "gpu_power_limit", "energy_consumption"}},
      {"Memory", {"gpu_memory_used", "total_gpu_memory"}},
      {"Utilization", {"gpu_utilization"}},
  };
  std::string out;
  for (const auto& [group, names] : kGroups) {
    std::vector<std::string> sub_tables;
    for (const char* name : names) {
      const auto found = stats.find(name);
      if (found == stats.end() || !HasData(*found)) continue;
      const ojson& metric = *found;
      const std::string unit = Unit(metric);
      RichTable sub(TelemetryMetricLabel(name) + (unit.empty() ? "" : " (" + unit + ")"));
      sub.AddColumn({"GPU Index", Justify::kRight, {}, true});
      for (const char* stat : kConsoleStats) sub.AddColumn({stat, Justify::kRight, {}, false});
      std::vector<std::string> gpus;
      for (auto it = metric.begin(); it != metric.end(); ++it) {
        if (it.key() != "unit") gpus.push_back(it.key());
      }
      std::sort(gpus.begin(), gpus.end());
      for (const std::string& gpu : gpus) {
        std::vector<std::string> row{gpu};
        const ojson& per_gpu = metric[gpu];
        for (const char* stat : kConsoleStats) {
          const auto v = per_gpu.find(stat);
          row.push_back(v != per_gpu.end() ? ConsoleValue(name, *v) : "N/A");
        }
        sub.AddRow(std::move(row));
      }
      // rich renders a nested table inside the outer cell: borders and padding take 4 cells.
      std::string text = sub.Render(width - 4);
      if (!text.empty() && text.back() == '\n') text.pop_back();
      sub_tables.push_back(std::move(text));
    }
    if (sub_tables.empty()) continue;
    RichTable table(fmt::format("NVIDIA GenAI-Perf | {} Metrics", group));
    table.AddColumn({"", Justify::kLeft, {}, true});
    for (std::string& text : sub_tables) table.AddRow({std::move(text)});
    out += table.Render(width);
  }
  return out;
}

nlohmann::ordered_json AnalyzeGpuColumns(const nlohmann::json& doc) {
  nlohmann::ordered_json gpus = nlohmann::ordered_json::object();
  const auto stats = doc.find("telemetry_stats");
  if (stats == doc.end() || !stats->is_object()) return gpus;
  const auto power = stats->find("gpu_power_usage");
  if (power == stats->end() || !power->is_object()) return gpus;
  static const std::array<std::pair<const char*, const char*>, 6> kColumns = {{{"gpu_power_usage", "p99"},
                                                                              {"energy_consumption", "p99"},
                                                                              {"gpu_utilization", "p99"},
                                                                              {"gpu_memory_used", "p99"},
                                                                              {"gpu_power_limit", "avg"},
                                                                              {"total_gpu_memory", "avg"}}};
  for (auto it = power->begin(); it != power->end(); ++it) {
    if (it.key() == "unit") continue;
    nlohmann::ordered_json values = nlohmann::ordered_json::array();
    for (const auto& [metric, stat] : kColumns) {
      const nlohmann::json::json_pointer at("/" + std::string(metric) + "/" + it.key() + "/" + stat);
      const nlohmann::json v = stats->value(at, nlohmann::json());
      values.push_back(v.is_number() ? nlohmann::ordered_json(v.get<double>()) : nlohmann::ordered_json());
    }
    gpus[it.key()] = std::move(values);
  }
  return gpus;
}

void WriteAnalyzeGpuRows(const std::vector<std::pair<std::string, ojson>>& points, std::ostream& out) {
  if (points.empty() || !points.front().second.is_object()) return;
  for (auto gpu = points.front().second.begin(); gpu != points.front().second.end(); ++gpu) {
    for (const auto& [name, gpus] : points) {
      std::vector<std::string> row{name, gpu.key()};
      const auto values = gpus.is_object() ? gpus.find(gpu.key()) : gpus.end();
      for (size_t i = 0; i < 6; ++i) {
        const bool known = values != gpus.end() && values->is_array() && i < values->size() && (*values)[i].is_number();
        row.push_back(fmt::format("{:.2f}", known ? (*values)[i].get<double>() : 0.0));
      }
      out << CsvRow(row);
    }
  }
}

}  // namespace bench
