#include "report/console_exporter.h"

#include <array>
#include <string>

#include <fmt/format.h>

#include "report/telemetry_export.h"
#include "util/rich_table.h"

namespace bench {
namespace {

constexpr std::array<const char*, 6> kConsoleStatColumns = {"avg", "min", "max", "p99", "p90", "p75"};

// GenAI-Perf's Statistic column: right-justified, wrapped at 36 cells (max_width=36).
constexpr int kStatisticMaxWidth = 36;

RichTable MetricsTable(const StatsReport& report, const ExportContext& context) {
  RichTable table(ConsoleTitle(context.endpoint_type));
  table.AddColumn({"Statistic", Justify::kRight, kStatisticMaxWidth, false});
  for (const char* stat : kConsoleStatColumns) table.AddColumn({stat, Justify::kRight, {}, false});

  for (const MetricRow& row : RequestMetricRows(context)) {
    std::vector<std::string> cells{MetricLabel(row.name, row.unit)};
    for (const char* stat : kConsoleStatColumns) cells.push_back(FetchStat(report, row.name, stat));
    table.AddRow(std::move(cells));
  }
  // System metrics have one value per run: avg only.
  for (const MetricRow& row : SystemMetricRows(context)) {
    std::vector<std::string> cells{MetricLabel(row.name, row.unit)};
    cells.push_back(FetchStat(report, row.name, "avg"));
    for (size_t i = 1; i < kConsoleStatColumns.size(); ++i) cells.emplace_back("N/A");
    table.AddRow(std::move(cells));
  }
  return table;
}

}  // namespace

std::string FormatErrorFooter(const ErrorSummary& errors) {
  if (errors.failed_requests == 0) return "";
  std::string out =
      fmt::format("Failed requests: {} of {}\n", errors.failed_requests, errors.total_requests);
  for (const auto& [kind, count] : errors.counts_by_kind) {
    out += fmt::format("  {}: {}\n", kind, count);
  }
  if (!errors.first_messages.empty()) {
    out += "First errors:\n";
    for (const std::string& message : errors.first_messages) out += "  " + message + "\n";
  }
  return out;
}

void ConsoleExporter::Export(const StatsReport& report, const ExportContext& context,
                             std::ostream& out) const {
  out << MetricsTable(report, context).Render(width_);
  // GenAI-Perf prints the GPU tables right after the metrics table, with -v only.
  if (context.verbose) out << RenderTelemetryTables(context.telemetry_stats, width_);
  if (context.quiet) return;
  for (const auto& [label, value] : context.bench_rows) out << label << ": " << value << "\n";
  out << FormatErrorFooter(context.errors);
}

}  // namespace bench
