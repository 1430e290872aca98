#pragma once
// `--task` presets: typical input/output token ranges per kind of LLM task (the token table of
// our reference guide). A preset sets the mean (midpoint) and stddev (range / 4) of the prompt
// length and of max_tokens, and clamps sampled values to the range.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "app/config.h"

namespace bench {

/// An inclusive token range.
struct TokenRange {
  int min = 0;
  int max = 0;
  /// The midpoint, rounded down.
  int Mean() const { return (min + max) / 2; }
  /// A quarter of the width, rounded down: ~95 % of a normal sample falls inside the range.
  int Stddev() const { return (max - min) / 4; }
};

/// One preset: its --task name and input/output token ranges.
struct TaskPreset {
  std::string_view name;
  TokenRange input;
  TokenRange output;
};

/// Every preset, in the order --help lists them.
std::span<const TaskPreset> TaskPresets();

/// The preset called `name`, or nullptr.
const TaskPreset* FindTaskPreset(std::string_view name);

/// "translation, summarization, ..." for error messages.
std::string TaskPresetNames();

/// One line per preset ("translation  in 150-300  out 150-300") for --help.
std::string TaskPresetTable();

/// Which length flags the user typed; those win over the preset.
struct ExplicitLengthFlags {
  bool input_mean = false;
  bool input_stddev = false;
  bool output_mean = false;
  bool output_stddev = false;
};

/// Applies `preset` to `config` except where `given` says a flag was typed. A dimension (input
/// or output) whose mean and stddev both come from the preset is also clamped to its range.
void ApplyTaskPreset(const TaskPreset& preset, const ExplicitLengthFlags& given, ProfileConfig& config);

}  // namespace bench
