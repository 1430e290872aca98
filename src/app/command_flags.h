#pragma once
// The flags of the subcommands other than profile and analyze (profile_flags.h): report,
// compare, simulator, tokenize, calibrate, create-template, config, process-export-files. Each
// Add*Command puts its subcommand on the app; each Finish* validates what CLI11 filled.

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/config.h"

namespace bench {

struct ReportFlags {
  bool streaming = false;
  std::vector<std::string> fail_if;
};

struct CompareFlags {
  std::vector<std::string> inputs;  // baseline, then candidates
  std::vector<std::string> metrics;
  std::string max_regression;
};

struct ConfigFlags {
  std::string file;
  bool override_config = false;
};

CLI::App* AddReportCommand(CLI::App& app, ReportConfig& r, ReportFlags& f);
CLI::App* AddCompareCommand(CLI::App& app, CompareConfig& k, CompareFlags& f);
CLI::App* AddSimulatorCommand(CLI::App& app, SimulatorConfig& s);
CLI::App* AddTokenizeCommand(CLI::App& app, TokenizeConfig& t);
CLI::App* AddCalibrateCommand(CLI::App& app, CalibrateConfig& c);
CLI::App* AddTemplateCommand(CLI::App& app, TemplateConfig& tc);
CLI::App* AddConfigCommand(CLI::App& app, ConfigFlags& f);
CLI::App* AddProcessCommand(CLI::App& app, ProcessConfig& pe, std::vector<std::string>& fail_if);

/// process-export-files' flags (also read by `bench config` to see what a typed flag overrides).
void AddProcessOptions(CLI::App* app, ProcessConfig& c, std::vector<std::string>& fail_if);

/// Each returns a one-line error or "".
std::string FinishReport(ReportConfig& r, const ReportFlags& f);
std::string FinishCompare(CompareConfig& k, const CompareFlags& f);
std::string FinishTokenize(TokenizeConfig& t, const CLI::App& tokenize);
std::string FinishProcess(ProcessConfig& pe, const std::vector<std::string>& fail_if);

}  // namespace bench
