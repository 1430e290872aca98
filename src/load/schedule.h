#pragma once
// Open-loop arrival schedules: when each request is meant to be sent, as offsets from the start
// of a phase. Pure arithmetic, so tests check it without a clock.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bench {

enum class ArrivalDistribution {
  kConstant,  // evenly spaced, 1/rate apart (perf_analyzer's default)
  kPoisson,   // exponential gaps with mean 1/rate, from a seeded generator
};

/// "constant" / "poisson" -> distribution; nullopt for anything else.
std::optional<ArrivalDistribution> ParseArrivalDistribution(const std::string& name);
/// The name ParseArrivalDistribution takes.
const char* ArrivalDistributionName(ArrivalDistribution distribution);

/// Intended send offsets (ns from the phase start) of `count` requests at `rate` requests/s.
/// Offsets are computed from the index (constant) or a running sum in double precision
/// (Poisson), so long schedules do not drift; the same seed gives the same schedule.
/// `burstiness` (Poisson only; vLLM's --burstiness) makes the gaps gamma-distributed with shape
/// `burstiness` and the same mean 1/rate: below 1 burstier, above 1 more even, 1 = exponential.
std::vector<int64_t> ArrivalOffsets(int count, double rate, ArrivalDistribution distribution,
                                    uint64_t seed, double burstiness = 1.0);

/// The same schedule cut at a deadline: every offset < `duration_ns` (--benchmark-duration).
/// The first n offsets equal ArrivalOffsets(n, ...) for the same seed.
std::vector<int64_t> ArrivalOffsetsWithin(int64_t duration_ns, double rate, ArrivalDistribution distribution,
                                          uint64_t seed, double burstiness = 1.0);

/// Trace replay: offsets (ns from the phase start) of timestamps in ms, divided by `speedup`,
/// relative to the first one. Computed from each timestamp, so replays do not drift.
std::vector<int64_t> FixedScheduleOffsets(const std::vector<int64_t>& timestamps_ms, double speedup);

}  // namespace bench
