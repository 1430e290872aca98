#pragma once
// bench's metrics for reasoning models, server-reported token counts and the chunk check
// (docs/metrics.md "Reasoning models", "Server token counts", "Tokens per chunk"). GenAI-Perf's
// own rows stay as it computes them; with --use-server-token-count they take the server's
// counts, and this keeps the tokenizer's beside them.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "record/reasoning.h"
#include "record/record.h"
#include "record/response_parser.h"
#include "tokenizer/tokenizer.h"

namespace bench {

/// One run's reasoning, server-count and chunk figures (ns for times, tokens for counts).
struct ReasoningMetrics {
  // Per request with a reasoning delta (kept empty when no request had one).
  std::vector<double> time_to_first_reasoning_token;
  // Per request with a content delta, while any request of the run reasons.
  std::vector<double> time_to_first_answer_token;
  // Per request (0 for a request without reasoning), while any request of the run reasons.
  std::vector<double> reasoning_token_count;
  std::vector<double> answer_token_count;
  // Per request with more than one read carrying output and more than one output token:
  // (last output read - first output read) / (reasoning + answer tokens - 1), rounded half-even.
  std::vector<double> inter_token_latency_with_reasoning;
  size_t requests_with_reasoning = 0;

  // --use-server-token-count: per request that had usage, the server's and the tokenizer's
  // counts (OSL: reasoning + answer, as the server counts completion tokens).
  bool use_server_token_count = false;
  std::vector<double> server_osl, tokenizer_osl;
  std::vector<double> server_isl, tokenizer_isl;
  size_t requests_without_usage = 0;  // fell back to the tokenizer
  size_t requests_counted = 0;        // requests with a kept response

  // The chunk check: output tokens (server's when given, else the tokenizer's) over the reads
  // that carried output text, summed over the run.
  double chunk_tokens = 0;
  size_t chunks = 0;
  size_t chunk_tokens_from_usage = 0;  // requests whose tokens came from usage
};

/// The token counts GenAI-Perf's rows use for one request.
struct RowTokens {
  size_t isl = 0;
  size_t osl = 0;
  size_t itl_tokens = 0;  // the divisor of GenAI-Perf's ITL (its window spans answer tokens)
};

/// Takes one successful request of an LLM format at a time, after GenAI-Perf's pre-processing.
class ReasoningAccumulator {
 public:
  /// `tokenizer` may be null (then token counts are 0 unless the server gives them).
  ReasoningAccumulator(ResponseFormat format, const Tokenizer* tokenizer, bool use_server_token_count);
  ~ReasoningAccumulator();
  ReasoningAccumulator(const ReasoningAccumulator&) = delete;
  ReasoningAccumulator& operator=(const ReasoningAccumulator&) = delete;

  /// `kept`: the request's kept responses (at least one); `isl` and `osl`: the tokenizer's
  /// counts GenAI-Perf uses. Returns the counts the GenAI-Perf rows use for this request.
  RowTokens Add(const RequestRecord& request, const ProcessedResponses& kept, size_t isl, size_t osl);
  /// Call once, after the last Add.
  ReasoningMetrics Finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace bench
