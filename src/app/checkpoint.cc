#include "app/checkpoint.h"

#include <fstream>

#include <fmt/format.h>

#include "app/input_config.h"
#include "report/recorded_config.h"

namespace bench {
namespace {

constexpr int kCheckpointVersion = 1;

// "bench-sim_run_config_3" -> 3; -1 when the name has no such suffix.
int ConfigId(const std::string& name) {
  const auto at = name.rfind("_run_config_");
  if (at == std::string::npos) return -1;
  try {
    return std::stoi(name.substr(at + 12));
  } catch (const std::exception&) {
    return -1;
  }
}

}  // namespace

nlohmann::ordered_json PointFingerprint(const ProfileConfig& c) {
  nlohmann::ordered_json fp = ComparableInputConfig(InputConfigJson(c));
  // GenAI-Perf leaves the URL out too: a server moved to another address resumes its sweep.
  if (fp.contains("endpoint")) fp["endpoint"].erase("url");
  nlohmann::ordered_json load{{"request_distribution", c.request_distribution},
                              {"request_timeout_s", c.request_timeout_s},
                              {"benchmark_duration_s", c.benchmark_duration_s ? nlohmann::ordered_json(*c.benchmark_duration_s)
                                                                              : nlohmann::ordered_json()},
                              {"drain_cancel", c.drain_cancel},
                              {"schedule_speedup", c.schedule_speedup},
                              {"task", c.task},
                              {"concurrency_cap", c.concurrency_given ? c.concurrency : 0}};
  if (c.simulator) {
    const SimulatorOptions& s = c.simulator_options;
    nlohmann::ordered_json faults = nlohmann::ordered_json::array();
    for (const SimFaultRate& f : s.faults.rates) {
      faults.push_back({SimFaultName(f.fault.kind), f.fault.arg, f.rate});
    }
    load["simulator"] = {{"ttft_ms", s.ttft_ms},
                         {"ttft_per_input_token_ms", s.ttft_per_input_token_ms},
                         {"itl_ms", s.itl_ms},
                         {"itl_per_stream_ms", s.itl_per_stream_ms},
                         {"tokens_per_chunk", s.tokens_per_chunk},
                         {"reasoning_tokens", s.reasoning_tokens},
                         {"jitter", s.jitter},
                         {"default_max_tokens", s.default_max_tokens},
                         {"eos_probability", s.eos_probability},
                         {"seed", s.seed},
                         {"faults", std::move(faults)}};
  }
  fp["bench"] = std::move(load);
  return fp;
}

bool SweepCheckpoint::Load(const std::filesystem::path& path, std::string& error) {
  entries_.clear();
  std::ifstream in(path);
  if (!in) return true;  // no checkpoint yet
  const auto doc = nlohmann::ordered_json::parse(in, nullptr, false);
  const auto points = doc.is_object() ? doc.find("points") : doc.end();
  if (!doc.is_object() || doc.value("bench_checkpoint_version", 0) != kCheckpointVersion || points == doc.end() ||
      !points->is_array()) {
    error = fmt::format("{}: not a bench checkpoint (version {}); delete it to start the sweep over", path.string(),
                        kCheckpointVersion);
    return false;
  }
  for (const auto& point : *points) {
    if (!point.is_object() || !point.contains("config") || !point.contains("summary")) continue;
    entries_.push_back(Entry{point["config"], PointSummaryFromJson(point["summary"])});
  }
  return true;
}

bool SweepCheckpoint::Save(const std::filesystem::path& path, std::string& error) const {
  nlohmann::ordered_json points = nlohmann::ordered_json::array();
  for (const Entry& e : entries_) points.push_back({{"summary", PointSummaryToJson(e.summary)}, {"config", e.fingerprint}});
  const nlohmann::ordered_json doc{{"bench_checkpoint_version", kCheckpointVersion}, {"points", std::move(points)}};
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << doc.dump(2) << "\n";
    out.close();
    if (!out) {
      error = fmt::format("cannot write {}", tmp.string());
      return false;
    }
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    error = fmt::format("cannot write {}: {}", path.string(), ec.message());
    return false;
  }
  return true;
}

const PointSummary* SweepCheckpoint::Find(const nlohmann::ordered_json& fingerprint) const {
  for (const Entry& e : entries_) {
    if (e.fingerprint == fingerprint) return &e.summary;
  }
  return nullptr;
}

void SweepCheckpoint::Add(const nlohmann::ordered_json& fingerprint, const PointSummary& summary) {
  for (Entry& e : entries_) {
    if (e.fingerprint == fingerprint) {
      e.summary = summary;
      return;
    }
  }
  entries_.push_back(Entry{fingerprint, summary});
}

int SweepCheckpoint::NextConfigId() const {
  int next = 0;
  for (const Entry& e : entries_) next = std::max(next, ConfigId(e.summary.config_name) + 1);
  return next;
}

}  // namespace bench
