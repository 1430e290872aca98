#pragma once
// The native HTTP/1.1 client for plain http:// servers: non-blocking sockets in the loop's epoll
// set (edge-triggered, registered once per connection), kept-alive connections reused, the
// request written with one sendmsg, and each recv's de-chunked body bytes recorded as one read.
// Per request that is a send, a recv or two and an epoll wake-up; libcurl adds its own
// liveness polls and epoll_ctl calls on top.

#include <cstdint>
#include <memory>
#include <string>

#include "transport/transport.h"

namespace bench {

/// Where an http:// URL points: host and port to connect to, the Host header, the request target.
struct HttpTarget {
  std::string host;       // without brackets for IPv6
  std::string port;       // "80" when the URL has none
  std::string authority;  // host[:port] as written: the Host header
  std::string path;       // "/..." with any query; "/" when the URL has none
};

/// Parses "http://host[:port][/path]"; false (with `error`) for anything else.
bool ParseHttpTarget(const std::string& url, HttpTarget& target, std::string& error);

/// The request head shared by every request (request line, Host, Accept, `headers`), ending
/// before the per-request X-Request-Id and Content-Length lines. A header "Name:" with no value
/// suppresses Name (libcurl's convention); the user's Host or Accept replaces ours;
/// Content-Length and Transfer-Encoding are always ours.
std::string RequestHeadPrefix(const HttpTarget& target, const std::vector<std::string>& headers);

std::unique_ptr<Transport> MakeHttp1Transport(const TransportSettings& settings, int epoll_fd, const uint32_t* wake);

}  // namespace bench
