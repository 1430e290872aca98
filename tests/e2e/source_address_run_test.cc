// End-to-end: many concurrent streams from the real bench binary, spread over local source
// addresses (--local-address; transport/source_address), against the simulator in this test
// process, which sees each connection's peer address; and the one-line refusal when the
// descriptor limit cannot hold the concurrency (load/connection_budget).

#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <utility>

#include <gtest/gtest.h>

#include "load/connection_budget.h"
#include "sim/simulator.h"
#include "test_util.h"
#include "transport/source_address.h"

namespace bench {
namespace {

namespace fs = std::filesystem;

// The peers of this process's TCP sockets connected to local port `port`: (address, port) pairs.
std::set<std::pair<std::string, int>> PeersOf(uint16_t port) {
  std::set<std::pair<std::string, int>> peers;
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return peers;
  while (dirent* entry = readdir(dir)) {
    const int fd = std::atoi(entry->d_name);
    if (fd <= 2) continue;
    sockaddr_storage local{};
    sockaddr_storage peer{};
    socklen_t length = sizeof local;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0 || local.ss_family != AF_INET) continue;
    if (ntohs(reinterpret_cast<sockaddr_in*>(&local)->sin_port) != port) continue;
    length = sizeof peer;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0) continue;  // the listener
    peers.emplace(NumericAddress(peer), ntohs(reinterpret_cast<sockaddr_in*>(&peer)->sin_port));
  }
  closedir(dir);
  return peers;
}

bool Exited(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string pid_field, name, state;
  return !(stat >> pid_field >> name >> state) || state == "Z";
}

TEST(SourceAddressRunTest, TwoThousandStreamsOverTwoLocalAddresses) {
  for (const char* a : {"127.0.0.2", "127.0.0.3"}) {
    std::string why;
    if (!CanBindSource(a, &why)) GTEST_SKIP() << "this loopback has only 127.0.0.1: " << why;
  }
  constexpr int kStreams = 2000;
  // The simulator's accepted sockets and bench's own are both counted against RLIMIT_NOFILE.
  if (RaiseDescriptorLimit() < 2 * kStreams + 200) GTEST_SKIP() << "RLIMIT_NOFILE hard limit below " << 2 * kStreams;
  SimulatorOptions o;
  o.port = 0;
  o.threads = 2;
  o.ttft_ms = 1000;  // every stream is open at once, long enough to be seen from here
  o.itl_ms = 50;
  Simulator sim(o);
  const uint16_t port = sim.Start();
  test::TempDir dir;
  // Every load connection seen from here, by its peer address and port, while bench runs (the
  // pre-flight check and the server probes before the load come from 127.0.0.1: not counted).
  std::set<std::pair<std::string, int>> seen;
  const test::CommandResult r = test::RunBenchWithin(
      {"profile", "-m", "bench-sim", "--url", "http://127.0.0.1:" + std::to_string(port), "--streaming",
       "--concurrency", std::to_string(kStreams), "--request-count", std::to_string(kStreams), "--isl", "5",
       "--osl", "3", "--tokenizer", "builtin", "--local-address", "127.0.0.2", "--local-address", "127.0.0.3",
       "--artifact-dir", dir.path().string(), "--no-progress"},
      std::chrono::minutes(5), [&](pid_t pid) {
        while (!Exited(pid) && seen.size() < kStreams) {
          for (const auto& p : PeersOf(port)) {
            if (p.first != "127.0.0.1") seen.insert(p);
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
      });
  ASSERT_FALSE(r.timed_out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, int> per_address;
  for (const auto& [address, peer_port] : seen) ++per_address[address];
  EXPECT_EQ(per_address, (std::map<std::string, int>{{"127.0.0.2", kStreams / 2}, {"127.0.0.3", kStreams / 2}}))
      << "each stream its own connection, the two addresses in turn, no other\n" << r.err;
  fs::path run;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    if (entry.is_directory()) run = entry.path();
  }
  const nlohmann::json exported = test::ReadJson(run / "profile_export.json");
  const auto& requests = exported["experiments"][0]["requests"];
  EXPECT_EQ(requests.size(), static_cast<size_t>(kStreams));
  int failed = 0;
  for (const auto& request : requests) failed += request.contains("error") ? 1 : 0;
  EXPECT_EQ(failed, 0) << r.err;
}

TEST(SourceAddressRunTest, ConcurrencyBeyondTheDescriptorLimitIsRefusedInOneLine) {
  test::TempDir dir;
  // Two sockets per stream with the in-process simulator: more than any RLIMIT_NOFILE allows.
  const test::CommandResult r =
      test::RunBenchWithin({"profile", "--simulator", "--streaming", "--concurrency", "2000000000", "--request-count",
                            "10", "--isl", "5", "--osl", "3", "--artifact-dir", dir.path().string(), "--no-progress"},
                           std::chrono::minutes(2));
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--concurrency 2,000,000,000: needs about 4,000,000,"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("RLIMIT_NOFILE"), std::string::npos) << r.err;
  EXPECT_EQ(test::Occurrences(r.err, "RLIMIT_NOFILE"), 1u) << r.err;
}

TEST(SourceAddressRunTest, ALocalAddressThatIsNotLocalIsRefused) {
  test::TempDir dir;
  const test::CommandResult r = test::RunBenchWithin(
      {"profile", "--simulator", "--streaming", "--concurrency", "2", "--request-count", "2", "--isl", "5", "--osl",
       "3", "--local-address", "192.0.2.1", "--artifact-dir", dir.path().string(), "--no-progress"},
      std::chrono::minutes(2));
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--local-address 192.0.2.1: cannot bind to it"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace bench
