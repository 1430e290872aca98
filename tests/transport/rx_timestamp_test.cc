#include "transport/rx_timestamp.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "util/clock.h"
#include "scripted_server.h"

namespace bench {
namespace {

TEST(KernelStampToMonotonicTest, ShiftsByThePairReadTogether) {
  // Realtime runs 1,000,000 ns ahead of monotonic; the packet arrived 300 ns before the read.
  EXPECT_EQ(KernelStampToMonotonic(1'000'700, 1'000, 1'001'000, 0), 700);
  EXPECT_EQ(KernelStampToMonotonic(1'001'000, 1'000, 1'001'000, 0), 1'000) << "arrived at the read itself";
}

TEST(KernelStampToMonotonicTest, RefusesMissingAndImplausibleStamps) {
  const int64_t now = 10'000'000, real = 1'000'000'000'000;  // realtime = monotonic + 999,990,000,000
  const int64_t offset = real - now;
  EXPECT_EQ(KernelStampToMonotonic(0, now, real, 0), -1) << "no stamp";
  EXPECT_EQ(KernelStampToMonotonic(now + offset + kConversionSlackNs + 1, now, real, 0), -1)
      << "after the read: the clock stepped back";
  EXPECT_EQ(KernelStampToMonotonic(5'000'000 + offset, now, real, 5'000'000 + kConversionSlackNs + 1), -1)
      << "before the send or the previous read";
  EXPECT_EQ(KernelStampToMonotonic(5'000'000 + offset, now, real, 5'000'000), 5'000'000);
}

TEST(KernelStampToMonotonicTest, ClampsWithinTheConversionsUncertainty) {
  const int64_t now = 10'000'000, real = 1'000'000'000'000;
  const int64_t offset = real - now;
  EXPECT_EQ(KernelStampToMonotonic(now + offset + 3'000, now, real, 0), now) << "microseconds after the read";
  EXPECT_EQ(KernelStampToMonotonic(5'000'000 + offset, now, real, 5'004'000), 5'004'000)
      << "the same stamp converted with a later pair, just below the previous read";
}

// A connected loopback TCP pair: the client end stamps what it receives.
struct TcpPair {
  TcpPair() {
    const int listener = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t n = sizeof a;
    EXPECT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(listen(listener, 1), 0);
    getsockname(listener, reinterpret_cast<sockaddr*>(&a), &n);
    client = socket(AF_INET, SOCK_STREAM, 0);
    EXPECT_TRUE(EnableRxTimestamps(client));
    EXPECT_EQ(connect(client, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    server = accept(listener, nullptr, nullptr);
    close(listener);
    const int one = 1;
    setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~TcpPair() {
    close(client);
    close(server);
  }
  int client = -1;
  int server = -1;
};

// Waits until `fd` holds at least `bytes` unread bytes (or gives up after 5 s).
void WaitForBytes(int fd, size_t bytes) {
  for (int i = 0; i < 500; ++i) {
    char probe[64];
    if (recv(fd, probe, sizeof probe, MSG_PEEK | MSG_DONTWAIT) >= static_cast<ssize_t>(bytes)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

TEST(ClockPairTest, IsOnTheMonotonicClockOfTheRun) {
  const int64_t before = MonotonicNowNs();
  const ClockPair pair = ReadClockPair();
  const int64_t after = MonotonicNowNs();
  EXPECT_GE(pair.mono_ns, before);
  EXPECT_LE(pair.mono_ns, after);
  EXPECT_GT(pair.realtime_ns, 1'600'000'000'000'000'000) << "epoch ns, after 2020";
}

TEST(ReadTimeOfTest, TakesAPlausibleStampAndOtherwiseTheLoopsTime) {
  const int64_t before = MonotonicNowNs();
  const ReadTime none = ReadTimeOf(0, before);
  EXPECT_FALSE(none.kernel_stamped);
  EXPECT_GE(none.mono_ns, before);
  const ClockPair pair = ReadClockPair();
  // Arrived 2 ms before now, after a send 5 ms ago: taken, about 2 ms back.
  const ReadTime stamped = ReadTimeOf(pair.realtime_ns - 2'000'000, pair.mono_ns - 5'000'000);
  EXPECT_TRUE(stamped.kernel_stamped);
  EXPECT_NEAR(static_cast<double>(stamped.mono_ns), static_cast<double>(pair.mono_ns - 2'000'000), 1e6);
  // "Arrived" before the request was sent: a clock step, refused.
  const ReadTime early = ReadTimeOf(pair.realtime_ns - 9'000'000, pair.mono_ns - 5'000'000);
  EXPECT_FALSE(early.kernel_stamped);
  EXPECT_GE(early.mono_ns, pair.mono_ns);
}

TEST(RxTimestampTest, OneReadOfTwoSegmentsCarriesTheLastOnesArrival) {
  const KernelStampsOn on;
  ASSERT_TRUE(on.stamped()) << "the kernel gives no receive stamps here";
  TcpPair pair;
  ASSERT_EQ(send(pair.server, "a", 1, 0), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const int64_t before_second = MonotonicNowNs();
  ASSERT_EQ(send(pair.server, "b", 1, 0), 1);
  WaitForBytes(pair.client, 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the read is well after both arrived
  char buffer[16];
  int64_t kernel_ns = 0;
  ASSERT_EQ(RecvStamped(pair.client, buffer, sizeof buffer, &kernel_ns), 2) << "both segments in one read";
  const ClockPair clocks = ReadClockPair();
  const int64_t now = clocks.mono_ns;
  const int64_t arrived = KernelStampToMonotonic(kernel_ns, now, clocks.realtime_ns, 0);
  ASSERT_GT(arrived, 0) << "the kernel stamped the read";
  EXPECT_GE(arrived, before_second) << "the stamp is the second segment's, not the first's";
  EXPECT_LE(arrived + 20'000'000, now) << "the stamp is the arrival, not the read";
}

TEST(RxTimestampTest, WithoutTheOptionThereIsNoStamp) {
  TcpPair pair;
  const int zero = 0;
  ASSERT_EQ(setsockopt(pair.client, SOL_SOCKET, SO_TIMESTAMPNS, &zero, sizeof zero), 0);
  ASSERT_EQ(send(pair.server, "a", 1, 0), 1);
  WaitForBytes(pair.client, 1);
  char buffer[16];
  int64_t kernel_ns = -5;
  ASSERT_EQ(RecvStamped(pair.client, buffer, sizeof buffer, &kernel_ns), 1);
  EXPECT_EQ(kernel_ns, 0);
}

const char kStampedChunkedHead[] = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

// The native client times a read by its arrival: a response that waited in the socket while
// the loop was away keeps the time it arrived, before the loop came back.
TEST(RxTimestampTest, NativeClientStampsReadsWithTheirArrival) {
  const KernelStampsOn on;
  ASSERT_TRUE(on.stamped()) << "the kernel gives no receive stamps here";
  std::promise<int64_t> written;
  std::future<int64_t> written_at = written.get_future();
  ScriptedServer server([&](int fd, const std::string&, int, int request) {
    if (request == 0) {
      Write(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
      return true;
    }
    const int64_t before = MonotonicNowNs();
    Write(fd, kStampedChunkedHead + std::string("9\r\ndata: a\n\n\r\n0\r\n\r\n"));
    written.set_value(before);
    return true;
  });
  Loop loop(server.url());
  const RawRecord warm = loop.Post("{}", "warm");  // the second request goes out at Start, on this connection
  ASSERT_TRUE(warm.Succeeded()) << warm.transport_message;
  EXPECT_EQ(warm.kernel_stamped_reads, warm.read_end.size());

  RawRecord r;
  r.request_id = "late-loop";
  loop.transport().Start(0, r, "{}");
  ASSERT_EQ(written_at.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  const int64_t server_write = written_at.get();
  std::this_thread::sleep_for(std::chrono::milliseconds(30));  // the loop is away while it arrives
  const int64_t loop_back = MonotonicNowNs();
  ASSERT_EQ(loop.RunUntilDone(), 0);
  ASSERT_TRUE(r.Succeeded()) << r.transport_message;
  ASSERT_EQ(r.read_end.size(), 1u);
  EXPECT_EQ(r.kernel_stamped_reads, 1u);
  EXPECT_GE(r.read_mono_ns[0], server_write);
  EXPECT_GE(r.read_mono_ns[0], r.send_mono_ns);
  EXPECT_LT(r.read_mono_ns[0], loop_back) << "the read's time is its arrival, not the loop's return";
}

// libcurl cannot hand over the kernel's stamps: its reads keep the loop's time and say so.
TEST(RxTimestampTest, LibcurlReadsAreNotKernelStamped) {
  ScriptedServer server([](int fd, const std::string&, int, int) {
    Write(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    return true;
  });
  Loop loop(server.url(), 0, HttpClient::kCurl);
  const RawRecord r = loop.Post();
  ASSERT_TRUE(r.Succeeded()) << r.transport_message;
  EXPECT_GT(r.read_end.size(), 0u);
  EXPECT_EQ(r.kernel_stamped_reads, 0u);
}

}  // namespace
}  // namespace bench
