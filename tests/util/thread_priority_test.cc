#include "util/thread_priority.h"

#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

namespace bench {
namespace {

struct Policy {
  int policy = 0;
  int priority = 0;
};

Policy PolicyOf(pthread_t t) {
  Policy p;
  sched_param param{};
  EXPECT_EQ(pthread_getschedparam(t, &p.policy, &param), 0);
  p.priority = param.sched_priority;
  return p;
}

// A thread that waits until told to end.
class Idle {
 public:
  Idle() : thread_([this] {
      while (!done_.load()) std::this_thread::yield();
    }) {}
  ~Idle() {
    done_.store(true);
    thread_.join();
  }
  std::thread& thread() { return thread_; }

 private:
  std::atomic<bool> done_{false};
  std::thread thread_;
};

TEST(ThreadPriorityTest, UnderTheNormalPolicyNothingChanges) {
  ASSERT_EQ(PolicyOf(pthread_self()).policy, SCHED_OTHER);
  Idle idle;
  EXPECT_FALSE(RunAboveCaller(idle.thread()));
  EXPECT_EQ(PolicyOf(idle.thread().native_handle()).policy, SCHED_OTHER);
}

TEST(ThreadPriorityTest, UnderARealTimePolicyTheThreadRunsOneAbove) {
  const Policy before = PolicyOf(pthread_self());
  sched_param fifo{};
  fifo.sched_priority = 10;
  if (pthread_setschedparam(pthread_self(), SCHED_FIFO, &fifo) != 0) {
    GTEST_SKIP() << "cannot run under SCHED_FIFO here (no CAP_SYS_NICE)";
  }
  {
    Idle idle;  // yields, so it cannot starve this thread on a shared core
    EXPECT_TRUE(RunAboveCaller(idle.thread()));
    const Policy p = PolicyOf(idle.thread().native_handle());
    EXPECT_EQ(p.policy, SCHED_FIFO);
    EXPECT_EQ(p.priority, 11);
  }
  sched_param normal{};
  normal.sched_priority = before.priority;
  ASSERT_EQ(pthread_setschedparam(pthread_self(), before.policy, &normal), 0);
}

}  // namespace
}  // namespace bench
