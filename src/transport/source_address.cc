#include "transport/source_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace bench {
namespace {

constexpr int kDefaultEphemeralPorts = 60999 - 32768 + 1;  // Linux's default range
constexpr int kMaxLoopbackSources = 254;                   // 127.0.0.1 .. 127.0.0.254

// The numeric `address` as a socket address (port 0); false if it is not one.
bool ParseNumeric(const std::string& address, sockaddr_storage& out) {
  out = sockaddr_storage{};
  auto* v4 = reinterpret_cast<sockaddr_in*>(&out);
  if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&out);
  if (inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    return true;
  }
  return false;
}

socklen_t LengthOf(const sockaddr_storage& a) {
  return a.ss_family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
}

}  // namespace

int EphemeralPortsIn(std::string_view port_range_text) {
  std::istringstream in{std::string(port_range_text)};
  long low = 0;
  long high = 0;
  if (!(in >> low >> high) || low < 1 || high > 65535 || high < low) return 0;
  return static_cast<int>(high - low + 1);
}

int SystemEphemeralPorts() {
  std::ifstream file("/proc/sys/net/ipv4/ip_local_port_range");
  std::stringstream text;
  text << file.rdbuf();
  const int ports = EphemeralPortsIn(text.str());
  return ports > 0 ? ports : kDefaultEphemeralPorts;
}

int StreamsPerSourceAddress(int ports) { return std::max(1, ports / 4 * 3); }

bool IsIpv4Loopback(const std::string& host) {
  in_addr a{};
  if (inet_pton(AF_INET, host.c_str(), &a) != 1) return false;
  return (ntohl(a.s_addr) >> 24) == 127;
}

std::vector<std::string> LoopbackSourceAddresses(int streams, int per_address,
                                                 const std::function<bool(const std::string&)>& usable) {
  const int wanted = std::min(kMaxLoopbackSources, (streams + std::max(1, per_address) - 1) / std::max(1, per_address));
  std::vector<std::string> sources;
  if (wanted <= 1) return sources;
  for (int i = 1; i <= wanted; ++i) {
    std::string address = "127.0.0." + std::to_string(i);
    if (!usable(address)) break;  // a loopback narrowed to 127.0.0.1/32 (some containers)
    sources.push_back(std::move(address));
  }
  if (sources.size() <= 1) sources.clear();
  return sources;
}

bool CanBindSource(const std::string& address, std::string* error) {
  sockaddr_storage a{};
  if (!ParseNumeric(address, a)) {
    if (error != nullptr) *error = "not a numeric IPv4 or IPv6 address";
    return false;
  }
  const int fd = socket(a.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    if (error != nullptr) *error = std::strerror(errno);
    return false;
  }
  // Port 0 with IP_BIND_ADDRESS_NO_PORT: checks the address is local without taking a port.
  const int rc = BindSourceAddress(fd, a);
  close(fd);
  if (rc != 0 && error != nullptr) *error = std::strerror(rc);
  return rc == 0;
}

bool SourceAddressPicker::Assign(const std::vector<std::string>& addresses, std::string& error) {
  v4_.clear();
  v6_.clear();
  for (const std::string& address : addresses) {
    sockaddr_storage a{};
    if (!ParseNumeric(address, a)) {
      error = "local address " + address + ": not a numeric IPv4 or IPv6 address";
      return false;
    }
    (a.ss_family == AF_INET ? v4_ : v6_).push_back(a);
  }
  return true;
}

const sockaddr_storage* SourceAddressPicker::Next(int family) {
  std::vector<sockaddr_storage>& list = family == AF_INET ? v4_ : v6_;
  size_t& next = family == AF_INET ? next_v4_ : next_v6_;
  if (list.empty() || (family != AF_INET && family != AF_INET6)) return nullptr;
  const sockaddr_storage* chosen = &list[next % list.size()];
  ++next;
  return chosen;
}

size_t SourceAddressPicker::Count(int family) const {
  return family == AF_INET ? v4_.size() : family == AF_INET6 ? v6_.size() : 0;
}

int BindSourceAddress(int fd, const sockaddr_storage& source) {
  const int one = 1;
  // Without it bind() would take a port now, unique across all destinations, and the
  // ports of one address would run out at ~28,000 connections in all again.
  if (setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one) != 0) return errno;
  if (bind(fd, reinterpret_cast<const sockaddr*>(&source), LengthOf(source)) != 0) return errno;
  return 0;
}

std::string NoLocalPortHint(int error, const sockaddr_storage* source) {
  if (error != EADDRNOTAVAIL) return "";
  if (source == nullptr) return " (the local ports toward this server are all in use: net.ipv4.ip_local_port_range)";
  return " (from local address " + NumericAddress(*source) +
         ": its ports toward this server are all in use, or it is not an address of this machine)";
}

std::string NumericAddress(const sockaddr_storage& address) {
  char text[INET6_ADDRSTRLEN] = {};
  const void* raw = address.ss_family == AF_INET
                        ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in*>(&address)->sin_addr)
                        : static_cast<const void*>(&reinterpret_cast<const sockaddr_in6*>(&address)->sin6_addr);
  if (inet_ntop(address.ss_family, raw, text, sizeof text) == nullptr) return "?";
  return text;
}

}  // namespace bench
