#pragma once
// Payload traces (`--input-file payload:FILE`, reference §3.4): Mooncake-style JSONL, one request
// per line, and the prompts they describe. Hash-id blocks make equal ids give equal prefixes.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dataset/inputs.h"
#include "dataset/synthetic_prompt.h"

namespace bench {

/// Tokens per hash-id block (Mooncake's and GenAI-Perf's block size).
inline constexpr int kTraceBlockTokens = 512;

/// One line of a payload trace.
struct TraceEntry {
  int line = 0;                          // 1-based line in the file, for messages
  std::optional<int64_t> timestamp_ms;   // send time relative to the start (--fixed-schedule)
  std::optional<int> input_length;       // synthetic prompt of exactly this many tokens
  std::vector<int64_t> hash_ids;         // 512-token blocks of the synthetic prompt
  std::optional<std::string> text;       // literal prompt (`text` or `text_input`), stripped
  std::optional<int> output_length;      // -> max_tokens
  nlohmann::ordered_json session_id;     // null = none; PA metadata beside the payload
  std::optional<int64_t> delay_ms;       // PA metadata beside the payload (sessions)
  nlohmann::ordered_json priority;       // null = none; copied into the body as "priority"
  nlohmann::ordered_json extra = nlohmann::ordered_json::object();  // other keys, into the body
};

/// Reads a payload trace. Every error is "FILE:LINE: field 'NAME': what is wrong". With
/// `require_timestamps` (--fixed-schedule) every line needs a `timestamp`, and timestamps may
/// not go backwards.
Parsed<std::vector<TraceEntry>> ReadTraceFile(const std::string& path, bool require_timestamps);

/// Sizes of the hash-id blocks of `entry`: 512 each, the last input_length - 512*(n-1).
std::vector<int> TraceBlockSizes(const TraceEntry& entry);

/// The prompt of each entry: its text, or a synthetic prompt of exactly input_length tokens.
/// With hash_ids the prompt is the entry's blocks joined by " "; the block of a given (id, size)
/// is generated once, so lines sharing leading hash ids share a textual prefix. `inexact`
/// counts prompts whose joined text missed input_length (a token merged across a block
/// boundary; not seen with the built-in tokenizer).
std::vector<std::string> TracePrompts(const std::vector<TraceEntry>& entries,
                                      SyntheticPromptGenerator& generator, const Tokenizer& tokenizer,
                                      size_t& inexact);

}  // namespace bench
