#pragma once
// `bench report`: recompute the metrics of an existing profile export.

#include <ostream>

#include "app/config.h"

namespace bench {

/// Reads config.profile_export, prints the table, writes the *_genai_perf files.
int RunReport(const ReportConfig& config, std::ostream& out);

}  // namespace bench
