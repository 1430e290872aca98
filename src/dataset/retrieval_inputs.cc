#include "dataset/retrieval_inputs.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "dataset/synthetic_prompt.h"
#include "util/random_stream.h"

namespace bench {
namespace {

using ojson = nlohmann::ordered_json;

// GenAI-Perf's synthetic retriever names its one file this when no synthetic:NAMES are given.
constexpr const char* kDefaultSyntheticFile = "synthetic_data";

// Synthetic files: each holds num_dataset_entries rows of batch_size prompts, every prompt its
// own sampled length (and prefix), drawn file by file, row by row, as GenAI-Perf does.
std::vector<TextFile> SyntheticFiles(const DatasetOptions& config, SyntheticPromptGenerator& generator,
                                     RandomStream& rng) {
  const std::vector<std::string> prefixes =
      generator.PrefixPool(config.num_prefix_prompts, config.prefix_prompt_length);
  const size_t prefix_tokens = prefixes.empty() ? 0 : static_cast<size_t>(std::max(0, config.prefix_prompt_length));
  std::vector<std::string> names = config.synthetic_files;
  if (names.empty()) names.push_back(kDefaultSyntheticFile);
  const auto clip = config.synthetic_input_tokens_clip.value_or(std::pair<int, int>{0, 0});
  const size_t per_file = static_cast<size_t>(std::max(config.num_dataset_entries, 0));
  const size_t batch = static_cast<size_t>(std::max(config.batch_size_text, 1));
  std::vector<PromptSpec> specs;
  specs.reserve(names.size() * per_file * batch);
  for (size_t n = 0; n < names.size() * per_file * batch; ++n) {
    PromptSpec spec;
    spec.num_tokens = generator.SampleLength(config.synthetic_input_tokens_mean, config.synthetic_input_tokens_stddev,
                                             clip.first, clip.second);
    if (!prefixes.empty()) {
      spec.prefix = prefixes[rng.Below(prefixes.size())];
      spec.prefix_tokens = prefix_tokens;
    }
    specs.push_back(spec);
  }
  std::vector<std::string> prompts = generator.GenerateAll(specs);
  std::vector<TextFile> files;
  size_t next = 0;
  for (const std::string& name : names) {
    TextFile file{name, {}};
    for (size_t r = 0; r < per_file; ++r) {
      TextRow row;
      for (size_t b = 0; b < batch; ++b) row.push_back(std::move(prompts[next++]));
      file.rows.push_back(std::move(row));
    }
    files.push_back(std::move(file));
  }
  return files;
}

// One JSONL file's rows; prefix prompts apply to file texts too (reference §3.4).
Parsed<TextFile> FileRows(const std::string& path, const std::string& name, const DatasetOptions& config,
                          const std::vector<std::string>& prefixes, RandomStream& rng) {
  Parsed<TextFile> out;
  auto read = ReadInputFile(path);
  if (!read.ok()) {
    out.error = read.error;
    return out;
  }
  std::vector<std::string> texts;
  texts.reserve(read.value.size());
  for (PromptEntry& entry : read.value) {
    texts.push_back(prefixes.empty() ? std::move(entry.text)
                                     : prefixes[rng.Below(prefixes.size())] + " " + entry.text);
  }
  auto rows = BatchRowsFromTexts(std::move(texts), config.batch_size_text, config.num_dataset_entries, path, rng);
  if (!rows.ok()) {
    out.error = rows.error;
    return out;
  }
  out.value = TextFile{name, std::move(rows.value)};
  return out;
}

// A JSONL file (named by its path) or every *.jsonl of a directory (named by stem).
Parsed<std::vector<TextFile>> InputFiles(const DatasetOptions& config, SyntheticPromptGenerator& generator,
                                         RandomStream& rng) {
  Parsed<std::vector<TextFile>> out;
  const std::vector<std::string> prefixes =
      generator.PrefixPool(config.num_prefix_prompts, config.prefix_prompt_length);
  std::vector<std::pair<std::string, std::string>> paths;  // path, name
  if (std::filesystem::is_directory(config.input_file)) {
    for (const std::string& path : JsonlFilesIn(config.input_file)) {
      paths.emplace_back(path, std::filesystem::path(path).stem().string());
    }
    if (paths.empty()) {
      out.error = fmt::format("--input-file {}: no .jsonl files in the directory", config.input_file);
      return out;
    }
  } else {
    paths.emplace_back(config.input_file, config.input_file);
  }
  for (const auto& [path, name] : paths) {
    auto file = FileRows(path, name, config, prefixes, rng);
    if (!file.ok()) {
      out.error = file.error;
      return out;
    }
    out.value.push_back(std::move(file.value));
  }
  return out;
}

const TextFile* FindFile(const std::vector<TextFile>& files, std::string_view name) {
  const auto it = std::find_if(files.begin(), files.end(), [&](const TextFile& f) { return f.name == name; });
  return it == files.end() ? nullptr : &*it;
}

std::string PickModel(const DatasetOptions& config, size_t index, RandomStream& rng) {
  const auto& models = config.models;
  return config.model_selection_strategy == "random" ? models[rng.Below(models.size())]
                                                     : models[index % models.size()];
}

}  // namespace

bool IsTextBatchEndpoint(std::string_view endpoint_type) {
  return endpoint_type == "embeddings" || endpoint_type == "rankings";
}

bool IsRankingsTei(const ojson& extra_inputs) {
  const auto it = extra_inputs.find("rankings");
  return it != extra_inputs.end() && it->is_string() && it->get<std::string>() == "tei";
}

ojson EmbeddingsBody(const std::string& model, const TextRow& texts, const ojson& extra_inputs) {
  ojson body{{"model", model}, {"input", texts}};
  for (const auto& [key, value] : extra_inputs.items()) body[key] = value;
  return body;
}

ojson RankingsBody(const std::string& model, const std::string& query, const TextRow& passages,
                   const ojson& extra_inputs) {
  const bool tei = IsRankingsTei(extra_inputs);
  ojson body = ojson::object();
  if (tei) {
    body["query"] = query;
    body["texts"] = passages;
  } else {
    body["query"] = ojson{{"text", query}};
    ojson list = ojson::array();
    for (const std::string& p : passages) list.push_back(ojson{{"text", p}});
    body["passages"] = std::move(list);
    body["model"] = model;
  }
  // The selector is GenAI-Perf's, not TEI's: it never reaches the server.
  for (const auto& [key, value] : extra_inputs.items()) {
    if (!(tei && key == "rankings")) body[key] = value;
  }
  return body;
}

Parsed<Dataset> BuildTextBatchDataset(const DatasetOptions& config, const Tokenizer& tokenizer) {
  Parsed<Dataset> out;
  RandomStream rng(config.random_seed);
  SyntheticPromptGenerator generator(tokenizer, rng);
  std::vector<TextFile> files;
  if (config.input_file.empty()) {
    files = SyntheticFiles(config, generator, rng);
  } else {
    auto read = InputFiles(config, generator, rng);
    if (!read.ok()) {
      out.error = read.error;
      return out;
    }
    files = std::move(read.value);
  }
  out.value.inexact_prompts = generator.inexact_count();
  if (config.endpoint_type == "embeddings") {
    for (const TextFile& file : files) {
      for (size_t i = 0; i < file.rows.size(); ++i) {
        out.value.payloads.push_back(EmbeddingsBody(PickModel(config, i, rng), file.rows[i], config.extra_inputs));
      }
    }
    return out;
  }
  const TextFile* queries = FindFile(files, "queries");
  const TextFile* passages = FindFile(files, "passages");
  if (queries == nullptr || passages == nullptr) {
    const std::string where = config.input_file.empty() ? std::string("--input-file synthetic:queries,passages")
                                                        : "--input-file " + config.input_file;
    out.error = fmt::format("{}: rankings need both 'queries' and 'passages' ({} is missing)", where,
                            queries == nullptr ? "queries.jsonl" : "passages.jsonl");
    return out;
  }
  const size_t n = std::min(queries->rows.size(), passages->rows.size());
  for (size_t i = 0; i < n; ++i) {
    const std::string model = PickModel(config, i, rng);
    out.value.payloads.push_back(RankingsBody(model, queries->rows[i].front(), passages->rows[i], config.extra_inputs));
  }
  return out;
}

}  // namespace bench
