#pragma once
// The YAML config file of `bench config -f FILE` and `bench create-template` (GenAI-Perf's
// layout, reference §5.1). One table maps each key path to the command-line flag that sets
// the same field; a file is turned into that flag list and parsed by the CLI like a typed
// command line, so every value check is the CLI's own.

#include <string>
#include <vector>

#include "app/config.h"

namespace bench {

/// What a config file runs: GenAI-Perf infers it from the sections present.
enum class ConfigSubcommand { kProfile, kAnalyze, kProcessExportFiles };

/// "profile", "analyze" or "process-export-files".
std::string ConfigSubcommandName(ConfigSubcommand subcommand);

/// One flag (with its values) that a key of the file stands for.
struct ConfigArg {
  std::string key_path;             // "perf_analyzer.stimulus.concurrency"
  int line = 0;                     // 1-based line of the value in the file
  std::string flag;                 // "--concurrency"
  std::vector<std::string> values;  // empty for a bare flag
  /// Flags that replace this key when typed after --override-config; a stimulus typed on the
  /// command line replaces the file's whole stimulus, as in GenAI-Perf.
  std::vector<std::string> owned_flags;
};

/// A config file read into flags. Keys holding the value create-template writes (bench's
/// default) produce no flag, so the template plus a few edits equals a command line with
/// just those flags.
struct ConfigFileResult {
  ConfigSubcommand subcommand = ConfigSubcommand::kProfile;
  std::vector<ConfigArg> args;
  std::string error;   // one line: "FILE:LINE: key.path: what is wrong"; empty on success
  int exit_code = 0;   // for an error: 4 when the file cannot be read or is not YAML, else 2
};

/// Reads and checks `path` (unknown keys, shapes, keys bench does not support at other
/// values than their default). Never throws.
ConfigFileResult ReadConfigFile(const std::string& path);

/// Same for YAML text; `source_name` starts error messages.
ConfigFileResult ParseConfigText(const std::string& text, const std::string& source_name);

/// The argv tail (after the subcommand) for `args`, in order.
std::vector<std::string> ConfigArgv(const std::vector<ConfigArg>& args);



/// `verbose` adds a comment above each key.
std::string ConfigTemplate(bool verbose);

}  // namespace bench
