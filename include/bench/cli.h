#pragma once
// The command line: the only place that knows about CLI11. It turns argv into one validated
// config struct (config.h) or an exit code with a one-line message.

#include <ostream>

#include "bench/config.h"

namespace bench {

struct Command {
  enum class Kind { kProfile, kAnalyze, kReport, kCompare, kSimulator, kTokenize, kCalibrate, kExit };
  Kind kind = Kind::kExit;
  ProfileConfig profile;
  AnalyzeConfig analyze;
  ReportConfig report;
  CompareConfig compare;
  SimulatorConfig simulator;
  TokenizeConfig tokenize;
  CalibrateConfig calibrate;
  int exit_code = kExitOk;  // for kExit (help, version, usage errors)
};

/// Parses and validates argv. Help and version go to `out`; errors go to `err` as one line
/// naming the flag, with exit code 2.
Command ParseCommandLine(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace bench
