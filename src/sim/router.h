#pragma once
// What the simulator answers to a request before any generation: the route (path and method),
// the request's JSON, a fault forced by header, and the faults that answer in place of a stream.
// Pure, without Beast, so every answer that does not generate is tested without a socket.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/faults.h"
#include "sim/openai.h"

namespace bench {

struct SimulatorOptions;

/// A complete answer (JSON unless said otherwise): status, body and the optional Allow /
/// Retry-After headers.
struct SimReply {
  int status = 200;
  std::string body;
  std::string allow;        // empty = no Allow header
  std::string retry_after;  // empty = no Retry-After header
  std::string content_type = "application/json";
  /// Sent this long after the request was complete (a media endpoint's compute time); 0 = at once.
  std::chrono::nanoseconds delay{0};
};

/// Either a reply to send at once or a completion request to generate for.
struct SimRoute {
  std::optional<SimReply> reply;
  std::optional<SimRequest> request;  // set when `reply` is not
  std::optional<SimFault> header_fault;  // X-Bench-Fault, which wins over the body's bench_fault
  // GET /metrics: `reply` is the Prometheus page's head; its body is the live counters, which
  // only the connection's shared state has (SimServerStats).
  bool metrics_page = false;
};

/// Routes one fully read request. `target` may carry a query (ignored); `fault_header` is the
/// X-Bench-Fault value when the header is present; `now_unix` labels /v1/models' `created`.
SimRoute RouteSimRequest(std::string_view method, std::string_view target,
                         std::optional<std::string_view> fault_header, std::string_view body,
                         const SimulatorOptions& options, int64_t now_unix);

/// The JSON answer of a fault that replaces the response (http_429/500/503), or none.
std::optional<SimReply> SimFaultReply(SimFaultKind kind);

}  // namespace bench
