#pragma once
// After the run, off the hot path: a finished RawRecord becomes the export's RequestRecord
// (typed error, body check, per-read outputs), and the SSE-event counts the run reports.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "load/load_engine.h"
#include "record/record.h"
#include "record/session_workload.h"
#include "transport/transport.h"
#include "util/clock.h"

namespace bench {

/// The failure the transfer itself shows (cancelled, cut off, transport error, non-2xx status);
/// kind kNone when the transfer succeeded (its body is checked by ToRecord).
RequestError Classify(const RawRecord& r);

/// Adds the events of a successful stream to `totals`, and those whose gap to the previous
/// event was not measured (same read, or reads delivered by the same loop wake-up). `reading`:
/// the body check's, whose per-read event counts are used when it has them.
void CountSharedTimestamps(const RawRecord& raw, LoadResult& totals, const BodyReading* reading = nullptr);

/// The export record of `raw`: epoch timestamps through `anchor`, the payload sent (`bodies`,
/// or the session's turn), the reads as response outputs (kept out for an HTTP error body),
/// the typed error after the body check; counts streams without [DONE] and shared
/// timestamps into `totals`. `triton`: a KServe gRPC request (its reads are the responses'
/// text_output): request_inputs are the body's tensors (TritonRequestInputs), each output is
/// {"text_output": read}, and there is no SSE/JSON body to check. The record takes raw's body
/// and read ends (no copy of the body); raw is fit for RawRecord::Clear and reuse only.
RequestRecord ToRecord(RawRecord&& raw, const std::vector<std::string>& bodies, const SessionWorkload* sessions,
                       const EpochAnchor& anchor, bool streaming, LoadResult& totals, bool triton = false);

/// perf_analyzer's request_inputs for a KServe body: each input tensor by name, a one-element
/// list as its element, a longer one as the list ("model" is no tensor and stays out).
nlohmann::json TritonRequestInputs(std::string_view body);

}  // namespace bench
