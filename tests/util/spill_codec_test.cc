#include "util/spill_codec.h"

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace bench {
namespace {

struct Encoded {
  SpillBlockHeader header;
  std::vector<char> bytes;  // header + stored
};

Encoded Encode(const std::string& raw) {
  Encoded e;
  e.bytes.resize(SpillBlockBound(raw.size()));
  e.bytes.resize(EncodeSpillBlock(raw.data(), raw.size(), e.bytes.data()));
  std::memcpy(&e.header, e.bytes.data(), sizeof e.header);
  return e;
}

std::string Decode(const Encoded& e) {
  std::string out(e.header.raw, '\0');
  EXPECT_TRUE(DecodeSpillBlock(e.header, e.bytes.data() + sizeof e.header, out.data()));
  return out;
}

TEST(SpillCodecTest, SseTextIsCompressedAndComesBackExactly) {
  std::string raw;
  for (int i = 0; i < 2000; ++i) {
    raw += "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":{\"content\":\" t" +
           std::to_string(i) + "\"}}]}\n\n";
  }
  const Encoded e = Encode(raw);
  EXPECT_EQ(e.header.codec, kSpillLz4);
  EXPECT_TRUE(ValidSpillHeader(e.header, raw.size()));
  EXPECT_LT(e.bytes.size() * 4, raw.size());
  EXPECT_EQ(Decode(e), raw);
}

TEST(SpillCodecTest, IncompressibleBytesAreStoredRaw) {
  std::mt19937 rng(7);
  std::string raw(100'000, '\0');
  for (char& c : raw) c = static_cast<char>(rng());
  const Encoded e = Encode(raw);
  EXPECT_EQ(e.header.codec, kSpillRaw);
  EXPECT_EQ(e.header.stored, raw.size());
  EXPECT_EQ(Decode(e), raw);
}

TEST(SpillCodecTest, EmptyBlock) {
  const Encoded e = Encode("");
  EXPECT_TRUE(ValidSpillHeader(e.header, 10));
  EXPECT_EQ(e.header.raw, 0u);
}

TEST(SpillCodecTest, DamagedHeaderOrDataIsRefused) {
  const std::string raw(50'000, 'a');
  Encoded e = Encode(raw);
  SpillBlockHeader h = e.header;
  EXPECT_FALSE(ValidSpillHeader(h, raw.size() - 1)) << "larger than a block";
  h.raw += 1;
  EXPECT_FALSE(ValidSpillHeader(h, 1 << 20)) << "check word no longer matches";
  h = e.header;
  h.codec = 7;
  h.check = h.stored ^ h.raw ^ h.codec ^ kSpillMagic;
  EXPECT_FALSE(ValidSpillHeader(h, 1 << 20)) << "unknown codec";
  // The stored bytes cut short: the safe decoder refuses instead of reading past them.
  h = e.header;
  h.stored = 3;
  h.check = h.stored ^ h.raw ^ h.codec ^ kSpillMagic;
  ASSERT_TRUE(ValidSpillHeader(h, 1 << 20));
  std::string out(h.raw, '\0');
  EXPECT_FALSE(DecodeSpillBlock(h, e.bytes.data() + sizeof h, out.data()));
}

}  // namespace
}  // namespace bench
