// Fuzzes the --input-file JSONL reader (ReadInputFile): the input is written to a temporary
// file, which is what the reader takes.

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "bench/inputs.h"

namespace {

// One file per fuzzing process, removed at exit.
struct TempFile {
  std::string path = (std::filesystem::temp_directory_path() /
                      ("bench_input_file_fuzz_" + std::to_string(getpid()) + ".jsonl")).string();
  ~TempFile() { std::remove(path.c_str()); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static TempFile file;
  {
    std::ofstream out(file.path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  const auto result = bench::ReadInputFile(file.path);
  if (result.ok() && result.value.empty()) __builtin_trap();  // "no prompts" is an error
  return 0;
}
