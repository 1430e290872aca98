#pragma once
// Batches of inputs per request (GenAI-Perf's GenericDataset rows): the endpoints that send
// several texts in one request (embeddings, rankings; NV-CLIP adds images to the same rows)
// take their inputs as named files of rows, each row one request's batch. This file holds the
// rules for making those rows from synthetic prompts, a JSONL file or a directory of them.

#include <string>
#include <utility>
#include <vector>

#include "dataset/inputs.h"
#include "util/random_stream.h"

namespace bench {

/// One request's batch of texts.
using TextRow = std::vector<std::string>;

/// A named input file's rows (the name is the file stem, e.g. "queries", or the path).
struct TextFile {
  std::string name;
  std::vector<TextRow> rows;
};

/// GenAI-Perf's rows from one file's texts: with a batch of 1, one row per text, in order;
/// with a larger batch, `num_entries` rows each sampled without replacement. A batch larger
/// than the file is an error naming `path`.
Parsed<std::vector<TextRow>> BatchRowsFromTexts(std::vector<std::string> texts, int batch_size,
                                                int num_entries, const std::string& path, RandomStream& rng);

/// `k` distinct elements of `items` in random order (Python's random.sample rule, partial
/// Fisher-Yates on bench's own stream); k <= items.size().
std::vector<std::string> SampleWithoutReplacement(const std::vector<std::string>& items, size_t k,
                                                  RandomStream& rng);

/// The `*.jsonl` files of `dir`, sorted by name (GenAI-Perf globs them; sorting makes the
/// order the same on every file system).
std::vector<std::string> JsonlFilesIn(const std::string& dir);

}  // namespace bench
