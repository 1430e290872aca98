#include "cluster/split_load.h"

#include <cmath>

#include <fmt/format.h>

namespace bench {

int64_t ShareOf(int64_t total, int index, int size) {
  return total / size + (index < total % size ? 1 : 0);
}

std::string CheckSplittable(const LoadOptions& load, const LoadKind& kind, int size) {
  if (size <= 1) return "";
  if (kind.sessions || load.sessions != nullptr) return "a cluster run does not split multi-turn sessions yet; run them in one process";
  if (kind.trace || !load.fixed_schedule_ms.empty()) return "a cluster run does not split --fixed-schedule traces yet; run them in one process";
  if (kind.windows) return "a cluster run does not split --measurement-interval windows yet; use --request-count or --benchmark-duration";
  if (!load.request_rate && load.concurrency < size) {
    return fmt::format("--concurrency {} is less than the {} ranks: every rank needs at least one request in flight",
                       load.concurrency, size);
  }
  if (!load.duration_s && load.request_count < size) {
    return fmt::format("--request-count {} is less than the {} ranks: every rank needs at least one request",
                       load.request_count, size);
  }
  return "";
}

LoadShare SplitLoad(const LoadOptions& load, int rank, int size) {
  LoadShare share;
  share.load = load;
  if (size <= 1) return share;
  LoadOptions& mine = share.load;
  mine.request_count = static_cast<int>(ShareOf(load.request_count, rank, size));
  mine.warmup_request_count = static_cast<int>(ShareOf(load.warmup_request_count, rank, size));
  // Closed loop: the slots; open loop: the in-flight cap (0 = none stays none; a cap below the
  // rank count leaves each rank at least one, so the cap is then exceeded, never a rank stalled).
  if (!load.request_rate || load.concurrency > 0) {
    mine.concurrency = std::max<int>(1, static_cast<int>(ShareOf(load.concurrency, rank, size)));
  }
  if (load.request_rate) {
    const double rate = *load.request_rate;
    mine.request_rate = rate / size;
    if (load.distribution == ArrivalDistribution::kConstant) {
      share.start_delay_ns = std::llround(static_cast<double>(rank) * 1e9 / rate);
    } else {
      mine.schedule_seed = load.schedule_seed + static_cast<uint64_t>(rank) * 0x9E3779B97F4A7C15ull;
    }
  }
  mine.request_id_prefix = fmt::format("{}r{}-", load.request_id_prefix, rank);
  return share;
}

}  // namespace bench
