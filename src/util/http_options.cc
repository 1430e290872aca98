#include "util/http_options.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>

namespace bench {

void ApplyTlsOptions(CURL* easy, const TlsOptions& tls) {
  if (!tls.ca_cert.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, tls.ca_cert.c_str());
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, tls.insecure ? 0L : 1L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, tls.insecure ? 0L : 2L);
}

std::optional<std::string> HeaderValue(const std::string& header, std::string_view name) {
  const auto colon = header.find(':');
  if (colon == std::string::npos) return std::nullopt;
  std::string key = header.substr(0, colon);
  while (!key.empty() && std::isspace(static_cast<unsigned char>(key.back()))) key.pop_back();
  if (key.size() != name.size() ||
      !std::equal(key.begin(), key.end(), name.begin(), [](unsigned char a, unsigned char b) {
        return std::tolower(a) == std::tolower(b);
      })) {
    return std::nullopt;
  }
  size_t begin = colon + 1;
  size_t end = header.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(header[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(header[end - 1]))) --end;
  return header.substr(begin, end - begin);
}

bool IsLoopbackUrl(const std::string& url) {
  const size_t scheme = url.find("://");
  size_t begin = scheme == std::string::npos ? 0 : scheme + 3;
  const size_t end_of_authority = url.find('/', begin);
  std::string authority = url.substr(begin, end_of_authority == std::string::npos ? std::string::npos : end_of_authority - begin);
  if (const size_t at = authority.rfind('@'); at != std::string::npos) authority.erase(0, at + 1);
  std::string host;
  if (!authority.empty() && authority.front() == '[') {
    host = authority.substr(0, authority.find(']') + 1);
  } else {
    host = authority.substr(0, authority.find(':'));
  }
  std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return std::tolower(c); });
  return host == "localhost" || host.rfind("127.", 0) == 0 || host == "[::1]";
}

bool IsAuthorizationHeader(const std::string& header) { return HeaderValue(header, "authorization").has_value(); }

ApiKey ResolveApiKey(const std::string& flag, const std::vector<std::string>& headers,
                     const std::function<const char*(const char*)>& getenv) {
  if (!flag.empty()) return {flag, "--api-key"};
  if (std::any_of(headers.begin(), headers.end(), IsAuthorizationHeader)) return {};
  for (const char* name : {"OPENAI_API_KEY", "NGC_API_KEY"}) {
    const char* value = getenv(name);
    if (value != nullptr && value[0] != '\0') return {value, name};
  }
  return {};
}

std::vector<std::string> RequestHeaders(const std::vector<std::string>& headers, const std::string& api_key) {
  std::vector<std::string> all = headers;
  if (!api_key.empty()) all.push_back("Authorization: Bearer " + api_key);
  return all;
}

std::string RedactUrl(const std::string& url) {
  const auto scheme = url.find("://");
  const size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  const size_t end = std::min(url.find_first_of("/?#", start), url.size());
  const auto at = url.rfind('@', end == 0 ? 0 : end - 1);  // userinfo ends at the authority's last '@'
  if (at == std::string::npos || at < start || at >= end) return url;
  return url.substr(0, start) + "<redacted>" + url.substr(at);
}

bool IsTlsFailure(int curl_code) {
  switch (static_cast<CURLcode>(curl_code)) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_USE_SSL_FAILED:
      return true;
    default:
      return false;
  }
}

}  // namespace bench
