#include "app/cli.h"

#include <algorithm>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/cli_helpers.h"
#include "app/command_flags.h"
#include "app/config_command.h"
#include "app/estimate_flags.h"
#include "app/estimate_runner.h"
#include "app/foreign_args.h"
#include "app/profile_flags.h"

namespace bench {
namespace {

// What CLI11 fills besides the Command's configs, and the subcommands, to tell which one ran.
struct Parser {
  CLI::App app{"bench: benchmark OpenAI-compatible LLM inference servers (GenAI-Perf compatible)", "bench"};
  ProfileFlags profile_flags, analyze_flags;
  SweepFlags sweep_flags;
  ReportFlags report_flags;
  CompareFlags compare_flags;
  ConfigFlags config_flags;
  std::vector<std::string> process_fail_if;
  // Null when not registered.
  CLI::App *profile = nullptr, *analyze = nullptr, *report = nullptr, *compare = nullptr, *simulator = nullptr,
           *tokenize = nullptr, *estimate = nullptr, *calibrate = nullptr, *create_template = nullptr,
           *config = nullptr, *process = nullptr;

  // `only`: the one subcommand argv[1] names, or "" for all of them (bench --help, bench alone,
  // a flag first). Registering profile's and analyze's ~150 options each was most of CLI11's
  // start-up cost (docs/benchmarks.md "Start-up"); a subcommand's help, errors and parse do not
  // depend on its siblings being there.
  Parser(Command& cmd, const std::string& only) {
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("bench ") + BENCH_VERSION);
    const auto wanted = [&only](const char* name) { return only.empty() || only == name; };
    if (wanted("profile")) profile = AddProfileCommand(app, cmd.profile, profile_flags);
    if (wanted("analyze")) analyze = AddAnalyzeCommand(app, cmd.analyze, analyze_flags, sweep_flags);
    if (wanted("report")) report = AddReportCommand(app, cmd.report, report_flags);
    if (wanted("compare")) compare = AddCompareCommand(app, cmd.compare, compare_flags);
    if (wanted("simulator")) simulator = AddSimulatorCommand(app, cmd.simulator);
    if (wanted("tokenize")) tokenize = AddTokenizeCommand(app, cmd.tokenize);
    if (wanted("estimate")) estimate = AddEstimateCommand(app, cmd.estimate);
    if (wanted("calibrate")) calibrate = AddCalibrateCommand(app, cmd.calibrate);
    if (wanted("create-template")) create_template = AddTemplateCommand(app, cmd.create_template);
    if (wanted("config")) config = AddConfigCommand(app, config_flags);
    if (wanted("process-export-files")) process = AddProcessCommand(app, cmd.process, process_fail_if);
  }
};

// The subcommands, in --help's order.
constexpr const char* kSubcommandNames[] = {"profile",  "analyze",   "report",          "compare",
                                        "simulator", "tokenize", "estimate",        "calibrate",
                                        "create-template", "config", "process-export-files"};

bool IsSubcommand(const std::string& name) {
  return std::find(std::begin(kSubcommandNames), std::end(kSubcommandNames), name) != std::end(kSubcommandNames);
}

bool SubcommandParsed(const CLI::App* sub) { return sub != nullptr && sub->parsed(); }

// profile/analyze: GenAI-Perf flags bench lacks get one line of their own, and perf_analyzer
// options after `--` become bench flags (foreign_args.h) before CLI11 sees the rest. Returns a
// one-line error or "".
std::string TranslateForeignArgs(std::vector<std::string>& args, std::ostream& err) {
  if (std::string unsupported = UnsupportedGenAiPerfFlag(args); !unsupported.empty()) return unsupported;
  const auto dashes = std::find(args.begin(), args.end(), "--");
  if (dashes == args.end()) return "";
  const PassthroughResult passthrough = TranslatePerfAnalyzerArgs(std::vector<std::string>(dashes + 1, args.end()));
  if (!passthrough.error.empty()) return passthrough.error;
  for (const std::string& warning : passthrough.warnings) err << "[warning] " << warning << "\n";
  args.erase(dashes, args.end());
  args.insert(args.end(), passthrough.bench_args.begin(), passthrough.bench_args.end());
  return "";
}

// CLI11's parse; help, version and parse errors end the command here (true).
bool ParseEnds(CLI::App& app, const std::vector<std::string>& args, Command& cmd, std::ostream& out,
               std::ostream& err) {
  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 pops from the back
    app.parse(reversed);
    return false;
  } catch (const CLI::CallForHelp&) {
    out << (app.get_subcommands().empty() ? app.help() : app.get_subcommands().front()->help());
  } catch (const CLI::CallForAllHelp&) {
    out << app.help("", CLI::AppFormatMode::All);
  } catch (const CLI::CallForVersion&) {
    out << "bench " << BENCH_VERSION << "\n";
  } catch (const CLI::ParseError& e) {
    err << "bench: error: " << OneLine(e.what()) << " (see bench --help)\n";
    cmd.exit_code = kExitUsage;
    return true;
  }
  cmd.exit_code = kExitOk;
  return true;
}

// Which subcommand ran, and its validation: a one-line error or "".
std::string Finish(Parser& p, Command& cmd) {
  if (SubcommandParsed(p.profile)) {
    cmd.kind = Command::Kind::kProfile;
    return FinishProfile(cmd.profile, p.profile_flags, *p.profile);
  }
  if (SubcommandParsed(p.analyze)) {
    cmd.kind = Command::Kind::kAnalyze;
    std::string error = FinishProfile(cmd.analyze.profile, p.analyze_flags, *p.analyze);
    if (!error.empty()) return error;
    return ValidateAnalyze(cmd.analyze, p.sweep_flags.type, p.sweep_flags.list, p.sweep_flags.range);
  }
  if (SubcommandParsed(p.report)) {
    cmd.kind = Command::Kind::kReport;
    return FinishReport(cmd.report, p.report_flags);
  }
  if (SubcommandParsed(p.compare)) {
    cmd.kind = Command::Kind::kCompare;
    return FinishCompare(cmd.compare, p.compare_flags);
  }
  if (SubcommandParsed(p.tokenize)) {
    cmd.kind = Command::Kind::kTokenize;
    return FinishTokenize(cmd.tokenize, *p.tokenize);
  }
  if (SubcommandParsed(p.estimate)) {
    cmd.kind = Command::Kind::kEstimate;
    return ValidateEstimate(cmd.estimate);
  }
  if (SubcommandParsed(p.process)) {
    cmd.kind = Command::Kind::kProcessExportFiles;
    return FinishProcess(cmd.process, p.process_fail_if);
  }
  cmd.kind = SubcommandParsed(p.calibrate)         ? Command::Kind::kCalibrate
             : SubcommandParsed(p.create_template) ? Command::Kind::kCreateTemplate
                                         : Command::Kind::kSimulator;
  return "";
}

}  // namespace

Command ParseCommandLine(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  Command cmd;
  if (argc > 1 && argv[1][0] != '-' && !IsSubcommand(argv[1])) {
    err << "bench: error: unknown command '" << argv[1]
        << "' (expected profile, analyze, report, compare, simulator, tokenize, estimate, calibrate, config, "
           "create-template or process-export-files)\n";
    cmd.exit_code = kExitUsage;
    return cmd;
  }
  std::vector<std::string> args(argv + 1, argv + argc);
  const bool load_command = argc > 1 && (std::string(argv[1]) == "profile" || std::string(argv[1]) == "analyze");
  if (std::string error = load_command ? TranslateForeignArgs(args, err) : ""; !error.empty()) {
    err << "bench: error: " << error << "\n";
    cmd.exit_code = kExitUsage;
    return cmd;
  }
  Parser parser(cmd, argc > 1 && argv[1][0] != '-' ? argv[1] : "");
  if (ParseEnds(parser.app, args, cmd, out, err)) return cmd;
  if (SubcommandParsed(parser.config)) {
    return FromConfigFile(parser.config_flags.file, parser.config_flags.override_config, parser.config->remaining(),
                          out, err);
  }
  if (std::string error = Finish(parser, cmd); !error.empty()) {
    err << "bench: error: " << error << "\n";
    cmd.kind = Command::Kind::kExit;
    cmd.exit_code = kExitUsage;
  }
  return cmd;
}

}  // namespace bench
