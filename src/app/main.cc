// bench: benchmark OpenAI-compatible LLM inference servers. main() is the table of contents:
// parse -> validate -> run -> report -> exit code.

#include <iostream>

#include "app/analyze_runner.h"
#include "app/calibrate_runner.h"
#include "app/cli.h"
#include "app/compare_runner.h"
#include "app/config_file.h"
#include "app/config_template.h"
#include "app/estimate_runner.h"
#include "util/interrupt.h"
#include "util/logging.h"
#include "app/process_runner.h"
#include "app/profile_runner.h"
#include "app/report_runner.h"
#include "app/simulator_runner.h"
#include "app/tokenize_runner.h"

int main(int argc, char** argv) {
  const bench::Command command = bench::ParseCommandLine(argc, argv, std::cout, std::cerr);
  const std::atomic<bool>& stop = bench::InstallInterruptHandler();
  switch (command.kind) {
    case bench::Command::Kind::kExit:
      return command.exit_code;
    case bench::Command::Kind::kProfile:
      bench::SetupLogging(command.profile.verbose, command.profile.quiet);
      return bench::RunProfileCommand(command.profile, stop, std::cout);
    case bench::Command::Kind::kAnalyze:
      bench::SetupLogging(command.analyze.profile.verbose, command.analyze.profile.quiet);
      return bench::RunAnalyze(command.analyze, stop, std::cout);
    case bench::Command::Kind::kReport:
      bench::SetupLogging(command.report.verbose, command.report.quiet);
      return bench::RunReport(command.report, std::cout);
    case bench::Command::Kind::kCompare:
      bench::SetupLogging(command.compare.verbose, command.compare.quiet);
      return bench::RunCompare(command.compare, std::cout);
    case bench::Command::Kind::kSimulator:
      bench::SetupLogging(command.simulator.verbose);
      return bench::RunSimulatorServer(command.simulator, stop);
    case bench::Command::Kind::kTokenize:
      bench::SetupLogging(/*verbose=*/false);
      return bench::RunTokenize(command.tokenize, std::cin, std::cout);
    case bench::Command::Kind::kEstimate:
      bench::SetupLogging(/*verbose=*/false);
      return bench::RunEstimate(command.estimate, std::cout);
    case bench::Command::Kind::kCalibrate:
      bench::SetupLogging(command.calibrate.verbose);
      return bench::RunCalibrate(command.calibrate, stop, std::cout);
    case bench::Command::Kind::kCreateTemplate:
      bench::SetupLogging(/*verbose=*/false);
      return bench::WriteConfigTemplate(command.create_template);
    case bench::Command::Kind::kProcessExportFiles:
      bench::SetupLogging(command.process.verbose, command.process.quiet);
      return bench::RunProcessExportFiles(command.process, std::cout);
  }
  return bench::kExitNoSuccess;
}
