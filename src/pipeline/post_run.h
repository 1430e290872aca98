#pragma once
// The stage after the measurement that profile, report and process-export-files share: the
// metrics go to the console table and the files (report/results), then to the HTML report
// when asked. Gates are the caller's last step (CheckGates on the outcome's document), since
// each command orders them differently against "nothing succeeded".

#include <ostream>
#include <string>

#include "metrics/profile_metrics.h"
#include "plots/data.h"
#include "report/results.h"

namespace bench {

/// What the post-run stage did.
struct PostRunOutcome {
  ResultsSummary summary;
  int exit_code = 0;  // kExitOk, or kExitInput / kExitOutput when the stage failed (logged)
};

/// Exports `metrics` with `options` (ExportResults), then, when `plot_data` is set, writes
/// <artifact dir>/plots/report.html titled `plot_title` from it and the metric lists.
PostRunOutcome FinishRun(const ExperimentMetrics& metrics, const ResultsOptions& options,
                         PlotDataCollector* plot_data, const std::string& plot_title, std::ostream& out);

}  // namespace bench
