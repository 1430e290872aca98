#pragma once
// profile_export_genai_perf.csv exactly as GenAI-Perf's csv.writer produces it (reference §4.5),
// and nothing else (bench's additions are in <stem>_bench.json).

#include <ostream>
#include <string>
#include <vector>

#include "report/exporter.h"

namespace bench {

/// Writes the request-metrics table, a blank row and the system-metrics table (CRLF endings);
/// only when requests failed, a blank row and an "Error Kind,Count" table follow.
class CsvExporter : public Exporter {
 public:
  void Export(const StatsReport& report, const ExportContext& context,
              std::ostream& out) const override;
};

/// One row as Python's csv.writer (QUOTE_MINIMAL, "\r\n") writes it.
std::string CsvRow(const std::vector<std::string>& fields);

}  // namespace bench
