#pragma once
// The collective steps of a profile run across MPI ranks (docs/cluster.md), around the
// single-process pipeline: agree that every rank is ready, share rank 0's bodies, align the
// clocks and pick a common start, then each rank's share of the load; after it, rank 0 gathers
// the records and reports the ranks under "cluster" in <stem>_bench.json.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cluster/clock_offset.h"
#include "cluster/cluster.h"
#include "cluster/record_gather.h"
#include "cluster/split_load.h"
#include "load/load_engine.h"
#include "report/results.h"
#include "util/clock.h"

namespace bench {

/// How long a collective step before the load may wait for the slowest rank (rank 0 may be
/// building a large dataset or downloading a tokenizer meanwhile).
inline constexpr double kSetupTimeoutS = 600;
/// Rank 0 gives up on ranks that send nothing for this long after its own load.
inline constexpr double kGatherSilenceS = 300;

/// One rank's view of a cluster run once the clocks are aligned.
struct ClusterContext {
  Cluster* cluster = nullptr;
  std::vector<ClockOffset> offsets;  // by rank: its monotonic clock minus rank 0's
  LoadShare share;                   // this rank's load
  int64_t root_wall_ns = 0;          // rank 0's epoch anchor
  int64_t root_mono_ns = 0;
  int64_t start_root_mono_ns = 0;    // the common start on rank 0's clock
  bool gathered = false;             // rank 0 took the other ranks' records (they are not waiting)
  bool lost = false;                 // a rank's records never came

  bool root() const { return cluster == nullptr || cluster->rank() == 0; }
  /// Epoch ns on rank 0's timeline from this rank's monotonic clock.
  EpochAnchor Anchor() const;
  /// Sleeps until the common start (plus this rank's phase shift) on this rank's clock.
  void WaitForStart() const;
};

/// Every rank's setup exit code gathered: the first failing rank's code (each rank logged its
/// own reason; rank 0 names the ranks), 0 when all are ready, or an error code on a timeout.
int AgreeOnSetup(Cluster& cluster, int code);

/// Rank 0's bodies on every rank; false on an error or timeout.
bool ShareBodies(Cluster& cluster, std::vector<std::string>& bodies);

/// Clock offsets, rank 0's anchor and the common start, and this rank's share of `load`.
bool SynchroniseRanks(Cluster& cluster, const LoadOptions& load, ClusterContext& context);

/// A rank's summary for rank 0 (what its LoadResult says, and its share).
nlohmann::json RankSummary(const ClusterContext& context, const LoadResult& result);

/// Rank 0, after its own load: every other rank's records into `sink` (GatherAtRoot, logged
/// when a rank was lost or sent unreadable records), their counters added to `result`.
GatherResult GatherRanks(ClusterContext& context, RecordSink& sink, std::vector<RankTally>& tallies,
                         LoadResult& result);

/// Rank 0: the other ranks' counters added to its own LoadResult (requests, warm-up, streams
/// without [DONE], events; interrupted if any was).
void MergeRankResults(const std::vector<nlohmann::json>& summaries, LoadResult& result);

/// Rank 0: "bench.cluster" (ranks, per-rank share, requests, throughput, clock offset and
/// uncertainty) and a row under the table.
void AddClusterReport(const ClusterContext& context, const LoadResult& own, const std::vector<RankTally>& tallies,
                      const GatherResult& gathered, ResultsOptions& options);

}  // namespace bench
