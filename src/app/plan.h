#pragma once
// The typed pieces each layer below the app takes, made from the validated ProfileConfig: the
// layers never see the whole configuration (nor CLI11), only what they use.

#include "app/config.h"
#include "dataset/inputs.h"

namespace bench {

/// The workload part of `config`: what BuildDataset needs.
DatasetOptions DatasetOptionsOf(const ProfileConfig& config);

}  // namespace bench
