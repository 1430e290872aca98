#include "bench/inputs.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>

#include <fmt/format.h>

#include "bench/builtin_tokenizer.h"
#include "bench/python_json.h"

namespace bench {
namespace {

std::string Strip(std::string_view s) {
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  auto begin = std::find_if(s.begin(), s.end(), not_space);
  auto end = std::find_if(s.rbegin(), s.rend(), not_space).base();
  return begin < end ? std::string(begin, end) : std::string();
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// GenAI-Perf's value typing for `--extra-inputs name:value`. A leading '-' is accepted for
// numbers (GenAI-Perf turns "-1" into the string "-1", which no server wants).
nlohmann::ordered_json TypedValue(const std::string& v) {
  if (v == "true" || v == "True") return true;
  if (v == "false" || v == "False") return false;
  const std::string_view digits = (!v.empty() && v[0] == '-') ? std::string_view(v).substr(1) : v;
  if (AllDigits(digits)) {
    try {
      return std::stoll(v);
    } catch (const std::out_of_range&) {
      return v;
    }
  }
  const auto dot = digits.find('.');
  if (dot != std::string_view::npos && digits.find('.', dot + 1) == std::string_view::npos) {
    std::string without(digits);
    without.erase(dot, 1);
    if (AllDigits(without)) return std::stod(v);
  }
  return v;
}

}  // namespace

Parsed<nlohmann::ordered_json> ParseExtraInputs(const std::vector<std::string>& raw) {
  Parsed<nlohmann::ordered_json> out;
  out.value = nlohmann::ordered_json::object();
  for (const std::string& item : raw) {
    const std::string trimmed = Strip(item);
    if (!trimmed.empty() && trimmed.front() == '{') {
      nlohmann::ordered_json obj = nlohmann::ordered_json::parse(trimmed, nullptr, false);
      if (obj.is_discarded() || !obj.is_object()) {
        out.error = fmt::format("--extra-inputs '{}': not a valid JSON object", item);
        return out;
      }
      for (auto& [key, value] : obj.items()) {
        if (out.value.contains(key)) {
          out.error = fmt::format("--extra-inputs: input name '{}' is given more than once", key);
          return out;
        }
        out.value[key] = value;
      }
      continue;
    }
    const auto colon = item.find(':');
    if (colon != std::string::npos && item.find(':', colon + 1) != std::string::npos) {
      out.error = fmt::format(
          "--extra-inputs '{}': expected name:value with a single ':'; use the JSON form "
          "'{{\"name\": \"value\"}}' for values containing ':'",
          item);
      return out;
    }
    const std::string name = item.substr(0, colon);
    if (name.empty()) {
      out.error = fmt::format("--extra-inputs '{}': the input name is empty", item);
      return out;
    }
    if (out.value.contains(name)) {
      out.error = fmt::format("--extra-inputs: input name '{}' is given more than once", name);
      return out;
    }
    out.value[name] = colon == std::string::npos ? nlohmann::ordered_json(nullptr)
                                                 : TypedValue(item.substr(colon + 1));
  }
  return out;
}

Parsed<std::vector<std::pair<std::string, double>>> ParseGoodput(
    const std::vector<std::string>& raw) {
  Parsed<std::vector<std::pair<std::string, double>>> out;
  for (const std::string& item : raw) {
    const auto colon = item.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == item.size()) {
      out.error = fmt::format("--goodput '{}': expected metric:value, e.g. time_to_first_token:100", item);
      return out;
    }
    const std::string value = item.substr(colon + 1);
    size_t used = 0;
    double v = 0;
    try {
      v = std::stod(value, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != value.size()) {
      out.error = fmt::format("--goodput '{}': '{}' is not a number", item, value);
      return out;
    }
    out.value.emplace_back(item.substr(0, colon), v);
  }
  return out;
}

Parsed<std::vector<PromptEntry>> ReadInputFile(const std::string& path) {
  Parsed<std::vector<PromptEntry>> out;
  std::ifstream in(path);
  if (!in) {
    out.error = fmt::format("--input-file {}: cannot open file", path);
    return out;
  }
  std::string line;
  for (int line_no = 1; std::getline(in, line); ++line_no) {
    if (Strip(line).empty()) continue;
    const auto row = nlohmann::json::parse(line, nullptr, false);
    if (row.is_discarded() || !row.is_object()) {
      out.error = fmt::format("{}:{}: not a JSON object", path, line_no);
      return out;
    }
    const bool has_text = row.contains("text");
    const bool has_text_input = row.contains("text_input");
    if (has_text && has_text_input) {
      out.error = fmt::format("{}:{}: both 'text' and 'text_input' are given; use one", path, line_no);
      return out;
    }
    if (!has_text && !has_text_input) {
      out.error = fmt::format("{}:{}: missing 'text' (or 'text_input')", path, line_no);
      return out;
    }
    const auto& value = has_text ? row["text"] : row["text_input"];
    if (!value.is_string()) {
      out.error = fmt::format("{}:{}: '{}' must be a string", path, line_no,
                              has_text ? "text" : "text_input");
      return out;
    }
    out.value.push_back(PromptEntry{Strip(value.get<std::string>())});
  }
  if (out.value.empty()) out.error = fmt::format("--input-file {}: no prompts in file", path);
  return out;
}

SyntheticPromptGenerator::SyntheticPromptGenerator(const Tokenizer& tokenizer, std::mt19937_64& rng)
    : tokenizer_(tokenizer), rng_(rng) {
  // The corpus is a fixed pseudo-random stream of common English words, so prompts are
  // plain text for any tokenizer and identical across machines (GenAI-Perf's Shakespeare
  // corpus depends on the CPU count).
  std::mt19937_64 corpus_rng(0x62656e6368ULL);
  const auto words = BuiltinWords();
  std::string text;
  for (int i = 0; i < 20000; ++i) {
    if (i > 0) text += ' ';
    text += words[corpus_rng() % words.size()];
    if (i % 17 == 16) text += '.';
  }
  corpus_ = tokenizer_.Encode(text, false);
}

std::string SyntheticPromptGenerator::Generate(int num_tokens) {
  if (num_tokens <= 0 || corpus_.empty()) return "";
  const size_t start = rng_() % corpus_.size();
  // Decoding a slice and re-encoding it need not round-trip; adjust the slice length until
  // the prompt has exactly the requested count (usually one or two tries).
  int take = num_tokens;
  std::string best;
  int best_diff = -1;
  for (int attempt = 0; attempt < 8 && take > 0; ++attempt) {
    std::vector<int32_t> slice;
    slice.reserve(take);
    for (int i = 0; i < take; ++i) slice.push_back(corpus_[(start + i) % corpus_.size()]);
    std::string text = tokenizer_.Decode(slice, true);
    // A slice can start mid-sentence with a space-prefixed token; prompts never start with
    // whitespace (GenAI-Perf's SentencePiece decode drops it too).
    text.erase(0, std::min(text.find_first_not_of(" \t\n"), text.size()));
    const int count = static_cast<int>(tokenizer_.CountTokens(text));
    const int diff = std::abs(count - num_tokens);
    if (best_diff < 0 || diff < best_diff) {
      best = std::move(text);
      best_diff = diff;
    }
    if (count == num_tokens) break;
    take += num_tokens - count;
  }
  return best;
}

std::string SyntheticPromptGenerator::GenerateSampled(int mean, int stddev) {
  int n = mean;
  if (stddev > 0) {
    std::normal_distribution<double> dist(mean, stddev);
    n = std::max(0, static_cast<int>(dist(rng_)));
  }
  return Generate(n);
}

Parsed<Dataset> BuildDataset(const ProfileConfig& config, const Tokenizer& tokenizer) {
  Parsed<Dataset> out;
  std::mt19937_64 rng(config.random_seed);
  std::vector<PromptEntry> prompts;
  if (!config.input_file.empty()) {
    auto file = ReadInputFile(config.input_file);
    if (!file.ok()) {
      out.error = file.error;
      return out;
    }
    prompts = std::move(file.value);
  } else {
    SyntheticPromptGenerator generator(tokenizer, rng);
    for (int i = 0; i < config.num_dataset_entries; ++i) {
      prompts.push_back(PromptEntry{generator.GenerateSampled(config.synthetic_input_tokens_mean,
                                                              config.synthetic_input_tokens_stddev)});
    }
  }
  for (size_t i = 0; i < prompts.size(); ++i) {
    nlohmann::ordered_json body = nlohmann::ordered_json::object();
    const auto& models = config.models;
    body["model"] = config.model_selection_strategy == "random" ? models[rng() % models.size()]
                                                                : models[i % models.size()];
    if (config.endpoint_type == "completions") {
      body["prompt"] = nlohmann::ordered_json::array({prompts[i].text});
    } else {
      body["messages"] = nlohmann::ordered_json::array(
          {nlohmann::ordered_json{{"role", "user"}, {"content", prompts[i].text}}});
    }
    if (config.streaming) body["stream"] = true;
    if (config.output_tokens_mean) {
      int max_tokens = *config.output_tokens_mean;
      if (config.output_tokens_stddev > 0) {
        std::normal_distribution<double> dist(*config.output_tokens_mean, config.output_tokens_stddev);
        max_tokens = static_cast<int>(std::max(1.0, dist(rng)));
      }
      body["max_tokens"] = max_tokens;
    }
    for (const auto& [key, value] : config.extra_inputs.items()) body[key] = value;
    out.value.payloads.push_back(std::move(body));
  }
  return out;
}

std::string InputsJson(const Dataset& dataset) {
  nlohmann::ordered_json data = nlohmann::ordered_json::array();
  for (const auto& payload : dataset.payloads) {
    data.push_back(nlohmann::ordered_json{{"payload", nlohmann::ordered_json::array({payload})}});
  }
  return PythonJsonDumps(nlohmann::ordered_json{{"data", std::move(data)}}, 2);
}

}  // namespace bench
