#pragma once
// Before any load: is the server there and ready? One clear line instead of N failed requests.

#include <string>
#include <vector>

#include "bench/http_options.h"

namespace bench {

/// `host:port` or `http(s)://host:port[/prefix]` -> `scheme://host:port[/prefix]` without a
/// trailing '/'. Returns "" for an unusable value.
std::string NormalizeBaseUrl(const std::string& url);

/// Joins a base URL and an endpoint path (`v1/chat/completions`).
std::string JoinUrl(const std::string& base, const std::string& endpoint);

/// GET <base>/v1/models with short timeouts. Returns "" when the server answered (any status
/// but 503), else a one-line reason ("cannot reach the server at http://...: ...", or for a
/// failed certificate check "TLS: ..." naming --ca-cert and --insecure). URLs in the reason have
/// their credentials redacted.
std::string CheckServerReady(const std::string& base_url, const std::vector<std::string>& headers,
                             const TlsOptions& tls);

}  // namespace bench
