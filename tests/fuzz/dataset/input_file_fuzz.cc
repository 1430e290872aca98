// Fuzzes the --input-file JSONL reader (ReadInputFile): the input is written to a temporary
// file, which is what the reader takes.

#include <cstdint>

#include "dataset/inputs.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static bench::fuzz::InputFile file("bench_input_file_fuzz");
  const auto result = bench::ReadInputFile(file.Write(bench::fuzz::AsText(data, size)));
  if (result.ok() && result.value.empty()) __builtin_trap();  // "no prompts" is an error
  return 0;
}
