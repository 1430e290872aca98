#pragma once
// HTTP settings shared by every libcurl handle bench opens (the preflight check and the load
// engine), so TLS verification and credentials are handled in one place: TLS options, the
// request headers with the API key, and URLs that are safe to print.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

typedef void CURL;  // as <curl/curl.h> declares it; keeps libcurl out of this header's users

namespace bench {

/// TLS verification for https:// URLs. The default verifies against the system CA store.
struct TlsOptions {
  std::string ca_cert;    // PEM file of trusted CAs (--ca-cert); "" = the system store
  bool insecure = false;  // --insecure: neither the certificate nor the host name is verified
};

/// Sets CURLOPT_CAINFO / CURLOPT_SSL_VERIFYPEER / CURLOPT_SSL_VERIFYHOST on `easy`.
void ApplyTlsOptions(CURL* easy, const TlsOptions& tls);

/// An API key and where it came from ("--api-key", "OPENAI_API_KEY", "NGC_API_KEY"); both ""
/// when there is none.
struct ApiKey {
  std::string value;
  std::string source;
};

/// The key to send: `flag` when given; else, when no Authorization header is among `headers`,
/// OPENAI_API_KEY, then NGC_API_KEY, read through `getenv` (empty values are ignored).
ApiKey ResolveApiKey(const std::string& flag, const std::vector<std::string>& headers,
                     const std::function<const char*(const char*)>& getenv);

/// The trimmed value of a "Name: value" header when its name is `name` (case-insensitive).
std::optional<std::string> HeaderValue(const std::string& header, std::string_view name);

/// True when the host of `url` ("scheme://[user@]host[:port]/...") is this machine: localhost,
/// 127.x.x.x or [::1]. A key sent there over http:// never crosses a network.
bool IsLoopbackUrl(const std::string& url);

/// True when a "Name: value" header is an Authorization header (name case-insensitive).
bool IsAuthorizationHeader(const std::string& header);

/// The headers sent with every request: `headers`, plus "Authorization: Bearer <api_key>"
/// when `api_key` is not empty.
std::vector<std::string> RequestHeaders(const std::vector<std::string>& headers, const std::string& api_key);

/// `scheme://user:pass@host/...` -> `scheme://<redacted>@host/...` (also without a scheme);
/// URLs without credentials are returned unchanged. For every URL that is logged or exported.
std::string RedactUrl(const std::string& url);

/// True for libcurl result codes that mean the TLS handshake or certificate check failed.
bool IsTlsFailure(int curl_code);

}  // namespace bench
