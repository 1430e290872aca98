#pragma once
// A built-in OpenAI-compatible LLM server used by `bench simulator`, `bench profile
// --simulator` and every end-to-end test.

#include <cstdint>
#include <memory>
#include <string>

#include "sim/faults.h"

namespace bench {

struct SimulatorOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8000;             // 0 = pick a free port
  std::string model = "bench-sim";  // reported by /v1/models; any requested model is accepted
  /// The NIM-style profile /v1/metadata reports (profile_name; profile_id is derived from it).
  std::string profile_name = "bench-sim-bf16-tp1-pp1";
  double ttft_ms = 20.0;            // base time to first token
  double ttft_per_input_token_ms = 0.0;  // prefill cost per input token (ApproxPromptTokens)
  double itl_ms = 5.0;              // base inter-token latency (per token, not per chunk)
  double itl_per_stream_ms = 0.0;   // added per concurrently decoding stream
  int tokens_per_chunk = 1;         // tokens in each SSE content chunk (>= 1)
  /// Chat: reasoning tokens before the answer (`reasoning_content`, tokens_per_chunk per
  /// event; the message's `reasoning_content` when not streaming), counted in
  /// usage.completion_tokens as vLLM's reasoning parsers do. 0 = a plain model.
  int reasoning_tokens = 0;
  double jitter = 0.0;              // relative jitter on every delay, uniform in [-j, +j]
  int default_max_tokens = 16;      // output length when the request has no max_tokens
  /// Per-token chance of an early EOS once min_tokens are out (finish_reason "stop"); ignored
  /// when the request sets ignore_eos. 0 = every answer is exactly max_tokens long.
  double eos_probability = 0.0;
  int embedding_dimensions = 1024;  // /v1/embeddings vector length unless the request asks for `dimensions`
  uint64_t seed = 0;                // RNG seed: same seed + same request body = same text/delays
  int threads = 1;                  // event-loop threads
  SimFaults faults;                 // injected misbehaviour (docs/simulator.md); none by default
  /// When set, a JSONL send log (receive time and per-event write times of every request,
  /// simulator_event_log.h) is written to this file; empty = no log.
  std::string event_log_path;
};

/// Runs the simulator on its own thread(s) until Stop() or destruction.
class Simulator {
 public:
  explicit Simulator(SimulatorOptions options);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  /// Binds and starts serving; returns the bound port. Throws std::runtime_error with a
  /// one-line message if the address cannot be bound.
  uint16_t Start();
  /// Stops accepting, closes connections and joins the threads. Idempotent.
  void Stop();
  /// Blocks until Stop() is called from another thread or a signal handler path.
  void Wait();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bench
