// Fuzzes GenAI-Perf's SSE pre-processing (PreprocessResponses): splintered events stitched,
// multi-event reads merged, empty reads dropped, with arbitrary outputs and timestamps.
//
// Input layout (seeds in corpus/sse_fuzz are written this way):
//   byte 0      format selector ('0' chat, '1' completions, ...; see fuzz_util.h)
//   byte 1      timestamp mode: bits 0-1 = extra/missing timestamps, bits 2-3 = value pattern
//   bytes 2..   response outputs separated by 0xFF (never valid UTF-8, so seeds stay text);
//               an output that is a JSON object is used as is ({"text_output": ...}), any
//               other bytes become {"response": <bytes>}

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "record/response_parser.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const bench::ResponseFormat format = bench::fuzz::FormatFromByte(data[0]);
  const uint8_t mode = data[1];
  const std::string_view body = bench::fuzz::AsText(data + 2, size - 2);

  std::vector<nlohmann::json> objects;
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('\xff', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string piece(body.substr(start, end - start));
    nlohmann::json object = nlohmann::json::parse(piece, nullptr, false);
    if (!object.is_object()) {
      // nlohmann::json refuses to serialise invalid UTF-8 only on dump(); storing it is fine,
      // and PA exports read from disk can hold any bytes the reader let through.
      object = nlohmann::json{{"response", piece}};
    }
    objects.push_back(std::move(object));
    start = end + 1;
  }

  // The compact form when every piece became {"<one key>": "<string>"}, else the general one.
  const bench::ResponseOutputs outputs = bench::ResponseOutputs::FromJson(std::move(objects));

  // Timestamp list: as long as the outputs, one shorter, or one longer; increasing, equal,
  // decreasing or extreme values.
  size_t count = outputs.size();
  if ((mode & 3) == 1 && count > 0) --count;
  if ((mode & 3) == 2) ++count;
  std::vector<int64_t> timestamps;
  for (size_t i = 0; i < count; ++i) {
    const auto k = static_cast<int64_t>(i);
    switch ((mode >> 2) & 3) {
      case 0: timestamps.push_back(1000 + 7 * k); break;
      case 1: timestamps.push_back(42); break;
      case 2: timestamps.push_back(1000 - 7 * k); break;
      default:
        timestamps.push_back(i % 2 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min());
    }
  }

  const bench::ProcessedResponses r = bench::PreprocessResponses(format, outputs, timestamps);
  // Invariants callers rely on: one text per kept timestamp, and one raw string per kept
  // response (the TRT-LLM C API keeps no raw strings, only output id counts).
  if (r.texts.size() != r.timestamps.size()) __builtin_trap();
  if (format != bench::ResponseFormat::kTritonCApi && r.raw.size() != r.timestamps.size()) __builtin_trap();
  // Dropping the raw strings (what the metrics do) changes nothing else.
  const bench::ProcessedResponses d =
      bench::PreprocessResponses(format, outputs, timestamps, bench::RawResponses::kDrop);
  if (!d.raw.empty() || d.texts != r.texts || d.timestamps != r.timestamps || d.failed != r.failed ||
      d.output_id_count != r.output_id_count) {
    __builtin_trap();
  }
  return 0;
}
