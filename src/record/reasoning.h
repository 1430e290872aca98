#pragma once
// What a reasoning model's response holds beyond GenAI-Perf's text (reference §2.4 keeps only
// `content`): the reasoning deltas (`reasoning_content` from vLLM, SGLang and DeepSeek;
// `reasoning` from newer vLLM, llama.cpp --reasoning-format and OpenRouter), the answer deltas,
// when each arrived, and the server's `usage` block. Pure functions of one request's reads.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "record/response_format.h"
#include "record/response_outputs.h"

namespace bench {

/// The server's token counts from a response's `usage` object (the last one seen).
struct ServerUsage {
  std::optional<int64_t> prompt_tokens;
  std::optional<int64_t> completion_tokens;
  // completion_tokens_details.reasoning_tokens (OpenAI; most open servers leave it out).
  std::optional<int64_t> reasoning_tokens;
};

/// One request's output split into reasoning and answer, after the same stitching of
/// splintered reads GenAI-Perf does. Times are the reads' timestamps (ns).
struct ReasoningSplit {
  std::string reasoning;  // all reasoning deltas joined
  std::string answer;     // all content deltas joined (GenAI-Perf's text)
  std::optional<int64_t> first_reasoning;  // first read with a non-empty reasoning delta
  std::optional<int64_t> first_answer;     // first read with a non-empty content delta
  std::optional<int64_t> first_output;     // first read with either
  std::optional<int64_t> last_output;      // last read with either
  size_t output_reads = 0;  // reads carrying reasoning or answer text (GenAI-Perf's kept responses, reasoning included)
  std::optional<ServerUsage> usage;
};

/// Splits one request's `response_outputs` (PA objects {"response": "..."}) of an OpenAI
/// format. Other formats give an empty split. Bodies that do not parse are skipped (GenAI-Perf's
/// pre-processing counts them as failed responses already).
ReasoningSplit SplitReasoning(ResponseFormat format, const ResponseOutputs& outputs,
                              std::span<const int64_t> timestamps);

namespace detail {
/// The reasoning and answer text of one event's data or JSON body, and its usage; false when
/// the payload is not a JSON object.
bool ReadReasoningPayload(std::string_view payload, std::string& reasoning, std::string& answer,
                          std::optional<ServerUsage>& usage);
}  // namespace detail

}  // namespace bench
