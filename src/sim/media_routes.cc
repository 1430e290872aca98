#include "sim/media_routes.h"

#include <cmath>

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

}  // namespace

bool IsSimMediaPath(std::string_view path) { return path == "/v1/infer"; }

SimReply SimMediaReply(std::string_view body, const SimulatorOptions& options) {
  const json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return BadRequest("request body is not valid JSON");
  if (!doc.is_object()) return BadRequest("request body must be a JSON object");
  const uint64_t seed = MixSeed(options.seed, HashBytes(body));
  return InferReply(doc, options, seed);
}

}  // namespace bench
