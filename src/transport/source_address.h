#pragma once
// Which local (source) address each new connection is bound to. The kernel gives one source
// address about 28,000 ephemeral ports toward one server address and port
// (net.ipv4.ip_local_port_range), so one source address caps a run at that many streams. On
// loopback every 127.x.y.z is local, so connections are spread over 127.0.0.1, 127.0.0.2, ...;
// each socket is bound with IP_BIND_ADDRESS_NO_PORT so the port is still picked at connect
// time, per destination (a plain bind would pick it at once and reserve it for every destination).

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

/// Ports in the text of /proc/sys/net/ipv4/ip_local_port_range ("32768\t60999\n" -> 28232); 0 if unparsable.
int EphemeralPortsIn(std::string_view port_range_text);

/// This machine's ephemeral ports per source address (the file above; 28,232, the kernel's default, if unreadable).
int SystemEphemeralPorts();

/// Streams one source address may carry: three quarters of its ports, leaving room for the
/// machine's other connections (a port in use toward any destination by a plain bind is taken).
int StreamsPerSourceAddress(int ports);

/// Whether the numeric address `host` (as getaddrinfo returns, or an IPv4 dotted quad) is IPv4 loopback (127.0.0.0/8).
bool IsIpv4Loopback(const std::string& host);

/// The 127.0.0.x addresses `streams` connections to a loopback server need at `per_address`
/// streams each: 127.0.0.1, 127.0.0.2, ... kept while `usable` (a bind check) accepts them,
/// at most 254. Empty when one address is enough, or when only 127.0.0.1 is usable (then the
/// kernel picks the source and the one-address limit applies).
std::vector<std::string> LoopbackSourceAddresses(int streams, int per_address,
                                                 const std::function<bool(const std::string&)>& usable);

/// Whether this machine can bind a socket to the numeric address `address` (it is local), with
/// `error` saying why not.
bool CanBindSource(const std::string& address, std::string* error = nullptr);

/// Round-robin over a run's source addresses, one per new connection. Connections of each
/// address family take the addresses of that family only; none of it (an empty list, or a
/// target of the other family) leaves the choice to the kernel.
class SourceAddressPicker {
 public:
  /// `addresses` are numeric (e.g. "127.0.0.2", "fd00::5"); false (with `error`) if one is not.
  bool Assign(const std::vector<std::string>& addresses, std::string& error);

  /// The address for the next connection of `family` (AF_INET or AF_INET6), or null for none.
  const sockaddr_storage* Next(int family);

  /// The source addresses of `family` (for tests and messages).
  size_t Count(int family) const;

 private:
  std::vector<sockaddr_storage> v4_;
  std::vector<sockaddr_storage> v6_;
  size_t next_v4_ = 0;
  size_t next_v6_ = 0;
};

/// Binds `fd` to `source` with IP_BIND_ADDRESS_NO_PORT (the port is chosen by connect); 0 or errno.
int BindSourceAddress(int fd, const sockaddr_storage& source);

/// For a connect that failed with `error`: when it is EADDRNOTAVAIL, why (the ports of `source`,
/// or of the kernel's pick when null, toward this server are used up), in parentheses; else "".
std::string NoLocalPortHint(int error, const sockaddr_storage* source);

/// "127.0.0.2" for a bound source address (for error messages).
std::string NumericAddress(const sockaddr_storage& address);

}  // namespace bench
