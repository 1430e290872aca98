#pragma once
// Request inputs: the dataset of prompts (synthetic or from a file), the request bodies built
// from it (GenAI-Perf's converters, reference §3), and the inputs.json artifact.

#include <cstdint>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dataset/media/media_options.h"
#include "dataset/sessions.h"
#include "dataset/synthetic_prompt.h"
#include "tokenizer/tokenizer.h"

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
  /// kserve: each inputs.json row is the body's tensors themselves (no "payload" wrapper).
  bool tensor_rows = false;
};

/// What the dataset is made from: the workload part of the run's configuration (the flags of
/// the same names, validated by the CLI).
struct DatasetOptions {
  std::vector<std::string> models;
  std::string model_selection_strategy = "round_robin";  // or "random"
  std::string endpoint_type = "chat";  // an --endpoint-type name (app/profile_flags accepts them)
  std::string backend = "tensorrtllm";  // kserve: tensorrtllm | vllm
  bool streaming = false;
  bool include_usage = false;  // streaming: ask for stream_options.include_usage (--use-server-token-count)
  nlohmann::ordered_json extra_inputs = nlohmann::ordered_json::object();
  uint64_t random_seed = 0;
  // Synthetic prompts and answers.
  int num_dataset_entries = 100;
  int synthetic_input_tokens_mean = 550;
  int synthetic_input_tokens_stddev = 0;
  std::optional<std::pair<int, int>> synthetic_input_tokens_clip;
  std::optional<int> output_tokens_mean;
  int output_tokens_stddev = 0;
  std::optional<std::pair<int, int>> output_tokens_clip;
  int num_prefix_prompts = 0;      // pool of synthetic prefixes; 0 = no prefix
  int prefix_prompt_length = 100;  // tokens per prefix prompt
  // --input-file FILE, or a payload trace (`payload_input`) replayed or not (`fixed_schedule`).
  std::string input_file;
  bool payload_input = false;
  bool fixed_schedule = false;
  // Sessions (--session-concurrency and the --session-* shape flags).
  std::optional<int> session_concurrency;
  int num_sessions = 0;
  int session_turns_mean = 1;
  int session_turns_stddev = 0;
  int session_turn_delay_mean = 0;
  int session_turn_delay_stddev = 0;
  double session_delay_ratio = 1.0;
  // Batched text endpoints (embeddings, rankings; retrieval_inputs.h): texts per request, and
  // GenAI-Perf's synthetic file names (`--input-file synthetic:queries,passages`). For these,
  // `input_file` may also be a directory of JSONL files.
  int batch_size_text = 1;
  std::vector<std::string> synthetic_files;
  // Synthetic images and audio (multimodal, image_retrieval, nvclip: dataset/media).
  MediaOptions media;
};

/// Builds the dataset for `config`, in GenAI-Perf's order of random use: the prefix pool, then
/// each prompt (length, start, prefix), then each body (model, max_tokens). Synthetic prompts
/// have exactly the sampled number of tokens under `tokenizer` (plus the prefix's, with
/// --num-prefix-prompts); the same seed gives the same dataset on any machine. A payload trace
/// (`config.payload_input`, trace.h) gives one body per line, through the same body builder.
Parsed<Dataset> BuildDataset(const DatasetOptions& config, const Tokenizer& tokenizer);

/// max_tokens of one body (reference §3.2): int(max(1, gauss(mean, stddev))), clamped by a task
/// preset; needs config.output_tokens_mean.
int SampleMaxTokens(const DatasetOptions& config, RandomStream& rng);

/// inputs.json as GenAI-Perf writes it: {"data": [{"payload": [body]}, ...]} (kserve: {"data":
/// [body, ...]}), indent 2.
std::string InputsJson(const Dataset& dataset);

}  // namespace bench
