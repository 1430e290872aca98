#include "transport/transport.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "transport/curl_transport.h"
#include "transport/http1_transport.h"
#include "transport/kserve_client.h"
#include "util/ascii.h"

namespace bench {
namespace {

// True when the comma-separated NO_PROXY list `list` exempts `host` (curl's rules: "*", an
// exact name, or a domain suffix with or without its leading dot).
bool ExemptFromProxy(const std::string& list, const std::string& host) {
  size_t at = 0;
  while (at <= list.size()) {
    size_t comma = list.find(',', at);
    if (comma == std::string::npos) comma = list.size();
    std::string entry = list.substr(at, comma - at);
    entry.erase(std::remove_if(entry.begin(), entry.end(), [](unsigned char c) { return std::isspace(c); }),
                entry.end());
    entry = AsciiLower(entry);
    if (!entry.empty() && entry.front() == '.') entry.erase(0, 1);
    if (entry == "*") return true;
    if (!entry.empty() && (host == entry || (host.size() > entry.size() &&
                                             host.compare(host.size() - entry.size(), entry.size(), entry) == 0 &&
                                             host[host.size() - entry.size() - 1] == '.'))) {
      return true;
    }
    at = comma + 1;
  }
  return false;
}

}  // namespace

void RawRecord::Clear() {
  entry = 0;
  intended_mono_ns = handoff_mono_ns = send_mono_ns = 0;
  read_mono_ns.clear();
  read_end.clear();
  read_wake.clear();
  kernel_stamped_reads = 0;
  bytes.clear();
  packable = count_events = false;
  packed.clear();
  packed_bytes = packed_events = 0;
  packed_mid_line = false;
  http_status = 0;
  transport_error = ErrorKind::kNone;
  transport_message.clear();
  cancelled = past_deadline = too_large = dropped = false;
  request_id.clear();
  session = -1;
  turn = 0;
  body.clear();
}

HttpClient ResolveHttpClient(HttpClient requested, const std::string& url,
                             const std::function<const char*(const char*)>& getenv, std::string* error) {
  if (requested == HttpClient::kCurl) return HttpClient::kCurl;
  if (requested == HttpClient::kGrpc) return HttpClient::kGrpc;
  std::string why;
  const std::string lower = AsciiLower(url);
  const bool https = lower.rfind("https://", 0) == 0;
  if (lower.rfind("http://", 0) != 0 && !https) {
    why = "it speaks http:// and https:// only";
  } else {
    const size_t start = https ? 8 : 7;
    const std::string authority = lower.substr(start, lower.find_first_of("/?#", start) - start);
    if (authority.find('@') != std::string::npos) {
      why = "credentials in the URL need libcurl";
    } else {
      std::string host = authority;
      if (!host.empty() && host.front() == '[') {
        host = host.substr(1, host.find(']') - 1);
      } else {
        host = host.substr(0, host.find(':'));
      }
      // libcurl honours these (for http:// not upper-case HTTP_PROXY, for httpoxy's sake).
      const char* proxy = nullptr;
      const auto names = https ? std::vector<const char*>{"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}
                               : std::vector<const char*>{"http_proxy", "all_proxy", "ALL_PROXY"};
      for (const char* name : names) {
        const char* value = getenv(name);
        if (value != nullptr && *value != '\0') {
          proxy = name;
          break;
        }
      }
      if (proxy != nullptr && requested == HttpClient::kAuto) {  // an explicit native choice bypasses it
        const char* no_proxy = getenv("no_proxy");
        if (no_proxy == nullptr || *no_proxy == '\0') no_proxy = getenv("NO_PROXY");
        if (no_proxy == nullptr || !ExemptFromProxy(no_proxy, host)) {
          why = std::string("a proxy is set (") + proxy + "), which libcurl handles";
        }
      }
    }
  }
  if (why.empty()) return HttpClient::kNative;
  if (requested == HttpClient::kNative && error != nullptr) *error = "--http-client native: " + why;
  return HttpClient::kCurl;
}

std::unique_ptr<Transport> MakeTransport(HttpClient client, const TransportSettings& settings, int epoll_fd,
                                         const uint32_t* wake) {
  if (client == HttpClient::kNative) return MakeHttp1Transport(settings, epoll_fd, wake);
  if (client == HttpClient::kGrpc) {
    // bench-grpc.so (transport/kserve_client): loaded by the readiness check before any load.
    std::string error;
    const KserveClientApi* grpc = KserveClient(error);
    if (grpc == nullptr) throw std::runtime_error(error);
    return grpc->MakeTransport(settings, epoll_fd, wake);
  }
  return MakeCurlTransport(settings, epoll_fd, wake);
}

}  // namespace bench
