// Fuzzes the perf_analyzer-schema profile export reader (ParseProfileExport), which `bench
// report` runs on files from other tools and machines. It must never throw. What it accepts is
// written back (ProfileExportWriter) and read again with the same response outputs, in the same
// form: compact when every output is {"<one same key>": "<string>"}, as read otherwise.

#include <cstdint>
#include <sstream>

#include "record/profile_export_reader.h"
#include "record/profile_export_writer.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto result = bench::ParseProfileExport(bench::fuzz::AsText(data, size), "profile_export.json");
  if (!result.error.empty()) return 0;
  std::ostringstream out;
  bench::WriteProfileExport(result.profile, out);
  const auto again = bench::ParseProfileExport(out.str(), "written");
  if (!again.error.empty() || again.profile.experiments.size() != result.profile.experiments.size()) __builtin_trap();
  for (size_t e = 0; e < result.profile.experiments.size(); ++e) {
    const auto& first = result.profile.experiments[e].requests;
    const auto& second = again.profile.experiments[e].requests;
    if (first.size() != second.size()) __builtin_trap();
    for (size_t r = 0; r < first.size(); ++r) {
      const bench::ResponseOutputs& a = first[r].response_outputs;
      const bench::ResponseOutputs& b = second[r].response_outputs;
      if (!(a == b) || a.compact() != b.compact()) __builtin_trap();
    }
  }
  return 0;
}
