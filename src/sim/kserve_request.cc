#include "sim/kserve_request.h"

#include <charconv>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "kserve/infer_request.h"
#include "sim/simulator.h"
#include "sim/timing.h"

namespace bench {
namespace {

std::optional<int> ToInt(const std::string& s) {
  int v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// An int tensor of one element; `error` set when present but unreadable.
std::optional<int> IntInput(const inference::ModelInferRequest& request, const char* name, std::string& error) {
  const auto elements = InputElements(request, name);
  if (!elements) return std::nullopt;
  std::optional<int> v = elements->size() == 1 ? ToInt((*elements)[0]) : std::nullopt;
  if (!v) error = fmt::format("input '{}': expected one integer", name);
  return v;
}

// vLLM's sampling_parameters values may be numbers or numeric strings ("256").
std::optional<int> JsonInt(const nlohmann::json& v) {
  if (v.is_number_integer()) return v.get<int>();
  if (v.is_string()) return ToInt(v.get<std::string>());
  return std::nullopt;
}

}  // namespace

SimParseResult ParseKserveRequest(const inference::ModelInferRequest& request, const SimulatorOptions& options) {
  SimParseResult out;
  const auto text = InputElements(request, "text_input");
  if (!text || text->empty()) {
    out.error = "input 'text_input': missing or not a BYTES tensor";
    return out;
  }
  std::string prompt;
  for (const std::string& t : *text) prompt += t;
  SimRequest r;
  r.endpoint = SimEndpoint::kCompletions;
  r.model = request.model_name();
  r.max_tokens = options.default_max_tokens;
  const auto stream = InputElements(request, "stream");
  r.stream = stream && stream->size() == 1 && (*stream)[0] == "true";
  if (auto n = IntInput(request, "max_tokens", out.error)) r.max_tokens = *n;
  if (auto n = IntInput(request, "min_length", out.error)) r.min_tokens = *n;
  if (!out.error.empty()) return out;
  if (const auto sampling = InputElements(request, "sampling_parameters"); sampling && sampling->size() == 1) {
    const nlohmann::json params = nlohmann::json::parse((*sampling)[0], nullptr, false);
    if (!params.is_object()) {
      out.error = "input 'sampling_parameters': not a JSON object";
      return out;
    }
    if (params.contains("max_tokens")) {
      const auto n = JsonInt(params["max_tokens"]);
      if (!n) {
        out.error = "sampling_parameters.max_tokens: not an integer";
        return out;
      }
      r.max_tokens = *n;
    }
    if (params.contains("min_tokens")) r.min_tokens = JsonInt(params["min_tokens"]).value_or(0);
    if (params.contains("ignore_eos") && params["ignore_eos"].is_boolean()) r.ignore_eos = params["ignore_eos"].get<bool>();
  }
  if (r.max_tokens < 1) {
    out.error = "max_tokens: must be at least 1";
    return out;
  }
  r.input_tokens = ApproxPromptTokens(prompt);
  r.seed = MixSeed(options.seed, HashBytes(prompt));
  out.request = std::move(r);
  return out;
}

}  // namespace bench
