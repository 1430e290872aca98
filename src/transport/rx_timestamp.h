#pragma once
// Arrival times from the kernel: software receive timestamps on a TCP socket (SO_TIMESTAMPNS),
// read with recvmsg, so a read's time is when its bytes reached the socket rather than when the
// event loop got round to reading them.
//
// What one stamp means: Linux's tcp_recvmsg copies from one or more queued segments (skbs) per
// call and reports the stamp of the *last* segment it copied from (a segment that was merged
// into another in the receive queue hands its later stamp on). So a read that holds several
// events carries the arrival time of the last of them; the earlier ones share it (counted as
// "Events Sharing A Timestamp"). The stamp is taken when the packet enters the network stack
// (netif_receive_skb / loopback's netif_rx), before TCP processing and the socket wake-up.
//
// Clocks: the kernel stamps with CLOCK_REALTIME; every interval in bench is monotonic. Each stamp
// is converted with a (monotonic, realtime) pair read together right after the recvmsg, so
// NTP slewing or a step between reads cannot leak in; only a step between the packet's arrival
// and the read (microseconds to milliseconds) could, and a converted stamp that is later than
// the read itself or earlier than `floor` (the send, or the previous read) is refused: the read
// then keeps the loop's time and is counted as a read without a kernel stamp.

#include <sys/types.h>

#include <cstddef>
#include <cstdint>

namespace bench {

/// Asks the kernel to stamp the socket's received data (SO_TIMESTAMPNS); false when it refuses.
bool EnableRxTimestamps(int fd);

/// Linux stamps incoming packets only while some socket on the machine wants stamps, and turns
/// that on (and off, after the last such socket closes) from a work queue, a little later: the
/// first packets after the first connection of an idle machine can come unstamped, and so can
/// packets after every connection was closed. Holding one stamped UDP socket for the life of a
/// transport keeps the switch on throughout the run (one descriptor). Reads that still come
/// unstamped keep the loop's time and are counted.
class RxTimestampSwitch {
 public:
  RxTimestampSwitch();
  ~RxTimestampSwitch();
  RxTimestampSwitch(const RxTimestampSwitch&) = delete;
  RxTimestampSwitch& operator=(const RxTimestampSwitch&) = delete;

 private:
  int fd_ = -1;
};

/// One recvmsg into `buffer`: its result as recv's, and in `*kernel_realtime_ns` the kernel's
/// CLOCK_REALTIME stamp of the data (0 when the kernel gave none).
ssize_t RecvStamped(int fd, char* buffer, size_t size, int64_t* kernel_realtime_ns);

/// The monotonic and realtime clocks read at (nearly) the same instant.
struct ClockPair {
  int64_t mono_ns = 0;
  int64_t realtime_ns = 0;
};

/// Reads realtime, monotonic, realtime and keeps the monotonic reading with the realtime
/// midpoint; when the thread was preempted in between (the two realtime readings more than
/// 20 µs apart) it reads again, up to three times, keeping the tightest bracket. An unbracketed
/// pair would shift every stamp converted with it by the preemption (milliseconds on a busy core).
ClockPair ReadClockPair();

/// How far a converted stamp may fall outside its bounds and still be taken (as the bound): the
/// clock pair's own uncertainty (a bracket of at most 20 µs) with a margin.
constexpr int64_t kConversionSlackNs = 50'000;

/// The monotonic time of kernel stamp `kernel_realtime_ns`, given a (monotonic, realtime) pair
/// read together after the read, or -1 when there is no stamp or it falls outside
/// [`floor_mono_ns`, `now_mono_ns`] by more than kConversionSlackNs (a clock step between
/// arrival and read); within the slack it is clamped to the bound.
int64_t KernelStampToMonotonic(int64_t kernel_realtime_ns, int64_t now_mono_ns, int64_t now_realtime_ns,
                               int64_t floor_mono_ns);

/// A read's time on the monotonic timeline: its kernel stamp (0: none) converted with a clock
/// pair read now, or the loop's time now when there is no stamp or KernelStampToMonotonic
/// refuses it.
struct ReadTime {
  int64_t mono_ns = 0;
  bool kernel_stamped = false;
};
ReadTime ReadTimeOf(int64_t kernel_realtime_ns, int64_t floor_mono_ns);

}  // namespace bench
