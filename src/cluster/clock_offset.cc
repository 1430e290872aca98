#include "cluster/clock_offset.h"

namespace bench {

ClockOffset EstimateOffset(const std::vector<PingSample>& samples) {
  ClockOffset best;
  bool found = false;
  for (const PingSample& s : samples) {
    const int64_t rtt = s.local_receive_ns - s.local_send_ns;
    if (rtt < 0) continue;  // not a monotonic pair: ignore rather than trust it
    if (!found || rtt < best.best_round_trip_ns) {
      found = true;
      best.best_round_trip_ns = rtt;
      // (t0 + t2) / 2 without overflow at large monotonic readings.
      best.offset_ns = s.remote_ns - (s.local_send_ns + rtt / 2);
      best.uncertainty_ns = (rtt + 1) / 2;
    }
  }
  best.samples = static_cast<int>(samples.size());
  return best;
}

}  // namespace bench
