// Fuzzes the perf_analyzer-schema profile export reader (ParseProfileExport), which `bench
// report` runs on files from other tools and machines. It must never throw.

#include <cstdint>

#include "record/profile_export_reader.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto result = bench::ParseProfileExport(bench::fuzz::AsText(data, size), "profile_export.json");
  (void)result;
  return 0;
}
