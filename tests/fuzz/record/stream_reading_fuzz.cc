// Fuzzes the one walk of the body check over a stream (CheckStream) against the long way: the
// verdict must be CheckResponseBody's, and what it hands the metrics stage (BodyReading) must
// be what they would find themselves: valid UTF-8 (IsValidUtf8), the keys (ReadsContain over the
// reads), each read's text (PreprocessResponses, kValidated as for a checked body) and events.
//
// Input layout (seeds in corpus/stream_reading_fuzz): the reads of one response, separated by
// 0xFF bytes (never valid UTF-8, so seeds stay text).

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "record/reads_search.h"
#include "record/response_parser.h"
#include "record/stream_check.h"
#include "util/utf8.h"
#include "fuzz_util.h"

namespace {

bool SameProcessed(const bench::ProcessedResponses& a, const bench::ProcessedResponses& b) {
  return a.timestamps == b.timestamps && a.texts == b.texts && a.failed == b.failed &&
         a.output_id_count == b.output_id_count && a.raw == b.raw;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = bench::fuzz::AsText(data, size);
  bench::RequestRecord record;
  std::string body;
  std::vector<uint32_t> read_ends;
  size_t start = 0;
  while (start <= input.size()) {
    size_t end = input.find('\xff', start);
    if (end == std::string_view::npos) end = input.size();
    const std::string_view read = input.substr(start, end - start);
    body.append(read);
    read_ends.push_back(static_cast<uint32_t>(body.size()));
    record.response_outputs.AddText(read);
    record.response_timestamps.push_back(static_cast<int64_t>(1000 + 10 * read_ends.size()));
    start = end + 1;
  }

  const bench::BodyCheck old_check = bench::CheckResponseBody(body, /*streaming=*/true);
  std::optional<bench::BodyReading> reading;
  const bench::BodyCheck check = bench::CheckStream(body, read_ends, reading);
  if (check.error.kind != old_check.error.kind || check.error.message != old_check.error.message ||
      check.error.http_status != old_check.error.http_status || check.missing_done != old_check.missing_done) {
    __builtin_trap();
  }
  if (!reading) return 0;
  // A reading comes only with a body that passed and is valid UTF-8.
  if (check.error.kind != bench::ErrorKind::kNone || !bench::IsValidUtf8(body)) __builtin_trap();
  record.json_checked = true;
  for (const bench::BodyKey key : {bench::kErrorKey, bench::kReasoningKey, bench::kTimingsKey}) {
    const bool searched = bench::ReadsContain(record.response_outputs, bench::BodyKeyText(key));
    if (((reading->keys & key) != 0) != searched) __builtin_trap();
  }
  // Each read's events, when counted: its lines that start with `data:`, `data: [DONE]` aside.
  if (!reading->read_events.empty()) {
    if (reading->read_events.size() != read_ends.size()) __builtin_trap();
    for (size_t i = 0; i < read_ends.size(); ++i) {
      const std::string_view read = record.response_outputs.Text(i);
      uint32_t events = 0;
      for (size_t at = 0; at <= read.size();) {
        const size_t nl = std::min(read.find('\n', at), read.size());
        const std::string_view line = std::string_view(read).substr(at, nl - at);
        if (line.starts_with("data:") && !line.starts_with("data: [DONE]")) ++events;
        at = nl + 1;
      }
      if (reading->read_events[i] != events) __builtin_trap();
    }
  }
  record.reading = std::move(reading);
  for (const bench::ResponseFormat format : {bench::ResponseFormat::kOpenAiChat, bench::ResponseFormat::kOpenAiCompletions,
                                             bench::ResponseFormat::kOpenAiResponses}) {
    const bench::ProcessedResponses long_way =
        bench::PreprocessResponses(format, record.response_outputs, record.response_timestamps,
                                   bench::RawResponses::kDrop, bench::JsonTexts::kValidated);
    if (!SameProcessed(bench::PreprocessRecord(format, record), long_way)) __builtin_trap();
  }
  // The prefilters read the record's keys as they would search its reads.
  for (const bench::BodyKey key : {bench::kReasoningKey, bench::kTimingsKey}) {
    bench::RequestRecord from_file = record;
    from_file.reading.reset();
    if (bench::ReadsContain(record, key) != bench::ReadsContain(from_file, key)) __builtin_trap();
  }
  return 0;
}
