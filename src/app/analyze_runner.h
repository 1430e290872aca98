#pragma once
// `bench analyze`: one profile run per sweep value (GenAI-Perf's analyze, reference §5.2),
// then analyze_export_genai_perf.csv and a summary table; resumable with a checkpoint.

#include <atomic>
#include <filesystem>
#include <ostream>

#include "app/config.h"

namespace bench {

/// The profile configuration of one sweep point: the swept parameter set to `value`, the
/// directory named after it, and the request-count default re-resolved for it.
ProfileConfig SweepPointConfig(const AnalyzeConfig& config, double value);

/// Where the checkpoint lives: <checkpoint-dir>/checkpoint.json, by default under the
/// artifact directory.
std::filesystem::path CheckpointPath(const ProfileConfig& config);

/// Runs every point in order (skipping the ones a checkpoint already holds), writes the CSV
/// and prints the per-point tables and the summary to `out`. Stops at the first point that
/// exits with a usage, connection, input or output error, or when `stop` is set (exit 130; the
/// interrupted point is not marked done). Returns a documented exit code.
int RunAnalyze(const AnalyzeConfig& config, const std::atomic<bool>& stop, std::ostream& out);

}  // namespace bench
