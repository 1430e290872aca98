// Fuzzes text extraction from one raw response (an SSE event or a JSON body): ExtractText and
// IsEmptyResponse, and the DOM-free text lookups (validating, and of validated JSON) against nlohmann's DOM. Byte 0 selects the format ('0' chat, '1' completions, ...; fuzz_util.h),
// the rest is the response.

#include <cstdint>

#include "record/response_parser.h"
#include "record/sse.h"
#include "util/json_scan.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const bench::ResponseFormat format = bench::fuzz::FormatFromByte(data[0]);
  const std::string_view response = bench::fuzz::AsText(data + 1, size - 1);
  const bench::TextExtraction t = bench::ExtractText(format, response);
  const bool empty = bench::IsEmptyResponse(format, response);
  // IsEmptyResponse is defined as "ExtractText gives "" or fails".
  if (empty != (t.text.empty() || !t.error.empty())) __builtin_trap();
  // The DOM-free lookup answers as the DOM does: same text, same error.
  const bench::TextExtraction fast = bench::detail::TextFromPayload(format, response);
  const bench::TextExtraction dom = bench::detail::TextFromPayloadByDom(format, response);
  if (fast.text != dom.text || fast.error != dom.error) __builtin_trap();
  // Text read from validated JSON without validating again (simdjson On-Demand) answers as the
  // DOM does, for every text that is valid JSON (the only texts it is given).
  if (bench::IsJsonText(bench::StripView(response))) {
    const bench::TextExtraction trusted = bench::detail::TextFromPayload(format, response, bench::JsonTexts::kValidated);
    if (trusted.text != dom.text || trusted.error != dom.error) __builtin_trap();
  }
  return 0;
}
