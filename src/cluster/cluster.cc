#include "cluster/cluster.h"

#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "util/shared_module.h"

#ifdef BENCH_WITH_MPI
// Open MPI lives in bench-mpi.so (cluster/mpi_cluster.cc), loaded only when a launcher started
// bench. Weak: resolved in a program that links that code itself (the tests), null in `bench`.
extern "C" void bench_mpi_join_cluster(const bench::Launch& launch, bench::JoinResult& result) __attribute__((weak));
#endif

namespace bench {

namespace {

int SizeOf(const char* value) {
  if (value == nullptr) return 0;
  char* end = nullptr;
  const long n = std::strtol(value, &end, 10);
  return end != value && n > 0 && n < 1'000'000 ? static_cast<int>(n) : 0;
}

}  // namespace

Launch DetectLaunch(const std::function<const char*(const char*)>& getenv) {
  Launch launch;
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
    if (const char* value = getenv(name)) {
      launch.launched = true;
      launch.size = std::max(1, SizeOf(value));
      launch.variable = name;
      return launch;
    }
  }
  if (getenv("PMIX_RANK") != nullptr) {
    launch.launched = true;
    launch.size = std::max(1, SizeOf(getenv("SLURM_STEP_NUM_TASKS")));
    launch.variable = "PMIX_RANK";
  }
  return launch;
}

#ifndef BENCH_WITH_MPI
bool ClusterSupported() { return false; }

JoinResult JoinCluster() {
  JoinResult result;
  const Launch launch = DetectLaunch([](const char* name) -> const char* { return std::getenv(name); });
  if (launch.size > 1) {
    result.error = fmt::format(
        "started as one of {} ranks ({}), but this bench was built without MPI: the ranks would run {} "
        "independent benchmarks over the same files; rebuild with MPI (libopenmpi-dev, docs/cluster.md) or run "
        "one process",
        launch.size, launch.variable, launch.size);
  }
  return result;
}
#else
bool ClusterSupported() { return true; }

JoinResult JoinCluster() {
  JoinResult result;
  const Launch launch = DetectLaunch([](const char* name) -> const char* { return std::getenv(name); });
  // Not started by a launcher: no MPI at all (a singleton MPI_Init would start a helper daemon).
  if (!launch.launched) return result;
  // Global: Open MPI's own plug-ins (mca_*.so) expect its libraries' symbols global.
  const ModuleSymbol entry = LinkedOrLoaded(reinterpret_cast<void*>(&bench_mpi_join_cluster), "bench-mpi.so",
                                            "bench_mpi_join_cluster", /*global=*/true);
  if (entry.address == nullptr) {
    result.error = fmt::format("started by an MPI launcher ({}), but {}", launch.variable, entry.error);
    return result;
  }
  reinterpret_cast<void (*)(const Launch&, JoinResult&)>(entry.address)(launch, result);
  return result;
}
#endif

}  // namespace bench
