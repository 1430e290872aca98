#include "report/export_merge.h"

#include <algorithm>
#include <map>
#include <set>

#include "report/artifacts.h"
#include "util/python_json.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kGenAiPerfSuffix = "_genai_perf.json";

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::optional<double> Avg(const nlohmann::ordered_json& doc, const char* metric) {
  const auto it = doc.find(metric);
  if (it == doc.end() || !it->is_object()) return std::nullopt;
  const auto avg = it->find("avg");
  if (avg == it->end() || !avg->is_number()) return std::nullopt;
  return avg->get<double>();
}

}  // namespace

RunSearch FindRuns(const fs::path& dir) {
  RunSearch search;
  std::vector<fs::path> subdirs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_directory(ec)) subdirs.push_back(entry.path());
  }
  // Sorted, so the "first run" (whose settings the report records) does not depend on the
  // file system's listing order.
  std::sort(subdirs.begin(), subdirs.end());
  for (const fs::path& subdir : subdirs) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(subdir, ec)) {
      if (entry.is_regular_file(ec)) names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    std::vector<RunFiles> pairs;
    for (const std::string& name : names) {
      if (!EndsWith(name, kGenAiPerfSuffix)) continue;
      const std::string stem = name.substr(0, name.size() - kGenAiPerfSuffix.size());
      if (std::binary_search(names.begin(), names.end(), stem + ".json")) {
        pairs.push_back({subdir, subdir / (stem + ".json"), subdir / name});
      }
    }
    if (pairs.empty()) {
      search.skipped.push_back(subdir.filename().string());
      continue;
    }
    if (pairs.size() > 1) search.ambiguous.push_back(subdir.filename().string());
    search.runs.push_back(pairs.front());
  }
  return search;
}

RunSummary SummarizeRun(const nlohmann::ordered_json& doc) {
  RunSummary summary;
  if (!doc.is_object()) return summary;
  summary.request_throughput = Avg(doc, "request_throughput");
  summary.output_token_throughput = Avg(doc, "output_token_throughput");
  if (const auto it = doc.find("telemetry_stats"); it != doc.end() && it->is_object() && !it->empty()) {
    summary.telemetry_stats = *it;
  }
  if (const auto it = doc.find("input_config"); it != doc.end() && it->is_object()) summary.input_config = *it;
  return summary;
}

ThroughputSums SumRunThroughputs(const std::vector<RunSummary>& runs) {
  ThroughputSums sums;
  for (const RunSummary& run : runs) {
    if (run.request_throughput) sums.request_throughput = sums.request_throughput.value_or(0) + *run.request_throughput;
    if (run.output_token_throughput) {
      sums.output_token_throughput = sums.output_token_throughput.value_or(0) + *run.output_token_throughput;
    }
  }
  return sums;
}

void AppendRun(ProfileExport& merged, ProfileExport&& run) {
  if (run.experiments.empty()) return;
  Experiment& experiment = run.experiments.front();
  if (merged.experiments.empty()) {
    merged.version = run.version;
    merged.service_kind = run.service_kind;
    merged.endpoint = run.endpoint;
    merged.experiments.push_back(std::move(experiment));
    return;
  }
  auto& requests = merged.experiments.front().requests;
  requests.insert(requests.end(), std::make_move_iterator(experiment.requests.begin()),
                  std::make_move_iterator(experiment.requests.end()));
}

nlohmann::ordered_json MergeTelemetry(const std::vector<nlohmann::ordered_json>& telemetry) {
  if (telemetry.empty()) return nullptr;
  static const std::set<std::string> kMean = {"gpu_power_usage", "gpu_utilization", "energy_consumption"};
  nlohmann::ordered_json merged = nlohmann::ordered_json::object();
  // The first run's metrics, in its order; GPUs from every run.
  for (const auto& [metric, first] : telemetry.front().items()) {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    out["unit"] = first.is_object() ? first.value("unit", "") : "";
    std::set<std::string> gpus;
    for (const auto& run : telemetry) {
      const auto it = run.find(metric);
      if (it == run.end() || !it->is_object()) continue;
      for (const auto& [gpu, stats] : it->items()) {
        if (gpu != "unit") gpus.insert(gpu);
      }
    }
    for (const std::string& gpu : gpus) {
      std::vector<double> values;
      for (const auto& run : telemetry) {
        const auto m = run.find(metric);
        if (m == run.end() || !m->is_object()) continue;
        const auto g = m->find(gpu);
        if (g == m->end() || !g->is_object()) continue;
        const auto avg = g->find("avg");
        if (avg != g->end() && avg->is_number()) values.push_back(avg->get<double>());
      }
      if (values.empty()) continue;
      double value = 0;
      if (kMean.count(metric)) {
        for (double v : values) value += v;
        value /= static_cast<double>(values.size());
      } else {
        value = *std::max_element(values.begin(), values.end());
      }
      out[gpu] = {{"avg", value}};
    }
    merged[metric] = std::move(out);
  }
  return merged;
}

std::optional<TimeSpan> RunSpan(const ProfileExport& run) {
  if (run.experiments.empty()) return std::nullopt;
  std::optional<TimeSpan> span;
  for (const RequestRecord& r : run.experiments.front().requests) {
    if (r.response_timestamps.empty() || r.error) continue;
    const int64_t end = r.response_timestamps.back();
    if (!span) {
      span = TimeSpan{r.timestamp_ns, end};
    } else {
      span->start_ns = std::min(span->start_ns, r.timestamp_ns);
      span->end_ns = std::max(span->end_ns, end);
    }
  }
  return span;
}

double OverlapFraction(const std::vector<TimeSpan>& spans) {
  if (spans.empty()) return 0;
  int64_t latest_start = spans.front().start_ns, earliest_end = spans.front().end_ns;
  int64_t first_start = latest_start, last_end = earliest_end;
  for (const TimeSpan& s : spans) {
    latest_start = std::max(latest_start, s.start_ns);
    earliest_end = std::min(earliest_end, s.end_ns);
    first_start = std::min(first_start, s.start_ns);
    last_end = std::max(last_end, s.end_ns);
  }
  if (last_end <= first_start) return 1;
  if (earliest_end <= latest_start) return 0;
  return static_cast<double>(earliest_end - latest_start) / static_cast<double>(last_end - first_start);
}

std::string MergedRunDirName(const nlohmann::ordered_json& input_config) {
  if (!input_config.is_object()) return "merged";
  std::vector<std::string> models;
  if (const auto it = input_config.find("model_names"); it != input_config.end() && it->is_array()) {
    for (const auto& m : *it) {
      if (m.is_string()) models.push_back(m.get<std::string>());
    }
  }
  if (models.empty()) return "merged";
  const auto endpoint = input_config.value("endpoint", nlohmann::ordered_json::object());
  const std::string type = endpoint.is_object() ? endpoint.value("type", std::string()) : "";
  const auto backend_value = endpoint.is_object() ? endpoint.value("backend", nlohmann::ordered_json()) : nullptr;
  const std::string backend = backend_value.is_string() ? backend_value.get<std::string>() : "";
  // perf_analyzer.stimulus names the run as in GenAI-Perf's _process_stimulus.
  std::string stimulus;
  const auto pa = input_config.value("perf_analyzer", nlohmann::ordered_json::object());
  const auto s = pa.is_object() ? pa.value("stimulus", nlohmann::ordered_json()) : nullptr;
  if (s.is_object()) {
    if (const auto c = s.find("concurrency"); c != s.end() && c->is_number()) {
      stimulus = "concurrency" + c->dump();
    } else if (const auto r = s.find("request_rate"); r != s.end() && r->is_number()) {
      stimulus = "request_rate" + PythonFloatRepr(r->get<double>());
    }
  }
  return ArtifactDirName(models, type, backend, stimulus);
}

}  // namespace bench
