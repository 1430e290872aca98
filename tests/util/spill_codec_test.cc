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

// A block must never refer back to the one encoded before it, or it would not decode alone (a
// packed body is unpacked long after, and its blocks were encoded between other bodies').
TEST(SpillCodecTest, EachBlockDecodesAlone) {
  std::vector<std::string> blocks;
  std::vector<Encoded> encoded;
  for (int b = 0; b < 6; ++b) {
    std::string raw;
    for (int i = 0; i < 300; ++i) {
      raw += "data: {\"id\":\"chatcmpl-" + std::to_string(b / 2) + "\",\"choices\":[{\"delta\":{\"content\":\" w" +
             std::to_string(i % 7) + "\"}}]}\n\n";
    }
    blocks.push_back(raw);
    encoded.push_back(Encode(raw));  // the same text twice in a row: a dictionary would pay
  }
  for (size_t b = blocks.size(); b-- > 0;) {  // decoded in the other order, each on its own
    EXPECT_EQ(encoded[b].header.codec, kSpillLz4);
    EXPECT_EQ(Decode(encoded[b]), blocks[b]) << b;
  }
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
