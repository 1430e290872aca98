#include "util/fast_hash.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace bench {
namespace {

TEST(FastHash64Test, SameBytesSameHashAndEveryByteCounts) {
  EXPECT_EQ(FastHash64("tokenizer"), FastHash64(std::string("tokenizer")));
  // Lengths around the 8-byte word and its tail, and a change in any one byte, give new values.
  std::set<uint64_t> seen;
  std::string s;
  for (int n = 0; n < 20; ++n) {
    EXPECT_TRUE(seen.insert(FastHash64(s)).second) << n;
    for (size_t i = 0; i < s.size(); ++i) {
      std::string t = s;
      t[i] ^= 1;
      EXPECT_NE(FastHash64(t), FastHash64(s)) << n << " " << i;
    }
    s.push_back(static_cast<char>('a' + n));
  }
  // Low bits pick table slots: 4,096 short tokens spread over 4,096 slots like random keys would
  // (a random hash leaves about 1/e of the slots empty: 1,507; allow a wide margin).
  std::set<uint64_t> slots;
  for (int k = 0; k < 4096; ++k) slots.insert(FastHash64("tok" + std::to_string(k)) & 4095);
  EXPECT_GT(slots.size(), 2400u);
}

}  // namespace
}  // namespace bench
