#include "sim/api_routes.h"

#include "sim/generate_api.h"
#include "sim/responses_api.h"

namespace bench {
namespace {

bool Consume(std::string_view& s, std::string_view prefix) {
  if (s.substr(0, prefix.size()) != prefix) return false;
  s.remove_prefix(prefix.size());
  return true;
}

// "{model}[/versions/{v}]/generate[_stream]" after "/v2/models/".
std::optional<SimApiPath> TritonPath(std::string_view rest) {
  SimApiPath p;
  if (rest.size() >= 16 && rest.substr(rest.size() - 16) == "/generate_stream") {
    p.stream = true;
    rest.remove_suffix(16);
  } else if (rest.size() >= 9 && rest.substr(rest.size() - 9) == "/generate") {
    rest.remove_suffix(9);
  } else {
    return std::nullopt;
  }
  if (const auto v = rest.find("/versions/"); v != std::string_view::npos) rest = rest.substr(0, v);
  if (rest.empty() || rest.find('/') != std::string_view::npos) return std::nullopt;
  p.model = std::string(rest);
  return p;
}

}  // namespace

std::optional<SimApiPath> MatchSimApiPath(std::string_view path) {
  if (path == "/v1/responses") return SimApiPath{SimEndpoint::kResponses, {}, false};
  if (path == "/generate") return SimApiPath{SimEndpoint::kTgiGenerate, {}, false};
  if (path == "/generate_stream") return SimApiPath{SimEndpoint::kTgiGenerate, {}, true};
  if (path == "/") return SimApiPath{SimEndpoint::kTgiCompat, {}, false};
  std::string_view rest = path;
  if (Consume(rest, "/v2/models/")) return TritonPath(rest);
  return std::nullopt;
}

SimParseResult ParseSimApiRequest(const SimApiPath& path, std::string_view body, const SimulatorOptions& options) {
  switch (path.endpoint) {
    case SimEndpoint::kTritonGenerate:
      return ParseTritonGenerateRequest(path.model, path.stream, body, options);
    case SimEndpoint::kTgiGenerate:
    case SimEndpoint::kTgiCompat:
      return ParseTgiGenerateRequest(path.stream, path.endpoint == SimEndpoint::kTgiCompat, body, options);
    default:
      return ParseResponsesRequest(body, options);
  }
}

}  // namespace bench
