#include "dataset/text_batches.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

namespace bench {

std::vector<std::string> SampleWithoutReplacement(const std::vector<std::string>& items, size_t k,
                                                  RandomStream& rng) {
  std::vector<size_t> order(items.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::vector<std::string> out;
  out.reserve(k);
  for (size_t i = 0; i < k && i < order.size(); ++i) {
    const size_t j = i + static_cast<size_t>(rng.Below(order.size() - i));
    std::swap(order[i], order[j]);
    out.push_back(items[order[i]]);
  }
  return out;
}

Parsed<std::vector<TextRow>> BatchRowsFromTexts(std::vector<std::string> texts, int batch_size,
                                                int num_entries, const std::string& path, RandomStream& rng) {
  Parsed<std::vector<TextRow>> out;
  if (batch_size > static_cast<int>(texts.size())) {
    out.error = fmt::format("--batch-size-text {}: larger than the {} texts in {}", batch_size, texts.size(), path);
    return out;
  }
  if (batch_size <= 1) {
    out.value.reserve(texts.size());
    for (std::string& text : texts) out.value.push_back(TextRow{std::move(text)});
    return out;
  }
  out.value.reserve(static_cast<size_t>(std::max(num_entries, 0)));
  for (int i = 0; i < num_entries; ++i) {
    out.value.push_back(SampleWithoutReplacement(texts, static_cast<size_t>(batch_size), rng));
  }
  return out;
}

std::vector<std::string> JsonlFilesIn(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".jsonl" && entry.is_regular_file(ec)) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace bench
