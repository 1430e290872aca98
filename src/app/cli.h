#pragma once
// The command line: the only place that knows about CLI11. It turns argv into one validated
// config struct (config.h) or an exit code with a one-line message.

#include <ostream>

#include "app/config.h"

namespace bench {

struct Command {
  enum class Kind {
    kProfile, kAnalyze, kReport, kCompare, kSimulator, kTokenize, kEstimate, kCalibrate, kCreateTemplate,
    kProcessExportFiles, kExit
  };
  Kind kind = Kind::kExit;
  ProfileConfig profile;
  AnalyzeConfig analyze;
  ReportConfig report;
  CompareConfig compare;
  SimulatorConfig simulator;
  TokenizeConfig tokenize;
  EstimateConfig estimate;
  CalibrateConfig calibrate;
  TemplateConfig create_template;
  ProcessConfig process;
  int exit_code = kExitOk;  // for kExit (help, version, usage errors)
};

/// Parses and validates argv. Help and version go to `out`; errors go to `err` as one line
/// naming the flag, with exit code 2. `bench config -f FILE` becomes the profile, analyze or
/// process-export-files command the file stands for (config_file.h); its errors name the key.
Command ParseCommandLine(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace bench
