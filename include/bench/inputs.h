#pragma once
// Request inputs: the dataset of prompts (synthetic or from a file), the request bodies built
// from it (GenAI-Perf's converters, reference §3), and the inputs.json artifact.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/config.h"
#include "bench/tokenizer.h"

namespace bench {

/// Result of a parse step that may fail with a one-line message.
template <typename T>
struct Parsed {
  T value{};
  std::string error;  // empty on success
  bool ok() const { return error.empty(); }
};

/// `--extra-inputs` values -> one JSON object (typing rules of reference §1.2: true/false ->
/// bool, digits -> int, one dot -> float, `name` alone -> null, `{...}` merged; duplicates are
/// an error).
Parsed<nlohmann::ordered_json> ParseExtraInputs(const std::vector<std::string>& raw);

/// `--goodput k:v` pairs (value in ms for times, tokens/s for throughput).
Parsed<std::vector<std::pair<std::string, double>>> ParseGoodput(const std::vector<std::string>& raw);

/// One dataset entry: the prompt text of one request.
struct PromptEntry {
  std::string text;
};

/// Reads `--input-file` JSONL (`text` or `text_input` per line; prompts are stripped).
/// Errors name the file and line.
Parsed<std::vector<PromptEntry>> ReadInputFile(const std::string& path);

/// Synthetic prompts of `mean ± stddev` tokens (GenAI-Perf: n = max(0, int(gauss(mean, sd)))),
/// sliced from a corpus encoded with `tokenizer`, re-encoded and trimmed so each prompt has
/// exactly n tokens whenever the tokenizer allows it.
class SyntheticPromptGenerator {
 public:
  SyntheticPromptGenerator(const Tokenizer& tokenizer, std::mt19937_64& rng);
  /// A prompt of (as close as possible to) exactly `num_tokens` tokens.
  std::string Generate(int num_tokens);
  /// Samples n = max(0, int(gauss(mean, stddev))) and generates a prompt of n tokens.
  std::string GenerateSampled(int mean, int stddev);

 private:
  const Tokenizer& tokenizer_;
  std::mt19937_64& rng_;
  std::vector<int32_t> corpus_;
};

/// The request bodies, one per dataset entry, plus the model each one targets.
struct Dataset {
  std::vector<nlohmann::ordered_json> payloads;
};

/// Builds the dataset for `config` (synthetic or file prompts; chat or completions bodies with
/// model selection, stream, max_tokens sampling and extra inputs).
Parsed<Dataset> BuildDataset(const ProfileConfig& config, const Tokenizer& tokenizer);

/// inputs.json as GenAI-Perf writes it: {"data": [{"payload": [body]}, ...]}, indent 2.
std::string InputsJson(const Dataset& dataset);

}  // namespace bench
