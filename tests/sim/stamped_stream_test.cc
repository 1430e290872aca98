#include "sim/stamped_stream.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "util/clock.h"

namespace bench {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// A connected loopback pair: `server` accepted from `client`.
struct Pair {
  asio::io_context io;
  tcp::socket client{io};
  tcp::socket server{io};
  Pair() {
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    client.connect(acceptor.local_endpoint());
    acceptor.accept(server);
    server.non_blocking(true);
  }
};

// Reads one byte written `wait` before the read; true when its arrival came from the kernel
// (earlier than the read started).
bool ArrivalPrecedesRead(Pair& p, StampedStream& reader, std::chrono::milliseconds wait) {
  asio::write(p.client, asio::buffer(std::string("x")));
  std::this_thread::sleep_for(wait);
  char byte = 0;
  reader.async_read_some(asio::buffer(&byte, 1), [](boost::system::error_code, size_t) {});
  const int64_t read_start = MonotonicNowNs();
  p.io.restart();
  p.io.run();
  return reader.last_arrival_ns() < read_start;
}

// The arrival is the kernel's stamp of the bytes, not the time of the read: a read that starts
// 50 ms after the write still reports the write's moment.
TEST(StampedStreamTest, ReportsWhenTheBytesArrivedNotWhenTheyWereRead) {
  Pair p;
  StampedStream reader(p.server);
  ASSERT_TRUE(reader.stamped());
  // The kernel stamps packets only once the first socket of the machine that asked for stamps
  // has switched them on, which it does later, from a work queue: until then a read gets no
  // stamp and reports its own time. Wait for that before measuring (up to 2 s).
  bool primed = false;
  for (int i = 0; i < 200 && !primed; ++i) primed = ArrivalPrecedesRead(p, reader, std::chrono::milliseconds(10));
  ASSERT_TRUE(primed) << "the kernel never stamped a packet";
  const int64_t before_write = MonotonicNowNs();
  asio::write(p.client, asio::buffer(std::string("hello")));
  const int64_t after_write = MonotonicNowNs();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));

  char buffer[16];
  size_t got = 0;
  boost::system::error_code result = asio::error::would_block;
  reader.async_read_some(asio::buffer(buffer), [&](boost::system::error_code ec, size_t n) {
    result = ec;
    got = n;
  });
  const int64_t read_start = MonotonicNowNs();
  p.io.restart();
  p.io.run();
  EXPECT_FALSE(result) << result.message();
  EXPECT_EQ(std::string(buffer, got), "hello");
  EXPECT_GE(reader.last_arrival_ns(), before_write - kConversionSlackNs);
  EXPECT_LE(reader.last_arrival_ns(), after_write + kConversionSlackNs);
  EXPECT_LT(reader.last_arrival_ns(), read_start);
}

// A read that waits for its bytes completes when they come; the peer's close is end of file.
TEST(StampedStreamTest, WaitsForDataAndReportsEndOfFile) {
  Pair p;
  StampedStream reader(p.server);
  char buffer[16];
  std::string got;
  boost::system::error_code last;
  std::function<void()> read = [&] {
    reader.async_read_some(asio::buffer(buffer), [&](boost::system::error_code ec, size_t n) {
      last = ec;
      got.append(buffer, n);
      if (!ec) read();
    });
  };
  read();
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    asio::write(p.client, asio::buffer(std::string("abc")));
    p.client.shutdown(tcp::socket::shutdown_send);
  });
  p.io.run();
  writer.join();
  EXPECT_EQ(got, "abc");
  EXPECT_EQ(last, asio::error::eof);
  EXPECT_GT(reader.last_arrival_ns(), 0);
}

// Cancelling the socket ends a pending read with operation_aborted (the simulator's watch read).
TEST(StampedStreamTest, CancelEndsAPendingRead) {
  Pair p;
  StampedStream reader(p.server);
  char buffer[16];
  boost::system::error_code result;
  reader.async_read_some(asio::buffer(buffer), [&](boost::system::error_code ec, size_t) { result = ec; });
  asio::post(p.io, [&] { p.server.cancel(); });
  p.io.run();
  EXPECT_EQ(result, asio::error::operation_aborted);
  EXPECT_EQ(reader.last_arrival_ns(), 0);
}

}  // namespace
}  // namespace bench
