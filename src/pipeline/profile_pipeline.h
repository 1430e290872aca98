#pragma once
// `bench profile` below the command line: one planned run, start to finish. Tokenizer, target
// (server check or in-process simulator), dataset and inputs.json, the load, the export and
// metrics, then the shared post-run stage and the gates.

#include <atomic>
#include <filesystem>
#include <ostream>

#include "cluster/cluster.h"
#include "pipeline/run_plan.h"
#include "report/results.h"

namespace bench {

/// What one run produced: its exit code, where its files are, and what they say.
struct RunResult {
  int exit_code = 1;
  std::filesystem::path run_dir;
  bool interrupted = false;
  // The table's statistics and the run's document (*_genai_perf.json with "bench"); empty
  // when the run ended before its results (a usage, input, server or output error).
  ResultsSummary summary;
};

/// Runs `plan`; the table goes to `out`, messages to the log. `stop` (Ctrl-C) ends the load
/// early; what was measured is still written. With `cluster` (an MPI launch, docs/cluster.md),
/// every rank calls it: each sends its share of the load, rank 0 writes the one set of files and
/// every rank returns rank 0's exit code.
RunResult RunProfile(const RunPlan& plan, const std::atomic<bool>& stop, std::ostream& out,
                     Cluster* cluster = nullptr);

}  // namespace bench
