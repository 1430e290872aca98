#pragma once
// The per-request record: what a worker measured for one request, in the shape of
// perf_analyzer's profile export (reference §4.3) plus bench's typed error.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "record/response_outputs.h"

namespace bench {

/// Why a request failed. A failed request is data, never an exception.
enum class ErrorKind {
  kNone,
  kConnect,          // could not connect / resolve
  kHttpStatus,       // server answered with a non-2xx status
  kReset,            // connection closed or reset mid-response
  kTls,              // TLS handshake or certificate verification failed
  kTimeout,          // request exceeded its timeout
  kMalformedStream,  // bytes that are not a valid SSE stream
  kInvalidJson,      // a response body or event that is not valid JSON (or not UTF-8)
  kServerError,      // a 2xx answer reporting an error (SSE `event: error`, {"error": ...})
  kCancelled,        // stopped by the user (Ctrl-C) or by the end of the run
  kOther,
};

/// Stable lower-case name used in artifacts ("connect", "http_status", ...).
const char* ErrorKindName(ErrorKind kind);
/// Inverse of ErrorKindName; unknown names map to kOther.
ErrorKind ErrorKindFromName(const std::string& name);

struct RequestError {
  ErrorKind kind = ErrorKind::kNone;
  int http_status = 0;  // 0 when no status line was received
  std::string message;
};

/// What the body check learnt on its one walk over a streamed 2xx body (record/stream_check), so
/// that the metrics stage need not split and parse the body again. Not exported: a record read
/// back from a file has none and is read the long way, with the same results.
struct BodyReading {
  /// Each read's OpenAI text (chat, completions; "" when the read has none), exactly as
  /// PreprocessResponses would keep it; empty when the walk could not tell (reads that split
  /// events, CR line ends, a failed event, ...).
  std::vector<std::string> read_texts;
  bool texts_known = false;
  /// Each read's `data:` lines but `data: [DONE]` (transport/packed_body's EventsIn); empty
  /// when the reads do not cut the body between events.
  std::vector<uint32_t> read_events;
  unsigned keys = 0;  // the BodyKey bits (record/reads_search) of the keys the body holds
};

/// One request as exported in profile_export.json.
struct RequestRecord {
  int64_t timestamp_ns = 0;  // send time, epoch ns: when the request was written to its connection
  // For OpenAI: {"payload": "<body as string>", optional session_id/delay/...}.
  // For Triton-style exports: a map of input tensor names to values.
  nlohmann::json request_inputs = nlohmann::json::object();
  std::vector<int64_t> response_timestamps;  // epoch ns, one per network read
  // One per read, the object perf_analyzer writes: {"response": "<raw text of one read>"} for
  // OpenAI, {"text_output": ...} for Triton, {"output_ids": ...} for the C API (read from a file).
  ResponseOutputs response_outputs;
  std::optional<RequestError> error;  // bench addition: exported as "error" when set
  std::optional<int64_t> intended_timestamp_ns;  // open-loop schedule: the intended send time
  std::string request_id;  // bench addition: the X-Request-Id sent (exported when non-empty)
  // bench addition: when the request was handed to the HTTP client (perf_analyzer's stamp);
  // `timestamp_ns` minus this is time spent waiting for a connection or for the loop.
  std::optional<int64_t> handoff_timestamp_ns;
  // bench addition, not exported: every JSON text of the response (each SSE event's data, or
  // the body) passed the body check after the run, so the metrics read texts without validating
  // them again (record/validated_text). False (validate) for records read back from a file.
  bool json_checked = false;
  // bench addition, not exported: set by the body check of a stream that passed it.
  std::optional<BodyReading> reading;
};

/// One load level ("experiment") of a profile export.
struct Experiment {
  std::string mode = "concurrency";  // "concurrency" or "request_rate"
  double value = 1;                  // integer for concurrency, double for request_rate
  std::vector<RequestRecord> requests;
  std::vector<int64_t> window_boundaries;
};

/// The whole profile_export.json document.
struct ProfileExport {
  std::vector<Experiment> experiments;
  std::string version;
  std::string service_kind = "openai";
  std::string endpoint;
};

}  // namespace bench
