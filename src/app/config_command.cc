#include "app/config_command.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "app/command_flags.h"
#include "app/config_file.h"
#include "app/config_keys.h"
#include "app/profile_flags.h"

namespace bench {
namespace {

// Flags that change only what is printed: GenAI-Perf lets -v through without --override-config.
bool IsOutputOnlyFlag(const std::string& arg) {
  return arg == "-v" || arg == "--verbose" || arg == "-q" || arg == "--quiet" || arg == "--no-progress";
}

// Which of the file's flags the typed arguments set, found with the same options the real
// parse uses, so an alias (--isl) replaces the key its flag sets (input.synthetic_tokens.mean).
std::set<std::string> TypedFlags(ConfigSubcommand subcommand, const std::vector<std::string>& typed,
                                 const std::vector<ConfigArg>& from_file) {
  CLI::App app;
  app.allow_extras();
  ProfileConfig profile;
  ProfileFlags profile_flags;
  SweepFlags sweep_flags;
  ProcessConfig process;
  std::vector<std::string> fail_if;
  if (subcommand == ConfigSubcommand::kProcessExportFiles) {
    AddProcessOptions(&app, process, fail_if);
  } else {
    AddProfileOptions(&app, profile, profile_flags);
    if (subcommand == ConfigSubcommand::kAnalyze) AddSweepOptions(&app, sweep_flags);
  }
  std::vector<std::string> reversed(typed.rbegin(), typed.rend());  // CLI11 pops from the back
  try {
    app.parse(reversed);
  } catch (const CLI::Error&) {
    // Counts are taken before any check runs; the real parse reports the error.
  }
  std::set<std::string> flags;
  for (const ConfigArg& arg : from_file) {
    for (const std::string& flag : arg.owned_flags) {
      const CLI::Option* option = app.get_option_no_throw(flag);
      if (option != nullptr && option->count() > 0) flags.insert(flag);
    }
  }
  return flags;
}

// Where `flag` occurs in `text` as a whole flag (not as the start of a longer one).
size_t FindFlag(const std::string& text, const std::string& flag) {
  auto part_of_flag = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; };
  for (size_t at = text.find(flag); at != std::string::npos; at = text.find(flag, at + 1)) {
    const bool starts = at == 0 || !part_of_flag(text[at - 1]);
    const size_t end = at + flag.size();
    if (starts && (end == text.size() || !part_of_flag(text[end]))) return at;
  }
  return std::string::npos;
}

// A usage error about a flag the file set, told as the key that set it:
// "bench: error: FILE:LINE: key.path: message".
std::string AttributeToKey(const std::string& message, const std::vector<ConfigArg>& from_file,
                           const std::vector<std::string>& typed, const std::set<std::string>& overridden,
                           const std::string& file, ConfigSubcommand subcommand) {
  const std::string prefix = "bench: error: ";
  if (message.rfind(prefix, 0) != 0) return message;
  std::string body = message.substr(prefix.size());
  while (!body.empty() && body.back() == '\n') body.pop_back();
  size_t first = std::string::npos;
  const ConfigArg* arg = nullptr;
  for (const ConfigArg& a : from_file) {
    if (const size_t at = FindFlag(body, a.flag); at < first) {
      first = at;
      arg = &a;
    }
  }
  std::string where, flag;
  if (arg != nullptr) {
    where = fmt::format("{}:{}: {}", file, arg->line, arg->key_path);
    flag = arg->flag;
  } else {
    // A flag the file left out, such as the required model: name its key, without a line.
    for (size_t at = body.find("--"); at != std::string::npos; at = body.find("--", at + 2)) {
      size_t end = at + 2;
      while (end < body.size() && (std::isalnum(static_cast<unsigned char>(body[end])) || body[end] == '-')) ++end;
      const std::string token = body.substr(at, end - at);
      const bool was_typed = overridden.count(token) > 0 || std::any_of(typed.begin(), typed.end(), [&](const std::string& t) {
        return t == token || t.rfind(token + "=", 0) == 0;
      });
      const std::string path = KeyPathOfFlag(token);
      if (!path.empty() && !was_typed) {
        where = fmt::format("{}: {}", file, path);
        flag = token;
        break;
      }
    }
  }
  if (where.empty()) return message;
  if (body.rfind(flag + ": ", 0) == 0) {
    body = body.substr(flag.size() + 2);
  } else if (body.rfind(flag + " '", 0) == 0) {  // "--goodput 'x:y': ..." quotes the value it means
    body = body.substr(flag.size() + 1);
  } else if (const std::string convert = "Could not convert: " + flag + " = "; body.rfind(convert, 0) == 0) {
    const size_t end = body.find(" (see bench");
    body = fmt::format("'{}' is not a valid value for {}", body.substr(convert.size(), end - convert.size()), flag) +
           (end == std::string::npos ? "" : body.substr(end));
  } else if (body.find("not expected") != std::string::npos) {
    body = subcommand == ConfigSubcommand::kProcessExportFiles
               ? fmt::format("not used by process-export-files, which takes the runs' recorded settings ({})", flag)
               : fmt::format("not used by {} ({})", ConfigSubcommandName(subcommand), flag);
  }
  return prefix + where + ": " + body + "\n";
}

}  // namespace

Command FromConfigFile(const std::string& file, bool override_config, const std::vector<std::string>& typed,
                       std::ostream& out, std::ostream& err) {
  Command stop;
  stop.kind = Command::Kind::kExit;
  const ConfigFileResult read = ReadConfigFile(file);
  if (!read.error.empty()) {
    err << "bench: error: " << read.error << "\n";
    stop.exit_code = read.exit_code;
    return stop;
  }
  if (!override_config) {
    for (const std::string& arg : typed) {
      if (arg.rfind('-', 0) == 0 && !IsOutputOnlyFlag(arg)) {
        err << "bench: error: " << arg
            << ": flags after the config file need --override-config (then they win over the file)\n";
        stop.exit_code = kExitUsage;
        return stop;
      }
    }
  }
  const std::set<std::string> overridden = TypedFlags(read.subcommand, typed, read.args);
  std::vector<ConfigArg> from_file;
  for (const ConfigArg& arg : read.args) {
    if (std::none_of(arg.owned_flags.begin(), arg.owned_flags.end(),
                     [&](const std::string& f) { return overridden.count(f) > 0; })) {
      from_file.push_back(arg);
    }
  }
  std::vector<std::string> args = {"bench", ConfigSubcommandName(read.subcommand)};
  for (std::string& a : ConfigArgv(from_file)) args.push_back(std::move(a));
  args.insert(args.end(), typed.begin(), typed.end());
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::ostringstream nested_err;
  Command cmd = ParseCommandLine(static_cast<int>(argv.size()), argv.data(), out, nested_err);
  std::string message = nested_err.str();
  if (cmd.kind == Command::Kind::kExit && cmd.exit_code == kExitUsage) {
    message = AttributeToKey(message, from_file, typed, overridden, file, read.subcommand);
  }
  err << message;
  return cmd;
}


}  // namespace bench
