#include "sim/media_routes.h"

#include <cmath>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/openai.h"
#include "sim/simulator.h"
#include "sim/timing.h"
#include "sim/vision.h"

namespace bench {
namespace {

using nlohmann::json;

SimReply BadRequest(const std::string& message) {
  return SimReply{400, SimErrorBody(400, "BadRequestError", message), {}, {}};
}

// Four-decimal coordinates, as NIM's examples print them.
double Round4(double v) { return std::round(v * 1e4) / 1e4; }

json Boxes(SimRng& rng) {
  json boxes = json::object();
  for (const char* label : {"table", "chart", "title"}) {
    json list = json::array();
    const uint64_t n = rng.Below(3);
    for (uint64_t i = 0; i < n; ++i) {
      const double x0 = rng.Uniform() * 0.8;
      const double y0 = rng.Uniform() * 0.8;
      list.push_back({{"x_min", Round4(x0)},
                      {"y_min", Round4(y0)},
                      {"x_max", Round4(x0 + 0.05 + rng.Uniform() * (0.95 - x0 - 0.05))},
                      {"y_max", Round4(y0 + 0.05 + rng.Uniform() * (0.95 - y0 - 0.05))},
                      {"confidence", Round4(0.2 + rng.Uniform() * 0.8)}});
    }
    boxes[label] = std::move(list);
  }
  return boxes;
}

SimReply InferReply(const json& doc, const SimulatorOptions& options, uint64_t seed) {
  const auto input = doc.find("input");
  if (input == doc.end() || !input->is_array() || input->empty()) return BadRequest("input must be a non-empty array");
  SimRng rng(seed);
  json data = json::array();
  for (size_t i = 0; i < input->size(); ++i) {
    const json& item = (*input)[i];
    const auto type = item.is_object() ? item.find("type") : item.end();
    const auto url = item.is_object() ? item.find("url") : item.end();
    if (!item.is_object() || type == item.end() || *type != "image_url" || url == item.end() || !url->is_string()) {
      return BadRequest("input[" + std::to_string(i) + "]: expected {\"type\": \"image_url\", \"url\": ...}");
    }
    // The NIM takes images inline only: base64 data URLs of PNG or JPEG.
    const std::string& u = url->get_ref<const std::string&>();
    std::string why = u.rfind("data:", 0) == 0 ? CheckSimMediaUrl(u, SimMediaKind::kImage)
                                               : "the image must be a base64 data URL";
    if (!why.empty()) return BadRequest("input[" + std::to_string(i) + "]: " + why);
    data.push_back({{"index", i}, {"bounding_boxes", Boxes(rng)}});
  }
  SimReply reply{200, json{{"data", std::move(data)}}.dump(), {}, {}};
  reply.delay = SimLatencyModel(options).Ttft(input->size() * kSimImageTokens, rng);
  return reply;
}

json UnitVector(uint64_t seed) {
  SimRng rng(seed);
  std::vector<double> v(kSimNvclipDimensions);
  double norm = 0;
  for (double& x : v) {
    x = rng.Uniform() * 2 - 1;
    norm += x * x;
  }
  norm = std::sqrt(norm);
  json out = json::array();
  for (const double x : v) out.push_back(std::round(x / norm * 1e6) / 1e6);
  return out;
}

SimReply EmbeddingsReply(const json& doc, const SimulatorOptions& options, uint64_t seed) {
  const auto input = doc.find("input");
  if (input == doc.end() || !(input->is_string() || (input->is_array() && !input->empty()))) {
    return BadRequest("input must be a string or a non-empty array of strings");
  }
  const json items = input->is_string() ? json::array({*input}) : *input;
  json data = json::array();
  size_t tokens = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_string()) return BadRequest("input[" + std::to_string(i) + "] must be a string");
    const std::string& text = items[i].get_ref<const std::string&>();
    if (text.rfind("data:", 0) == 0) {  // NV-CLIP: an image given inline
      if (std::string why = CheckSimMediaUrl(text, SimMediaKind::kImage); !why.empty()) {
        return BadRequest("input[" + std::to_string(i) + "]: " + why);
      }
      tokens += kSimImageTokens;
    } else {
      tokens += ApproxPromptTokens(text);
    }
    data.push_back({{"object", "embedding"}, {"index", i}, {"embedding", UnitVector(MixSeed(seed, HashBytes(text)))}});
  }
  const auto model = doc.find("model");
  json body{{"object", "list"},
            {"data", std::move(data)},
            {"model", model != doc.end() && model->is_string() ? *model : json(options.model)},
            {"usage", {{"prompt_tokens", tokens}, {"total_tokens", tokens}}}};
  SimRng rng(seed);
  SimReply reply{200, body.dump(), {}, {}};
  reply.delay = SimLatencyModel(options).Ttft(tokens, rng);
  return reply;
}

}  // namespace

bool IsSimMediaPath(std::string_view path) { return path == "/v1/infer" || path == "/v1/embeddings"; }

SimReply SimMediaReply(std::string_view path, std::string_view body, const SimulatorOptions& options) {
  const json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return BadRequest("request body is not valid JSON");
  if (!doc.is_object()) return BadRequest("request body must be a JSON object");
  const uint64_t seed = MixSeed(options.seed, HashBytes(body));
  return path == "/v1/infer" ? InferReply(doc, options, seed) : EmbeddingsReply(doc, options, seed);
}

}  // namespace bench
