#include "sim/router.h"

#include "sim/embeddings.h"
#include "sim/api_routes.h"
#include "sim/media_routes.h"
#include "sim/nim_metadata.h"
#include "sim/simulator.h"

namespace bench {
namespace {

// Keeps a request path printable in a JSON error message whatever bytes the client sent.
std::string Printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s.substr(0, 200)) out += (c >= 0x20 && c < 0x7f) ? char(c) : '?';
  return out;
}

SimRoute Reply(int status, std::string body, std::string allow = {}) {
  SimRoute route;
  route.reply = SimReply{status, std::move(body), std::move(allow), {}};
  return route;
}

}  // namespace

SimRoute RouteSimRequest(std::string_view method, std::string_view target,
                         std::optional<std::string_view> fault_header, std::string_view body,
                         const SimulatorOptions& options, int64_t now_unix) {
  const std::string_view path = target.substr(0, target.find('?'));
  // HTTP methods are case-sensitive, so comparing the request line's word is exact.
  const auto wrong_method = [&](std::string_view allowed) -> std::optional<SimRoute> {
    if (method == allowed) return std::nullopt;
    return Reply(405,
                 SimErrorBody(405, "MethodNotAllowed",
                              "method " + std::string(method) + " not allowed on " + std::string(path)),
                 std::string(allowed));
  };

  if (path == "/health" || path == "/v1/health/ready") {
    if (auto refused = wrong_method("GET")) return *refused;
    return Reply(200, "{}");
  }
  if (path == "/v1/models") {
    if (auto refused = wrong_method("GET")) return *refused;
    return Reply(200, SimModelsBody(options.model, now_unix));
  }
  if (path == "/metrics") {  // vLLM's Prometheus page (sim/server_stats)
    if (auto refused = wrong_method("GET")) return *refused;
    SimRoute page = Reply(200, "");
    page.reply->content_type = "text/plain; version=0.0.4; charset=utf-8";
    page.metrics_page = true;
    return page;
  }
  if (path == "/v1/metadata") {  // NIM's identity endpoints
    if (auto refused = wrong_method("GET")) return *refused;
    return Reply(200, SimNimMetadataBody(options.profile_name));
  }
  if (path == "/v1/version") {
    if (auto refused = wrong_method("GET")) return *refused;
    return Reply(200, SimNimVersionBody());
  }
  if (IsSimMediaPath(path)) {  // sim/media_routes: image retrieval
    if (auto refused = wrong_method("POST")) return *refused;
    SimRoute route;
    route.reply = SimMediaReply(body, options);
    return route;
  }
  const std::optional<SimEndpoint> encoder = SimEncoderEndpointOf(path);  // embeddings, ranking, rerank
  const std::optional<SimApiPath> api = MatchSimApiPath(path);             // Triton, TGI, Responses
  if (!encoder && !api && path != "/v1/chat/completions" && path != "/v1/completions") {
    return Reply(404, SimErrorBody(404, "NotFoundError", "no route for " + Printable(path)));
  }
  if (auto refused = wrong_method("POST")) return *refused;
  const SimEndpoint endpoint = encoder                       ? *encoder
                                : path == "/v1/completions" ? SimEndpoint::kCompletions
                                                            : SimEndpoint::kChat;
  SimRoute route;
  if (fault_header) {
    SimFaultParse f = ParseSimFault(*fault_header);
    if (!f.fault) return Reply(400, SimErrorBody(400, "BadRequestError", "X-Bench-Fault: " + f.error));
    route.header_fault = f.fault;
  }
  SimParseResult parsed = encoder ? ParseSimEncoderRequest(endpoint, body, options)
                           : api   ? ParseSimApiRequest(*api, body, options)
                                   : ParseSimRequest(endpoint, body, options);
  if (!parsed.request) return Reply(400, SimErrorBody(400, "BadRequestError", parsed.error));
  route.request = std::move(parsed.request);
  return route;
}

std::optional<SimReply> SimFaultReply(SimFaultKind kind) {
  switch (kind) {
    case SimFaultKind::kHttp429:
      return SimReply{429, SimErrorBody(429, "RateLimitError", "simulated rate limit (bench fault http_429)"),
                      {}, "1"};
    case SimFaultKind::kHttp500:
      return SimReply{500, SimErrorBody(500, "InternalServerError", "simulated failure (bench fault http_500)"),
                      {}, {}};
    case SimFaultKind::kHttp503:
      return SimReply{503,
                      SimErrorBody(503, "ServiceUnavailableError", "simulated overload (bench fault http_503)"),
                      {}, "1"};
    default:
      return std::nullopt;
  }
}

}  // namespace bench
