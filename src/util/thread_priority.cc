#include "util/thread_priority.h"

#include <pthread.h>
#include <sched.h>

namespace bench {

bool RunAboveCaller(std::thread& thread) {
  int policy = 0;
  sched_param param{};
  if (pthread_getschedparam(pthread_self(), &policy, &param) != 0) return false;
  if (policy != SCHED_FIFO && policy != SCHED_RR) return false;
  if (param.sched_priority >= sched_get_priority_max(policy)) return false;
  param.sched_priority += 1;
  return pthread_setschedparam(thread.native_handle(), policy, &param) == 0;
}

}  // namespace bench
