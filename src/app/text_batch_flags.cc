#include "app/text_batch_flags.h"

#include <filesystem>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "dataset/retrieval_inputs.h"

namespace bench {
namespace {

constexpr const char* kSyntheticPrefix = "synthetic:";

std::vector<std::string> SplitNames(const std::string& list) {
  std::vector<std::string> names;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    names.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return names;
}

// Rankings read two named inputs; GenAI-Perf fails late (after starting) when one is missing,
// bench says so before anything is sent.
std::string ValidateRankingsSource(const ProfileConfig& c) {
  if (!c.synthetic_files.empty()) return "";
  const std::string need =
      "rankings need --input-file synthetic:queries,passages or a directory holding queries.jsonl and passages.jsonl";
  if (c.input_file.empty()) return fmt::format("--endpoint-type rankings: {}", need);
  if (!std::filesystem::is_directory(c.input_file)) return fmt::format("--input-file '{}': {}", c.input_file, need);
  for (const char* name : {"queries.jsonl", "passages.jsonl"}) {
    const std::filesystem::path path = std::filesystem::path(c.input_file) / name;
    if (!std::filesystem::is_regular_file(path)) {
      return fmt::format("--input-file '{}': no {} ({})", c.input_file, name, need);
    }
  }
  return "";
}

}  // namespace

void AddTextBatchOptions(CLI::App* app, ProfileConfig& p) {
  app->add_option("-b,--batch-size-text,--batch-size", p.batch_size_text,
                  "Texts per request (embeddings: inputs; rankings: passages per query)")
      ->capture_default_str();
}

std::string ValidateTextBatchInputs(ProfileConfig& c) {
  if (c.batch_size_text < 1) return "--batch-size-text: must be at least 1";
  if (!IsTextBatchEndpoint(c.endpoint_type)) {
    // GenAI-Perf's chat converter refuses a batch; its completions one sends a prompt list,
    // which bench does not build yet. NV-CLIP batches texts beside its images (dataset/media).
    if (c.batch_size_text != 1 && c.endpoint_type != "nvclip") {
      return fmt::format("--batch-size-text: not supported for --endpoint-type {} (one prompt per request)",
                         c.endpoint_type);
    }
    return "";
  }
  if (c.streaming) {
    return fmt::format("--streaming: not supported for --endpoint-type {} (the answer is one JSON body)",
                       c.endpoint_type);
  }
  if (c.session_concurrency || c.num_sessions > 0) {
    return fmt::format("--session-concurrency: multi-turn sessions are chat only, not --endpoint-type {}",
                       c.endpoint_type);
  }
  if (c.input_file.rfind("payload:", 0) == 0) {
    return fmt::format("--input-file payload:...: traces are for chat and completions, not --endpoint-type {}",
                       c.endpoint_type);
  }
  if (c.input_file.rfind(kSyntheticPrefix, 0) == 0) {
    c.synthetic_files = SplitNames(c.input_file.substr(std::string(kSyntheticPrefix).size()));
    for (const std::string& name : c.synthetic_files) {
      if (name.empty()) return fmt::format("--input-file '{}': an empty synthetic file name", c.input_file);
    }
    c.input_file.clear();
  }
  if (c.endpoint_type == "rankings") return ValidateRankingsSource(c);
  return "";
}

}  // namespace bench
