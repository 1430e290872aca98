#pragma once
// Clock alignment between two processes from ping-pong exchanges, NTP-style: each exchange gives
// the local send time t0, the remote clock's reading t1 when it answered, and the local receive
// time t2. If the remote read its clock anywhere within [t0, t2], its offset lies within
// t1 - (t0 + t2) / 2 ± (t2 - t0) / 2; the exchange with the smallest round trip bounds it best
// (queueing and scheduling delays only ever lengthen a round trip). Pure, so tests feed samples.

#include <cstdint>
#include <vector>

namespace bench {

/// One ping-pong: local monotonic ns at send and receive, the remote's monotonic ns in between.
struct PingSample {
  int64_t local_send_ns = 0;
  int64_t remote_ns = 0;
  int64_t local_receive_ns = 0;
};

/// remote clock - local clock at the same instant, and the bound on its error.
struct ClockOffset {
  int64_t offset_ns = 0;
  int64_t uncertainty_ns = 0;  // half the best round trip
  int64_t best_round_trip_ns = 0;
  int samples = 0;
};

/// The min-round-trip estimate over `samples` (offset 0, uncertainty 0 when there are none).
ClockOffset EstimateOffset(const std::vector<PingSample>& samples);

}  // namespace bench
