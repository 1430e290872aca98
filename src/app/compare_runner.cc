#include "app/compare_runner.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <optional>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "report/bench_json_exporter.h"
#include "report/server_comparison.h"
#include "plots/compare_plots.h"
#include "app/input_config.h"
#include "report/recorded_config.h"
#include "metrics/metrics.h"
#include "plots/report.h"
#include "record/profile_export_reader.h"
#include "metrics/metric_registry.h"
#include "metrics/profile_metrics.h"
#include "record/response_parser.h"
#include "util/rich_table.h"
#include "util/significance.h"
#include "tokenizer/tokenizer.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSuffix = "_genai_perf.json";
constexpr double kSignificanceLevel = 0.05;

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The *_genai_perf.json a path designates, or an error.
fs::path FindGenAiPerfJson(const fs::path& path, std::string& error) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    const std::string name = path.filename().string();
    if (EndsWith(name, kSuffix)) return path;
    const fs::path sibling = path.parent_path() / (path.stem().string() + kSuffix);
    if (fs::is_regular_file(sibling, ec)) return sibling;
    error = fmt::format("{}: not a *{} file and no {} beside it (run `bench report -f {}` first)", path.string(),
                        kSuffix, sibling.filename().string(), path.string());
    return {};
  }
  if (!fs::is_directory(path, ec)) {
    error = fmt::format("{}: no such file or directory", path.string());
    return {};
  }
  if (fs::is_regular_file(path / "profile_export_genai_perf.json", ec)) return path / "profile_export_genai_perf.json";
  std::vector<fs::path> found;
  for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file() && EndsWith(it->path().filename().string(), kSuffix)) found.push_back(it->path());
  }
  std::sort(found.begin(), found.end());
  if (found.size() == 1) return found.front();
  if (found.empty()) {
    error = fmt::format("{}: no *{} inside (give a bench or GenAI-Perf artifact directory)", path.string(), kSuffix);
  } else {
    error = fmt::format("{}: {} runs inside ({}, ...): name one directory or file", path.string(), found.size(),
                        found.front().string());
  }
  return {};
}

// Per-request values in the JSON's units (ms for times), from the raw export beside `json_path`.
std::map<std::string, std::vector<double>> PerRequestValues(const fs::path& json_path,
                                                            const nlohmann::ordered_json& doc) {
  std::map<std::string, std::vector<double>> values;
  const std::string name = json_path.filename().string();
  const fs::path raw = json_path.parent_path() / (name.substr(0, name.size() - std::string(kSuffix).size()) + ".json");
  std::error_code ec;
  if (!fs::is_regular_file(raw, ec)) return values;
  ProfileExportReadResult read = ReadProfileExport(raw.string());
  if (!read.error.empty() || read.profile.experiments.empty()) {
    spdlog::warn("{}: {}; comparing point estimates only", raw.string(), read.error);
    return values;
  }
  const nlohmann::ordered_json input_config =
      doc.contains("input_config") ? doc["input_config"] : nlohmann::ordered_json(nullptr);
  const FormatInference format = ResolveResponseFormat(read.profile, "");
  if (!format.format) return values;
  TokenizerLoadResult tokenizer;
  if (NeedsTokenizer(*format.format)) {
    const std::string spec = RecordedTokenizer(input_config);
    if (spec.empty()) {
      spdlog::warn("{}: no tokenizer recorded; comparing point estimates only", json_path.string());
      return values;
    }
    tokenizer = LoadTokenizer(spec);
    if (!tokenizer.tokenizer) {
      spdlog::warn("{}: tokenizer {}: {}; comparing point estimates only", json_path.string(), spec, tokenizer.error);
      return values;
    }
  }
  MetricsOptions options;  // the export's own payloads decide the format, as `bench report` does
  const ExperimentMetrics m =
      ComputeExperimentMetrics(read.profile, read.profile.experiments.front(), tokenizer.tokenizer.get(), options);
  if (!m.error.empty()) return values;
  const auto put_ms = [&](const char* key, const std::vector<double>& ns) {
    if (ns.empty()) return;
    std::vector<double>& v = values[key];
    for (double x : ns) v.push_back(x / 1e6);
  };
  put_ms("time_to_first_token", m.lists.time_to_first_token);
  put_ms("time_to_second_token", m.lists.time_to_second_token);
  put_ms("inter_token_latency", m.lists.inter_token_latency);
  put_ms("request_latency", m.lists.request_latency);
  if (!m.lists.output_token_throughput_per_user.empty()) {
    values["output_token_throughput_per_user"] = m.lists.output_token_throughput_per_user;
  }
  return values;
}

// The run's error rate in %, from the "errors" of the run's *_bench.json (0 when absent:
// GenAI-Perf's JSON, or no request failed).
double ErrorRatePercent(const nlohmann::ordered_json& doc) {
  const auto errors = doc.value("/bench/errors"_json_pointer, nlohmann::ordered_json());
  if (!errors.is_object()) return 0;
  const double total = errors.value("total_requests", 0.0);
  return total > 0 ? 100.0 * errors.value("failed_requests", 0.0) / total : 0;
}

bool IsMetricObject(const std::string& key, const nlohmann::ordered_json& value) {
  return key != "input_config" && key != "sessions" && key != "bench" && key != "telemetry_stats" &&
         value.is_object() && value.contains("unit");
}

std::string FormatValue(double v) { return fmt::format("{:.2f}", v); }

struct Row {
  std::string metric, stat, unit;
  double base = 0, cand = 0;
  std::optional<double> p_value;
  std::optional<ConfidenceInterval> ci;
  int direction = 0;
  // With per-request data: +1 when the candidate's distribution sits significantly higher
  // (p < 0.05 and the median-difference interval above 0), -1 lower, 0 no significant shift.
  int shift = 0;
};

// Relative change; nullopt when the baseline is 0 and the candidate is not.
std::optional<double> RelativeChange(double base, double cand) {
  if (base == 0) return cand == 0 ? std::optional<double>(0.0) : std::nullopt;
  return (cand - base) / std::abs(base);
}

std::vector<Row> BuildRows(const CompareRun& base, const CompareRun& cand, const std::vector<std::string>& only) {
  std::vector<Row> rows;
  const auto wanted = [&](const std::string& m) {
    return only.empty() || std::find(only.begin(), only.end(), m) != only.end();
  };
  for (const auto& [metric, b] : base.doc.items()) {
    if (!IsMetricObject(metric, b) || !wanted(metric) || !cand.doc.contains(metric)) continue;
    const auto& c = cand.doc[metric];
    if (!IsMetricObject(metric, c)) continue;
    const std::string unit = b.value("unit", "");
    std::optional<double> p;
    std::optional<ConfidenceInterval> ci;
    const auto bi = base.per_request.find(metric);
    const auto ci_it = cand.per_request.find(metric);
    if (bi != base.per_request.end() && ci_it != cand.per_request.end()) {
      p = MannWhitneyU(bi->second, ci_it->second).p_value;
      ci = BootstrapMedianDifference(bi->second, ci_it->second);
    }
    int shift = 0;
    if (p && *p < kSignificanceLevel) shift = ci->low > 0 ? 1 : ci->high < 0 ? -1 : 0;
    const std::vector<std::string> stats =
        IsSystemMetric(metric) ? std::vector<std::string>{"avg"} : std::vector<std::string>{"avg", "p50", "p99"};
    bool first = true;
    for (const std::string& stat : stats) {
      if (!b.contains(stat) || !c.contains(stat) || !b[stat].is_number() || !c[stat].is_number()) continue;
      Row row{metric, stat, unit, b[stat].get<double>(), c[stat].get<double>(), p, std::nullopt,
              BetterDirection(metric, unit)};
      row.shift = shift;
      if (first) row.ci = ci;  // one interval per metric, shown on its first row
      first = false;
      rows.push_back(row);
    }
  }
  if (wanted("error_rate")) {
    rows.push_back(Row{"error_rate", "avg", "%", ErrorRatePercent(base.doc), ErrorRatePercent(cand.doc),
                       std::nullopt, std::nullopt, -1});
  }
  return rows;
}

// True when the row's change is backed by the data: always for point estimates; with
// per-request data, when the whole distribution moved significantly the same way (a p99 that
// grew while the median fell is a tail event, not a shift).
bool Significant(const Row& row) {
  if (!row.p_value) return true;
  return row.shift != 0 && (row.cand - row.base) * row.shift > 0;
}

// True when `row` is a significant regression beyond `limit` (a fraction).
bool IsRegression(const Row& row, double limit) {
  if (row.direction == 0) return false;
  const auto change = RelativeChange(row.base, row.cand);
  const double worse = change ? -row.direction * *change : (row.direction * (row.cand - row.base) < 0 ? INFINITY : 0);
  return worse > limit && Significant(row);
}

}  // namespace

CompareRun LoadCompareRun(const std::string& path) {
  CompareRun run;
  run.json_path = FindGenAiPerfJson(path, run.error);
  if (!run.error.empty()) return run;
  run.doc = ReadRunJson(run.json_path);  // bench's additions (errors) under "bench"
  if (run.doc.is_discarded() || !run.doc.is_object()) {
    run.error = fmt::format("{}: not a JSON object", run.json_path.string());
    return run;
  }
  run.per_request = PerRequestValues(run.json_path, run.doc);
  return run;
}

int BetterDirection(const std::string& metric, const std::string& unit) {
  if (const MetricInfo* m = FindMetric(metric)) {
    return m->better == Better::kLower ? -1 : m->better == Better::kHigher ? 1 : 0;
  }
  // A key the registry does not know (another tool's export): judged by its unit and name.
  if (unit == "ms") return -1;
  if (metric.find("throughput") != std::string::npos || metric.find("goodput") != std::string::npos) return 1;
  return 0;
}

int RunCompare(const CompareConfig& config, std::ostream& out) {
  const CompareRun base = LoadCompareRun(config.baseline);
  if (!base.error.empty()) {
    spdlog::error("{}", base.error);
    return kExitInput;
  }
  spdlog::info("baseline: {}{}", base.json_path.string(),
               base.per_request.empty() ? " (no per-request data: point estimates only)" : "");
  int exit_code = kExitOk;
  // Only the JSON documents are kept for the plots, not the per-request values.
  std::vector<ComparedRun> plotted;
  std::vector<std::pair<std::string, std::string>> plotted_paths;
  if (config.generate_plots) {
    plotted.push_back({"baseline", base.doc});
    plotted_paths.emplace_back("baseline", base.json_path.string());
  }
  for (const std::string& path : config.candidates) {
    const CompareRun cand = LoadCompareRun(path);
    if (!cand.error.empty()) {
      spdlog::error("{}", cand.error);
      return kExitInput;
    }
    if (config.generate_plots) {
      const std::string name = fmt::format("candidate {}", plotted.size());
      plotted.push_back({name, cand.doc});
      plotted_paths.emplace_back(name, cand.json_path.string());
    }
    spdlog::info("candidate: {}{}", cand.json_path.string(),
                 cand.per_request.empty() ? " (no per-request data: point estimates only)" : "");
    const std::vector<Row> rows = BuildRows(base, cand, config.metrics);
    if (rows.empty()) {
      spdlog::error("{} and {} have no metric in common{}", config.baseline, path,
                    config.metrics.empty() ? "" : " among --metrics");
      return kExitInput;
    }
    out << FormatServerComparison(base.doc, cand.doc, std::max(DetectConsoleWidth(), 140));
    RichTable table(fmt::format("bench compare | {} vs {}", config.baseline, path));
    table.AddColumn({"Metric", Justify::kLeft, std::nullopt, false});
    table.AddColumn({"Stat", Justify::kLeft, std::nullopt, true});
    table.AddColumn({"Baseline", Justify::kRight, std::nullopt, true});
    table.AddColumn({"Candidate", Justify::kRight, std::nullopt, true});
    table.AddColumn({"Change", Justify::kRight, std::nullopt, true});
    table.AddColumn({"p (Mann-Whitney)", Justify::kRight, std::nullopt, true});
    table.AddColumn({"Median diff 95% CI", Justify::kRight, std::nullopt, true});
    table.AddColumn({"Verdict", Justify::kLeft, std::nullopt, true});
    std::vector<std::string> regressions;
    for (const Row& row : rows) {
      const auto change = RelativeChange(row.base, row.cand);
      std::string verdict;
      if (config.max_regression && IsRegression(row, *config.max_regression)) {
        verdict = "REGRESSION";
        regressions.push_back(fmt::format("{}({}) {} -> {} {} ({})", row.stat, row.metric, FormatValue(row.base),
                                          FormatValue(row.cand), row.unit,
                                          change ? fmt::format("{:+.2f}%", *change * 100) : "new"));
      } else if (row.direction != 0 && change && *change != 0) {
        const bool better = row.direction * *change > 0;
        verdict = Significant(row) ? (better ? "better" : "worse") : "~ (not significant)";
      }
      table.AddRow({row.metric + " (" + row.unit + ")", row.stat, FormatValue(row.base), FormatValue(row.cand),
                    change ? fmt::format("{:+.2f}%", *change * 100) : "n/a",
                    row.p_value ? fmt::format("{:.3g}", *row.p_value) : "",
                    row.ci ? fmt::format("[{:+.2f}, {:+.2f}]", row.ci->low, row.ci->high) : "", verdict});
    }
    // The comparison is wider than GenAI-Perf's table; wrapping numbers in a CI log is worse
    // than a long line.
    out << table.Render(std::max(DetectConsoleWidth(), 140));
    for (const std::string& r : regressions) {
      spdlog::error("regression beyond --max-regression {:.4g}%: {}", *config.max_regression * 100, r);
    }
    if (!regressions.empty()) exit_code = kExitGateFailed;
  }
  if (config.generate_plots) {
    const PlotReport report{"bench compare", plotted_paths, BuildCompareCharts(plotted)};
    if (std::string error = WritePlotReport(config.plots_dir, report); !error.empty()) {
      spdlog::error("--generate-plots: {}", error);
      return kExitOutput;
    }
    spdlog::info("plots written to {}", (std::filesystem::path(config.plots_dir) / "report.html").string());
  }
  return exit_code;
}

}  // namespace bench
