#include "transport/http1_target.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace bench {
namespace {

bool SameName(std::string_view header, std::string_view name) {
  const size_t colon = header.find(':');
  const std::string_view n = header.substr(0, colon);
  return n.size() == name.size() && std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         });
}

}  // namespace

bool ParseHttpTarget(const std::string& url, HttpTarget& target, std::string& error) {
  std::string lower = url.substr(0, 8);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  target.tls = lower == "https://";
  if (!target.tls && lower.compare(0, 7, "http://") != 0) {
    error = "not an http:// or https:// URL: " + url;
    return false;
  }
  const size_t start = target.tls ? 8 : 7;
  const size_t end = url.find_first_of("/?#", start);
  target.authority = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  target.path = end == std::string::npos ? "/" : url.substr(end);
  if (!target.path.empty() && target.path[0] != '/') target.path.insert(0, "/");
  target.path = target.path.substr(0, target.path.find('#'));
  const std::string& a = target.authority;
  if (a.empty() || a.find('@') != std::string::npos) {
    error = "no host (or credentials) in " + url;
    return false;
  }
  size_t port_at = std::string::npos;
  if (a[0] == '[') {
    const size_t close = a.find(']');
    if (close == std::string::npos) {
      error = "unterminated IPv6 address in " + url;
      return false;
    }
    target.host = a.substr(1, close - 1);
    if (close + 1 < a.size() && a[close + 1] == ':') port_at = close + 2;
  } else {
    const size_t colon = a.find(':');
    target.host = a.substr(0, colon);
    if (colon != std::string::npos) port_at = colon + 1;
  }
  target.port = port_at == std::string::npos ? (target.tls ? "443" : "80") : a.substr(port_at);
  if (target.port.empty() || target.port.size() > 5 ||
      !std::all_of(target.port.begin(), target.port.end(), [](unsigned char ch) { return std::isdigit(ch); })) {
    error = "bad port in " + url;
    return false;
  }
  return true;
}

std::string RequestHeadPrefix(const HttpTarget& target, const std::vector<std::string>& headers) {
  const auto user_sets = [&](std::string_view name) {
    return std::any_of(headers.begin(), headers.end(), [&](const std::string& h) { return SameName(h, name); });
  };
  std::string head = "POST " + target.path + " HTTP/1.1\r\n";
  if (!user_sets("Host")) head += "Host: " + target.authority + "\r\n";
  if (!user_sets("Accept")) head += "Accept: */*\r\n";
  for (const std::string& h : headers) {
    const size_t colon = h.find(':');
    if (colon == std::string::npos) continue;
    if (SameName(h, "Content-Length") || SameName(h, "Transfer-Encoding")) continue;
    const size_t value = h.find_first_not_of(" \t", colon + 1);
    if (value == std::string::npos) continue;  // "Name:" suppresses Name
    head.append(h).append("\r\n");
  }
  return head;
}

}  // namespace bench
