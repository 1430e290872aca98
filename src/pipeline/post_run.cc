#include "pipeline/post_run.h"

#include <filesystem>

#include <spdlog/spdlog.h>

#include "pipeline/exit_code.h"
#include "plots/report.h"

namespace bench {

PostRunOutcome FinishRun(const ExperimentMetrics& metrics, const ResultsOptions& options,
                         PlotDataCollector* plot_data, const std::string& plot_title, std::ostream& out) {
  PostRunOutcome outcome;
  outcome.summary = ExportResults(metrics, options, out);
  if (!outcome.summary.error.empty()) {
    spdlog::error("{}", outcome.summary.error);
    outcome.exit_code = outcome.summary.input_error ? kExitInput : kExitOutput;
    return outcome;
  }
  if (plot_data != nullptr) {
    const std::filesystem::path plots = std::filesystem::path(options.artifact_dir) / "plots";
    const PlotReport report{plot_title, RunFacts(options.input_config, metrics),
                            BuildRunCharts(metrics.lists, plot_data->Finish())};
    if (std::string error = WritePlotReport(plots, report); !error.empty()) {
      spdlog::error("--generate-plots: {}", error);
      outcome.exit_code = kExitOutput;
      return outcome;
    }
    spdlog::info("plots written to {}", (plots / "report.html").string());
  }
  return outcome;
}

}  // namespace bench
