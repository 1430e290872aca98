#pragma once
// Arguments that come from GenAI-Perf's command lines rather than bench's own: perf_analyzer
// options after a bare `--` (GenAI-Perf passes them through; docs/compatibility.md has the
// table), and GenAI-Perf flags bench does not implement yet. Pure functions; cli.cc calls them
// before CLI11 sees the arguments.

#include <string>
#include <vector>

namespace bench {

/// perf_analyzer options after `--`, as bench flags.
struct PassthroughResult {
  std::vector<std::string> bench_args;  // e.g. {"--measurement-interval", "5000"}
  std::vector<std::string> warnings;    // one line per option accepted without effect
  std::string error;                    // one line naming the first option bench cannot honour
};

/// Translates perf_analyzer options (`--opt value`, `--opt=value`, `-p value`): those with a
/// bench meaning become bench flags, those that do not change what bench measures are accepted
/// with a warning, anything else is an error.
PassthroughResult TranslatePerfAnalyzerArgs(const std::vector<std::string>& args);

/// "--backend: GenAI-Perf's flag is not supported by bench yet (...)" for the first argument
/// that is a GenAI-Perf profile flag bench does not implement; "" when there is none.
std::string UnsupportedGenAiPerfFlag(const std::vector<std::string>& args);

}  // namespace bench
