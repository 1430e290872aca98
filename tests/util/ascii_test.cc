#include "util/ascii.h"

#include <gtest/gtest.h>

namespace bench {
namespace {

TEST(AsciiLowerTest, FoldsOnlyAsciiLetters) {
  EXPECT_EQ(AsciiLower("Content-Type"), "content-type");
  EXPECT_EQ(AsciiLower("OpenAI_Chat-2"), "openai_chat-2");
  EXPECT_EQ(AsciiLower(""), "");
  // UTF-8 bytes (here "É") and punctuation next to the letter range pass through unchanged.
  EXPECT_EQ(AsciiLower("\xC3\x89@[`{"), "\xC3\x89@[`{");
}

}  // namespace
}  // namespace bench
