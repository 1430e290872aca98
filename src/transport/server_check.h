#pragma once
// Before any load: is the server there and ready? One clear line instead of N failed requests.

#include <string>
#include <vector>

#include "util/http_options.h"

namespace bench {

/// `host:port` or `http(s)://host:port[/prefix]` -> `scheme://host:port[/prefix]` without a
/// trailing '/'. Returns "" for an unusable value.
std::string NormalizeBaseUrl(const std::string& url);

/// Joins a base URL and an endpoint path (`v1/chat/completions`).
std::string JoinUrl(const std::string& base, const std::string& endpoint);

/// The CA bundle (or directory) libcurl verifies against when no --ca-cert is given, "" if none.
std::string SystemCaStore();

/// The one line for an https:// URL when the system CA store `store` cannot be read (a minimal
/// system without ca-certificates): what to install, or --ca-cert FILE. Not libcurl's text.
std::string MissingCaStoreMessage(const std::string& base_url, const std::string& store);

/// GET <base>/v1/models with short timeouts. Returns "" when the server answered (any status
/// but 503), else a one-line reason ("cannot reach the server at http://...: ...", for a failed
/// certificate check "TLS: ..." naming --ca-cert and --insecure, for an unreadable system CA
/// store MissingCaStoreMessage). URLs in the reason have their credentials redacted.
std::string CheckServerReady(const std::string& base_url, const std::vector<std::string>& headers,
                             const TlsOptions& tls);

}  // namespace bench
