#pragma once
// The console table GenAI-Perf prints with `rich` (reference §4.6), plus bench's failed-request
// footer under it.

#include <ostream>

#include "report/exporter.h"

namespace bench {

/// Prints the "NVIDIA GenAI-Perf | ... Metrics" table as rich would at a console `width`
/// columns wide, then (not with ExportContext::quiet) the bench rows and, only when requests
/// failed, a short error summary (bench additions).
class ConsoleExporter : public Exporter {
 public:
  /// `width` as rich's Console would pick it; see DetectConsoleWidth() in rich_table.h.
  explicit ConsoleExporter(int width) : width_(width) {}

  void Export(const StatsReport& report, const ExportContext& context,
              std::ostream& out) const override;

 private:
  int width_;
};

/// The failed-request footer alone ("" when nothing failed).
std::string FormatErrorFooter(const ErrorSummary& errors);

}  // namespace bench
