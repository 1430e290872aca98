// Servers that close connections, on every path of a request, with both HTTP clients. The
// first cases reproduce llama.cpp's llama-server (cpp-httplib): chunked SSE, "Keep-Alive:
// timeout=5, max=100", and yet its side of the connection shut right after the last chunk,
// the socket left open without reading. A client that sends the next request on such a
// connection waits forever: nothing answers it and no further event comes.

#include <netinet/tcp.h>

#include <atomic>
#include <string>

#include <gtest/gtest.h>

#include "transport/transport.h"
#include "scripted_server.h"

namespace bench {
namespace {

const char kLlamaHead[] =
    "HTTP/1.1 200 OK\r\nServer: llama.cpp\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
    "Keep-Alive: timeout=5, max=100\r\n\r\n";
const char kLlamaBody[] = "9\r\ndata: a\n\n\r\ne\r\ndata: [DONE]\n\n\r\n0\r\n\r\n";

// Holds a half-closed connection open as cpp-httplib does (no RST for what arrives), counting
// the requests the client still sends on it, until the client closes or `hold_ms` pass.
void HoldHalfClosed(int fd, std::atomic<int>& late_requests, int hold_ms = 3000) {
  bool counted = false;
  const int64_t end = MonotonicNowNs() + int64_t{hold_ms} * 1'000'000;
  while (MonotonicNowNs() < end) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 10) <= 0) continue;
    char buf[4096];
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return;
    if (!counted) ++late_requests;
    counted = true;
  }
}

// The last chunk and the FIN in one segment (corked), or the FIN in a later one.
void AnswerThenShut(int fd, bool same_segment) {
  const int one = 1;
  if (same_segment) setsockopt(fd, IPPROTO_TCP, TCP_CORK, &one, sizeof one);
  Write(fd, std::string(kLlamaHead) + kLlamaBody);
  if (!same_segment) Pause();
  shutdown(fd, SHUT_WR);
}

class ConnectionCloseTest : public ::testing::TestWithParam<HttpClient> {};

TEST_P(ConnectionCloseTest, ServerShutAfterTheLastChunkInTheSameSegment) {
  std::atomic<int> late{0};
  ScriptedServer server([&](int fd, const std::string&, int, int) {
    AnswerThenShut(fd, /*same_segment=*/true);
    HoldHalfClosed(fd, late);
    return false;
  });
  Loop loop(server.url(), 0, GetParam());
  for (int i = 0; i < 5; ++i) {
    const RawRecord r = loop.Post("{}", "r" + std::to_string(i), 3000);
    ASSERT_TRUE(r.Succeeded()) << i << ": " << r.transport_message;
    EXPECT_EQ(r.bytes, "data: a\n\ndata: [DONE]\n\n");
  }
  EXPECT_EQ(server.accepted(), 5);
  EXPECT_EQ(late.load(), 0) << "a request was sent on a connection already known to be closed";
}

TEST_P(ConnectionCloseTest, ServerShutAfterTheLastChunkInALaterSegment) {
  std::atomic<int> late{0};
  ScriptedServer server([&](int fd, const std::string&, int, int) {
    AnswerThenShut(fd, /*same_segment=*/false);
    HoldHalfClosed(fd, late);
    return false;
  });
  Loop loop(server.url(), 0, GetParam());
  for (int i = 0; i < 8; ++i) {
    const RawRecord r = loop.Post("{}", "r" + std::to_string(i), 3000);
    ASSERT_TRUE(r.Succeeded()) << i << ": " << r.transport_message;
  }
  EXPECT_EQ(server.accepted(), 8);
  // The close is learnt only by trying a reused connection; once the server has done it three
  // times in a row the clients stop reusing its connections.
  EXPECT_LE(late.load(), 3);
}

TEST_P(ConnectionCloseTest, KeptAliveConnectionsAreStillReused) {
  ScriptedServer server([](int fd, const std::string&, int, int) {
    Write(fd, std::string(kLlamaHead) + kLlamaBody);
    return true;
  });
  Loop loop(server.url(), 0, GetParam());
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(loop.Post().Succeeded());
  EXPECT_EQ(server.accepted(), 1);
}

TEST_P(ConnectionCloseTest, ClosedWhileIdle) {
  // A keep-alive timeout: the server closes the idle connection; the next request still works.
  ScriptedServer server([](int fd, const std::string&, int, int) {
    Write(fd, std::string(kLlamaHead) + kLlamaBody);
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    return false;
  });
  Loop loop(server.url(), 0, GetParam());
  ASSERT_TRUE(loop.Post().Succeeded());
  loop.RunUntilDone(200);  // idle: the loop sees the close
  const RawRecord r = loop.Post();
  EXPECT_TRUE(r.Succeeded()) << r.transport_message;
  EXPECT_EQ(server.accepted(), 2);
}

TEST_P(ConnectionCloseTest, ClosedRightAfterConnecting) {
  std::atomic<int> late{0};
  ScriptedServer server(nullptr, [&](int fd) {
    shutdown(fd, SHUT_WR);
    HoldHalfClosed(fd, late, 1000);
  });
  Loop loop(server.url(), 0, GetParam());
  const RawRecord r = loop.Post("{}", "x", 3000);
  EXPECT_EQ(r.transport_error, ErrorKind::kReset) << r.transport_message;
  EXPECT_FALSE(r.Succeeded());
}

TEST_P(ConnectionCloseTest, ClosedWhileTheRequestIsBeingSent) {
  // A body far larger than the socket buffers; the server reads a little and closes.
  ScriptedServer server(nullptr, [](int fd) {
    char buf[1024];
    (void)recv(fd, buf, sizeof buf, 0);
  });
  Loop loop(server.url(), 0, GetParam());
  const std::string body(32u << 20, 'x');
  const RawRecord r = loop.Post(body, "x", 5000);
  EXPECT_EQ(r.transport_error, ErrorKind::kReset) << r.transport_message;
}

TEST_P(ConnectionCloseTest, ClosedMidResponse) {
  ScriptedServer server([](int fd, const std::string&, int, int) {
    Write(fd, std::string(kLlamaHead) + "9\r\ndata: a\n\n\r\n");
    return false;
  });
  Loop loop(server.url(), 0, GetParam());
  const RawRecord r = loop.Post();
  EXPECT_EQ(r.transport_error, ErrorKind::kReset) << r.transport_message;
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.bytes, "data: a\n\n");
}

INSTANTIATE_TEST_SUITE_P(BothClients, ConnectionCloseTest, ::testing::Values(HttpClient::kNative, HttpClient::kCurl),
                         [](const ::testing::TestParamInfo<HttpClient>& p) {
                           return p.param == HttpClient::kNative ? "Native" : "Curl";
                         });

}  // namespace
}  // namespace bench
