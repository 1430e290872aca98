#include "report/csv_exporter.h"

#include <array>

#include "report/telemetry_export.h"

namespace bench {
namespace {

constexpr std::array<const char*, 12> kCsvStatColumns = {
    "avg", "min", "max", "p99", "p95", "p90", "p75", "p50", "p25", "p10", "p5", "p1"};

}  // namespace

std::string CsvRow(const std::vector<std::string>& fields) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) line.push_back(',');
    const std::string& f = fields[i];
    // QUOTE_MINIMAL quotes fields holding the delimiter, the quote char or a line-terminator
    // char; a lone empty field is quoted so the row is not read back as empty.
    const bool quote = f.find_first_of(",\"\r\n") != std::string::npos ||
                       (fields.size() == 1 && f.empty());
    if (!quote) {
      line += f;
      continue;
    }
    line.push_back('"');
    for (char c : f) {
      if (c == '"') line.push_back('"');
      line.push_back(c);
    }
    line.push_back('"');
  }
  return line + "\r\n";
}

void CsvExporter::Export(const StatsReport& report, const ExportContext& context,
                         std::ostream& out) const {
  std::vector<std::string> header{"Metric"};
  header.insert(header.end(), kCsvStatColumns.begin(), kCsvStatColumns.end());
  out << CsvRow(header);
  for (const MetricRow& row : RequestMetricRows(context)) {
    std::vector<std::string> fields{MetricLabel(row.name, row.unit)};
    for (const char* stat : kCsvStatColumns) fields.push_back(FetchStat(report, row.name, stat));
    out << CsvRow(fields);
  }
  out << CsvRow({});
  out << CsvRow({"Metric", "Value"});
  for (const MetricRow& row : SystemMetricRows(context)) {
    out << CsvRow({MetricLabel(row.name, row.unit), FetchStat(report, row.name, "avg")});
  }
  WriteTelemetryCsv(context.telemetry_stats, out);
  // Nothing else: failed requests and the client's own rows are in <stem>_bench.json, so a
  // reader expecting GenAI-Perf's tables finds exactly those.
}

}  // namespace bench
