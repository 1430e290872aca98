#include "transport/response_read.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include <gtest/gtest.h>

#include "transport/http1_response.h"

namespace bench {
namespace {

// A connected pair: bytes written to `server` are read from `client` (non-blocking).
struct SocketPair {
  int client = -1;
  int server = -1;
  SocketPair() {
    int fds[2];
    EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    client = fds[0];
    server = fds[1];
    fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK);
  }
  ~SocketPair() {
    close(client);
    if (server >= 0) close(server);
  }
  void Send(const std::string& bytes) const { ASSERT_EQ(write(server, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size())); }
};

TEST(ResponseReadTest, ChunkedBodyLandsAfterWhatTheRecordHeld) {
  SocketPair pair;
  Http1ResponseParser parser;
  std::string body = "earlier bytes";
  pair.Send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\ndata: \r\n8\r\n{\"a\":1}\n\r\n");
  ResponseRead read = ReadResponse(pair.client, nullptr, parser, body);
  ASSERT_GT(read.n, 0);
  EXPECT_TRUE(read.parsed);
  EXPECT_EQ(read.kept, 14u);
  EXPECT_EQ(body, "earlier bytesdata: {\"a\":1}\n");
  pair.Send("1\r\n\n\r\n0\r\n\r\n");
  read = ReadResponse(pair.client, nullptr, parser, body);
  EXPECT_EQ(read.kept, 1u);
  EXPECT_EQ(body, "earlier bytesdata: {\"a\":1}\n\n");
  EXPECT_TRUE(parser.done());
}

// The read takes the record's spare capacity (so a recycled record reads a long body in few
// calls), at least kMinRead when it has less (the string then grows), at most kMaxRead.
TEST(ResponseReadTest, RoomIsTheSpareCapacityWithinLimits) {
  SocketPair pair;
  Http1ResponseParser parser;
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 300000\r\n\r\n";
  pair.Send(head + std::string(100'000, 'x'));  // more than the three reads below take

  std::string body;
  body.reserve(20'000);
  const size_t spare = body.capacity();
  ASSERT_LT(spare, kMaxRead);
  ResponseRead read = ReadResponse(pair.client, nullptr, parser, body);
  EXPECT_EQ(read.room, spare);
  EXPECT_EQ(static_cast<size_t>(read.n), read.room);
  EXPECT_EQ(body, std::string(read.room - head.size(), 'x'));

  std::string tight(5000, 'y');
  ASSERT_LT(tight.capacity() - tight.size(), kMinRead);
  read = ReadResponse(pair.client, nullptr, parser, tight);
  EXPECT_EQ(read.room, kMinRead);
  EXPECT_EQ(tight, std::string(5000, 'y') + std::string(kMinRead, 'x'));

  std::string roomy;
  roomy.reserve(10 * kMaxRead);
  read = ReadResponse(pair.client, nullptr, parser, roomy);
  EXPECT_EQ(read.room, kMaxRead);
  EXPECT_EQ(roomy.size(), kMaxRead);
}

TEST(ResponseReadTest, NothingToReadAndEndOfStreamLeaveTheRecordAsItWas) {
  SocketPair pair;
  Http1ResponseParser parser;
  std::string body = "kept";
  ResponseRead read = ReadResponse(pair.client, nullptr, parser, body);
  EXPECT_EQ(read.n, -1);
  EXPECT_EQ(read.error, EAGAIN);
  EXPECT_EQ(body, "kept");
  close(pair.server);
  pair.server = -1;
  read = ReadResponse(pair.client, nullptr, parser, body);
  EXPECT_EQ(read.n, 0);
  EXPECT_EQ(body, "kept");
}

TEST(ResponseReadTest, ProtocolErrorIsReportedNotKept) {
  SocketPair pair;
  Http1ResponseParser parser;
  std::string body;
  pair.Send("SMTP ready\r\n");
  const ResponseRead read = ReadResponse(pair.client, nullptr, parser, body);
  EXPECT_FALSE(read.parsed);
  EXPECT_NE(parser.error().find("bad status line"), std::string::npos) << parser.error();
  EXPECT_TRUE(body.empty());
}

}  // namespace
}  // namespace bench
