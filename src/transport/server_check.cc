#include "transport/server_check.h"

#include <curl/curl.h>

#include <fmt/format.h>

namespace bench {

std::string NormalizeBaseUrl(const std::string& url) {
  std::string u = url;
  while (!u.empty() && u.back() == '/') u.pop_back();
  if (u.empty()) return "";
  if (u.find("://") == std::string::npos) u = "http://" + u;
  if (u.rfind("http://", 0) != 0 && u.rfind("https://", 0) != 0) return "";
  return u;
}

std::string JoinUrl(const std::string& base, const std::string& endpoint) {
  return endpoint.empty() ? base : base + "/" + endpoint;
}

namespace {
size_t Discard(char*, size_t size, size_t count, void*) { return size * count; }
}  // namespace

std::string SystemCaStore() {
  const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
  if (info->cainfo != nullptr) return info->cainfo;
  return info->capath != nullptr ? info->capath : "";
}

std::string MissingCaStoreMessage(const std::string& base_url, const std::string& store) {
  return fmt::format(
      "TLS: cannot verify {}: the system CA store{} is missing or unreadable; install the CA certificates "
      "(Debian/Ubuntu: apt-get install ca-certificates), or give --ca-cert FILE",
      RedactUrl(base_url), store.empty() ? "" : " (" + store + ")");
}

std::string CheckServerReady(const std::string& base_url, const std::vector<std::string>& headers,
                             const TlsOptions& tls) {
  CURL* e = curl_easy_init();
  if (e == nullptr) return "libcurl initialisation failed";
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  const std::string url = JoinUrl(base_url, "v1/models");
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(e, CURLOPT_URL, url.c_str());
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Discard);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 15000L);
  ApplyTlsOptions(e, tls);
  const CURLcode code = curl_easy_perform(e);
  long status = 0;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(list);
  curl_easy_cleanup(e);
  const std::string detail = error[0] != '\0' ? error : curl_easy_strerror(code);
  if (code == CURLE_SSL_CACERT_BADFILE && tls.ca_cert.empty()) return MissingCaStoreMessage(base_url, SystemCaStore());
  if (code == CURLE_PEER_FAILED_VERIFICATION) {
    return fmt::format("TLS: certificate verify failed for {} ({}); use --ca-cert FILE for a private CA, or --insecure",
                       RedactUrl(base_url), detail);
  }
  if (IsTlsFailure(code)) return fmt::format("TLS: handshake with {} failed: {}", RedactUrl(base_url), detail);
  if (code != CURLE_OK) return fmt::format("cannot reach the server at {}: {}", RedactUrl(base_url), detail);
  if (status == 503) {
    return fmt::format("the server at {} is not ready (HTTP 503 from {})", RedactUrl(base_url), RedactUrl(url));
  }
  return "";
}

}  // namespace bench
