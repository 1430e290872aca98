#include "transport/http1_response.h"

#include <gtest/gtest.h>

#include <string>

namespace bench {
namespace {

// Feeds `wire` in pieces of `step` bytes; returns the body, or "ERROR: ..." on a parse error.
std::string ParseInPieces(const std::string& wire, size_t step, Http1ResponseParser& p, bool eof = false) {
  std::string body;
  for (size_t at = 0; at < wire.size(); at += step) {
    if (!p.Feed(std::string_view(wire).substr(at, step), body)) return "ERROR: " + p.error();
  }
  if (eof && !p.FeedEof()) return "ERROR: cut off";
  return body;
}

TEST(Http1ResponseTest, FixedLengthBodyInEveryPieceSize) {
  const std::string wire = "HTTP/1.1 200 OK\r\nContent-Length: 11\r\nContent-Type: text/plain\r\n\r\nhello world";
  for (size_t step = 1; step <= wire.size(); ++step) {
    Http1ResponseParser p;
    EXPECT_EQ(ParseInPieces(wire, step, p), "hello world") << "step " << step;
    EXPECT_TRUE(p.done());
    EXPECT_EQ(p.status(), 200);
    EXPECT_TRUE(p.keep_alive());
  }
}

TEST(Http1ResponseTest, ChunkedBodyIsDechunkedInEveryPieceSize) {
  const std::string wire =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "6\r\ndata: \r\n"
      "0C;ext=1\r\n{\"a\":1}\n\nxxx\r\n"
      "0\r\nX-Trailer: t\r\n\r\n";
  for (size_t step = 1; step <= wire.size(); ++step) {
    Http1ResponseParser p;
    EXPECT_EQ(ParseInPieces(wire, step, p), "data: {\"a\":1}\n\nxxx") << "step " << step;
    EXPECT_TRUE(p.done()) << "step " << step;
    EXPECT_TRUE(p.keep_alive());
  }
}

TEST(Http1ResponseTest, BodyWithoutLengthEndsAtClose) {
  Http1ResponseParser p;
  EXPECT_EQ(ParseInPieces("HTTP/1.1 200 OK\r\n\r\nstream until close", 5, p, /*eof=*/true), "stream until close");
  EXPECT_TRUE(p.done());
  EXPECT_FALSE(p.keep_alive());
}

TEST(Http1ResponseTest, CutOffBodiesAreNotDone) {
  for (const std::string wire : {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
                                 "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
                                 "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n",
                                 "HTTP/1.1 200 OK\r\nContent-Le"}) {
    Http1ResponseParser p;
    EXPECT_EQ(ParseInPieces(wire, 4, p, /*eof=*/true), "ERROR: cut off") << wire;
    EXPECT_TRUE(p.started());
    EXPECT_FALSE(p.done());
  }
}

TEST(Http1ResponseTest, EmptyReplyHasNotStarted) {
  Http1ResponseParser p;
  EXPECT_FALSE(p.FeedEof());
  EXPECT_FALSE(p.started());
  EXPECT_EQ(p.status(), 0);
}

TEST(Http1ResponseTest, InterimResponsesAreSkipped) {
  Http1ResponseParser p;
  EXPECT_EQ(ParseInPieces("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: x\r\n\r\n"
                          "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno",
                          7, p),
            "no");
  EXPECT_EQ(p.status(), 404);
  EXPECT_TRUE(p.done());
}

TEST(Http1ResponseTest, NoBodyStatusesAndZeroLength) {
  for (const std::string wire : {"HTTP/1.1 204 No Content\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"}) {
    Http1ResponseParser p;
    EXPECT_EQ(ParseInPieces(wire, 3, p), "");
    EXPECT_TRUE(p.done()) << wire;
  }
}

TEST(Http1ResponseTest, ConnectionHeaderDecidesReuse) {
  Http1ResponseParser close;
  ParseInPieces("HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n", 100, close);
  EXPECT_FALSE(close.keep_alive());
  Http1ResponseParser http10;
  ParseInPieces("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", 100, http10);
  EXPECT_FALSE(http10.keep_alive());
  Http1ResponseParser http10_kept;
  ParseInPieces("HTTP/1.0 200 OK\r\nconnection: keep-alive\r\ncontent-length: 0\r\n\r\n", 100, http10_kept);
  EXPECT_TRUE(http10_kept.keep_alive());
}

TEST(Http1ResponseTest, ChunkedWinsOverContentLength) {
  Http1ResponseParser p;
  EXPECT_EQ(ParseInPieces("HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                          "3\r\nabc\r\n0\r\n\r\n",
                          100, p),
            "abc");
  EXPECT_TRUE(p.done());
}

TEST(Http1ResponseTest, BareNewlinesAreAccepted) {
  Http1ResponseParser p;
  EXPECT_EQ(ParseInPieces("HTTP/1.1 200 OK\nContent-Length: 2\n\nok", 1, p), "ok");
  EXPECT_TRUE(p.done());
}

TEST(Http1ResponseTest, ProtocolErrorsNameTheProblem) {
  const std::pair<std::string, std::string> cases[] = {
      {"HTTP/2 200 OK\r\n\r\n", "bad status line"},
      {"SSH-2.0-OpenSSH\r\n", "bad status line"},
      {"HTTP/1.1 2x0 OK\r\n", "bad status line"},
      {"HTTP/1.1 200 OK\r\nno colon here\r\n", "bad header line"},
      {"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n", "bad Content-Length"},
      {"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n", "bad Content-Length"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "bad chunk size"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n", "longer than its size"},
      {"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nab", "after the end"},
  };
  for (const auto& [wire, expected] : cases) {
    Http1ResponseParser p;
    const std::string got = ParseInPieces(wire, wire.size(), p);
    EXPECT_NE(got.find(expected), std::string::npos) << wire << " -> " << got;
    EXPECT_FALSE(p.done());
  }
}

TEST(Http1ResponseTest, HugeHeadIsRefused) {
  Http1ResponseParser p;
  std::string body;
  const std::string line = "X-Filler: " + std::string(1000, 'a') + "\r\n";
  bool ok = p.Feed("HTTP/1.1 200 OK\r\n", body);
  for (int i = 0; i < 100 && ok; ++i) ok = p.Feed(line, body);
  EXPECT_FALSE(ok);
  EXPECT_NE(p.error().find("64 KiB"), std::string::npos);
}

TEST(Http1ResponseTest, LongChunkedStreamsAreNotAHugeHead) {
  Http1ResponseParser p;
  std::string body;
  ASSERT_TRUE(p.Feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", body));
  const std::string chunk = "a\r\n0123456789\r\n";
  for (int i = 0; i < 20000; ++i) ASSERT_TRUE(p.Feed(chunk, body)) << p.error();
  ASSERT_TRUE(p.Feed("0\r\n\r\n", body));
  EXPECT_TRUE(p.done());
  EXPECT_EQ(body.size(), 200000u);
}

TEST(Http1ResponseTest, ResetReadsTheNextResponse) {
  Http1ResponseParser p;
  EXPECT_EQ(ParseInPieces("HTTP/1.1 500 Oops\r\nContent-Length: 1\r\n\r\nx", 2, p), "x");
  p.Reset();
  EXPECT_EQ(p.status(), 0);
  EXPECT_EQ(ParseInPieces("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\ny", 2, p), "y");
  EXPECT_EQ(p.status(), 200);
}

}  // namespace
}  // namespace bench
