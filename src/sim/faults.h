#pragma once
// The simulator's fault model: which misbehaviour (if any) a generation request gets, chosen
// from per-fault rates with the request's seeded RNG or forced per request by the client, and
// the pure text transforms that turn a well-formed SSE event into a faulty one. No sockets here:
// sim/connection only asks "which fault?" and applies it. docs/simulator.md lists every fault.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

class SimRng;

/// One kind of misbehaviour. The argument each takes (SimFault::arg) is in brackets.
enum class SimFaultKind {
  kNone,
  kHttp429,             // 429 + JSON error body + Retry-After: 1
  kHttp500,             // 500 + JSON error body
  kHttp503,             // 503 + JSON error body + Retry-After: 1
  kRefuse,              // close the connection (FIN) without answering
  kResetBeforeHeaders,  // abort the connection (RST) without answering
  kDisconnectAfter,     // [N content chunks, default 1] then close mid-stream
  kStall,               // [T s, default 10] no bytes between the headers and the first content chunk
  kSlowHeaders,         // [T s, default 1] response headers leave T seconds late
  kSseNoBlankLine,      // events end with one "\n" instead of a blank line
  kSseJunkLines,        // a non-field line ("bench-junk-line") inside every event
  kSseComments,         // ": ..." comment lines and comment-only events between events
  kSseErrorEvent,       // after the first content chunk: `event: error` + error JSON, then [DONE]
  kInvalidJsonChunk,    // the first content event's JSON is truncated
  kInvalidUtf8,         // raw invalid UTF-8 bytes inside the first content event's text
  kBigChunk,            // [BYTES, default 10 MiB] the first content event padded to this size
  kNoDone,              // the stream ends without `data: [DONE]`
  kNonStreamingAnswer,  // a stream request answered with one application/json body
  kUsageOnlyChunks,     // a `choices: []` usage chunk after every content chunk
  kReasoning,           // [N chunks, default 4] `delta.reasoning_content` chunks before content
};

/// A fault and its argument (chunks, seconds or bytes; see SimFaultKind).
struct SimFault {
  SimFaultKind kind = SimFaultKind::kNone;
  double arg = 0;
};

/// A fault applied to a share of the requests.
struct SimFaultRate {
  SimFault fault;
  double rate = 0;  // in [0, 1]
};

/// Fault rates of a simulator; their sum is at most 1. Empty = a well-behaved server.
struct SimFaults {
  std::vector<SimFaultRate> rates;
};

/// Lower-case name ("http_500", "disconnect_after", ...).
const char* SimFaultName(SimFaultKind kind);
/// Every fault name but "none", comma-separated, for error messages and --help.
std::string SimFaultNames();

/// A parsed fault, or the one-line reason it is invalid.
struct SimFaultParse {
  std::optional<SimFault> fault;
  std::string error;
};
/// Parses "<name>[:<arg>]" ("none" is valid). The argument is a number, checked per fault;
/// absent = that fault's default.
SimFaultParse ParseSimFault(std::string_view spec);

/// Parses "<name>[:<arg>]=<rate>" and appends it to `faults`; returns "" or a one-line error
/// (unknown name, rate outside [0, 1], rates summing above 1).
std::string AddSimFaultRate(SimFaults& faults, std::string_view spec);

/// The fault of one request: `forced` when the client asked for one (header or body field),
/// otherwise one uniform draw from `rng` walked through the cumulative rates.
SimFault ChooseSimFault(const SimFaults& faults, const std::optional<SimFault>& forced, SimRng& rng);

// --- event transforms (input: one "data: ...\n\n" event as SimResponseFormatter writes it) ---

/// kSseNoBlankLine: the event with its final blank line removed.
std::string WithoutBlankLine(std::string_view event);
/// kSseJunkLines: a line that is no SSE field inserted before the event's data line.
std::string WithJunkLine(std::string_view event);
/// kInvalidJsonChunk: the event's JSON with its closing brace cut off.
std::string WithTruncatedJson(std::string_view event);
/// kInvalidUtf8: raw bytes 0xFF 0xFE inserted at the start of the event's text string.
std::string WithInvalidUtf8(std::string_view event);
/// kBigChunk: a `"bench_padding"` string member added so the event is about `bytes` long; the
/// text is unchanged, so the request's token counts stay exact.
std::string WithPadding(std::string_view event, size_t bytes);
/// kSseComments: a comment-only event (sent between events).
std::string CommentEvent();
/// kSseErrorEvent: `event: error` with an OpenAI-style error object as data.
std::string ErrorEvent();

}  // namespace bench
