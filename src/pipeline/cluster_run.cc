#include "pipeline/cluster_run.h"

#include <algorithm>
#include <cstdlib>
#include <chrono>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include "pipeline/exit_code.h"

namespace bench {

EpochAnchor ClusterContext::Anchor() const {
  const int64_t offset = cluster == nullptr ? 0 : offsets[static_cast<size_t>(cluster->rank())].offset_ns;
  return EpochAnchor(root_wall_ns, root_mono_ns + offset);
}

void ClusterContext::WaitForStart() const {
  const int64_t offset = cluster == nullptr ? 0 : offsets[static_cast<size_t>(cluster->rank())].offset_ns;
  const int64_t start = start_root_mono_ns + offset + share.start_delay_ns;
  // Sleep to a millisecond before, then spin: the ranks' starts differ by the clock
  // uncertainty, not by the scheduler's wake-up.
  for (int64_t left = start - MonotonicNowNs(); left > 1'000'000; left = start - MonotonicNowNs()) {
    std::this_thread::sleep_for(std::chrono::nanoseconds(left - 1'000'000));
  }
  while (MonotonicNowNs() < start) {
  }
}

int AgreeOnSetup(Cluster& cluster, int code) {
  std::vector<std::string> codes;
  if (!cluster.AllGather(std::to_string(code), codes, kSetupTimeoutS)) {
    spdlog::error("cluster: not every rank was ready within {} s", kSetupTimeoutS);
    return kExitUnreachable;
  }
  int first = kExitOk;
  std::vector<std::string> failed;
  for (size_t r = 0; r < codes.size(); ++r) {
    const int c = std::atoi(codes[r].c_str());
    if (c == kExitOk) continue;
    if (first == kExitOk) first = c;
    failed.push_back(fmt::format("rank {} (exit {})", r, c));
  }
  if (first != kExitOk && cluster.rank() == 0) {
    spdlog::error("cluster: no load was sent: {} failed before the run (see each rank's message)",
                  fmt::join(failed, ", "));
  }
  return first;
}

bool ShareBodies(Cluster& cluster, std::vector<std::string>& bodies) {
  nlohmann::json encoded;
  std::string bytes;
  if (cluster.rank() == 0) bytes = nlohmann::json(bodies).dump();
  if (!cluster.Broadcast(bytes, kSetupTimeoutS)) return false;
  if (cluster.rank() != 0) {
    encoded = nlohmann::json::parse(bytes, nullptr, /*allow_exceptions=*/false);
    if (!encoded.is_array()) return false;
    bodies = encoded.get<std::vector<std::string>>();
  }
  return true;
}

bool SynchroniseRanks(Cluster& cluster, const LoadOptions& load, ClusterContext& context) {
  context.cluster = &cluster;
  if (!cluster.MeasureClockOffsets(/*rounds=*/32, context.offsets, kSetupTimeoutS)) return false;
  // Rank 0's anchor and a common start a little ahead, so every rank is waiting before it.
  std::string bytes;
  if (cluster.rank() == 0) {
    const EpochAnchor probe;
    const int64_t mono = MonotonicNowNs();
    const int64_t wall = probe.ToEpochNs(mono);
    bytes = nlohmann::json::array({wall, mono, mono + 250'000'000}).dump();
  }
  if (!cluster.Broadcast(bytes, kSetupTimeoutS)) return false;
  const nlohmann::json start = nlohmann::json::parse(bytes, nullptr, false);
  if (!start.is_array() || start.size() != 3) return false;
  context.root_wall_ns = start[0].get<int64_t>();
  context.root_mono_ns = start[1].get<int64_t>();
  context.start_root_mono_ns = start[2].get<int64_t>();
  context.share = SplitLoad(load, cluster.rank(), cluster.size());
  return true;
}

nlohmann::json RankSummary(const ClusterContext& context, const LoadResult& result) {
  const LoadOptions& load = context.share.load;
  nlohmann::json share = {{"concurrency", load.concurrency},
                          {"warmup_request_count", load.warmup_request_count},
                          {"start_delay_ns", context.share.start_delay_ns}};
  share["request_rate"] = load.request_rate ? nlohmann::json(*load.request_rate) : nlohmann::json();
  // A timed run ignores the count.
  if (load.duration_s) {
    share["duration_s"] = *load.duration_s;
  } else {
    share["request_count"] = load.request_count;
  }
  return {{"host", context.cluster->host()},
          {"share", share},
          {"recorded", result.recorded},
          {"warmup_completed", result.warmup_completed},
          {"worker_threads", result.worker_threads},
          {"interrupted", result.interrupted},
          {"streams_without_done", result.streams_without_done},
          {"events", result.events},
          {"events_sharing_timestamp", result.events_sharing_timestamp},
          {"reads", result.reads},
          {"kernel_stamped_reads", result.kernel_stamped_reads}};
}

GatherResult GatherRanks(ClusterContext& context, RecordSink& sink, std::vector<RankTally>& tallies,
                         LoadResult& result) {
  GatherResult gathered = GatherAtRoot(*context.cluster, sink, tallies, kGatherSilenceS);
  context.gathered = true;
  context.lost = !gathered.lost.empty();
  if (!gathered.error.empty()) spdlog::error("cluster: {}", gathered.error);
  if (!gathered.lost.empty()) {
    spdlog::error("cluster: rank(s) {} sent nothing for {} s; writing what the others measured",
                  fmt::join(gathered.lost, ", "), kGatherSilenceS);
  }
  MergeRankResults(gathered.summaries, result);
  return gathered;
}

void MergeRankResults(const std::vector<nlohmann::json>& summaries, LoadResult& result) {
  for (const nlohmann::json& s : summaries) {
    if (!s.is_object()) continue;
    result.recorded += s.value("recorded", size_t{0});
    result.warmup_completed += s.value("warmup_completed", 0);
    result.interrupted = result.interrupted || s.value("interrupted", false);
    result.streams_without_done += s.value("streams_without_done", 0);
    result.events += s.value("events", uint64_t{0});
    result.events_sharing_timestamp += s.value("events_sharing_timestamp", uint64_t{0});
    result.reads += s.value("reads", uint64_t{0});
    result.kernel_stamped_reads += s.value("kernel_stamped_reads", uint64_t{0});
  }
}

void AddClusterReport(const ClusterContext& context, const LoadResult& own, const std::vector<RankTally>& tallies,
                      const GatherResult& gathered, ResultsOptions& options) {
  Cluster& cluster = *context.cluster;
  nlohmann::ordered_json ranks = nlohmann::ordered_json::array();
  int64_t worst_uncertainty = 0;
  for (int r = 0; r < cluster.size(); ++r) {
    const auto i = static_cast<size_t>(r);
    const nlohmann::json summary = r == 0 ? RankSummary(context, own) : gathered.summaries[i];
    const nlohmann::json share = summary.is_object() ? summary.value("share", nlohmann::json()) : nlohmann::json();
    const RankTally tally = i < tallies.size() ? tallies[i] : RankTally{};
    const ClockOffset& clock = context.offsets[i];
    worst_uncertainty = std::max(worst_uncertainty, clock.uncertainty_ns);
    nlohmann::ordered_json rank = {
        {"rank", r},
        {"host", summary.is_object() ? summary.value("host", "") : ""},
        {"share", share},
        {"requests", tally.requests},
        {"errors", tally.errors},
        {"request_throughput", tally.Throughput()},
        {"worker_threads", summary.is_object() ? summary.value("worker_threads", 0) : 0},
        {"clock_offset_ns", clock.offset_ns},
        {"clock_uncertainty_ns", clock.uncertainty_ns},
        {"clock_round_trip_ns", clock.best_round_trip_ns},
        {"lost", std::find(gathered.lost.begin(), gathered.lost.end(), r) != gathered.lost.end()}};
    ranks.push_back(std::move(rank));
  }
  options.client_json["cluster"] = {
      {"ranks", cluster.size()},
      {"clock_alignment", "MPI ping-pong with rank 0, 32 rounds, the shortest round trip's midpoint; uncertainty = half of it"},
      {"max_clock_uncertainty_ns", worst_uncertainty},
      {"per_rank", std::move(ranks)}};
  options.client_rows.emplace_back(
      "Cluster", fmt::format("{} ranks, clocks aligned within {:.1f} us{}", cluster.size(),
                             static_cast<double>(worst_uncertainty) / 1e3,
                             gathered.lost.empty() ? "" : fmt::format(", {} lost", gathered.lost.size())));
}

}  // namespace bench
