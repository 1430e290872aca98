#include "transport/packed_body.h"

#include <random>
#include <string>

#include <gtest/gtest.h>

namespace bench {
namespace {

// One read's body bytes into `r`, the way the native client's Receive hands them over.
void Read(RawRecord& r, std::string_view data, std::string& staging) {
  std::string& target = ReadTarget(r, data.size(), staging);
  target.append(data);
  SettleRead(r, target);
  r.read_end.push_back(static_cast<uint32_t>(r.BodySize()));
}

// An SSE stream of `events` chunks with varying content, some of them one long line.
std::string Stream(std::mt19937& rng, int events) {
  std::string body;
  for (int i = 0; i < events; ++i) {
    if (rng() % 50 == 0) {
      body += "data: {\"choices\":[{\"delta\":{\"content\":\"" + std::string(20'000 + rng() % 30'000, 'w') +
              "\"}}]}\n\n";
    } else if (rng() % 40 == 0) {
      body += ": keep-alive\r\n\r\n";
    } else {
      body += "data: {\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":\" t" + std::to_string(rng() % 1000) +
              "\"}}]}\n\n";
    }
  }
  return body + "data: [DONE]\n\n";
}

TEST(PackedBodyTest, RandomReadsComeBackWholeWithTheirEventCounts) {
  std::mt19937 rng(7);
  std::string staging;
  for (int round = 0; round < 40; ++round) {
    const std::string body = Stream(rng, 200 + static_cast<int>(rng() % 2000));
    RawRecord r;
    r.packable = true;
    r.count_events = true;
    size_t at = 0;
    while (at < body.size()) {
      const size_t n = std::min(body.size() - at, size_t{1} + rng() % (rng() % 4 == 0 ? 80'000 : 600));
      Read(r, std::string_view(body).substr(at, n), staging);
      at += n;
      ASSERT_EQ(r.BodySize(), at);
      ASSERT_EQ(EventsInBody(r), EventsIn(std::string_view(body).substr(0, at))) << round << " at " << at;
    }
    EXPECT_GT(r.packed_bytes, 0u) << round;
    EXPECT_LT(r.bytes.size(), kPackBytes + 80'000) << "only a partial line waits unpacked";
    ASSERT_TRUE(UnpackBody(r));
    EXPECT_EQ(r.bytes, body) << round;
    EXPECT_TRUE(r.packed.empty());
    EXPECT_EQ(r.packed_bytes, 0u);
    EXPECT_EQ(r.Read(r.read_end.size() - 1).size() + r.read_end[r.read_end.size() - 2], body.size());
  }
}

TEST(PackedBodyTest, ALongLineWithoutALineEndIsPackedAsItIs) {
  std::string staging;
  RawRecord r;
  r.packable = true;
  r.count_events = true;
  const std::string line = "data: " + std::string(100'000, 'x');
  for (size_t at = 0; at < line.size(); at += 10'000) Read(r, std::string_view(line).substr(at, 10'000), staging);
  EXPECT_GT(r.packed_bytes, 0u);
  EXPECT_LT(r.bytes.size(), kPackBytes);
  EXPECT_EQ(EventsInBody(r), 1u);
  Read(r, "\n\ndata: b\n\n", staging);
  EXPECT_EQ(EventsInBody(r), 2u);
  ASSERT_TRUE(UnpackBody(r));
  EXPECT_EQ(r.bytes, line + "\n\ndata: b\n\n");
}

TEST(PackedBodyTest, ShortBodiesAndSessionRepliesAreNotPacked) {
  std::string staging;
  RawRecord shortbody;
  shortbody.packable = true;
  for (int i = 0; i < 100; ++i) Read(shortbody, "data: {\"x\":1}\n\n", staging);  // 1.6 KB
  EXPECT_TRUE(shortbody.packed.empty());
  RawRecord reply;  // not packable: a session reads its turns' replies during the load
  for (int i = 0; i < 3; ++i) Read(reply, std::string(40'000, 'a') + "\n", staging);
  EXPECT_TRUE(reply.packed.empty());
  EXPECT_EQ(reply.bytes.size(), 120'003u);
}

TEST(PackedBodyTest, ABlockThatDoesNotDecodeIsRefused) {
  std::string staging;
  RawRecord r;
  r.packable = true;
  Read(r, std::string(30'000, 'a') + "\nrest", staging);
  ASSERT_FALSE(r.packed.empty());
  r.packed[3] ^= 0x40;  // the header's stored size no longer matches its check word
  EXPECT_FALSE(UnpackBody(r));
  EXPECT_EQ(r.bytes, "rest");
  EXPECT_TRUE(r.packed.empty());
}

TEST(PackedBodyTest, ATooLargeBodyIsUnpackedAndCut) {
  std::string staging;
  RawRecord r;
  r.packable = true;
  Read(r, std::string(40'000, 'a') + "\n" + std::string(100, 'b'), staging);
  ASSERT_GT(r.packed_bytes, 0u);
  r.packed_bytes += kMaxResponseBytes;  // as if far more had arrived: the limit cuts it
  CutTooLarge(r);
  EXPECT_TRUE(r.too_large);
  EXPECT_TRUE(r.packed.empty());
  EXPECT_LE(r.bytes.size(), kMaxResponseBytes);
}

TEST(EventsInTest, CountsDataEventsButNotDone) {
  EXPECT_EQ(EventsIn("data: a\n\ndata: b\n\ndata: [DONE]\n\n"), 2u);
  EXPECT_EQ(EventsIn(": comment\n\nevent: x\ndata: a\n\n"), 1u);
  EXPECT_EQ(EventsIn(""), 0u);
}

}  // namespace
}  // namespace bench
