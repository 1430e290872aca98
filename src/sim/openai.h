#pragma once
// The simulator's OpenAI dialect: reading a request body into the few fields the model needs,
// and writing vLLM-shaped responses (SSE events and whole JSON bodies). No sockets here.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/api_stream.h"
#include "sim/faults.h"

namespace bench {

struct SimulatorOptions;
class SimRng;

/// Which endpoint a request was sent to: a generation one (the Triton, TGI and Responses ones
/// answered by sim/generate_api and sim/responses_api through SimApiStream), or an encoder one
/// (embeddings.h) answered by one JSON body.
enum class SimEndpoint {
  kChat,
  kCompletions,
  kTritonGenerate,  // Triton v2/models/{model}/generate[_stream]
  kTgiGenerate,     // TGI /generate, /generate_stream
  kTgiCompat,       // TGI's root path: streams when the body says "stream": true, else a list
  kResponses,       // OpenAI /v1/responses
  kEmbeddings,
  kRanking,
  kRerank,
};

/// What the simulator takes from a request body.
struct SimRequest {
  SimEndpoint endpoint = SimEndpoint::kChat;
  std::string model;          // echoed back; any name is accepted
  bool stream = false;
  bool include_usage = false;  // stream_options.include_usage
  int max_tokens = 0;          // max_completion_tokens, else max_tokens, else the default
  int min_tokens = 0;
  bool ignore_eos = false;
  size_t input_tokens = 0;  // ApproxPromptTokens of the prompt / message contents
  uint64_t seed = 0;        // options.seed mixed with a hash of the body
  std::optional<SimFault> fault;  // forced by the body field "bench_fault"
  std::string encoder_answer;     // encoder endpoints: the whole JSON answer (embeddings.h)
};

/// A parsed request, or the one-line reason it is a 400.
struct SimParseResult {
  std::optional<SimRequest> request;
  std::string error;
};

/// The simulator's prompt length: whitespace-separated words. Deliberately not the default
/// tokenizer: its exact BPE costs ~1 us per token on the simulator's thread (a 550-token prompt:
/// 0.5 ms), which cut a one-thread simulator from ~11k to ~1.5k requests/s and would make
/// `--simulator` measure itself instead of the client. Only TTFT's per-input-token cost and
/// usage.prompt_tokens use it; bench computes ISL with its own tokenizer, never from usage.
size_t ApproxPromptTokens(std::string_view text);

/// Parses and validates `body`. Chat input tokens are the sum over messages of the count of
/// each content (string, or the text parts of an array); completions prompts may be a string,
/// strings, token ids or lists of ids, summed into one answer.
SimParseResult ParseSimRequest(SimEndpoint endpoint, std::string_view body, const SimulatorOptions& options);

/// How many tokens a request produces and why it stops.
struct SimOutputPlan {
  int tokens = 0;
  const char* finish_reason = "length";  // "length" at max_tokens, "stop" on an early EOS
};

/// Exactly max_tokens unless eos_probability > 0 and !ignore_eos, in which case each token
/// after min_tokens may end the answer with that probability.
SimOutputPlan PlanOutput(const SimRequest& request, double eos_probability, SimRng& rng);

/// `n` builtin words, each after a space except the answer's first (`at_start`): the default
/// tokenizer prepends "▁" to a text, so a leading space would cost a lone "▁" token; this way
/// an answer of n tokens, however it is chunked, joins to text of exactly n tokens.
std::string GenerateWords(int n, SimRng& rng, bool at_start);

/// Writes one request's SSE events and whole-body answer, vLLM style.
class SimResponseFormatter {
 public:
  /// `id` is the response id ("chatcmpl-..." / "cmpl-..."), `created` the Unix time label.
  SimResponseFormatter(const SimRequest& request, std::string id, int64_t created);

  /// Chat only: the role-only first event (`delta: {role: assistant, content: ""}`).
  std::string RoleEvent() const;
  /// Chat only: one reasoning event (`delta: {reasoning_content: text}`), as vLLM's reasoning
  /// parsers send before the answer.
  std::string ReasoningEvent(std::string_view text) const;
  /// One content event carrying `text`.
  std::string ContentEvent(std::string_view text) const;
  /// The event carrying finish_reason with an empty delta / text.
  std::string FinishEvent(std::string_view finish_reason) const;
  /// The usage-only event (`choices: []`), sent when include_usage is set.
  std::string UsageEvent(int prompt_tokens, int completion_tokens) const;
  /// `data: [DONE]`.
  static std::string DoneEvent();
  /// Events sent with the head: chat's role event; the other APIs' own (sim/api_stream).
  std::vector<std::string> OpeningEvents() const;
  /// The last chunk's event (TGI's carries the whole answer; OpenAI's is ContentEvent's).
  std::string LastContentEvent(std::string_view text, const SimStreamEnd& end) const;
  /// Events after the last chunk: OpenAI's finish event, or the other APIs' own.
  std::vector<std::string> ClosingEvents(const SimStreamEnd& end) const;
  /// Only OpenAI streams end with `data: [DONE]`.
  bool SendsDone() const { return api_ == nullptr; }
  /// The non-streaming JSON answer with usage.
  /// Chat: a non-empty `reasoning` goes in the message's `reasoning_content`.
  std::string FullResponse(std::string_view text, std::string_view finish_reason,
                           int prompt_tokens, int completion_tokens, std::string_view reasoning = {}) const;

 private:
  std::string Head() const;

  SimEndpoint endpoint_;
  std::shared_ptr<SimApiStream> api_;  // the non-OpenAI APIs; null for chat and completions
  std::string id_;
  std::string model_;
  int64_t created_;
};

/// `{"error":{"message":...,"type":...,"code":...}}`.
std::string SimErrorBody(int code, std::string_view type, std::string_view message);
/// The /v1/models list naming `model`.
std::string SimModelsBody(std::string_view model, int64_t created);

}  // namespace bench
