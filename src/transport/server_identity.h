#pragma once
// What the server says it is, asked once before the load: /v1/models, and where the server has
// them NIM's /v1/metadata and /v1/version, vLLM's /version, llama.cpp's /props and TGI's /info.
// Recorded in the run's bench file so a comparison of two runs says which server, engine and
// profile each one measured. Never blocks a run: a probe that fails is recorded as absent.

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/http_options.h"

namespace bench {

/// The identity endpoints, as paths under the base URL, in the order they are recorded.
const std::vector<std::string>& IdentityPaths();

/// Each path with its parsed JSON body when it answered 200 with JSON, else nullopt.
using IdentityResponses = std::vector<std::pair<std::string, std::optional<nlohmann::ordered_json>>>;

/// GETs every identity path at once (the same headers as the load, so a server behind a key
/// answers); the whole probe takes at most `timeout`. Nothing is logged.
IdentityResponses FetchIdentity(const std::string& base_url, const std::vector<std::string>& headers,
                                const TlsOptions& tls, std::chrono::milliseconds timeout);

/// The bench file's "server" object: engine, version, model(s), NIM profile and release, dtype
/// where an endpoint says so, then every endpoint's answer under "endpoints" (null when absent;
/// strings over 256 characters, such as chat templates, shortened).
nlohmann::ordered_json SummarizeIdentity(const IdentityResponses& responses);

/// FetchIdentity then SummarizeIdentity.
nlohmann::ordered_json ProbeServerIdentity(const std::string& base_url, const std::vector<std::string>& headers,
                                           const TlsOptions& tls,
                                           std::chrono::milliseconds timeout = std::chrono::milliseconds(3000));

}  // namespace bench
