#pragma once
// `bench process-export-files`: one report from several runs made separately (GenAI-Perf's
// process-export-files, reference §5.4), e.g. one run per client machine against one server.

#include <ostream>

#include "app/config.h"

namespace bench {

/// Finds the runs under config.input_dir, writes the merged profile export into
/// <artifact_dir>/<model>-<kind>-<stimulus>/, prints the table and writes the *_genai_perf
/// files. Returns the exit code.
int RunProcessExportFiles(const ProcessConfig& config, std::ostream& out);

}  // namespace bench
