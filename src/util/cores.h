#pragma once
// How many cores this process may run on: the CPUs of its affinity mask (taskset, cgroup
// cpusets), not the machine's count, so worker threads never outnumber the cores they share.

namespace bench {

/// CPUs in the calling thread's affinity mask; the machine's count if the mask cannot be read;
/// at least 1.
int UsableCores();

}  // namespace bench
