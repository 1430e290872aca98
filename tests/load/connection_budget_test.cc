#include "load/connection_budget.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace bench {
namespace {

ConnectionBudget Budget(int64_t streams) {
  ConnectionBudget b;
  b.streams = streams;
  b.workers = 2;
  b.descriptor_limit = 1'048'576;
  b.ports_per_address = 28232;
  b.target = "127.0.0.1:8000";
  b.loopback = true;
  return b;
}

// A machine with `limit` descriptors, the default port range, and the given bindable addresses.
ConnectionEnvironment Machine(uint64_t limit, std::vector<std::string> bindable = {}) {
  ConnectionEnvironment e;
  e.descriptor_limit = [limit](uint64_t) { return limit; };
  e.ephemeral_ports = [] { return 28232; };
  e.bind_error = [bindable](const std::string& a) {
    if (bindable.empty()) return std::string();
    for (const auto& b : bindable) {
      if (a == b) return std::string();
    }
    return std::string("Cannot assign requested address");
  };
  e.resolve_ipv4 = [](const std::string& host) { return host == "localhost" ? "127.0.0.1" : "10.1.2.3"; };
  return e;
}

TEST(ConnectionBudgetTest, StreamsThatFitPass) {
  EXPECT_EQ(ConnectionBudgetError(Budget(10'000)), "");
  EXPECT_EQ(ConnectionBudgetError(Budget(0)), "") << "an open loop without a cap is not checked";
  ConnectionBudget b = Budget(100'000);
  b.source_addresses = 5;
  EXPECT_EQ(ConnectionBudgetError(b), "");
  EXPECT_EQ(DescriptorsNeeded(b), 100'000u + kDescriptorHeadroom + 8);
  b.in_process_server = true;
  EXPECT_EQ(DescriptorsNeeded(b), 200'000u + kDescriptorHeadroom + 8);
}

TEST(ConnectionBudgetTest, TooFewDescriptorsNamesTheLimitAndTheNumber) {
  ConnectionBudget b = Budget(100'000);
  b.source_addresses = 5;
  b.descriptor_limit = 20'000;
  const std::string e = ConnectionBudgetError(b);
  EXPECT_NE(e.find("--concurrency 100,000"), std::string::npos) << e;
  EXPECT_NE(e.find("at most 20,000"), std::string::npos) << e;
  EXPECT_NE(e.find("RLIMIT_NOFILE"), std::string::npos) << e;
  EXPECT_NE(e.find("about 19,928"), std::string::npos) << "20,000 less the headroom: " << e;
  EXPECT_EQ(e.find('\n'), std::string::npos) << "one line";
  b.in_process_server = true;
  const std::string both = ConnectionBudgetError(b);
  EXPECT_NE(both.find("about 9,964"), std::string::npos) << both;
  EXPECT_NE(both.find("simulator runs in this process"), std::string::npos) << both;
}

TEST(ConnectionBudgetTest, TooFewPortsNamesThePortRange) {
  ConnectionBudget b = Budget(40'000);
  b.loopback = false;
  b.target = "10.1.2.3:8000";
  std::string e = ConnectionBudgetError(b);
  EXPECT_NE(e.find("1 local address toward 10.1.2.3:8000 has 28,232 ports"), std::string::npos) << e;
  EXPECT_NE(e.find("--local-address"), std::string::npos) << e;
  b.source_addresses = 2;
  EXPECT_EQ(ConnectionBudgetError(b), "") << "two addresses hold 56,464";
  b.native_client = false;
  e = ConnectionBudgetError(b);
  EXPECT_NE(e.find("--http-client native"), std::string::npos) << "libcurl does not spread: " << e;
}

TEST(ConnectionBudgetTest, LoopbackIsSpreadOverAsManyAddressesAsNeeded) {
  LoadOptions o;
  o.url = "http://127.0.0.1:8000/v1/chat/completions";
  o.concurrency = 100'000;
  EXPECT_EQ(PlanConnections(o, false, 2, Machine(1'048'576)), "");
  EXPECT_EQ(o.source_addresses,
            (std::vector<std::string>{"127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"}));

  LoadOptions small;
  small.url = "http://localhost:8000/v1/chat/completions";
  small.concurrency = 2'000;
  EXPECT_EQ(PlanConnections(small, false, 1, Machine(20'000)), "");
  EXPECT_TRUE(small.source_addresses.empty()) << "one address is enough: nothing is bound";

  LoadOptions named;
  named.url = "http://localhost:8000/v1";
  named.concurrency = 30'000;
  EXPECT_EQ(PlanConnections(named, false, 1, Machine(1'048'576)), "");
  EXPECT_EQ(named.source_addresses.size(), 2u) << "localhost is loopback too";
}

TEST(ConnectionBudgetTest, OnlyOneUsableLoopbackAddressFallsBackAndSaysSo) {
  LoadOptions o;
  o.url = "http://127.0.0.1:8000/v1";
  o.concurrency = 30'000;
  const std::string e = PlanConnections(o, false, 1, Machine(1'048'576, {"127.0.0.1"}));
  EXPECT_TRUE(o.source_addresses.empty());
  EXPECT_NE(e.find("28,232 ports"), std::string::npos) << e;
  EXPECT_NE(e.find("127.0.0.1/32"), std::string::npos) << e;
}

TEST(ConnectionBudgetTest, GivenLocalAddressesAreCheckedAndKept) {
  LoadOptions o;
  o.url = "http://10.1.2.3:8000/v1";
  o.concurrency = 40'000;
  o.source_addresses = {"10.0.0.5", "10.0.0.6"};
  EXPECT_EQ(PlanConnections(o, false, 1, Machine(1'048'576, {"10.0.0.5", "10.0.0.6"})), "");
  EXPECT_EQ(o.source_addresses.size(), 2u);
  o.source_addresses = {"10.0.0.5", "10.0.0.7"};
  const std::string e = PlanConnections(o, false, 1, Machine(1'048'576, {"10.0.0.5"}));
  EXPECT_EQ(e, "--local-address 10.0.0.7: cannot bind to it: Cannot assign requested address");
  o.source_addresses = {};
  EXPECT_NE(PlanConnections(o, false, 1, Machine(1'048'576)).find("--local-address"), std::string::npos)
      << "a remote server's 40,000 streams need a second local address";
}

}  // namespace
}  // namespace bench
