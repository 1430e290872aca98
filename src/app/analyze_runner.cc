#include "app/analyze_runner.h"

#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include "app/run_dir.h"
#include "cluster/cluster.h"
#include "report/artifacts.h"
#include "report/bench_json_exporter.h"
#include "app/checkpoint.h"
#include "app/plan.h"
#include "util/rich_table.h"
#include "app/sweep.h"
#include "plots/report.h"
#include "pipeline/profile_pipeline.h"
#include "plots/sweep_plots.h"
#include "report/sweep_report.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

// A point that ends with one of these stops the sweep: the next points would fail the same way.
bool StopsSweep(int exit_code) {
  return exit_code == kExitUsage || exit_code == kExitUnreachable || exit_code == kExitInput ||
         exit_code == kExitOutput;
}

// GenAI-Perf's analyze CSV has a "Request Rate" column instead of "Concurrency" when the
// stimulus is a rate.
bool RequestRateColumn(const AnalyzeConfig& config) {
  return config.sweep.type == SweepType::kRequestRate ||
         (config.sweep.type != SweepType::kConcurrency && config.profile.request_rate.has_value());
}

std::string LoadValue(const ProfileConfig& point) {
  return point.request_rate ? FormatSweepValue(*point.request_rate) : std::to_string(point.concurrency);
}

// GenAI-Perf overrides a typed flag with the swept value; say so instead of doing it silently.
void WarnAboutOverriddenFlag(const AnalyzeConfig& config) {
  const ProfileConfig& p = config.profile;
  const SweepType type = config.sweep.type;
  const bool typed = (type == SweepType::kConcurrency && p.concurrency_given) ||
                     (type == SweepType::kRequestRate && p.request_rate) ||
                     (type == SweepType::kInputSequenceLength && p.isl_given) ||
                     (type == SweepType::kNumDatasetEntries && p.num_dataset_entries_given);
  if (typed) spdlog::warn("{} is ignored: --sweep-type {} sets it for each point", SweepTypeFlag(type), SweepTypeName(type));
}

PointSummary MeasuredSummary(const ProfileConfig& point, const RunResult& run, std::string config_name) {
  PointSummary s;
  s.config_name = std::move(config_name);
  s.parameter = point.sweep_point->parameter;
  s.value = point.sweep_point->value;
  s.run_dir = run.run_dir.filename().string();
  s.load_value = LoadValue(point);
  s.num_dataset_entries = point.num_dataset_entries;
  if (run.summary.document.is_object()) {
    ReadPointMetrics(nlohmann::json(run.summary.document), s);  // failed requests: its "bench" part
  } else {
    spdlog::warn("{} has no results: the summary has no numbers for {} {}", run.run_dir.string(), s.parameter, s.value);
  }
  return s;
}

}  // namespace

ProfileConfig SweepPointConfig(const AnalyzeConfig& config, double value) {
  ProfileConfig p = config.profile;
  p.sweep_point = SweepPoint{SweepTypeName(config.sweep.type), FormatSweepValue(value)};
  switch (config.sweep.type) {
    case SweepType::kConcurrency:
      p.concurrency = static_cast<int>(value);
      p.concurrency_given = true;
      break;
    case SweepType::kRequestRate:
      p.request_rate = value;
      break;
    case SweepType::kInputSequenceLength:
      p.synthetic_input_tokens_mean = static_cast<int>(value);
      p.synthetic_input_tokens_clip.reset();  // a swept ISL wins over a --task preset's range
      break;
    case SweepType::kNumDatasetEntries:
      p.num_dataset_entries = static_cast<int>(value);
      break;
    case SweepType::kBatchSize:
      break;  // rejected by the CLI until bench has --batch-size
  }
  if (!p.request_count_given) p.request_count = DefaultRequestCount(p);
  return p;
}

fs::path CheckpointPath(const ProfileConfig& config) {
  const fs::path dir = config.checkpoint_dir.empty() ? fs::path(config.artifact_dir) / "checkpoint"
                                                     : fs::path(config.checkpoint_dir);
  return dir / "checkpoint.json";
}

namespace {

// Every point's configuration, and which of them an earlier run of the same command already
// measured (null when not, or without checkpointing).
void PlanPoints(const AnalyzeConfig& config, const SweepCheckpoint* checkpoint, const fs::path& checkpoint_path,
                std::vector<ProfileConfig>& points, std::vector<const PointSummary*>& done) {
  std::vector<std::string> skipped;
  for (double v : config.sweep.values) {
    points.push_back(SweepPointConfig(config, v));
    done.push_back(checkpoint != nullptr ? checkpoint->Find(PointFingerprint(points.back())) : nullptr);
    if (done.back() != nullptr) skipped.push_back(points.back().sweep_point->value);
  }
  if (!skipped.empty()) {
    spdlog::warn("checkpoint {}: {} of {} points already measured ({} {}), skipping them", checkpoint_path.string(),
                 skipped.size(), points.size(), SweepTypeName(config.sweep.type), fmt::join(skipped, ", "));
  }
}

// What is swept over which values, and a typed flag the sweep overrides.
void AnnounceSweep(const AnalyzeConfig& config) {
  std::vector<std::string> values;
  for (double v : config.sweep.values) values.push_back(FormatSweepValue(v));
  spdlog::info("analyze: sweeping {} over {} point(s): {}", SweepTypeName(config.sweep.type), values.size(),
               fmt::join(values, ", "));
  WarnAboutOverriddenFlag(config);
}

// Not across ranks yet (docs/cluster.md): N ranks would run N sweeps over the same files.
bool LaunchedAsRanks() {
  const Launch launch = DetectLaunch([](const char* name) -> const char* { return std::getenv(name); });
  if (launch.size <= 1) return false;
  spdlog::error("bench analyze does not run across ranks yet ({} = {}); run it as one process, or run "
                "`bench profile` per point under mpirun",
                launch.variable, launch.size);
  return true;
}

// One point through the pipeline; a plan that cannot be made is a usage error (it stops the sweep).
RunResult RunPoint(const ProfileConfig& point, const std::atomic<bool>& stop, std::ostream& out) {
  const Parsed<RunPlan> plan = MakeRunPlan(point);
  if (plan.ok()) return RunProfile(plan.value, stop, out);
  spdlog::error("{}", plan.error);
  RunResult failed;
  failed.exit_code = kExitUsage;
  return failed;
}

// The sweep's CSV (GenAI-Perf's analyze_export_genai_perf.csv), its table, and its plots.
int WriteSweepSummary(const AnalyzeConfig& config, const std::vector<PointSummary>& summaries,
                      const std::string& parameter, std::ostream& out) {
  const fs::path csv = fs::path(config.profile.artifact_dir) / "analyze_export_genai_perf.csv";
  std::error_code ec;
  fs::create_directories(csv.parent_path(), ec);
  std::ofstream f(csv, std::ios::binary);
  WriteAnalyzeCsv(summaries, RequestRateColumn(config), f);
  f.close();
  if (!f) {
    spdlog::error("cannot write {}", csv.string());
    return kExitOutput;
  }
  out << SweepSummaryTable(summaries, parameter, std::max(DetectConsoleWidth(), 120));
  spdlog::info("sweep summary written to {}", csv.string());
  if (config.profile.generate_plots) {
    const fs::path plots = fs::path(config.profile.artifact_dir) / "plots";
    const PlotReport report{"bench analyze: " + parameter + " sweep", SweepFacts(summaries, parameter),
                            BuildSweepCharts(summaries, parameter)};
    if (std::string error = WritePlotReport(plots, report); !error.empty()) {
      spdlog::error("--generate-plots: {}", error);
      return kExitOutput;
    }
    spdlog::info("sweep plots written to {}", (plots / "report.html").string());
  }
  return kExitOk;
}

}  // namespace

int RunAnalyze(const AnalyzeConfig& config, const std::atomic<bool>& stop, std::ostream& out) {
  if (LaunchedAsRanks()) return kExitUsage;
  const std::string parameter = SweepTypeName(config.sweep.type);
  AnnounceSweep(config);

  const bool checkpointing = config.profile.enable_checkpointing;
  const fs::path checkpoint_path = CheckpointPath(config.profile);
  SweepCheckpoint checkpoint;
  if (checkpointing) {
    std::string error;
    if (!checkpoint.Load(checkpoint_path, error)) {
      spdlog::error("--enable-checkpointing: {}", error);
      return kExitInput;
    }
  }

  std::vector<ProfileConfig> points;
  std::vector<const PointSummary*> done;
  PlanPoints(config, checkpointing ? &checkpoint : nullptr, checkpoint_path, points, done);

  const std::string model = config.profile.models.empty() ? std::string("model") : config.profile.models.front();
  int next_id = checkpoint.NextConfigId();
  std::vector<PointSummary> summaries;
  bool interrupted = false, any_no_success = false, any_gate_failed = false;
  int fatal = kExitOk;
  for (size_t i = 0; i < points.size(); ++i) {
    const ProfileConfig& point = points[i];
    if (done[i] != nullptr) {
      summaries.push_back(*done[i]);
      continue;
    }
    if (stop.load()) {
      interrupted = true;
      break;
    }
    spdlog::info("sweep point {}/{}: {} {}", i + 1, points.size(), parameter, point.sweep_point->value);
    const RunResult run = RunPoint(point, stop, out);
    const int rc = run.exit_code;
    if (rc == kExitInterrupted) {
      // Its artifacts hold what was measured, but it is not a finished point.
      interrupted = true;
      break;
    }
    if (StopsSweep(rc)) {
      fatal = rc;
      break;
    }
    PointSummary summary = MeasuredSummary(point, run, fmt::format("{}_run_config_{}", model, next_id++));
    any_no_success |= rc == kExitNoSuccess;
    any_gate_failed |= rc == kExitGateFailed;
    // A point where nothing succeeded (a server that went away) is measured again on a rerun.
    if (checkpointing && rc != kExitNoSuccess) {
      checkpoint.Add(PointFingerprint(point), summary);
      std::string error;
      if (!checkpoint.Save(checkpoint_path, error)) {
        spdlog::error("--enable-checkpointing: {}", error);
        return kExitOutput;
      }
    }
    summaries.push_back(std::move(summary));
    if (stop.load()) {
      interrupted = i + 1 < points.size();
      break;
    }
  }

  if (!summaries.empty()) {
    if (const int rc = WriteSweepSummary(config, summaries, parameter, out); rc != kExitOk) return rc;
  }
  if (interrupted) {
    spdlog::warn("interrupted: {} of {} points finished{}", summaries.size(), points.size(),
                 checkpointing ? "; rerun the same command to continue" : "");
    return kExitInterrupted;
  }
  if (fatal != kExitOk) return fatal;
  if (any_no_success) return kExitNoSuccess;
  if (any_gate_failed) return kExitGateFailed;
  return kExitOk;
}

}  // namespace bench
