#pragma once
// What a server says about each request in its own answer: llama.cpp ends every response (the
// last SSE chunk, or the JSON body) with a `timings` object — prompt and generation time,
// tokens, cached tokens. Set beside the client's own first read, it splits the time to the
// first byte into the server's prefill and the rest (queue, network, client).

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "record/record.h"

namespace bench {

/// llama.cpp's `timings` of one request.
struct ServerTiming {
  double prompt_ms = 0;      // prefill of the uncached prompt tokens
  double predicted_ms = 0;   // generation
  int64_t prompt_n = 0;      // prompt tokens processed (cached ones excluded)
  int64_t predicted_n = 0;   // tokens generated
  int64_t cache_n = 0;       // prompt tokens reused from the cache
};

/// The `timings` object of `record`'s response (the last one in it), if the server sent one.
std::optional<ServerTiming> ServerTimingOf(const RequestRecord& record);

/// Per-request server timings of a run, gathered one record at a time.
class RequestTimings {
 public:
  /// Takes a successful request's timings; others are skipped.
  void Add(const RequestRecord& record);
  /// {"source", "requests", "cached_prompt_tokens", then {"avg", "p50", "p99"} of
  /// "server_prompt_ms", "client_first_read_ms", "first_read_outside_prefill_ms",
  /// "server_ms_per_output_token"}; null when no request carried timings.
  nlohmann::ordered_json Summary() const;
  /// Console rows for Summary(): "Server Prefill Per Request (ms) [timings]", ...
  std::vector<std::pair<std::string, std::string>> Rows() const;

 private:
  std::vector<double> prompt_ms_;
  std::vector<double> first_read_ms_;
  std::vector<double> outside_ms_;
  std::vector<double> per_token_ms_;
  int64_t cached_ = 0;
};

}  // namespace bench
