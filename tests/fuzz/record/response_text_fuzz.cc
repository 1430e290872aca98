// Fuzzes text extraction from one raw response (an SSE event or a JSON body): ExtractText and
// IsEmptyResponse, and the DOM-free text lookups (validating, and of validated JSON) against nlohmann's DOM. Byte 0 selects the format ('0' chat, '1' completions, ...; fuzz_util.h),
// the rest is the response. A response holding a 0xFF byte is also read as two JSON texts
// (before and after it) seen one after the other, as two events of one stream: the second is
// then checked and read against the first one's shape (util/json_shape), and must be judged and
// read exactly as it is alone.

#include <cstdint>

#include "record/response_parser.h"
#include "record/stream_check.h"
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
  const size_t cut = response.find('\xff');
  // Without a newline each text is one data line, so each alone is a stream of one event.
  if (cut != std::string_view::npos && response.find('\n') == std::string_view::npos) {
    const std::string_view first = response.substr(0, cut);
    const std::string_view second = response.substr(cut + 1);
    // A stream of both events fails as the first fails alone, or else as the second does.
    const auto event = [](std::string_view json) { return "data: " + std::string(json) + "\n\n"; };
    const bench::BodyCheck both = bench::CheckResponseBody(event(first) + event(second), true);
    const bench::BodyCheck alone_first = bench::CheckResponseBody(event(first), true);
    const bench::BodyCheck alone_second = bench::CheckResponseBody(event(second), true);
    const bench::BodyCheck& expected = alone_first.error.kind != bench::ErrorKind::kNone ? alone_first : alone_second;
    if (both.error.kind != expected.error.kind || both.error.message != expected.error.message) __builtin_trap();
    // The second text read right after the first (the first's shape remembered) reads as the DOM reads it.
    if (bench::IsJsonText(bench::StripView(first)) && bench::IsJsonText(bench::StripView(second))) {
      (void)bench::detail::TextFromPayload(format, first, bench::JsonTexts::kValidated);
      const bench::TextExtraction trusted = bench::detail::TextFromPayload(format, second, bench::JsonTexts::kValidated);
      const bench::TextExtraction dom2 = bench::detail::TextFromPayloadByDom(format, second);
      if (trusted.text != dom2.text || trusted.error != dom2.error) __builtin_trap();
    }
  }
  return 0;
}
