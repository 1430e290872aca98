#pragma once
// Helper threads that must not wait behind the thread they serve. Under a real-time policy
// (chrt; benchmarks/ceiling.sh runs bench so, pinned to one core) a busy thread is never
// preempted by one of its own priority: a writer thread, which needs a few microseconds each
// time a write completes, would wait until its owner blocks, and the owner would then wait for
// buffers (measured: ~1,400 waits in 3 s at 30k req/s). One priority above, it runs as soon as
// its I/O is done.

#include <thread>

namespace bench {

/// Gives `thread` one real-time priority above the calling thread's when the caller runs under
/// SCHED_FIFO or SCHED_RR; nothing otherwise. Best effort: false when nothing was changed (a
/// normal policy, the maximum priority already, or no privilege).
bool RunAboveCaller(std::thread& thread);

}  // namespace bench
