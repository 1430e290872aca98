#pragma once
// The flags of `bench estimate` (docs/estimate.md).

#include <CLI/CLI.hpp>

#include "app/config.h"

namespace bench {

/// Puts the estimate subcommand on the app, filling `e`.
CLI::App* AddEstimateCommand(CLI::App& app, EstimateConfig& e);

}  // namespace bench
