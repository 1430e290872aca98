#pragma once
// One run's load divided among the ranks of a cluster run (docs/cluster.md): pure arithmetic, so
// tests check that the shares add up to the requested load exactly.

#include <cstdint>
#include <string>

#include "load/load_engine.h"

namespace bench {

/// One rank's part of a run: its load options and how long after the common start it begins.
struct LoadShare {
  LoadOptions load;
  int64_t start_delay_ns = 0;  // constant request rate: rank r starts r/rate after the others
};

/// What a run has besides its LoadOptions (known before the dataset is built).
struct LoadKind {
  bool sessions = false;  // multi-turn sessions
  bool trace = false;     // --fixed-schedule
  bool windows = false;   // --measurement-interval
};

/// Why `load` cannot be split over `size` ranks (a one-line message), or "" when it can:
/// sessions, trace replay and time windows are not split yet; every rank needs at least one
/// request (and, closed loop, one slot of concurrency).
std::string CheckSplittable(const LoadOptions& load, const LoadKind& kind, int size);

/// Rank `rank`'s share of `load` over `size` ranks. Counts (measured and warm-up requests) and
/// the concurrency (or the open loop's in-flight cap) are divided with the remainder going to
/// the lowest ranks, so the shares sum to the total. A request rate becomes rate/size per rank:
/// constant schedules are phase-shifted by rank/rate, so their union is the requested schedule
/// (offsets k/rate for k = 0, 1, 2...); Poisson schedules get a seed per rank, and the union of
/// independent Poisson processes of rate/size is a Poisson process of the requested rate (the
/// same distribution, not the same sample as one process with that seed). A duration is kept.
/// Request ids get a per-rank prefix ("<prefix>r<rank>-").
LoadShare SplitLoad(const LoadOptions& load, int rank, int size);

/// `total` divided over `size` parts, the remainder to the lowest: part `index`.
int64_t ShareOf(int64_t total, int index, int size);

}  // namespace bench
