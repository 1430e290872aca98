#pragma once
// The bridge from a command's validated configuration down: the typed RunPlan the pipeline
// runs, and the typed options each lower layer takes. Nothing below the app sees ProfileConfig.

#include "app/config.h"
#include "dataset/inputs.h"
#include "pipeline/run_plan.h"

namespace bench {

/// The workload part of `config`: what BuildDataset needs.
DatasetOptions DatasetOptionsOf(const ProfileConfig& config);

/// The run `config` describes, or a one-line error naming the flag (a usage error, exit 2).
/// Warns once about flags that have no effect in this combination.
Parsed<RunPlan> MakeRunPlan(const ProfileConfig& config);

}  // namespace bench
