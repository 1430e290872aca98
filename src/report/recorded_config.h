#pragma once
// The `input_config` a run recorded in its *_genai_perf.json, read back: to warn before a run
// replaces another, to merge runs made alike, and to count tokens as the run did.

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace bench {

/// The input_config a previous run recorded in the export's sibling <stem>_genai_perf.json
/// (written by bench and by GenAI-Perf), or null.
nlohmann::ordered_json RecordedInputConfig(const std::filesystem::path& export_path);

/// `input_config` without what does not change the measurement (subcommand, verbosity, output
/// paths), so two runs' configurations can be compared.
nlohmann::ordered_json ComparableInputConfig(nlohmann::ordered_json input_config);

/// The dotted path of the first value that differs between `a` and `b` (e.g.
/// "input.synthetic_tokens.mean"), or "" when they are equal.
std::string FirstDifference(const nlohmann::ordered_json& a, const nlohmann::ordered_json& b);

/// input_config.tokenizer.name of a recorded input_config, or "".
std::string RecordedTokenizer(const nlohmann::ordered_json& input_config);

}  // namespace bench
