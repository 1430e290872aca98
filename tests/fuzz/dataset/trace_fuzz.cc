// Fuzzes the payload trace reader (ReadTraceFile, --input-file payload:FILE). The first byte
// selects --fixed-schedule (timestamps required and in order); the rest is the file.

#include <cstdint>
#include <numeric>

#include "dataset/trace.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static bench::fuzz::InputFile file("bench_trace_fuzz");
  const bool require_timestamps = (data[0] & 1) != 0;
  const auto result = bench::ReadTraceFile(file.Write(bench::fuzz::AsText(data + 1, size - 1)), require_timestamps);
  if (!result.ok()) return 0;
  if (result.value.empty()) __builtin_trap();  // "no requests" is an error
  for (size_t i = 0; i < result.value.size(); ++i) {
    const bench::TraceEntry& e = result.value[i];
    if (require_timestamps && (!e.timestamp_ms || (i > 0 && *e.timestamp_ms < *result.value[i - 1].timestamp_ms))) {
      __builtin_trap();  // accepted a trace the schedule cannot follow
    }
    // Hash-id blocks must add up to the prompt length the line asked for.
    const std::vector<int> blocks = bench::TraceBlockSizes(e);
    if (!blocks.empty() && std::accumulate(blocks.begin(), blocks.end(), 0LL) != *e.input_length) __builtin_trap();
  }
  return 0;
}
