#include "load/connection_budget.h"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <arpa/inet.h>

#include <algorithm>
#include <fstream>

#include <fmt/format.h>

#include "transport/http1_target.h"
#include "transport/source_address.h"

namespace bench {
namespace {

// "100000" -> "100,000": the limits are read against numbers people type.
std::string Grouped(uint64_t n) {
  std::string digits = std::to_string(n);
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) digits.insert(static_cast<size_t>(at), ",");
  return digits;
}

std::string FirstIpv4(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) return "";
  char text[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(found->ai_addr)->sin_addr, text, sizeof text);
  freeaddrinfo(found);
  return text;
}

// Descriptors besides the streams: the headroom, and four per worker (its epoll set and spill
// file among them).
uint64_t FixedDescriptors(const ConnectionBudget& budget) {
  return kDescriptorHeadroom + 4 * static_cast<uint64_t>(std::max(1, budget.workers));
}

uint64_t DescriptorsPerStream(const ConnectionBudget& budget) { return budget.in_process_server ? 2 : 1; }

// The most streams the descriptor limit allows.
uint64_t MaxStreams(const ConnectionBudget& budget) {
  const uint64_t fixed = FixedDescriptors(budget);
  const uint64_t spare = budget.descriptor_limit > fixed ? budget.descriptor_limit - fixed : 0;
  return spare / DescriptorsPerStream(budget);
}

}  // namespace

uint64_t DescriptorsNeeded(const ConnectionBudget& budget) {
  const uint64_t streams = static_cast<uint64_t>(std::max<int64_t>(0, budget.streams));
  return streams * DescriptorsPerStream(budget) + FixedDescriptors(budget);
}

std::string ConnectionBudgetError(const ConnectionBudget& budget) {
  if (budget.streams <= 0) return "";
  const uint64_t needed = DescriptorsNeeded(budget);
  if (budget.descriptor_limit > 0 && needed > budget.descriptor_limit) {
    return fmt::format(
        "--concurrency {}: needs about {} open files{}, but this process may open at most {} (RLIMIT_NOFILE hard "
        "limit; bench raised the soft one to it, and could not raise the hard one: that takes CAP_SYS_RESOURCE): "
        "lower --concurrency to about {}, or raise the hard limit (as root: ulimit -Hn; docker run --ulimit "
        "nofile=N:N; systemd LimitNOFILE=)",
        Grouped(static_cast<uint64_t>(budget.streams)), Grouped(needed),
        budget.in_process_server ? " (a socket at each end: the simulator runs in this process)" : "",
        Grouped(budget.descriptor_limit), Grouped(MaxStreams(budget)));
  }
  if (budget.ports_per_address <= 0) return "";
  const int64_t per_address = budget.ports_per_address;
  const size_t sources = budget.native_client ? std::max<size_t>(1, budget.source_addresses) : 1;
  const int64_t ports = per_address * static_cast<int64_t>(sources);
  if (budget.streams <= ports) return "";
  std::string remedy;
  if (!budget.native_client) {
    remedy = "only the native HTTP/1.1 client (--http-client native) spreads connections over several local addresses";
  } else if (budget.loopback) {
    remedy = "this machine's loopback accepts no source address but 127.0.0.1 (lo is 127.0.0.1/32?): add 127.0.0.2 "
             "and more to lo, or list local addresses with --local-address";
  } else {
    remedy = "list more local addresses of this machine with --local-address (one per flag), or widen "
             "net.ipv4.ip_local_port_range";
  }
  return fmt::format("--concurrency {}: {} local address{} toward {} {} {} ports (net.ipv4.ip_local_port_range), "
                     "fewer than the streams: {}",
                     Grouped(static_cast<uint64_t>(budget.streams)), sources, sources == 1 ? "" : "es", budget.target,
                     sources == 1 ? "has" : "have", Grouped(static_cast<uint64_t>(ports)), remedy);
}

uint64_t RaiseDescriptorLimit(uint64_t wanted) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_max != RLIM_INFINITY && wanted > limit.rlim_max) {
    // Above the hard limit only with CAP_SYS_RESOURCE (root outside a container), and never
    // above fs.nr_open; without it this fails and the hard limit stands.
    uint64_t nr_open = 0;
    std::ifstream("/proc/sys/fs/nr_open") >> nr_open;
    const rlimit more{std::min<rlim_t>(wanted, nr_open > 0 ? nr_open : wanted),
                      std::min<rlim_t>(wanted, nr_open > 0 ? nr_open : wanted)};
    if (more.rlim_max > limit.rlim_max && setrlimit(RLIMIT_NOFILE, &more) == 0) return more.rlim_max;
  }
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  return limit.rlim_max == RLIM_INFINITY ? 0 : static_cast<uint64_t>(limit.rlim_max);
}

ConnectionEnvironment SystemConnectionEnvironment() {
  return {RaiseDescriptorLimit, SystemEphemeralPorts,
          [](const std::string& address) {
            std::string why;
            return CanBindSource(address, &why) ? std::string() : why;
          },
          FirstIpv4};
}

std::string PlanConnections(LoadOptions& options, bool in_process_server, int workers,
                            const ConnectionEnvironment& environment) {
  ConnectionBudget budget;
  budget.streams = options.concurrency;
  budget.in_process_server = in_process_server;
  budget.workers = workers;
  budget.descriptor_limit = environment.descriptor_limit(DescriptorsNeeded(budget));
  budget.native_client = options.http_client == HttpClient::kNative ||
                         (options.http_client == HttpClient::kAuto && options.url.rfind("http", 0) == 0);
  HttpTarget target;
  std::string error;
  const bool http = ParseHttpTarget(options.url, target, error);
  budget.target = http ? target.host + ":" + target.port : options.url;
  for (const std::string& address : options.source_addresses) {
    if (const std::string why = environment.bind_error(address); !why.empty()) {
      return fmt::format("--local-address {}: cannot bind to it: {}", address, why);
    }
  }
  budget.ports_per_address = http ? environment.ephemeral_ports() : 0;
  if (http && options.source_addresses.empty()) {
    const std::string ipv4 = IsIpv4Loopback(target.host) ? target.host : environment.resolve_ipv4(target.host);
    budget.loopback = IsIpv4Loopback(ipv4);
    if (budget.loopback && budget.native_client) {
      options.source_addresses = LoopbackSourceAddresses(
          static_cast<int>(std::min<int64_t>(options.concurrency, 1 << 30)),
          StreamsPerSourceAddress(budget.ports_per_address),
          [&](const std::string& address) { return environment.bind_error(address).empty(); });
    }
  }
  budget.source_addresses = std::max<size_t>(1, options.source_addresses.size());
  return ConnectionBudgetError(budget);
}

}  // namespace bench
