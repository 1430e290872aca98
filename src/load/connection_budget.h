#pragma once
// Whether a run's concurrent streams fit this machine's limits, decided before the load: each
// stream is a socket (a file descriptor, and a second one when the simulator runs in this
// process), and each connection to one server address takes a local port of its source
// address. When they do not fit, the run stops at once with one line naming the limit and the
// number, rather than with thousands of failed connects (or, for AIPerf, at ~15,000 streams
// with "address already in use"). On loopback it also picks the 127.0.0.x source addresses
// that carry the streams past one address's ports (transport/source_address).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "load/load_engine.h"

namespace bench {

/// What the check weighs; filled by PlanConnections from the machine, or by a test.
struct ConnectionBudget {
  int64_t streams = 0;                // connections open at once (the concurrency; 0 = no cap: not checked)
  bool in_process_server = false;     // the built-in simulator holds the other end in this process
  int workers = 1;                    // load threads (each has an epoll set and a spill file)
  uint64_t descriptor_limit = 0;      // RLIMIT_NOFILE hard limit (the soft one is raised to it)
  int ports_per_address = 0;          // ephemeral ports per source address (ip_local_port_range)
  size_t source_addresses = 1;        // addresses connections are spread over (1 = the kernel's pick)
  std::string target;                 // host:port, for the message
  bool loopback = false;              // the target is 127.x: more source addresses would help
  bool native_client = true;          // only the native HTTP/1.1 client spreads connections
};

/// Descriptors a run needs besides its streams: stdio, logs, the spill files, epoll sets,
/// the tokenizer, the simulator's listener and timers.
inline constexpr uint64_t kDescriptorHeadroom = 64;

/// Descriptors the run needs in all.
uint64_t DescriptorsNeeded(const ConnectionBudget& budget);

/// Empty when the streams fit; otherwise one line naming the limit, its value and what to do.
std::string ConnectionBudgetError(const ConnectionBudget& budget);

/// Raises RLIMIT_NOFILE: both limits to `wanted` when it is above the hard one and the process
/// may (CAP_SYS_RESOURCE; at most fs.nr_open), else the soft one to the hard one (as wrk and
/// h2load do). Returns the hard limit now in force (0 = unlimited or unknown).
uint64_t RaiseDescriptorLimit(uint64_t wanted = 0);

/// Machine facts the plan reads, a seam for tests.
struct ConnectionEnvironment {
  std::function<uint64_t(uint64_t wanted)> descriptor_limit;  // RaiseDescriptorLimit
  std::function<int()> ephemeral_ports;                // SystemEphemeralPorts
  std::function<std::string(const std::string&)> bind_error;  // CanBindSource: "" = bindable, else why not
  std::function<std::string(const std::string&)> resolve_ipv4;  // host -> first IPv4 address ("" if none)
};

/// The real machine.
ConnectionEnvironment SystemConnectionEnvironment();

/// Before the load: picks `options.source_addresses` (the user's --local-address list, checked
/// bindable, or 127.0.0.x on loopback when one address's ports are too few) and checks the
/// budget with `workers` threads. Empty when the run can go ahead, else the one-line error.
std::string PlanConnections(LoadOptions& options, bool in_process_server, int workers,
                            const ConnectionEnvironment& environment);

}  // namespace bench
