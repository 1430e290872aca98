#pragma once
// The table of the YAML config file's keys (GenAI-Perf's layout, reference §5.1): each key
// path, how its value becomes flags, the flag, the default create-template writes and its
// comment. The reader (config_file) and the template (config_template) both walk it.

#include <map>
#include <string>
#include <vector>

namespace bench {

// How a key's YAML value becomes flags.
enum class Kind {
  kValue,        // one scalar -> --flag=VALUE
  kSwitch,       // a boolean -> the bare flag when true
  kValues,       // a scalar, a comma-separated string or a list -> --flag=V for each
  kRepeated,     // a scalar or a list, never split at commas -> --flag=V for each
  kStimulus,     // perf_analyzer.stimulus: {concurrency: N} | {request_rate: R} | fixed_schedule
  kExtraInputs,  // input.extra: a mapping (one JSON object) or "name:value" strings
  kGoodput,      // input.goodput: a mapping {metric: value} or "metric:value" strings
  kSweep,        // analyze: {TYPE: {start, stop[, step]}} or {TYPE: [values]}
  kInputPath,    // process.input_path
  kIgnored,      // meaningful only to perf_analyzer; accepted with any value
  kDefaultOnly,  // a GenAI-Perf key bench has no flag for yet: only its default is accepted
  kMeasurementMode,  // perf_analyzer.measurement.mode: request_count | interval
  kMeasurementNum,   // perf_analyzer.measurement.num: --request-count or --measurement-interval, by the mode
};

struct Key {
  std::string path;
  Kind kind;
  std::string flag;          // "" for kIgnored / kDefaultOnly
  std::string default_text;  // the value create-template writes ("" = empty)
  std::string comment;       // written above the key by create-template -v
  bool in_template = true;
};

/// Every key, in GenAI-Perf's template order.
const std::vector<Key>& Keys();

/// Comments of sections that hold no key in the template, by section path.
const std::map<std::string, std::string>& SectionComments();

/// The key path GenAI-Perf's other spellings stand for ("model_name" -> "model_names").
std::string CanonicalPath(const std::string& path);

/// The key at `path`, or null.
const Key* FindKey(const std::string& path);

/// Whether `path` is a section (holds keys below it).
bool IsSection(const std::string& path);

/// The names directly under a section ("" = the top level), in table order.
std::vector<std::string> ChildNames(const std::string& section);

/// The key path a flag is set by ("--concurrency" -> "perf_analyzer.stimulus.concurrency"),
/// or "" when no key sets it.
std::string KeyPathOfFlag(const std::string& flag);

}  // namespace bench
