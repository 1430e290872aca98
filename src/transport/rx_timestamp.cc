#include "transport/rx_timestamp.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <cstring>

#include "util/clock.h"

namespace bench {

bool EnableRxTimestamps(int fd) {
  const int one = 1;
  return setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one) == 0;
}

RxTimestampSwitch::RxTimestampSwitch() : fd_(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
  if (fd_ >= 0) EnableRxTimestamps(fd_);
}

RxTimestampSwitch::~RxTimestampSwitch() {
  if (fd_ >= 0) close(fd_);
}

ssize_t RecvStamped(int fd, char* buffer, size_t size, int64_t* kernel_realtime_ns) {
  iovec part{buffer, size};
  // Room for one SCM_TIMESTAMPNS and slack for anything else the kernel adds.
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec)) * 2];
  msghdr message{};
  message.msg_iov = &part;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof control;
  *kernel_realtime_ns = 0;
  const ssize_t n = recvmsg(fd, &message, 0);
  if (n <= 0) return n;
  for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
      timespec ts;
      std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
      *kernel_realtime_ns = int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
    }
  }
  return n;
}

namespace {
int64_t Now(clockid_t clock) {
  timespec ts;
  clock_gettime(clock, &ts);
  return int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}
}  // namespace

ClockPair ReadClockPair() {
  constexpr int64_t kTightNs = 20'000;
  ClockPair best;
  int64_t best_width = -1;
  for (int attempt = 0; attempt < 3; ++attempt) {
    const int64_t before = Now(CLOCK_REALTIME);
    const int64_t mono = Now(CLOCK_MONOTONIC);
    const int64_t after = Now(CLOCK_REALTIME);
    const int64_t width = after - before;
    if (best_width < 0 || (width >= 0 && width < best_width)) {
      best = {mono, before + width / 2};
      best_width = width;
    }
    if (width >= 0 && width <= kTightNs) break;
  }
  return best;
}

int64_t KernelStampToMonotonic(int64_t kernel_realtime_ns, int64_t now_mono_ns, int64_t now_realtime_ns,
                               int64_t floor_mono_ns) {
  if (kernel_realtime_ns <= 0) return -1;
  const int64_t mono = now_mono_ns - (now_realtime_ns - kernel_realtime_ns);
  // Within the conversion's own uncertainty, a stamp just past a bound is that bound: the same
  // stamp converted twice (TLS: several SSL_reads fed by one socket read), or two packets that
  // arrived microseconds apart, must not look reordered.
  if (mono > now_mono_ns) return mono - now_mono_ns <= kConversionSlackNs ? now_mono_ns : -1;
  if (mono < floor_mono_ns) return floor_mono_ns - mono <= kConversionSlackNs ? floor_mono_ns : -1;
  return mono;
}

ReadTime ReadTimeOf(int64_t kernel_realtime_ns, int64_t floor_mono_ns) {
  const ClockPair clocks = kernel_realtime_ns != 0 ? ReadClockPair() : ClockPair{MonotonicNowNs(), 0};
  const int64_t arrived = KernelStampToMonotonic(kernel_realtime_ns, clocks.mono_ns, clocks.realtime_ns, floor_mono_ns);
  return arrived >= 0 ? ReadTime{arrived, true} : ReadTime{clocks.mono_ns, false};
}

}  // namespace bench
