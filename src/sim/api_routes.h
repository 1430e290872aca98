#pragma once
// Which paths the simulator answers as Triton's generate extension, TGI or the Responses API,
// and the parser each one's body goes to (sim/generate_api, sim/responses_api).

#include <optional>
#include <string>
#include <string_view>

#include "sim/openai.h"

namespace bench {

struct SimulatorOptions;

/// A request path of one of these APIs.
struct SimApiPath {
  SimEndpoint endpoint = SimEndpoint::kTritonGenerate;
  std::string model;    // Triton: the model named in the path
  bool stream = false;  // the path itself asks for a stream (generate_stream)
};

/// Triton's `/v2/models/{model}[/versions/{v}]/generate` and `generate_stream`, TGI's
/// `/generate`, `/generate_stream` and `/`, and `/v1/responses`; nullopt for any other path.
std::optional<SimApiPath> MatchSimApiPath(std::string_view path);

/// Parses `body` as the API of `path` expects it.
SimParseResult ParseSimApiRequest(const SimApiPath& path, std::string_view body, const SimulatorOptions& options);

}  // namespace bench
