#include "dataset/inputs.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "dataset/endpoint_bodies.h"
#include "dataset/kserve_inputs.h"
#include "dataset/media/media_inputs.h"
#include "dataset/retrieval_inputs.h"
#include "dataset/trace.h"
#include "util/jsonl.h"
#include "util/python_json.h"
#include "util/random_stream.h"

namespace bench {
namespace {

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
  const JsonlRead read = ForEachJsonlLine(path, [&](int, const std::string& line) -> std::string {
    const auto row = nlohmann::json::parse(line, nullptr, false);
    if (row.is_discarded() || !row.is_object()) return "not a JSON object";
    const bool has_text = row.contains("text");
    const bool has_text_input = row.contains("text_input");
    if (has_text && has_text_input) return "both 'text' and 'text_input' are given; use one";
    if (!has_text && !has_text_input) return "missing 'text' (or 'text_input')";
    const auto& value = has_text ? row["text"] : row["text_input"];
    if (!value.is_string()) return fmt::format("'{}' must be a string", has_text ? "text" : "text_input");
    out.value.push_back(PromptEntry{Strip(value.get<std::string>())});
    return "";
  });
  if (!read.opened) {
    out.error = fmt::format("--input-file {}: cannot open file", path);
  } else if (!read.error.empty()) {
    out.error = read.error;
  } else if (out.value.empty()) {
    out.error = fmt::format("--input-file {}: no prompts in file", path);
  }
  return out;
}

int SampleMaxTokens(const DatasetOptions& config, RandomStream& rng) {
  int n = *config.output_tokens_mean;
  if (config.output_tokens_stddev > 0) {
    n = static_cast<int>(std::max(1.0, rng.Gauss(*config.output_tokens_mean, config.output_tokens_stddev)));
  }
  if (config.output_tokens_clip) n = std::clamp(n, config.output_tokens_clip->first, config.output_tokens_clip->second);
  return n;
}

namespace {

// Per-request fields of a payload trace line that the body builder needs.
struct BodyFields {
  std::optional<int> max_tokens;                 // trace `output_length`; else sampled
  const nlohmann::ordered_json* extra = nullptr; // trace keys copied into the body
};

// The one request-body builder (reference §3.3): model, prompt, stream, max_tokens, then the
// trace's own keys, then --extra-inputs last so they override.
nlohmann::ordered_json MakeBody(const DatasetOptions& config, size_t index, std::string prompt,
                                const BodyFields& fields, RandomStream& rng) {
  nlohmann::ordered_json body = nlohmann::ordered_json::object();
  const auto& models = config.models;
  body["model"] = config.model_selection_strategy == "random" ? models[rng.Below(models.size())]
                                                              : models[index % models.size()];
  if (config.endpoint_type == "kserve") {
    std::optional<int> max_tokens = fields.max_tokens;
    if (!max_tokens && config.output_tokens_mean) max_tokens = SampleMaxTokens(config, rng);
    return MakeKserveBody(std::move(body), config.backend, std::move(prompt), max_tokens, config.streaming,
                          config.extra_inputs);
  }
  if (HasEndpointBody(config.endpoint_type)) {  // generate, huggingface_generate, responses
    BodyParts parts{body["model"].get<std::string>(), std::move(prompt), config.streaming, fields.max_tokens};
    if (!parts.max_tokens && config.output_tokens_mean) parts.max_tokens = SampleMaxTokens(config, rng);
    nlohmann::ordered_json other = *EndpointBody(config.endpoint_type, std::move(parts));
    if (fields.extra != nullptr) {
      for (const auto& [key, value] : fields.extra->items()) AddExtraInput(config.endpoint_type, other, key, value);
    }
    for (const auto& [key, value] : config.extra_inputs.items()) AddExtraInput(config.endpoint_type, other, key, value);
    return other;
  }
  if (config.endpoint_type == "completions") {
    body["prompt"] = nlohmann::ordered_json::array({std::move(prompt)});
  } else {
    body["messages"] = nlohmann::ordered_json::array(
        {nlohmann::ordered_json{{"role", "user"}, {"content", std::move(prompt)}}});
  }
  if (config.streaming) body["stream"] = true;
  if (config.streaming && config.include_usage) body["stream_options"] = {{"include_usage", true}};
  if (fields.max_tokens) {
    body["max_tokens"] = *fields.max_tokens;
  } else if (config.output_tokens_mean) {
    body["max_tokens"] = SampleMaxTokens(config, rng);
  }
  if (fields.extra != nullptr) {
    for (const auto& [key, value] : fields.extra->items()) body[key] = value;
  }
  for (const auto& [key, value] : config.extra_inputs.items()) body[key] = value;
  return body;
}

// A payload trace: prompts from its lines (no prefix prompts: hash ids are the trace's own
// prefix mechanism), PA metadata beside each payload.
Parsed<Dataset> BuildTraceDataset(const DatasetOptions& config, const Tokenizer& tokenizer) {
  Parsed<Dataset> out;
  auto trace = ReadTraceFile(config.input_file, config.fixed_schedule);
  if (!trace.ok()) {
    out.error = trace.error;
    return out;
  }
  RandomStream rng(config.random_seed);
  SyntheticPromptGenerator generator(tokenizer, rng);
  std::vector<std::string> prompts = TracePrompts(trace.value, generator, tokenizer, out.value.inexact_prompts);
  for (size_t i = 0; i < prompts.size(); ++i) {
    const TraceEntry& e = trace.value[i];
    nlohmann::ordered_json extra = e.extra;
    if (!e.priority.is_null()) extra["priority"] = e.priority;
    out.value.payloads.push_back(MakeBody(config, i, std::move(prompts[i]), BodyFields{e.output_length, &extra}, rng));
    nlohmann::ordered_json meta = nlohmann::ordered_json::object();
    if (!e.session_id.is_null()) meta["session_id"] = e.session_id;
    // GenAI-Perf writes delay x --session-delay-ratio beside the payload (reference §3.4).
    if (e.delay_ms) meta["delay"] = DelayJson(static_cast<double>(*e.delay_ms) * config.session_delay_ratio);
    if (e.timestamp_ms) meta["timestamp"] = nlohmann::ordered_json::array({*e.timestamp_ms});
    out.value.metadata.push_back(std::move(meta));
    out.value.timestamps_ms.push_back(e.timestamp_ms.value_or(-1));
  }
  if (config.session_concurrency) {
    std::vector<nlohmann::ordered_json> ids;
    std::vector<std::optional<int64_t>> delays;
    for (const TraceEntry& e : trace.value) {
      ids.push_back(e.session_id);
      delays.push_back(e.delay_ms);
    }
    out.value.sessions = PlanTraceSessions(ids, delays, config.session_delay_ratio);
  }
  return out;
}

}  // namespace

Parsed<Dataset> BuildDataset(const DatasetOptions& config, const Tokenizer& tokenizer) {
  if (IsMediaEndpoint(config.endpoint_type)) return BuildMediaDataset(config, tokenizer);
  if (config.payload_input) return BuildTraceDataset(config, tokenizer);
  if (IsTextBatchEndpoint(config.endpoint_type)) return BuildTextBatchDataset(config, tokenizer);
  Parsed<Dataset> out;
  RandomStream rng(config.random_seed);
  SyntheticPromptGenerator generator(tokenizer, rng);
  // The prefix pool comes first, as in GenAI-Perf; each prefix has exactly L tokens.
  const std::vector<std::string> prefixes =
      generator.PrefixPool(config.num_prefix_prompts, config.prefix_prompt_length);
  const size_t prefix_tokens = prefixes.empty() ? 0 : static_cast<size_t>(std::max(0, config.prefix_prompt_length));
  auto pick_prefix = [&]() -> std::string_view {
    return prefixes.empty() ? std::string_view() : std::string_view(prefixes[rng.Below(prefixes.size())]);
  };

  std::vector<std::string> prompts;
  if (!config.input_file.empty()) {
    auto file = ReadInputFile(config.input_file);
    if (!file.ok()) {
      out.error = file.error;
      return out;
    }
    // GenAI-Perf prepends prefixes to file prompts too (reference §3.4).
    for (auto& entry : file.value) {
      const std::string_view prefix = pick_prefix();
      prompts.push_back(prefix.empty() ? std::move(entry.text) : std::string(prefix) + " " + entry.text);
    }
  } else {
    // Sessions replace --num-dataset-entries: one prompt per turn, and only a session's first
    // turn gets a prefix (reference §3.5). The plan draws from the stream before the prompts.
    std::vector<bool> gets_prefix(static_cast<size_t>(config.num_dataset_entries), true);
    if (config.session_concurrency) {
      const SessionShapeOptions shape{config.num_sessions,          config.session_turns_mean,
                                      config.session_turns_stddev,  config.session_turn_delay_mean,
                                      config.session_turn_delay_stddev, config.session_delay_ratio};
      out.value.sessions = PlanSyntheticSessions(shape, rng);
      gets_prefix.clear();
      for (const SessionSpec& session : out.value.sessions) {
        for (size_t t = 0; t < session.entries.size(); ++t) {
          gets_prefix.push_back(t == 0);
          nlohmann::ordered_json meta{{"session_id", session.id}};
          if (session.delay_ms[t]) meta["delay"] = DelayJson(*session.delay_ms[t]);
          out.value.metadata.push_back(std::move(meta));
        }
      }
    }
    std::vector<PromptSpec> specs;
    specs.reserve(gets_prefix.size());
    const auto clip = config.synthetic_input_tokens_clip.value_or(std::pair<int, int>{0, 0});
    for (const bool prefixed : gets_prefix) {
      PromptSpec spec;
      spec.num_tokens = generator.SampleLength(config.synthetic_input_tokens_mean,
                                               config.synthetic_input_tokens_stddev, clip.first, clip.second);
      spec.prefix = prefixed ? pick_prefix() : std::string_view();
      spec.prefix_tokens = spec.prefix.empty() ? 0 : prefix_tokens;
      specs.push_back(spec);
    }
    prompts = generator.GenerateAll(specs);
  }
  out.value.inexact_prompts = generator.inexact_count();
  out.value.tensor_rows = config.endpoint_type == "kserve";

  for (size_t i = 0; i < prompts.size(); ++i) {
    out.value.payloads.push_back(MakeBody(config, i, std::move(prompts[i]), BodyFields{}, rng));
  }
  return out;
}

std::string InputsJson(const Dataset& dataset) {
  nlohmann::ordered_json data = nlohmann::ordered_json::array();
  for (size_t i = 0; i < dataset.payloads.size(); ++i) {
    nlohmann::ordered_json row = dataset.tensor_rows
                                     ? dataset.payloads[i]
                                     : nlohmann::ordered_json{{"payload", nlohmann::ordered_json::array({dataset.payloads[i]})}};
    if (i < dataset.metadata.size()) {
      for (const auto& [key, value] : dataset.metadata[i].items()) row[key] = value;
    }
    data.push_back(std::move(row));
  }
  return PythonJsonDumps(nlohmann::ordered_json{{"data", std::move(data)}}, 2);
}

}  // namespace bench
