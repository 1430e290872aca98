#pragma once
// GenAI-Perf's response pre-processing (reference §2.4): how the raw per-read outputs of one
// request become the kept responses (splintered SSE stitched, multi-event reads merged,
// empty/non-data reads dropped with their timestamps), and how text is extracted from a kept
// response (formats: record/response_format; SSE syntax: record/sse). Everything here is a pure
// function of its arguments so it can be fuzzed.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "record/record.h"
#include "record/response_format.h"

namespace bench {

/// Text of one response, or an error when the body does not fit the format.
struct TextExtraction {
  std::string text;
  std::string error;  // empty on success
};

/// GenAI-Perf's _extract_text_output on one raw response string (an SSE event or a JSON body).
/// Empty input, SSE comment/event/id/retry lines and [DONE] give "". A null text gives "".
/// Formats without text (embeddings, rankings, ...) give "".
TextExtraction ExtractText(ResponseFormat format, std::string_view response);
/// GenAI-Perf's _is_empty_response: true when ExtractText gives "" or fails.
bool IsEmptyResponse(ResponseFormat format, std::string_view response);

/// The kept responses of one request after pre-processing.
struct ProcessedResponses {
  std::vector<int64_t> timestamps;  // one per kept response (a stitched event keeps its first read's)
  std::vector<std::string> raw;     // kept response strings (merged events re-serialised compactly)
  std::vector<std::string> texts;   // extracted text of each kept response
  size_t output_id_count = 0;       // TRT-LLM C API only: number of output ids (OSL)
  size_t failed = 0;                // SSE error events + responses whose body did not parse
};

/// Whether PreprocessResponses fills ProcessedResponses::raw. No metric reads the kept strings;
/// building them re-serialises every read that merged several events, so the metrics skip it.
enum class RawResponses { kKeep, kDrop };

/// Whether the JSON of the responses was validated before (RequestRecord::json_checked): then
/// OpenAI texts are read without validating again (record/validated_text).
enum class JsonTexts { kUnchecked, kValidated };

/// §2.4 pre-processing of one request's `response_outputs` (PA objects such as
/// {"response": "..."} or {"text_output": ...}) and `response_timestamps`. Extra entries of the
/// longer of the two lists are ignored. With kDrop, `raw` stays empty and everything else is
/// the same. kValidated gives the same result as kUnchecked for valid JSON, faster.
ProcessedResponses PreprocessResponses(ResponseFormat format, const ResponseOutputs& outputs,
                                       std::span<const int64_t> timestamps,
                                       RawResponses raw = RawResponses::kKeep,
                                       JsonTexts json = JsonTexts::kUnchecked);

/// PreprocessResponses(format, record's outputs and timestamps, kDrop, kValidated when its JSON
/// was checked): from the texts the body check read on its walk (RequestRecord::reading) when
/// it has them and `format` reads OpenAI texts, else from the reads. The same result either way.
ProcessedResponses PreprocessRecord(ResponseFormat format, const RequestRecord& record);

namespace detail {
/// The text of one SSE event's data or one JSON body, DOM-free where the shape allows.
TextExtraction TextFromPayload(ResponseFormat format, std::string_view payload,
                               JsonTexts json = JsonTexts::kUnchecked);
/// The same by way of nlohmann's DOM only: what TextFromPayload must always equal
/// (tests/fuzz/record/response_text_fuzz.cc).
TextExtraction TextFromPayloadByDom(ResponseFormat format, std::string_view payload);
}  // namespace detail

}  // namespace bench
