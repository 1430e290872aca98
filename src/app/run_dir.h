#pragma once
// The directory a profile run (or an analyze point) writes under --artifact-dir, from its
// configuration; the names themselves are report/artifacts.h's.

#include <string>

#include "app/config.h"

namespace bench {

/// The directory of one run under --artifact-dir: GenAI-Perf's `<model>-<kind>-<stimulus>`
/// (for an analyze point `<parameter><value>` replaces the stimulus). With --workload-suffix,
/// then one tag per workload flag typed on the command line, in this order: the --task name,
/// `isl<N>[sd<S>]`, `osl<N>[sd<S>]`, `entries<N>`, `seed<N>`, `burstiness<B>` (when not 1).
std::string RunDirName(const ProfileConfig& config);

}  // namespace bench
