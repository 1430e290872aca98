#pragma once
// Where the native HTTP/1.1 client sends its requests: the URL taken apart once, and the
// request head every request of a run shares.

#include <string>
#include <vector>

namespace bench {

/// Where an http(s):// URL points: host and port to connect to, the Host header, the request target.
struct HttpTarget {
  std::string host;       // without brackets for IPv6
  std::string port;       // "80" ("443" for https) when the URL has none
  std::string authority;  // host[:port] as written: the Host header
  std::string path;       // "/..." with any query; "/" when the URL has none
  bool tls = false;       // https://
};

/// Parses "http(s)://host[:port][/path]"; false (with `error`) for anything else.
bool ParseHttpTarget(const std::string& url, HttpTarget& target, std::string& error);

/// The request head shared by every request (request line, Host, Accept, `headers`), ending
/// before the per-request X-Request-Id and Content-Length lines. A header "Name:" with no value
/// suppresses Name (libcurl's convention); the user's Host or Accept replaces ours;
/// Content-Length and Transfer-Encoding are always ours.
std::string RequestHeadPrefix(const HttpTarget& target, const std::vector<std::string>& headers);

}  // namespace bench
