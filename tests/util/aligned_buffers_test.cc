#include "util/aligned_buffers.h"

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>

namespace bench {
namespace {

bool Aligned(const char* p) { return reinterpret_cast<uintptr_t>(p) % AlignedBuffers::kAlignment == 0; }

TEST(AlignedBuffersTest, AllocatesAlignedMemory) {
  const AlignedBlock block = AllocateAligned(4096, 12345);
  EXPECT_TRUE(Aligned(block.get()));
}

// Next gives new buffers until the limit, then those given back; with none free it waits.
TEST(AlignedBuffersTest, NewBuffersUpToTheLimitThenTheOnesGivenBack) {
  AlignedBuffers buffers(8192, 3);
  std::mutex mu;
  std::condition_variable given_back;
  int waits = 0;
  const auto wait = [&](std::unique_lock<std::mutex>& lock, auto ready) {
    ++waits;
    given_back.wait(lock, ready);
  };
  std::set<char*> seen = {buffers.Add()};
  for (int i = 0; i < 2; ++i) {
    std::unique_lock lock(mu);
    char* b = buffers.Next(lock, wait);
    EXPECT_TRUE(Aligned(b));
    EXPECT_TRUE(seen.insert(b).second);  // a new one
  }
  EXPECT_EQ(buffers.count(), 3u);
  EXPECT_EQ(waits, 0);
  // All three are out: the next waits until the "writer" gives one back.
  char* returned = *seen.begin();
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::lock_guard lock(mu);
    buffers.GiveBack(returned);
    given_back.notify_one();
  });
  {
    std::unique_lock lock(mu);
    EXPECT_EQ(buffers.Next(lock, wait), returned);
  }
  writer.join();
  EXPECT_EQ(waits, 1);
  EXPECT_EQ(buffers.count(), 3u);
}

TEST(AlignedBuffersTest, ReclaimFreesAllButTheOneReturned) {
  AlignedBuffers buffers(4096, 2);
  char* first = buffers.Reclaim();  // none yet: a new one
  EXPECT_EQ(buffers.count(), 1u);
  std::mutex mu;
  std::unique_lock lock(mu);
  char* second = buffers.Next(lock, [](auto&, auto) { FAIL() << "no wait with room left"; });
  EXPECT_NE(second, first);
  EXPECT_EQ(buffers.Reclaim(), first);
  std::unique_lock again(mu);
  EXPECT_EQ(buffers.Next(again, [](auto&, auto) { FAIL() << "the second is free again"; }), second);
}

TEST(AlignedBuffersTest, KeepOnlyReleasesTheOthers) {
  AlignedBuffers buffers(4096, 4);
  buffers.Add();
  char* keep = buffers.Add();
  buffers.Add();
  buffers.KeepOnly(keep);
  EXPECT_EQ(buffers.count(), 1u);
  EXPECT_EQ(buffers.Reclaim(), keep);
}

}  // namespace
}  // namespace bench
