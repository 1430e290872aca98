#include "util/byte_buffer.h"

#include <string>

#include <gtest/gtest.h>

namespace bench {
namespace {

TEST(ByteBufferTest, AppendsAndKeepsWhatWasWrittenAcrossGrowth) {
  ByteBuffer b;
  EXPECT_TRUE(b.empty());
  std::string expected;
  for (int i = 0; i < 2000; ++i) {
    const std::string piece = std::to_string(i) + ",";
    b += piece;
    b.push_back(';');
    expected += piece + ";";
  }
  EXPECT_EQ(b.view(), expected);
  EXPECT_EQ(b.size(), expected.size());
  b.clear();
  EXPECT_TRUE(b.empty());
  b += "again";
  EXPECT_EQ(b.view(), "again");
}

TEST(ByteBufferTest, RoomIsCommittedOnlyUpToTheGivenEnd) {
  ByteBuffer b;
  b += "head:";
  char* d = b.Room(100'000);  // larger than any growth step: the buffer grows to fit
  for (int i = 0; i < 100'000; ++i) d[i] = 'x';
  b.CommitTo(d + 3);  // the encoder used only three of the bytes it asked for
  EXPECT_EQ(b.view(), "head:xxx");
  // The next Room starts right after the committed bytes.
  char* e = b.Room(1);
  *e = '!';
  b.CommitTo(e + 1);
  EXPECT_EQ(b.view(), "head:xxx!");
}

TEST(ByteBufferTest, EmptyAppendOnAnEmptyBufferIsHarmless) {
  ByteBuffer b;
  b.append("");
  EXPECT_EQ(b.size(), 0u);
  EXPECT_EQ(b.view(), "");
}

}  // namespace
}  // namespace bench
