#include "util/cores.h"

#include <sched.h>

#include <thread>

#include <gtest/gtest.h>

namespace bench {
namespace {

TEST(UsableCoresTest, FollowsTheAffinityMaskNotTheMachine) {
  // In a thread of its own, so the test process keeps its mask.
  int pinned = 0, machine = 0;
  std::thread([&] {
    cpu_set_t all;
    CPU_ZERO(&all);
    ASSERT_EQ(sched_getaffinity(0, sizeof all, &all), 0);
    machine = UsableCores();
    EXPECT_EQ(machine, CPU_COUNT(&all));
    int first = 0;
    while (!CPU_ISSET(first, &all)) ++first;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(first, &one);
    ASSERT_EQ(sched_setaffinity(0, sizeof one, &one), 0);
    pinned = UsableCores();
  }).join();
  EXPECT_EQ(pinned, 1);
  EXPECT_GE(machine, 1);
}

}  // namespace
}  // namespace bench
