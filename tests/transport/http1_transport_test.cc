#include "transport/http1_transport.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "util/clock.h"
#include "scripted_server.h"

namespace bench {
namespace {

TEST(ParseHttpTargetTest, SplitsTheUrl) {
  HttpTarget t;
  std::string error;
  ASSERT_TRUE(ParseHttpTarget("http://127.0.0.1:8000/v1/chat/completions?x=1#frag", t, error)) << error;
  EXPECT_EQ(t.host, "127.0.0.1");
  EXPECT_EQ(t.port, "8000");
  EXPECT_EQ(t.authority, "127.0.0.1:8000");
  EXPECT_EQ(t.path, "/v1/chat/completions?x=1");
  ASSERT_TRUE(ParseHttpTarget("http://[::1]:9/", t, error));
  EXPECT_EQ(t.host, "::1");
  EXPECT_EQ(t.port, "9");
  ASSERT_TRUE(ParseHttpTarget("HTTP://example.com", t, error));
  EXPECT_EQ(t.port, "80");
  EXPECT_EQ(t.path, "/");
  EXPECT_EQ(t.authority, "example.com");
  ASSERT_TRUE(ParseHttpTarget("https://example.com/v1", t, error)) << error;
  EXPECT_TRUE(t.tls);
  EXPECT_EQ(t.port, "443");
  EXPECT_EQ(t.authority, "example.com");
  EXPECT_EQ(t.path, "/v1");
  for (const char* bad : {"ftp://h/x", "https://u:p@h/x", "http://u:p@h/x", "http://h:port/x", "http://[::1/x", "http:///x"}) {
    EXPECT_FALSE(ParseHttpTarget(bad, t, error)) << bad;
  }
}

TEST(RequestHeadPrefixTest, DefaultsSuppressionAndOverrides) {
  HttpTarget t;
  std::string error;
  ASSERT_TRUE(ParseHttpTarget("http://h:1/v1/completions", t, error));
  EXPECT_EQ(RequestHeadPrefix(t, {"Content-Type: application/json", "Expect:"}),
            "POST /v1/completions HTTP/1.1\r\nHost: h:1\r\nAccept: */*\r\nContent-Type: application/json\r\n");
  EXPECT_EQ(RequestHeadPrefix(t, {"host: other", "Content-Length: 5", "Authorization: Bearer k"}),
            "POST /v1/completions HTTP/1.1\r\nAccept: */*\r\nhost: other\r\nAuthorization: Bearer k\r\n");
}

const char kChunkedHead[] = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

TEST(Http1TransportTest, WritesTheRequestAndRecordsEachReadDechunked) {
  ScriptedServer server([](int fd, const std::string&, int, int) {
    Write(fd, kChunkedHead);
    Pause();
    Write(fd, "9\r\ndata: a\n\n\r\n");
    Pause();
    Write(fd, "9\r\ndata: b\n\n\r\n0\r\n\r\n");
    return true;
  });
  Loop loop(server.url());
  const RawRecord r = loop.Post(R"({"stream":true})", "bench-7");
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.transport_error, ErrorKind::kNone) << r.transport_message;
  EXPECT_TRUE(r.Succeeded());
  EXPECT_EQ(r.bytes, "data: a\n\ndata: b\n\n");
  ASSERT_EQ(r.read_end.size(), 2u) << "each paused write is its own read";
  EXPECT_EQ(r.Read(0), "data: a\n\n");
  EXPECT_GE(r.read_mono_ns[1] - r.read_mono_ns[0], 10'000'000);
  EXPECT_GT(r.send_mono_ns, 0);
  EXPECT_LE(r.send_mono_ns, r.read_mono_ns[0]);
  const std::vector<std::string> requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const std::string& q = requests[0];
  EXPECT_EQ(q.rfind("POST /v1/chat/completions HTTP/1.1\r\n", 0), 0u) << q;
  EXPECT_NE(q.find("\r\nX-Request-Id: bench-7\r\n"), std::string::npos) << q;
  EXPECT_NE(q.find("\r\nContent-Length: 15\r\n\r\n{\"stream\":true}"), std::string::npos) << q;
  EXPECT_EQ(q.find("Expect"), std::string::npos) << q;
}

TEST(Http1TransportTest, KeepsTheConnectionAlive) {
  ScriptedServer server([](int fd, const std::string&, int, int request) {
    Write(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n" + std::to_string(10 + request));
    return true;
  });
  Loop loop(server.url());
  EXPECT_EQ(loop.Post().bytes, "10");
  EXPECT_EQ(loop.Post().bytes, "11");
  EXPECT_EQ(loop.Post().bytes, "12");
  EXPECT_EQ(server.accepted(), 1);
}

TEST(Http1TransportTest, RetriesOnceWhenAKeptAliveConnectionWasClosed) {
  // The server closes after every response without saying so (a keep-alive timeout).
  ScriptedServer server([](int fd, const std::string&, int, int) {
    Write(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    return false;
  });
  Loop loop(server.url());
  EXPECT_TRUE(loop.Post().Succeeded());
  Pause();  // the close may or may not have been seen before the next send: both must work
  const RawRecord second = loop.Post();
  EXPECT_TRUE(second.Succeeded()) << second.transport_message;
  EXPECT_EQ(server.accepted(), 2);
}

TEST(Http1TransportTest, ConnectionCloseIsHonoured) {
  ScriptedServer server([](int fd, const std::string&, int, int) {
    Write(fd, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
    return true;  // would keep reading: the client must be the one to close
  });
  Loop loop(server.url());
  EXPECT_TRUE(loop.Post().Succeeded());
  EXPECT_TRUE(loop.Post().Succeeded());
  EXPECT_EQ(server.accepted(), 2);
}

TEST(Http1TransportTest, RefusedConnectionIsConnectWithoutStatus) {
  int port = 0;
  {
    ScriptedServer gone([](int, const std::string&, int, int) { return false; });
    port = std::stoi(gone.url().substr(17));
  }
  Loop loop("http://127.0.0.1:" + std::to_string(port) + "/v1/completions");
  const RawRecord r = loop.Post();
  EXPECT_EQ(r.transport_error, ErrorKind::kConnect);
  EXPECT_EQ(r.http_status, 0);
  EXPECT_NE(r.transport_message.find("Failed to connect"), std::string::npos) << r.transport_message;
}

TEST(Http1TransportTest, UnresolvableHostIsConnect) {
  Loop loop("http://no-such-host.invalid:8000/v1/completions");
  const RawRecord r = loop.Post();
  EXPECT_EQ(r.transport_error, ErrorKind::kConnect);
  EXPECT_NE(r.transport_message.find("resolve"), std::string::npos) << r.transport_message;
}

TEST(Http1TransportTest, CloseMidBodyIsResetAndKeepsWhatArrived) {
  ScriptedServer server([](int fd, const std::string&, int, int) {
    Write(fd, std::string(kChunkedHead) + "9\r\ndata: a\n\n\r\n");
    return false;
  });
  Loop loop(server.url());
  const RawRecord r = loop.Post();
  EXPECT_EQ(r.transport_error, ErrorKind::kReset);
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.bytes, "data: a\n\n");
  EXPECT_FALSE(r.Succeeded());
}

TEST(Http1TransportTest, EmptyReplyOnAFreshConnectionIsReset) {
  ScriptedServer server([](int, const std::string&, int, int) { return false; });
  Loop loop(server.url());
  const RawRecord r = loop.Post();
  EXPECT_EQ(r.transport_error, ErrorKind::kReset);
  EXPECT_NE(r.transport_message.find("Empty reply"), std::string::npos) << r.transport_message;
}

TEST(Http1TransportTest, MalformedResponseIsOther) {
  ScriptedServer server([](int fd, const std::string&, int, int) {
    Write(fd, "HTTP/1.1 200 OK\r\nContent-Length: nope\r\n\r\n");
    return true;
  });
  Loop loop(server.url());
  const RawRecord r = loop.Post();
  EXPECT_EQ(r.transport_error, ErrorKind::kOther);
  EXPECT_NE(r.transport_message.find("Content-Length"), std::string::npos) << r.transport_message;
}

TEST(Http1TransportTest, SilentServerTimesOut) {
  ScriptedServer server([](int fd, const std::string&, int, int) {
    Write(fd, kChunkedHead);
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    return false;
  });
  Loop loop(server.url(), /*timeout_s=*/0.15);
  const RawRecord r = loop.Post();
  EXPECT_EQ(r.transport_error, ErrorKind::kTimeout);
  EXPECT_EQ(r.http_status, 200);
  EXPECT_NE(r.transport_message.find("timed out after 150 milliseconds"), std::string::npos) << r.transport_message;
}

TEST(Http1TransportTest, AbortedTransferIsNeverReported) {
  ScriptedServer server([](int fd, const std::string&, int, int) {
    Write(fd, kChunkedHead);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return false;
  });
  Loop loop(server.url());
  RawRecord r;
  r.request_id = "x";
  loop.transport().Start(0, r, "{}");
  EXPECT_EQ(loop.RunUntilDone(100), -1);
  loop.transport().Abort(0);
  EXPECT_EQ(loop.RunUntilDone(400), -1);
  // The slot is reusable afterwards, on a new connection.
  RawRecord again;
  again.request_id = "y";
  loop.transport().Start(0, again, "{}");
  EXPECT_EQ(loop.RunUntilDone(), 0);
  EXPECT_EQ(server.accepted(), 2);
}

TEST(Http1TransportTest, ManyTransfersShareAFewConnections) {
  ScriptedServer server([](int fd, const std::string& request, int, int) {
    const size_t at = request.find("X-Request-Id: ");
    const std::string id = request.substr(at + 14, request.find("\r\n", at) - at - 14);
    Write(fd, "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(id.size()) + "\r\n\r\n" + id);
    return true;
  });
  Loop loop(server.url());
  std::vector<RawRecord> records(4);
  for (int round = 0; round < 3; ++round) {
    for (size_t i = 0; i < records.size(); ++i) {
      records[i].Clear();
      records[i].request_id = "r" + std::to_string(round) + "-" + std::to_string(i);
      loop.transport().Start(i, records[i], "{}");
    }
    for (size_t left = records.size(); left > 0; --left) ASSERT_GE(loop.RunUntilDone(), 0);
    for (size_t i = 0; i < records.size(); ++i) EXPECT_EQ(records[i].bytes, records[i].request_id);
  }
  EXPECT_LE(server.accepted(), 4);  // never more connections than transfers in flight
}

}  // namespace
}  // namespace bench
