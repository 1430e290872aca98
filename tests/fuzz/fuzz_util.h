#pragma once
// Helpers shared by the libFuzzer harnesses (tests/fuzz/<layer>/*_fuzz.cc; docs/testing.md).

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "record/response_parser.h"

namespace bench::fuzz {

/// A temporary file for readers that take a path: one per fuzzing process, removed at exit.
class InputFile {
 public:
  explicit InputFile(const std::string& name)
      : path_((std::filesystem::temp_directory_path() / (name + "_" + std::to_string(getpid()))).string()) {}
  ~InputFile() { std::remove(path_.c_str()); }
  /// Replaces the file's content; returns its path.
  const std::string& Write(std::string_view content) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    return path_;
  }

 private:
  std::string path_;
};

/// The fuzz input as text.
inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Every response format, so one selector byte reaches them all. The streaming text formats
/// (chat, completions) come first: seeds select them with '0' and '1'.
inline constexpr ResponseFormat kAllFormats[] = {
    ResponseFormat::kOpenAiChat,       ResponseFormat::kOpenAiCompletions,
    ResponseFormat::kOpenAiMultimodal, ResponseFormat::kOpenAiEmbeddings,
    ResponseFormat::kRankings,         ResponseFormat::kHuggingFaceRankings,
    ResponseFormat::kImageRetrieval,   ResponseFormat::kHuggingFaceGenerate,
    ResponseFormat::kTritonGenerate,   ResponseFormat::kTriton,
    ResponseFormat::kTritonCApi,       ResponseFormat::kDynamicGrpc,
};

/// The format a selector byte names ('0' -> chat, '1' -> completions, ...).
inline ResponseFormat FormatFromByte(uint8_t b) {
  constexpr size_t n = sizeof(kAllFormats) / sizeof(kAllFormats[0]);
  return kAllFormats[static_cast<uint8_t>(b - '0') % n];
}

}  // namespace bench::fuzz
