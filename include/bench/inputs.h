#pragma once
// Request inputs: the dataset of prompts (synthetic or from a file), the request bodies built
// from it (GenAI-Perf's converters, reference §3), and the inputs.json artifact.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/config.h"
#include "bench/sessions.h"
#include "bench/synthetic_prompt.h"
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

/// The request bodies, one per dataset entry, plus the model each one targets.
struct Dataset {
  std::vector<nlohmann::ordered_json> payloads;
  /// Payload traces: per entry, PA metadata written beside the payload in inputs.json
  /// (`session_id`, `delay`, `timestamp`); empty otherwise.
  std::vector<nlohmann::ordered_json> metadata;
  /// Payload traces: per entry, the `timestamp` in ms (-1 when the line has none); empty otherwise.
  std::vector<int64_t> timestamps_ms;
  /// Session mode (--session-concurrency): the sessions over `payloads`, one entry per turn
  /// (each a chat body of that turn's own user message); empty otherwise.
  std::vector<SessionSpec> sessions;
  /// Synthetic prompts that missed their exact token count (0 in every test so far).
  size_t inexact_prompts = 0;
};

/// Builds the dataset for `config`, in GenAI-Perf's order of random use: the prefix pool, then
/// each prompt (length, start, prefix), then each body (model, max_tokens). Synthetic prompts
/// have exactly the sampled number of tokens under `tokenizer` (plus the prefix's, with
/// --num-prefix-prompts); the same seed gives the same dataset on any machine. A payload trace
/// (`config.payload_input`, trace.h) gives one body per line, through the same body builder.
Parsed<Dataset> BuildDataset(const ProfileConfig& config, const Tokenizer& tokenizer);

/// inputs.json as GenAI-Perf writes it: {"data": [{"payload": [body]}, ...]}, indent 2.
std::string InputsJson(const Dataset& dataset);

}  // namespace bench
